import json
import subprocess
import sys
from pathlib import Path

from ..conftest import sample

CLI = [sys.executable, "-m", "fiscal_extract.cli"]


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, cwd=cwd, timeout=120)


def test_extract_one_file_to_stdout():
    p = run("extract", str(sample("000")))
    assert p.returncode == 0, p.stderr
    rec = json.loads(p.stdout)
    assert rec["meta"]["department"] == "平顶山市石龙区政务大数据中心"
    assert len(rec["tables"]) == 14


def test_extract_to_directory_and_jsonl(tmp_path: Path):
    p = run("extract", str(sample("000")), str(sample("004")), "-o", str(tmp_path))
    assert p.returncode == 0, p.stderr
    assert sorted(x.name for x in tmp_path.glob("*.json")) == [
        f"{sample('000').stem}.json",
        f"{sample('004').stem}.json",
    ]
    p = run("extract", str(sample("001")), str(sample("002")), "-o", str(tmp_path / "l"), "--format", "jsonl")
    assert p.returncode == 0, p.stderr
    lines = (tmp_path / "l" / "records.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(x)["meta"]["fiscal_year"] for x in lines] == [2024, 2024]


def test_unreadable_input_exits_with_one_line(tmp_path: Path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "b.txt"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    prose = tmp_path / "prose.txt"
    prose.write_text("今天天气很好，我们去公园散步。\n" * 20, encoding="utf-8")
    for f, word in ((empty, "empty"), (binary, "binary"), (prose, "disclosure"), (tmp_path / "nope.txt", "no such")):
        p = run("extract", str(f))
        assert p.returncode == 2
        assert p.stdout == ""
        lines = p.stderr.strip().splitlines()
        assert len(lines) == 1 and word in lines[0], p.stderr


def test_bad_file_does_not_lose_the_others(tmp_path: Path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00" * 50)
    out = tmp_path / "out"
    p = run("extract", str(bad), str(sample("002")), "-o", str(out))
    assert p.returncode == 2
    assert (out / f"{sample('002').stem}.json").exists()
    assert "bad.txt" in p.stderr


def test_help_everywhere():
    for args in (["--help"], ["extract", "--help"], ["schema", "--help"]):
        p = run(*args)
        assert p.returncode == 0 and "Usage" in p.stdout
