"""The state of a batch output folder: what was made from which source, by which extractor.

``manifest.sqlite`` holds one row per document (its latest state), keyed by the document's path
in the archive.  States are committed in groups (see :class:`GroupCommit`), each group one
transaction, and only once the records it vouches for are on disk: so a run killed at any moment
-- ``kill -9`` included -- leaves a manifest that describes only finished work, and memory stays
flat however large the archive (nothing is held in dicts: a rerun asks the database, document by
document).  An output folder made by an earlier version (``manifest.jsonl``) is read into the
database once and the old file removed.

The record files are the output; the manifest is the index a rerun consults to skip what is
done.  A document whose record was written but whose state is missing is simply converted again
(it gives the same record).  ``errors.jsonl`` lists every document of the folder whose latest state
is a failure, whichever run (and ``--glob``) tried it: a failure stays listed until its document
converts.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, Literal

from ..atomic import atomic_open, sync_folder

MANIFEST = "manifest.sqlite"
LEGACY = "manifest.jsonl"
ERRORS = "errors.jsonl"

RETRIED = frozenset({"missing", "unreadable", "internal", "crash", "llm"})
"""Failure reasons that may pass on their own (a file being copied, a crash, the model endpoint):
documents that failed so are tried again on every run.  Other failures (empty, binary, encoding,
not a disclosure, too large) are remembered with the source hash and the extractor, like records."""

CACHE_KIB = -256
"""The page cache of each connection to the manifest (``PRAGMA cache_size``, negative: KiB).  The
manifest is read in key order or by key, which SQLite's default cache (2 MiB a connection) does
not speed up; it would only make memory grow with the archive until the manifest outgrows it."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
  path TEXT PRIMARY KEY,
  status TEXT NOT NULL,
  doc_id INTEGER,
  data TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS entries_status_doc ON entries (status, doc_id, path);
