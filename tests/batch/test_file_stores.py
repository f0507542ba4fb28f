"""The file stores (JSON Lines, CSV, Parquet) are written whole at the end of a run (see the
README's "Why the file stores are written at the end"): a run stopped while writing them leaves
the previous files exactly as they were (no half file, no temporary), and the next run writes
them whole; a run with nothing changed does not touch them."""

from __future__ import annotations

import threading
from pathlib import Path

from bench.synth import make_archive

from fiscal_extract.batch.engine import BatchOptions, run_batch

FILES = ("disclosures.jsonl", "csv/documents.csv", "csv/cells.csv", "parquet/documents.parquet", "exports.json")
OPTS = BatchOptions(jobs=1, exports=("jsonl", "csv", "parquet", "sqlite"))


def _files(out: Path) -> dict[str, bytes]:
    return {f: (out / f).read_bytes() for f in FILES}


def test_a_stop_while_writing_the_file_stores_keeps_the_old_files_and_the_rerun_completes(tmp_path: Path) -> None:
    arch, out = tmp_path / "arch", tmp_path / "out"
    make_archive(arch, 4, seed=3, bad=0, samples=3)
    assert run_batch(arch, out, OPTS).stopped_by is None
    before = _files(out)
    mtimes = {f: (out / f).stat().st_mtime_ns for f in FILES}
    assert run_batch(arch, out, OPTS).export.written["jsonl"] == 0  # type: ignore[union-attr]
    assert {f: (out / f).stat().st_mtime_ns for f in FILES} == mtimes  # nothing changed: not rewritten

    changed = sorted(arch.rglob("*.txt"))[0]
    changed.write_text(changed.read_text(encoding="utf-8").replace("部门", "单位", 1), encoding="utf-8")
    stop = threading.Event()

    def progress(phase: str, done: int, total: int) -> None:
        if phase == "export" and done == 2:
            stop.set()  # half way through writing the file stores

    s = run_batch(arch, out, OPTS, stop=stop, progress=progress)
    assert s.export is not None and s.export.interrupted and s.stopped_by is not None
    assert _files(out) == before  # the user's previous files, byte for byte
    assert not [p for p in out.rglob("*") if ".tmp" in p.name]

    s = run_batch(arch, out, OPTS)
    assert s.stopped_by is None and s.skipped == 4 and s.export is not None
    after = _files(out)
    assert all(after[f] != before[f] for f in ("disclosures.jsonl", "csv/documents.csv", "exports.json"))
    assert after["disclosures.jsonl"].count(b"\n") == 4
    assert "单位".encode() in after["disclosures.jsonl"]
