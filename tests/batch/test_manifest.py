"""The manifest's group commit: a record is synced to disk before the line that vouches for it."""

from __future__ import annotations

import errno
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from fiscal_extract.batch import manifest as manifest_mod
from fiscal_extract.batch.manifest import Entry, GroupCommit, Manifest


def _entry(i: int, ok: bool = True) -> Entry:
    if ok:
        return Entry(f"d{i}.txt", "ok", f"{i:064x}", "v", "c", "rules", True, record=f"records/d{i}.json")
    return Entry(f"d{i}.txt", "failed", None, "v", "c", "rules", True, reason="empty", message="empty file")


def _lines(out: Path) -> int:
    """States committed to the manifest's database (as another connection sees them)."""
    if not (out / "manifest.sqlite").exists():
        return 0
    con = sqlite3.connect(out / "manifest.sqlite")
    try:
        return int(con.execute("SELECT count(*) FROM entries").fetchone()[0])
    finally:
        con.close()


def _wait_for(pred: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 10
    while not pred():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


def test_lines_follow_one_sync_per_group(tmp_path, monkeypatch):
    events: list[tuple[str, int]] = []
    monkeypatch.setattr(manifest_mod, "sync_folder", lambda p: events.append(("sync", _lines(tmp_path))))
    m = Manifest.open(tmp_path)
    with GroupCommit(m, interval=60, size=4) as commit:
        for group in range(2):  # a full group goes without waiting for the interval
            for i in range(4):
                commit.put(_entry(4 * group + i))
            _wait_for(lambda g=group: _lines(tmp_path) == 4 * (g + 1))
        commit.put(_entry(8))
        commit.put(_entry(9))
        time.sleep(0.1)
        assert _lines(tmp_path) == 8  # two wait for the interval (a minute)
    m.close()
    assert _lines(tmp_path) == 10  # leaving commits the rest
    # every sync happened before the lines of its group were written: 0, 4, 8 lines at the time
    assert events == [("sync", 0), ("sync", 4), ("sync", 8)]
    assert [e.path for e in Manifest.open(tmp_path).entries()] == sorted(f"d{i}.txt" for i in range(10))


def test_a_group_of_failures_needs_no_sync(tmp_path, monkeypatch):
    calls: list[Path] = []
    monkeypatch.setattr(manifest_mod, "sync_folder", calls.append)
    m = Manifest.open(tmp_path)
    with GroupCommit(m, interval=0.01) as commit:
        commit.put(_entry(1, ok=False))
    m.close()
    assert calls == [] and _lines(tmp_path) == 1


def test_a_failing_sync_is_raised_and_nothing_is_vouched_for(tmp_path, monkeypatch):
    def full(path: Path) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(manifest_mod, "sync_folder", full)
    m = Manifest.open(tmp_path)
    with pytest.raises(OSError, match="No space"), GroupCommit(m, interval=0.01) as commit:
        commit.put(_entry(1))
        time.sleep(0.2)
        commit.put(_entry(2))  # the commit thread failed meanwhile: the next put says so
    m.close()
    assert _lines(tmp_path) == 0


def test_a_manifest_jsonl_of_an_earlier_version_is_read_in_once(tmp_path):
    old = [_entry(1), _entry(2, ok=False), _entry(1)]
    text = "".join(e.to_json() + "\n" for e in old) + '{"path": "d3.txt", "sta'  # the last line cut by a kill
    (tmp_path / "manifest.jsonl").write_text(text, encoding="utf-8")
    m = Manifest.open(tmp_path)
    assert [e.path for e in m.entries()] == ["d1.txt", "d2.txt"]
    assert m.get("d2.txt") == _entry(2, ok=False)
    m.close()
    assert not (tmp_path / "manifest.jsonl").exists() and _lines(tmp_path) == 2


def test_a_pdf_is_redone_when_its_reading_options_change_and_text_is_not(tmp_path):
    """The skip key holds ``--ocr`` / ``--pages`` / ``--as-one`` for PDFs (they change the record)."""
    from fiscal_extract.batch.engine import BatchOptions, run_batch
    from fiscal_extract.options import ExtractOptions

    archive = tmp_path / "in"
    (archive / "city").mkdir(parents=True)
    (archive / "city" / "notes.pdf").write_bytes(b"%PDF-1.4")  # a broken PDF: a failure remembered like a record
    (archive / "prose.txt").write_bytes("今天天气很好，我们去公园散步。\n".encode() * 30)

    def run(**kw: object) -> tuple[int, int]:
        extract = ExtractOptions(**{k: v for k, v in kw.items() if k != "as_one"})  # type: ignore[arg-type]
        opts = BatchOptions(extract, jobs=1, exports=(), as_one=bool(kw.get("as_one")))
        s = run_batch(archive, tmp_path / "out", opts)
        return s.skipped, s.failed

    assert run() == (0, 2)
    assert run() == (2, 0)  # nothing changed: both skipped
    assert run(ocr="never") == (1, 1)  # the PDF is read again, the text is not
    assert run(ocr="never") == (2, 0)
    assert run(ocr="never", pages="1") == (1, 1)
    assert run(ocr="never", pages="1", as_one=True) == (1, 1)
    assert run() == (1, 1)  # back to the defaults: the PDF again
    state = Manifest.open(tmp_path / "out").get("city/notes.pdf")
    assert state is not None and state.options == "" and state.reason == "broken_pdf"


def test_tally_counts_what_the_records_hold(tmp_path):
    m = Manifest.open(tmp_path)
    entries = [_entry(i) for i in range(5)] + [_entry(5, ok=False)]
    entries[0].failed_checks, entries[1].failed_checks = {"source": 2}, {"source": 1, "extraction": 3}
    entries[2].profiles = ["a", "b"]
    m.put(*entries)
    for e in entries[:4]:  # d4's record is gone from the folder: not counted
        (tmp_path / str(e.record)).parent.mkdir(exist_ok=True)
        (tmp_path / str(e.record)).write_text("{}")
    records, failed, profiles = m.tally()
    assert (records, dict(failed), dict(profiles)) == (4, {"source": 3, "extraction": 3}, {"": 3, "a, b": 1})
    assert records == len(list(m.records()))
    m.close()


def test_group_commit_holds_few_documents_rows(tmp_path):
    """Payloads (a record's tidy rows) wait at most ``heavy`` at a time: put blocks until a group is written."""
    m = Manifest.open(tmp_path)
    seen: list[int] = []
    with GroupCommit(m, interval=60, size=64, heavy=2, then=lambda g: seen.append(len(g))) as commit:
        for i in range(6):
            commit.put(_entry(i), payload=["rows"])
    m.close()
    assert sum(seen) == 6 and max(seen) <= 2


def test_the_store_takes_a_group_before_the_manifest_vouches_for_it(tmp_path):
    m = Manifest.open(tmp_path)
    seen: list[tuple[int, int]] = []  # (states in the group, states the manifest held when the store got it)
    with GroupCommit(m, interval=0.01, then=lambda g: seen.append((len(g), _lines(tmp_path)))) as commit:
        commit.put(_entry(0))
        _wait_for(lambda: _lines(tmp_path) == 1)
        commit.put(_entry(1))
    m.close()
    assert seen == [(1, 0), (1, 1)]
