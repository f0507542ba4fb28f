"""`extract -o`: no record overwrites another document's, and every output follows the umask."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

from fiscal_extract.batch.export import output_names

from ..conftest import sample

CLI = [sys.executable, "-m", "fiscal_extract.cli"]


def run(*args: str, umask: int | None = None) -> subprocess.CompletedProcess:
    pre = (lambda: os.umask(umask)) if umask is not None else None
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=180, preexec_fn=pre)


def test_same_file_name_in_two_folders_gives_two_records(tmp_path: Path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    shutil.copy(sample("000"), tmp_path / "a" / "x.txt")
    shutil.copy(sample("002"), tmp_path / "b" / "x.txt")
    out = tmp_path / "out"
    p = run("extract", str(tmp_path / "a" / "x.txt"), str(tmp_path / "b" / "x.txt"), "-o", str(out))
    assert p.returncode == 0, p.stderr
    a = json.loads((out / "a" / "x.json").read_text(encoding="utf-8"))
    b = json.loads((out / "b" / "x.json").read_text(encoding="utf-8"))
    assert a["source"]["sha256"] != b["source"]["sha256"]
    assert not (out / "x.json").exists()


def test_output_names_never_collide(tmp_path: Path):
    assert output_names([Path("a/x.txt"), Path("b/y.txt")]) == {Path("a/x.txt"): "x.json", Path("b/y.txt"): "y.json"}
    d = tmp_path / "d"
    names = output_names([d / "x.txt", d / "x.md"])
    assert sorted(names.values()) == ["x.md.json", "x.txt.json"]


def test_outputs_follow_the_umask(tmp_path: Path):
    out = tmp_path / "out"
    p = run("extract", str(sample("001")), str(sample("002")), "-o", str(out), umask=0o027)
    assert p.returncode == 0, p.stderr
    p = run("extract", str(sample("001")), "-o", str(out / "l"), "--format", "jsonl", umask=0o027)
    assert p.returncode == 0, p.stderr
    p = run("review", str(sample("001")), "-o", str(out / "r.html"), umask=0o027)
    assert p.returncode == 0, p.stderr
    files = [f for f in out.rglob("*") if f.is_file()]
    assert len(files) == 4
    assert {stat.S_IMODE(f.stat().st_mode) for f in files} == {0o640}


def test_a_pdf_is_named_as_a_pdf(tmp_path: Path):
    # PDFs are read (issue 14); one that cannot be read is named as a PDF, never as "binary"
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 4)
    p = run("extract", str(broken))
    assert p.returncode != 0 and "PDF" in p.stderr and "binary" not in p.stderr


def test_backend_llm_without_a_model_says_so(tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FISCAL_LLM", "OPENAI"))}
    p = subprocess.run([*CLI, "extract", str(sample("001")), "--backend", "llm"], capture_output=True, text=True,
                       timeout=180, env=env, cwd=tmp_path)
    assert p.returncode == 0 and "no model is configured" in p.stderr and "rules only" in p.stderr


def test_backend_hybrid_asked_for_without_a_model_says_so(tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FISCAL_LLM", "OPENAI"))}
    p = subprocess.run([*CLI, "extract", str(sample("001")), "--backend", "hybrid"], capture_output=True, text=True,
                       timeout=180, env=env, cwd=tmp_path)
    assert p.returncode == 0 and "--backend hybrid asked for" in p.stderr and "rules only" in p.stderr
    assert json.loads(p.stdout)["tables"]
