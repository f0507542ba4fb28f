"""Exports of a batch output set to data stores: JSON Lines, tidy CSV, Parquet and SQLite.

The records are read back one at a time from their files (parsed once, whatever the number of
stores), and the output set is read from the manifest's database as it goes, so memory stays flat
however large the archive.  File stores are rewritten whole, and only when the output set changed
since they were written; SQLite is updated in place, document by document (see :mod:`.sqlite`;
the batch streams documents into it as they are converted, and the export completes it).
Byte-identical sources (the same SHA-256) are one document, stood for by the first path; the
report counts the files.  A record a store cannot take (a figure too large to read back, say) is
left out with its reason in the report and never stops the export.

To add a store: a module here with a :class:`~.sink.Sink` (or ``FileSink``) subclass, its name in
``FORMATS`` and a branch in ``_make`` below.  May import ``batch.manifest``, the base modules and ``jsonio``.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...atomic import atomic_write
from ...errors import ExportError
from ..manifest import Entry, Manifest
from .sink import Doc, Sink, prepare
from .tidy import SCHEMA

FORMATS: tuple[str, ...] = ("jsonl", "csv", "parquet", "sqlite")
AHEAD = 4
"""Documents per CPU prepared ahead of the stores (keeps a pool of one worker per CPU busy)."""
STATE = "exports.json"
"""Which output set each file store was last written from (a fingerprint per format)."""


class Interrupted(Exception):
    """Raised inside the stores when a stop was asked for: file stores keep their old content."""


@dataclass
class ExportReport:
    formats: tuple[str, ...]
    documents: int = 0
    """Documents in the output set (after merging byte-identical sources)."""
    files: int = 0
    """Files of the archive with a record (byte-identical copies counted each)."""
    left_out: list[tuple[str, str]] = field(default_factory=list)
    """``(path, reason)`` of records no store could take (the stores hold the others)."""
    written: dict[str, int] = field(default_factory=dict)
    """Per format, documents written (0 for a store already up to date)."""
    seconds: float = 0.0
    interrupted: bool = False


def _make(fmt: str, out_dir: Path) -> Sink:
    if fmt == "jsonl":
        from .jsonl import JsonlSink

        return JsonlSink(out_dir)
    if fmt == "csv":
        from .csv_files import CsvSink

        return CsvSink(out_dir)
    if fmt == "parquet":
        from .parquet import ParquetSink

        return ParquetSink(out_dir)
    if fmt == "sqlite":
        from .sqlite import SqliteSink

        return SqliteSink(out_dir)
    raise ValueError(f"unknown export format {fmt!r} (choose from {', '.join(FORMATS)})")


def fingerprint(docs: Iterable[Entry]) -> str:
    """Identifies an output set (paths and record contents) and the tidy schema it is cut into."""
    h = hashlib.sha256()
    h.update(repr([(t.name, t.names) for t in SCHEMA]).encode())
    for e in docs:
        h.update(f"{e.path}\t{e.record_sha256}\n".encode())
    return h.hexdigest()


def export(
    out_dir: Path,
    manifest: Manifest,
    formats: Sequence[str],
    stop: threading.Event | None = None,
    progress: Callable[[int, int], None] | None = None,
    pool: Executor | None = None,
) -> ExportReport:
    """Write the output set of ``manifest`` (its records, by path) to each store of ``formats``.

    ``progress(done, total)`` is called as documents are written.  When ``stop`` is set the
    export ends early: file stores keep their previous content, SQLite keeps what it committed.
    With ``pool`` (worker processes) the records are read, parsed and cut into tidy rows there,
    a few documents ahead, while this process writes the stores in order.
    Raises :class:`ExportError` when a store cannot be written (the records are not affected).
    """
    t0 = time.perf_counter()
    formats = tuple(dict.fromkeys(formats))
    for fmt in formats:
        if fmt not in FORMATS:
            raise ValueError(f"unknown export format {fmt!r} (choose from {', '.join(FORMATS)})")
    files, documents = manifest.copies()
    report = ExportReport(formats, documents=documents, files=files)
    state_path = out_dir / STATE
    state: dict[str, str] = json.loads(state_path.read_text(encoding="utf-8")) if state_path.exists() else {}
    whole = [f for f in formats if f != "sqlite"]
    fp = fingerprint(manifest.documents()) if whole else ""
    todo = [f for f in formats if f == "sqlite" or state.get(f) != fp or not _present(out_dir, f)]
    report.written = {f: 0 for f in formats}
    if todo:
        try:
            with ExitStack() as stack:
                sinks = {f: stack.enter_context(_make(f, out_dir)) for f in todo}
                docs = manifest.documents() if set(todo) != {"sqlite"} else _missing(sinks["sqlite"], manifest)
                for i, (doc, wanted) in enumerate(_prepared(out_dir, docs, sinks, pool)):
                    if stop is not None and stop.is_set():
                        raise Interrupted
                    try:
                        for real in dict.fromkeys(r for f in wanted if (r := sinks[f].real) is not None):
                            doc.tidy(real)  # a record that cannot be read is left out of every store
                        for f in wanted:
                            sinks[f].add(doc)
                            report.written[f] += 1
                    except (ValueError, ArithmeticError, TypeError, KeyError, sqlite3.DataError) as exc:
                        if "sqlite" in sinks:  # no store keeps an older version of it
                            sinks["sqlite"].drop(doc.doc_id)  # type: ignore[attr-defined]
                        report.left_out.append((doc.entry.path, f"{type(exc).__name__}: {exc}"))
                    if progress is not None:
                        progress(i + 1, documents)
                for sink in sinks.values():
                    sink.finish(manifest.path)
        except Interrupted:
            report.interrupted = True
        except (sqlite3.Error, OSError) as exc:
            raise ExportError(f"cannot write the exports ({', '.join(todo)}) to {out_dir}: {exc}") from exc
        else:
            new = {**state, **{f: fp for f in todo if f != "sqlite"}}
            if new != state or not state_path.exists():
                atomic_write(state_path, json.dumps(new, indent=2, sort_keys=True) + "\n")
    report.seconds = time.perf_counter() - t0
    return report


def _missing(sink: Sink, manifest: Manifest) -> Iterator[Entry]:
    """The documents of the output set the SQLite store does not hold as they are."""
    for e in manifest.documents():
        if sink.wants(Doc(manifest.out_dir, e)):
            yield e


def _prepared(
    out_dir: Path, docs: Iterable[Entry], sinks: dict[str, Sink], pool: Executor | None
) -> Iterator[tuple[Doc, list[str]]]:
    """Each document with the stores that want it, in order; with ``pool`` its tidy rows are made
    there, at most :data:`AHEAD` documents per CPU ahead of the stores (memory stays flat)."""
    waiting: deque[tuple[Doc, list[str], Future[dict[Any, Any]] | None]] = deque()
    ahead = AHEAD * (os.cpu_count() or 1)
    try:
        for e in docs:
            doc = Doc(out_dir, e)
            wanted = [f for f, sink in sinks.items() if sink.wants(doc)]
            reals = tuple(dict.fromkeys(r for f in wanted if (r := sinks[f].real) is not None))
            waiting.append((doc, wanted, pool.submit(prepare, out_dir, e, reals) if pool and reals else None))
            if len(waiting) >= ahead:
                yield _ready(waiting.popleft())
        while waiting:
            yield _ready(waiting.popleft())
    finally:
        for *_, fut in waiting:
            if fut is not None:
                fut.cancel()


def _ready(item: tuple[Doc, list[str], Future[dict[Any, Any]] | None]) -> tuple[Doc, list[str]]:
    """The document with its tidy rows; a record the worker could not cut is cut again here, where
    the export leaves it out with the reason."""
    doc, wanted, fut = item
    wanted = sorted(wanted, key=lambda f: f != "sqlite")  # the store that can refuse a document goes first
    if fut is None or fut.exception() is not None:
        return doc, wanted
    return doc.given(fut.result()), wanted


def _present(out_dir: Path, fmt: str) -> bool:
    if fmt == "jsonl":
        from .jsonl import FILENAME

        return (out_dir / FILENAME).exists()
    sub = out_dir / fmt
    return all((sub / f"{t.name}.{fmt}").exists() for t in SCHEMA)