"""


def doc_id(sha256: str) -> int:
    """The first 60 bits of a source's SHA-256: a document's key in every store."""
    return int(sha256[:15], 16)


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
    profiles: tuple[str, ...] = ()
    """The profiles the document was read with (``--profile``, ``[match]``, ``--profile-map``)."""
    options: str = ""
    """The reading options the document was converted with, where they matter (a PDF's ``--ocr``,
    ``--pages``, ``--as-one``; see :func:`~.engine.reading_key`): empty for the defaults."""


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
    profiles: list[str] = field(default_factory=list)
    """The profiles the record was made with (their contents are in ``catalog``'s hash)."""
    options: str = ""
    """:attr:`Key.options` (empty in manifests made before options were recorded: the defaults)."""

    @property
    def key(self) -> Key:
        return Key(self.version, self.catalog, self.backend, self.checks, tuple(self.profiles), self.options)

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
    """The entries of an output folder, in SQLite; new states are committed in groups."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.path = out_dir / MANIFEST
        self._lock = threading.Lock()
        self._con: sqlite3.Connection | None = None

    @classmethod
    def open(cls, out_dir: Path) -> Manifest:
        """Open (creating it, or reading an older ``manifest.jsonl`` into it) the folder's manifest."""
        m = cls(out_dir)
        con = sqlite3.connect(m.path, isolation_level=None, check_same_thread=False, timeout=30.0)
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=FULL")  # a committed state survives a power loss
        con.execute(f"PRAGMA cache_size={CACHE_KIB}")
        con.executescript(_SCHEMA)
        m._con = con
        legacy = out_dir / LEGACY
        if legacy.exists():
            entries: dict[str, Entry] = {}
            with legacy.open(encoding="utf-8") as fh:
                for line in fh:
                    try:
                        e = Entry.from_dict(json.loads(line))
                    except (ValueError, TypeError):
                        continue  # the last line of a killed run, cut short
                    entries[e.path] = e
            m.put(*entries.values())
            legacy.unlink()
        return m

    @property
    def con(self) -> sqlite3.Connection:
        if self._con is None:
            raise RuntimeError("the manifest is not open")
        return self._con

    def get(self, path: str) -> Entry | None:
        with self._lock:
            row = self.con.execute("SELECT data FROM entries WHERE path = ?", (path,)).fetchone()
        return None if row is None else Entry.from_dict(json.loads(row[0]))

    def put(self, *entries: Entry) -> None:
        """Record documents' new states (committed together, on disk at once)."""
        rows = [(e.path, e.status, doc_id(e.sha256) if e.sha256 else None, e.to_json()) for e in entries]
        with self._lock:
            con = self.con
            con.execute("BEGIN")
            try:
                con.executemany("INSERT OR REPLACE INTO entries (path, status, doc_id, data) VALUES (?, ?, ?, ?)", rows)
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None

    def _select(self, where: str) -> Iterator[Entry]:
        """Entries a query picks, by path, streamed from a connection of its own (the writer goes on).

        A query that picks most entries writes its status test ``+status``: the table is then read
        in its own order (by path) instead of through the status index, whose rows SQLite would
        sort by path -- the whole manifest in a sorter, time and memory growing with the archive.
        """
        con = sqlite3.connect(self.path, isolation_level=None, timeout=30.0)
        con.execute(f"PRAGMA cache_size={CACHE_KIB}")
        try:
            for (data,) in con.execute(f"SELECT data FROM entries WHERE {where} ORDER BY path"):
                yield Entry.from_dict(json.loads(data))
        finally:
            con.close()

    def entries(self) -> Iterator[Entry]:
        """Every document's state, by path."""
        return self._select("1")

    def records(self) -> Iterator[Entry]:
        """Entries with a record on disk, by path: the output set (streamed)."""
        for e in self._select("+status IN ('ok', 'partial')"):
            if e.record is not None and (self.out_dir / e.record).exists():
                yield e

    def tally(self) -> tuple[int, Counter[str], Counter[str]]:
        """``(records, failed checks by cause, records by profiles)`` of the output set (as
        :meth:`records` would count them), without reading each state into an :class:`Entry`:
        SQLite picks out the three fields, and the few distinct check counts and profile lists are
        parsed once each."""
        con = sqlite3.connect(self.path, isolation_level=None, timeout=30.0)
        con.execute(f"PRAGMA cache_size={CACHE_KIB}")
        fields = ", ".join(f"json_extract(data, '$.{f}')" for f in ("record", "failed_checks", "profiles"))
        seen: Counter[tuple[str, str]] = Counter()
        out = str(self.out_dir)
        try:
            for record, checks, profiles in con.execute(
                f"SELECT {fields} FROM entries WHERE +status IN ('ok', 'partial') ORDER BY path"
            ):
                if record is not None and os.path.exists(os.path.join(out, record)):
                    seen[checks or "{}", profiles or "[]"] += 1
        finally:
            con.close()
        failed: Counter[str] = Counter()
        by_profiles: Counter[str] = Counter()
        for (checks, profiles), n in seen.items():
            failed.update({cause: k * n for cause, k in json.loads(checks).items()})
            by_profiles[", ".join(json.loads(profiles))] += n
        return sum(seen.values()), failed, by_profiles

    def documents(self) -> Iterator[Entry]:
        """The output set with byte-identical copies merged (the first path stands for them), by path."""
        first = "(SELECT min(x.path) FROM entries x WHERE x.status IN ('ok', 'partial') AND x.doc_id = entries.doc_id)"
        for e in self._select(f"+status IN ('ok', 'partial') AND path = {first}"):
            if e.record is not None and (self.out_dir / e.record).exists():
                yield e

    def count(self, status: str) -> int:
        with self._lock:
            return int(self.con.execute("SELECT count(*) FROM entries WHERE status = ?", (status,)).fetchone()[0])

    def copies(self) -> tuple[int, int]:
        """``(files, documents)`` of the output set: files holding the same bytes are one document."""
        with self._lock:
            row = self.con.execute(
                "SELECT count(*), count(DISTINCT doc_id) FROM entries WHERE status IN ('ok', 'partial')"
            )
            files, docs = row.fetchone()
        return int(files), int(docs)

    def write_errors(self) -> int:
        """Rewrite ``errors.jsonl`` when it changed: one line per document of the folder whose
        latest state is a failure (whichever run tried it; a line goes only when its document
        converts).  Returns the number of lines."""
        path = self.out_dir / ERRORS
        old = path.read_bytes() if path.exists() else None
        n = 0
        tmp_lines: list[str] = []
        for e in self._select("status = 'failed'"):
            tmp_lines.append(e.error_line() + "\n")
            n += 1
        text = "".join(tmp_lines)
        if old is None or old != text.encode("utf-8"):
            with atomic_open(path) as out:
                out.write(text)
        return n


class GroupCommit:
    """Commits documents' new states to the manifest in groups, from a thread of its own.

    Records are written without an ``fsync`` each (about 6 ms apiece here: more than converting a
    document); every ``interval`` seconds, or once ``size`` states wait, one :func:`sync_folder`
    makes the waiting records durable, ``then`` writes them to the streaming store, and then
    their states are committed.  So a state never vouches for a record that a power loss could
    still take back, nor for one the store lacks, and a kill loses at most the
    states still waiting: those documents are converted again on the next run (to the same
    records).  The queue is bounded: :meth:`put` waits while ``4 * size`` states wait, or while
    ``heavy`` of them carry a payload (a record's tidy rows, for the streaming store: hundreds of
    kilobytes each).  Use as a context manager; leaving it commits what waits, and an error of the
    commit thread (a full disk) is raised by the next :meth:`put` or on leaving.
    """

    def __init__(
        self,
        manifest: Manifest,
        interval: float = 0.25,
        size: int = 64,
        then: Callable[[list[tuple[Entry, Any]]], None] | None = None,
        heavy: int = 16,
    ) -> None:
        self.manifest = manifest
        self.then = then
        """Called with each group (``(entry, payload)`` pairs) once its records are durable and
        before its states are committed (the streaming store), in the commit thread."""
        self.interval = interval
        self.size = size
        self.heavy = heavy
        self._waiting: list[tuple[Entry, Any]] = []
        self._loaded = 0
        """Waiting entries with a payload."""
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

    def put(self, entry: Entry, payload: Any = None) -> None:
        """Queue a new state; ``payload`` goes with it to ``then`` (``None``: none)."""
        if self._error is not None:
            raise self._error
        with self._cond:
            self._cond.wait_for(self._room if payload is None else self._room_loaded)
            self._waiting.append((entry, payload))
            self._loaded += payload is not None
            if len(self._waiting) >= self.size or self._loaded >= self.heavy:
                self._cond.notify_all()

    def _room(self) -> bool:
        return len(self._waiting) < 4 * self.size or self._error is not None

    def _room_loaded(self) -> bool:
        return (self._loaded < self.heavy and len(self._waiting) < 4 * self.size) or self._error is not None

    def _run(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(
                    lambda: self._closing or len(self._waiting) >= self.size or self._loaded >= self.heavy,
                    self.interval,
                )
                group, self._waiting, self._loaded = self._waiting, [], 0
                closing = self._closing
                self._cond.notify_all()
            if group:
                try:
                    if any(e.record is not None for e, _ in group):
                        sync_folder(self.manifest.out_dir)
                    if self.then is not None:
                        self.then(group)  # the store first: the manifest never vouches for what it lacks
                    self.manifest.put(*(e for e, _ in group))
                except Exception as exc:  # noqa: BLE001 - handed to the producer by the next put or on leaving
                    with self._cond:
                        self._error = exc
                        self._cond.notify_all()
                    return
            elif closing:
                return
