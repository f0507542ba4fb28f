"""JSON Lines: every record of the output set, one per line, as the record files hold them."""

from __future__ import annotations

from pathlib import Path

from ..export import atomic_open
from .sink import Doc, FileSink

FILENAME = "disclosures.jsonl"


class JsonlSink(FileSink):
    def __init__(self, out_dir: Path) -> None:
        super().__init__()
        self.path = out_dir / FILENAME

    def open(self) -> None:
        self.fh = self.stack.enter_context(atomic_open(self.path))

    def add(self, doc: Doc) -> None:
        text = doc.text
        self.fh.write(text if text.endswith("\n") else text + "\n")
