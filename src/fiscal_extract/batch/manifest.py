"""The state of a batch output folder: what was made from which source, by which extractor.

``manifest.jsonl`` holds one line per document.  A line is appended (and flushed) as soon as a
document's record has been renamed into place, so a run killed at any moment -- ``kill -9``
included -- leaves a manifest that describes only finished work.  A line cut short by the kill
is ignored when the manifest is read, and every run starts by rewriting it compactly (one line
per document, the latest state), atomically.

The record files are the output; the manifest is the index a rerun consults to skip what is
done.  A document whose record was written but whose line is missing is simply converted again
(it gives the same record).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, TextIO

from ..atomic import atomic_open, atomic_write, sync_folder

MANIFEST = "manifest.jsonl"
ERRORS = "errors.jsonl"

RETRIED = frozenset({"missing", "unreadable", "internal", "crash", "llm"})
"""Failure reasons that may pass on their own (a file being copied, a crash, the model endpoint):
documents that failed so are tried again on every run.  Other failures (empty, binary, encoding,
not a disclosure, too large) are remembered with the source hash and the extractor, like records."""


DEGRADED = frozenset({"llm_failed", "llm_unavailable", "llm_budget"})
"""Notices of model calls that failed, were not made or were cut short: a record carrying one is
``partial`` -- written, exported, but redone on the next run (the response cache keeps the calls
that succeeded, so only the failed ones are made again)."""


@dataclass(frozen=True)
class Key:
    """What a record depends on besides the source bytes: change any of these and it is redone."""

    version: str
    """fiscal-extract's version (``extractor.version`` of the record)."""
    catalog: str
    """The catalog version: a hash of the data files and profiles (``extractor.catalog``)."""
    backend: str
    checks: bool


@dataclass(slots=True)
class Entry:
    """One document's state: a record written (``ok``; ``partial`` when model calls it needed
    failed) or a failure with its reason."""

    path: str
    """Relative to the archive folder, ``/``-separated."""
    status: Literal["ok", "partial", "failed"]
    sha256: str | None
    """Of the source bytes (``None`` when they were never read: missing, too large)."""
    version: str
    catalog: str
    backend: str
    checks: bool
    record: str | None = None
    """The record file, relative to the output folder."""
    record_sha256: str | None = None
    """Of the record file's bytes: exports use it to tell what changed."""
    tables: int = 0
    rows: int = 0
    failed_checks: dict[str, int] = field(default_factory=dict)
    """Failed checks by cause (source, extraction, unknown)."""
    reason: str | None = None
    message: str | None = None

    @property
    def key(self) -> Key:
        return Key(self.version, self.catalog, self.backend, self.checks)

    def up_to_date(self, sha256: str | None, key: Key) -> bool:
        """True when this state still holds for a source with ``sha256`` under ``key``."""
        if self.sha256 != sha256 or self.key != key:
            return False
        if self.status == "partial":
            return False  # the model calls that failed are tried again
        return self.status == "ok" or self.reason not in RETRIED

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Entry:
        return cls(**data)

    def error_line(self) -> str:
        """The document's line in ``errors.jsonl``."""
        data = {"path": self.path, "sha256": self.sha256, "reason": self.reason, "message": self.message}
        return json.dumps(data, ensure_ascii=False)


class Manifest:
    """The entries of an output folder, read once; new states are appended as they come."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.path = out_dir / MANIFEST
        self.entries: dict[str, Entry] = {}
        self._fh: TextIO | None = None

    @classmethod
    def open(cls, out_dir: Path) -> Manifest:
        """Read the manifest (ignoring a line a kill cut short), rewrite it compactly, and open it
        for appending."""
        m = cls(out_dir)
        lines = 0
        if m.path.exists():
            with m.path.open(encoding="utf-8") as fh:
                for line in fh:
                    lines += 1
                    try:
                        e = Entry.from_dict(json.loads(line))
                    except (ValueError, TypeError):
                        continue  # the last line of a killed run, cut short
                    m.entries[e.path] = e
        if lines != len(m.entries):
            with atomic_open(m.path) as out:
                for path in sorted(m.entries):
                    out.write(m.entries[path].to_json() + "\n")
        m._fh = m.path.open("a", encoding="utf-8")
        return m

    def get(self, path: str) -> Entry | None:
        return self.entries.get(path)

    def put(self, *entries: Entry) -> None:
        """Record documents' new states (on disk at once)."""
        if self._fh is None:
            raise RuntimeError("the manifest is not open for writing")
        for entry in entries:
            self.entries[entry.path] = entry
        self._fh.write("".join(entry.to_json() + "\n" for entry in entries))
        self._fh.flush()

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None

    def records(self) -> list[Entry]:
        """Entries with a record on disk, by path: the output set."""
        return [
            e
            for path, e in sorted(self.entries.items())
            if e.status in ("ok", "partial") and e.record is not None and (self.out_dir / e.record).exists()
        ]

    def write_errors(self, paths: Iterable[str]) -> int:
        """Rewrite ``errors.jsonl``: one line per document of ``paths`` whose latest state is a
        failure (so reruns never repeat a line).  Returns the number of lines."""
        failed = [e for p in sorted(paths) if (e := self.entries.get(p)) is not None and e.status == "failed"]
        text = "".join(e.error_line() + "\n" for e in failed)
        path = self.out_dir / ERRORS
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            atomic_write(path, text)
        return len(failed)


class GroupCommit:
    """Commits documents' new states to the manifest in groups, from a thread of its own.

    Records are written without an ``fsync`` each (about 6 ms apiece here: more than converting a
    document); every ``interval`` seconds, or once ``size`` states wait, one :func:`sync_folder`
    makes the waiting records durable and then their manifest lines are appended.  So a line
    never vouches for a record that a power loss could still take back, and a kill loses at most
    the states still waiting: those documents are converted again on the next run (to the same
    records).  Use as a context manager; leaving it commits what waits, and an error of the commit
    thread (a full disk) is raised by the next :meth:`put` or on leaving.
    """

    def __init__(self, manifest: Manifest, interval: float = 0.25, size: int = 64) -> None:
        self.manifest = manifest
        self.interval = interval
        self.size = size
        self._waiting: list[Entry] = []
        self._cond = threading.Condition()
        self._closing = False
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="manifest-commit", daemon=True)

    def __enter__(self) -> GroupCommit:
        self._thread.start()
        return self

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None) -> None:
        with self._cond:
            self._closing = True
            self._cond.notify()
        self._thread.join()
        if self._error is not None and et is None:
            raise self._error

    def put(self, entry: Entry) -> None:
        if self._error is not None:
            raise self._error
        with self._cond:
            self._waiting.append(entry)
            if len(self._waiting) >= self.size:
                self._cond.notify()

    def _run(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._closing or len(self._waiting) >= self.size, self.interval)
                group, self._waiting = self._waiting, []
                closing = self._closing
            if group:
                try:
                    if any(e.record is not None for e in group):
                        sync_folder(self.manifest.out_dir)
                    self.manifest.put(*group)
                except OSError as exc:
                    self._error = exc
                    return
            elif closing:
                return
