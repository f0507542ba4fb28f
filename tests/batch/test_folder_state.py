"""What a batch output folder holds is never silently lost or merged (issue 15).

* A rerun with another ``--glob`` keeps the error lines of the documents it did not look at (a
  failure stays listed until its document converts) and the summary counts the folder's records.
* Byte-identical documents are exported once, and the summary says so; every path is kept.
* A record no store can read (a figure of thousands of digits, a damaged file) never stops the
  export: the others are written, and the summary names what was left out and why.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from bench.synth import make_archive

from fiscal_extract.batch.engine import BatchOptions, run_batch
from fiscal_extract.batch.manifest import Manifest

CLI = [sys.executable, "-m", "fiscal_extract.cli"]


def _errors(out: Path) -> dict[str, str]:
    lines = (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()
    return {(e := json.loads(x))["path"]: e["reason"] for x in lines}


def test_a_rerun_with_another_glob_keeps_the_other_documents_errors(tmp_path):
    arch = tmp_path / "arch"
    make_archive(arch / "good", 2, seed=2, bad=0, samples=2)
    (arch / "bad").mkdir()
    (arch / "bad" / "empty.txt").write_bytes(b"")
    (arch / "bad" / "prose.md").write_text("今天天气很好，我们去公园散步。\n" * 30, encoding="utf-8")
    out = tmp_path / "out"
    opts = BatchOptions(jobs=1, exports=("sqlite",))
    s = run_batch(arch, out, BatchOptions(jobs=1, exports=("sqlite",), globs=("bad/*",)))
    assert (s.failed, s.errors, s.records) == (2, 2, 0)
    s = run_batch(arch, out, BatchOptions(jobs=1, exports=("sqlite",), globs=("good/*",)))
    assert (s.ok, s.documents) == (2, 2)
    # the first run's failures are still listed, and the summary counts what the folder holds
    assert _errors(out) == {"bad/empty.txt": "empty", "bad/prose.md": "not_a_disclosure"}
    assert (s.errors, s.records) == (2, 2)
    s = run_batch(arch, out, BatchOptions(jobs=1, exports=("sqlite",), globs=("*.txt",)))  # all .txt files
    assert s.records == 2 and s.errors == 2
    # an error line goes when its document converts
    shutil.copy(next((arch / "good").rglob("*.txt")), arch / "bad" / "empty.txt")
    s = run_batch(arch, out, opts)
    assert _errors(out) == {"bad/prose.md": "not_a_disclosure"} and (s.errors, s.records) == (1, 3)


def test_identical_documents_are_exported_once_and_the_summary_says_so(tmp_path):
    arch = tmp_path / "arch"
    make_archive(arch, 2, seed=4, bad=0, samples=2)
    first = sorted(arch.rglob("*.txt"))[0]
    for i in range(3):
        (arch / f"copy{i}").mkdir()
        shutil.copy(first, arch / f"copy{i}" / first.name)
    out = tmp_path / "out"
    p = subprocess.run([*CLI, "batch", str(arch), "-o", str(out), "--jobs", "1", "--no-progress"],
                       capture_output=True, text=True, timeout=300)  # fmt: skip
    assert p.returncode == 0, p.stderr
    assert "exported 2 documents" in p.stdout
    assert "5 files hold these 2 documents: 3 are byte-identical copies" in p.stdout
    with sqlite3.connect(out / "disclosures.sqlite") as con:
        paths = sorted(r[0] for r in con.execute("SELECT path FROM document_paths"))
        held = con.execute("SELECT count(DISTINCT doc_id) FROM document_paths").fetchone()[0]
    rel = first.relative_to(arch).as_posix()
    assert rel in paths and all(f"copy{i}/{first.name}" in paths for i in range(3))
    assert len(paths) == 5 and held == 2


def _damage(out: Path, rel: str, new: bytes) -> None:
    """Replace a record's bytes (and the manifest's hash of them), as a bug or a huge figure would."""
    m = Manifest.open(out)
    e = m.get(rel)
    assert e is not None and e.record is not None
    (out / e.record).write_bytes(new)
    e.record_sha256 = hashlib.sha256(new).hexdigest()
    m.put(e)
    m.close()


def test_one_bad_record_never_stops_the_export(tmp_path):
    arch = tmp_path / "arch"
    make_archive(arch, 3, seed=6, bad=0, samples=3)
    out = tmp_path / "out"
    opts = BatchOptions(jobs=1, exports=("sqlite", "csv"))
    run_batch(arch, out, opts)
    huge, broken, fine = sorted(e.path for e in Manifest.open(out).entries())
    m = Manifest.open(out)
    rec = (out / m.get(huge).record).read_bytes()  # type: ignore[union-attr]
    m.close()
    digits = "9" * 5000
    data = json.loads(rec)
    row = next(r for t in data["tables"] for r in t["rows"] if any(v is not None for v in r["values"].values()))
    key = next(k for k, v in row["values"].items() if v is not None)
    row["values"][key] = "@@HUGE@@"
    _damage(out, huge, json.dumps(data, ensure_ascii=False).replace('"@@HUGE@@"', digits).encode() + b"\n")
    _damage(out, broken, b'{"source": {"sha256": "cut short\n')
    s = run_batch(arch, out, opts)  # before: ValueError: number out of range, on every rerun
    assert s.export is not None and not s.export.interrupted
    assert [p for p, _ in s.export.left_out] == [broken]
    with sqlite3.connect(out / "disclosures.sqlite") as con:
        kept = {r[0] for r in con.execute("SELECT path FROM documents")}
        texts = [r[0] for r in con.execute("SELECT value_text FROM cells WHERE length(value_text) > 4000")]
    assert kept == {huge, fine} and texts == [digits]
    csv_text = (out / "csv" / "cells.csv").read_text(encoding="utf-8")
    assert digits in csv_text
    p = subprocess.run([*CLI, "batch", str(arch), "-o", str(out), "--jobs", "1", "--no-progress",
                        "--export", "sqlite,csv"], capture_output=True, text=True, timeout=300)  # fmt: skip
    assert p.returncode == 0, p.stderr
    assert f"left out of the exports, their records kept: {broken}: " in p.stdout


def test_records_stream_into_sqlite_as_they_are_converted(tmp_path):
    arch = tmp_path / "arch"
    make_archive(arch, 4, seed=8, bad=0, samples=3)
    s = run_batch(arch, tmp_path / "out", BatchOptions(jobs=1, exports=("sqlite",)))
    # the documents went in as they were converted: the export at the end had nothing left to write
    assert s.export is not None and s.export.written == {"sqlite": 0} and s.ok == 4
    with sqlite3.connect(tmp_path / "out" / "disclosures.sqlite") as con:
        assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 4
        assert con.execute("SELECT count(*) FROM sqlite_master WHERE name = 'packed_tables_kind'").fetchone()[0] == 1
