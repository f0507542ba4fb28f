"""Parquet (pyarrow): one file per tidy table (``parquet/documents.parquet`` ...), written in row
groups as records stream by, so memory stays flat however large the archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ...atomic import atomic_path
from .sink import Doc, FileSink
from .tidy import SCHEMA, Kind, Row, TableDef

DIRNAME = "parquet"
ROW_GROUP = 65536


class ParquetSink(FileSink):
    real = float
    """Figures as the double nearest the printed digits, as SQLite stores them (pyarrow's own cast
    from a decimal is not always correctly rounded)."""

    def __init__(self, out_dir: Path) -> None:
        super().__init__()
        self.dir = out_dir / DIRNAME
        self.buffers: dict[str, list[Row]] = {t.name: [] for t in SCHEMA}
        self.writers: dict[str, Any] = {}
        self.tables = {t.name: t for t in SCHEMA}

    def open(self) -> None:
        import pyarrow.parquet as pq

        for t in SCHEMA:
            tmp = self.stack.enter_context(atomic_path(self.dir / f"{t.name}.parquet"))
            writer = pq.ParquetWriter(tmp, _schema(t), compression="zstd")
            self.stack.callback(writer.close)  # closed before the rename (the stack unwinds in reverse)
            self.writers[t.name] = writer

    def add(self, doc: Doc) -> None:
        for name, rows in doc.tidy(float).items():
            buf = self.buffers[name]
            buf.extend(rows)
            if len(buf) >= ROW_GROUP:
                self._flush(name)

    def finish(self, manifest: Path) -> None:
        for name in self.buffers:
            self._flush(name)

    def _flush(self, name: str) -> None:
        import pyarrow as pa

        buf = self.buffers[name]
        if not buf:
            return
        columns = list(zip(*buf, strict=True))
        schema = _schema(self.tables[name])
        arrays = [pa.array(col, type=schema.field(i).type) for i, col in enumerate(columns)]
        self.writers[name].write_table(pa.Table.from_arrays(arrays, schema=schema))
        buf.clear()


_TYPES: dict[Kind, str] = {"text": "string", "int": "int64", "real": "float64", "bool": "bool"}


def _schema(t: TableDef) -> Any:
    import pyarrow as pa

    return pa.schema([pa.field(c.name, pa.type_for_alias(_TYPES[c.kind]), nullable=not c.required) for c in t.columns])
