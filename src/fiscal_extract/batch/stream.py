"""Records into SQLite as they are converted: the batch's one store writer.

The thread that commits the manifest hands each group here (:class:`~.manifest.GroupCommit` ``then``)
once its records are durable and before its states are committed, with the rows of each record
packed for the store (:mod:`.stores.packed`) by the worker that made it, from the record it holds
(:func:`~.engine.convert_one`: so this one writer only inserts a few dozen rows a document, and
nothing is parsed back; a record that came without them is read and cut here); they are upserted
into ``disclosures.sqlite`` and committed there.  So the manifest never vouches for a record the
database lacks: a kill between the two commits leaves documents in the database that the
manifest does not list yet, which the next run converts again (to the same records, which the
database then already holds).  The export at the end of each run (:func:`~.stores.export`) adds
what the database misses (documents the stream could not take, a database written without
streaming), settles byte-identical copies, deletes what left the output set and builds the
indexes a bulk load left out.

A database that cannot be written now (another program holds it) stops the streaming, not the
conversion: the export at the end says what is wrong.  A record the database cannot take is left
to the export, which leaves it out with its reason.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from types import TracebackType

from ..models import Disclosure
from .manifest import Entry
from .stores.packed import Packed, pack_record
from .stores.sink import Doc
from .stores.sqlite import SqliteSink
from .stores.tidy import Source

Rows = Packed
"""A record's rows for the SQLite store, by physical table (:mod:`.stores.packed`)."""


def rows_of(entry: Entry, record: Disclosure, raw: bytes) -> Rows | None:
    """The rows the SQLite store takes for the record just written from ``record`` (``raw``: its
    JSON), or ``None``
    for one that cannot be packed (the store's writer then reads it back and tries again, and the
    export leaves it out with the reason)."""
    if entry.record is None or entry.record_sha256 is None:
        return None
    try:
        return pack_record(record, Source(entry.path, entry.record, entry.record_sha256), raw)
    except (ValueError, ArithmeticError, TypeError, KeyError):
        return None


class Streamer:
    """Use as a context manager around the conversion; :meth:`add` is the group commit's ``then``."""

    def __init__(self, out_dir: Path, enabled: bool) -> None:
        self.out_dir = out_dir
        self.enabled = enabled
        self.sink: SqliteSink | None = None
        self.streamed = 0
        self.problem: str | None = None
        """Why streaming stopped early (the export at the end redoes what it missed)."""

    def __enter__(self) -> Streamer:
        return self

    def add(self, group: list[tuple[Entry, Rows | None]]) -> None:
        if not self.enabled:
            return
        try:
            if self.sink is None:
                self.sink = SqliteSink(self.out_dir).__enter__()
            for e, rows in group:
                if e.status != "ok" or e.record is None:
                    continue
                try:
                    doc = Doc(self.out_dir, e)
                    doc.packed = rows
                    self.streamed += self.sink.stream(doc)
                except (ValueError, ArithmeticError, TypeError, KeyError, sqlite3.DataError):
                    continue  # the export at the end leaves it out, with the reason
            self.sink.commit()
        except (sqlite3.Error, OSError) as exc:
            self.problem = f"{type(exc).__name__}: {exc}"
            self.enabled = False
            self._close(failed=True)

    def _close(self, failed: bool) -> None:
        sink, self.sink = self.sink, None
        if sink is not None:
            try:
                sink.__exit__(RuntimeError if failed else None, None, None)
            except sqlite3.Error as exc:
                self.problem = self.problem or f"{type(exc).__name__}: {exc}"

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None) -> None:
        self._close(failed=et is not None)
