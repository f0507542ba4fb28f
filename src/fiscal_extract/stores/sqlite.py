"""SQLite, the embedded default database: the tidy tables with keys and indexes, kept in step
with the output set.

A document is keyed by the SHA-256 of its source file.  Writing is an upsert: a document whose
record changed is deleted (its tables, rows, cells, checks and repairs with it) and inserted
again; one whose record is the same is left alone; one no longer in the output set is deleted.
So a rerun never duplicates anything and an unchanged archive costs nothing.  Documents are
committed in groups, each group whole: a run killed while exporting leaves a consistent
database that the next run completes.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from types import TracebackType

from .sink import Doc
from .tidy import SCHEMA, TableDef, converter

FILENAME = "disclosures.sqlite"
SCHEMA_VERSION = 1
"""``PRAGMA user_version`` of a database in the current schema; another value rebuilds it."""
COMMIT_EVERY = 50
BUSY_SECONDS = 30.0
"""How long to wait for another connection (an analyst's) to release the database."""

_SQL_TYPES = {"text": "TEXT", "int": "INTEGER", "real": "REAL", "bool": "INTEGER"}


def _table_sql(t: TableDef) -> str:
    cols = [
        f"  {c.name} {_SQL_TYPES[c.kind]}{' NOT NULL' if c.required else ''}{' UNIQUE' if c.unique else ''}"
        for c in t.columns
    ]
    if t.key == ("doc_id",):
        cols[0] = "  doc_id INTEGER PRIMARY KEY"
    else:
        cols.append(f"  PRIMARY KEY ({', '.join(t.key)})")
        cols.append("  FOREIGN KEY (doc_id) REFERENCES documents(doc_id) ON DELETE CASCADE")
    rowid = "" if t.key == ("doc_id",) else " WITHOUT ROWID"
    return f"CREATE TABLE {t.name} (\n" + ",\n".join(cols) + f"\n){rowid};"


def statements() -> list[str]:
    """The statements that create the schema (tables, parents first, then their indexes)."""
    out = []
    for t in SCHEMA:
        out.append(_table_sql(t))
        out.extend(f"CREATE INDEX {t.name}_{'_'.join(ix)} ON {t.name} ({', '.join(ix)});" for ix in t.indexes)
    return out


def schema_sql() -> str:
    """The database schema, as the README shows it."""
    return "\n".join(statements()) + "\n"


def connect(path: Path) -> sqlite3.Connection:
    """Open (creating, or rebuilding when its schema is another version) the database at ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path, isolation_level=None, timeout=BUSY_SECONDS)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    con.execute("PRAGMA foreign_keys=ON")
    (version,) = con.execute("PRAGMA user_version").fetchone()
    if version != SCHEMA_VERSION:
        con.execute("BEGIN")
        for t in reversed(SCHEMA):
            con.execute(f"DROP TABLE IF EXISTS {t.name}")
        for stmt in statements():
            con.execute(stmt)
        con.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        con.execute("COMMIT")
    return con


class SqliteSink:
    def __init__(self, out_dir: Path) -> None:
        self.path = out_dir / FILENAME
        self.conv = {t.name: converter(t, {"real": float}) for t in SCHEMA}
        self.insert = {
            t.name: f"INSERT INTO {t.name} ({', '.join(t.names)}) VALUES ({', '.join('?' * len(t.columns))})"
            for t in SCHEMA
        }
        self.pending = 0
        self.written = 0

    def __enter__(self) -> SqliteSink:
        self.con = connect(self.path)
        self.have = dict(self.con.execute("SELECT doc_id, record_sha256 FROM documents").fetchall())
        self.con.execute("BEGIN")
        return self

    def wants(self, doc: Doc) -> bool:
        return self.have.get(doc.doc_id) != doc.source.record_sha256

    def add(self, doc: Doc) -> None:
        con = self.con
        con.execute("DELETE FROM documents WHERE doc_id = ?", (doc.doc_id,))
        for t in SCHEMA:
            con.executemany(self.insert[t.name], self.conv[t.name](doc.tables[t.name]))
        self.have[doc.doc_id] = doc.source.record_sha256
        self.written += 1
        self.pending += 1
        if self.pending >= COMMIT_EVERY:
            con.execute("COMMIT")
            con.execute("BEGIN")
            self.pending = 0

    def finish(self, keep: set[int]) -> None:
        gone = [(d,) for d in self.have if d not in keep]
        self.con.executemany("DELETE FROM documents WHERE doc_id = ?", gone)
        self.deleted = len(gone)

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None) -> None:
        try:
            self.con.execute("COMMIT" if et is None else "ROLLBACK")
        finally:
            self.con.close()
