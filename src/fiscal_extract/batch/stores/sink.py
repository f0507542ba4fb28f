"""What every store is given (one record of the output set at a time) and how file stores write."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol

import simplejson

from ... import jsonio
from ..manifest import Entry
from .tidy import Row, Source, doc_id, tidy


class Doc:
    """One record of the output set, read from its file only when a store asks for it."""

    def __init__(self, out_dir: Path, entry: Entry, raw: bytes | None = None) -> None:
        """``raw``: the record file's bytes, when the caller has them (the worker that wrote it)."""
        if entry.record is None or entry.sha256 is None or entry.record_sha256 is None:
            raise ValueError(f"{entry.path} has no record")
        self.entry = entry
        self.doc_id = doc_id(entry.sha256)
        self.file = out_dir / entry.record
        self.source = Source(entry.path, entry.record, entry.record_sha256)

        self._tidy: dict[Callable[[Any], Any], dict[str, list[Row]]] = {}
        self.packed: dict[str, list[Row]] | None = None
        """The SQLite store's rows (:mod:`.packed`), when the worker that made the record packed them."""
        if raw is not None:
            self.__dict__["raw"] = raw  # the cached property, filled

    @cached_property
    def raw(self) -> bytes:
        """The record file's bytes (UTF-8 JSON)."""
        return self.file.read_bytes()

    @cached_property
    def data(self) -> dict[str, Any]:
        """The record, parsed once (with exact decimals) whatever the number of stores."""
        try:
            data: dict[str, Any] = jsonio.loads(self.raw)
        except ValueError:  # a number beyond the fast parser's range: read exactly, slowly
            data = simplejson.loads(self.raw, use_decimal=True, parse_int=_integer)
        return data

    def tidy(self, real: Callable[[Any], Any]) -> dict[str, list[Row]]:
        """The tidy rows of this record, ``real`` applied to the figures (see :func:`.tidy.tidy`)."""
        rows = self._tidy.get(real)
        if rows is None:
            rows = self._tidy[real] = tidy(self.data, self.source, real)
        return rows

    def given(self, rows: dict[Callable[[Any], Any], dict[str, list[Row]]]) -> Doc:
        """This record with tidy rows :func:`prepare` made (in another process)."""
        self._tidy.update(rows)
        return self


def _integer(text: str) -> int | Decimal:
    """An integer of the record; one too long to be a count (a figure of thousands of digits,
    beyond Python's ``int`` conversion limit) stays an exact ``Decimal``."""
    return int(text) if len(text) <= 18 else Decimal(text)


def prepare(out_dir: Path, entry: Entry, reals: tuple[Callable[[Any], Any], ...]) -> dict[Any, dict[str, list[Row]]]:
    """The tidy rows of one record for each figure conversion of ``reals`` (module-level, so a
    worker process can run it: reading and parsing the record is most of an export's work)."""
    doc = Doc(out_dir, entry)
    return {real: doc.tidy(real) for real in reals}


class Sink(Protocol):
    """A store being written: used as a context manager; leaving it by an exception keeps the old
    store (file stores) or the documents committed so far (SQLite)."""

    real: Callable[[Any], Any] | None
    """What the store's figures are made of (``doc.tidy(real)``), ``None`` when it takes no tidy rows."""

    def __enter__(self) -> Sink: ...

    def __exit__(
        self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None
    ) -> None: ...

    def wants(self, doc: Doc) -> bool:
        """False when the store already holds this very record."""
        ...

    def add(self, doc: Doc) -> None: ...

    def finish(self, manifest: Path) -> None:
        """Every record has been added; ``manifest`` is the database of the output set."""
        ...


class FileSink:
    """Files written whole: each appears (replacing the old one) only when every record is in."""

    real: Callable[[Any], Any] | None = None

    def __init__(self) -> None:
        self.stack = ExitStack()

    def open(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> FileSink:
        self.stack.__enter__()
        try:
            self.open()
        except BaseException:
            self.stack.close()
            raise
        return self

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None) -> None:
        self.stack.__exit__(et, ev, tb)

    def wants(self, doc: Doc) -> bool:
        return True

    def finish(self, manifest: Path) -> None:
        return None
