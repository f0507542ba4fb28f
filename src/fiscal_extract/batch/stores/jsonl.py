"""JSON Lines: every record of the output set, one per line, as the record files hold them."""

from __future__ import annotations

import os
from pathlib import Path

from ...atomic import atomic_path
from .sink import Doc, FileSink

FILENAME = "disclosures.jsonl"


class JsonlSink(FileSink):
    def __init__(self, out_dir: Path) -> None:
        super().__init__()
        self.path = out_dir / FILENAME

    def open(self) -> None:
        tmp = self.stack.enter_context(atomic_path(self.path))
        self.fh = self.stack.enter_context(tmp.open("wb"))
        self.stack.callback(self._sync)  # flushed to disk before the rename (the stack unwinds in reverse)

    def _sync(self) -> None:
        self.fh.flush()
        os.fsync(self.fh.fileno())

    def add(self, doc: Doc) -> None:
        raw = doc.raw  # the record's bytes as they are (records are UTF-8)
        self.fh.write(raw if raw.endswith(b"\n") else raw + b"\n")
