"""Tidy CSV: one file per tidy table (``csv/documents.csv``, ``tables``, ``rows``, ``cells``,
``checks``, ``repairs``), UTF-8, with a header line.  Figures are written with the digits the
document printed; empty cells are empty; booleans are ``true`` / ``false``."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from ...atomic import atomic_open
from .sink import Doc, FileSink
from .tidy import SCHEMA, converter

DIRNAME = "csv"


def _bool(v: bool) -> str:
    return "true" if v else "false"


class CsvSink(FileSink):
    real = str
    """Figures as the digits printed (``str`` of the exact decimal)."""

    def __init__(self, out_dir: Path) -> None:
        super().__init__()
        self.dir = out_dir / DIRNAME
        self.writers: dict[str, Any] = {}
        self.conv = {t.name: converter(t, {"bool": _bool}) for t in SCHEMA}

    def open(self) -> None:
        for t in SCHEMA:
            fh = self.stack.enter_context(atomic_open(self.dir / f"{t.name}.csv", newline=""))
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(t.names)
            self.writers[t.name] = w

    def add(self, doc: Doc) -> None:
        for name, rows in doc.tidy(str).items():
            self.writers[name].writerows(self.conv[name](rows))
