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
