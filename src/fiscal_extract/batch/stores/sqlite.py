"""SQLite, the embedded default database: the tidy tables with keys and indexes, kept in step
with the output set.

A document is keyed by the SHA-256 of its source file.  Writing is an upsert: a document whose
record changed is deleted (its tables, rows, cells, checks and repairs with it) and inserted
again; one whose record is the same is left alone; one no longer in the output set is deleted.
So a rerun never duplicates anything and an unchanged archive costs nothing.  Documents are
committed in groups, each group whole: a run killed while exporting leaves a consistent
database that the next run completes.

A database that holds no document yet is bulk-loaded: its secondary indexes (not the keys) are
dropped and built once at the end of the export, by sorting, which costs far less than keeping them
up to date row by row.  A run killed during a bulk load leaves the documents committed so far
without those indexes; the next export (even one with nothing to write) builds them.
"""

from __future__ import annotations

import sqlite3
from itertools import chain
from pathlib import Path
from types import TracebackType

from .sink import Doc
from .tidy import SCHEMA, TableDef

FILENAME = "disclosures.sqlite"
SCHEMA_VERSION = 2
"""``PRAGMA user_version`` of a database in the current schema; another value rebuilds it."""
COMMIT_EVERY = 50
ROWS_PER_INSERT = 32
"""Rows bound to one ``INSERT`` statement (the rest of a table's rows go one by one)."""
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


def _indexes(t: TableDef) -> list[tuple[str, str]]:
    """The name and column list of each secondary index of ``t``."""
    return [(f"{t.name}_{'_'.join(ix)}", f"{t.name} ({', '.join(ix)})") for ix in t.indexes]


def statements() -> list[str]:
    """The statements that create the schema (tables, parents first, then their indexes)."""
    out = []
    for t in SCHEMA:
        out.append(_table_sql(t))
        out.extend(f"CREATE INDEX {name} ON {on};" for name, on in _indexes(t))
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


def _insert_sql(t: TableDef, rows: int) -> str:
    """``INSERT`` of ``rows`` rows of ``t`` (parameters row after row)."""
    values = f"({', '.join('?' * len(t.columns))})"
    return f"INSERT INTO {t.name} ({', '.join(t.names)}) VALUES {', '.join([values] * rows)}"


class SqliteSink:
    real = float
    """Figures as SQLite REAL."""

    def __init__(self, out_dir: Path) -> None:
        self.path = out_dir / FILENAME
        self.insert = {t.name: _insert_sql(t, 1) for t in SCHEMA}
        self.insert_many = {t.name: _insert_sql(t, ROWS_PER_INSERT) for t in SCHEMA}
        self.pending = 0
        self.written = 0

    def __enter__(self) -> SqliteSink:
        self.con = connect(self.path)
        self.have = dict(self.con.execute("SELECT doc_id, record_sha256 FROM documents").fetchall())
        self.con.execute("BEGIN")
        if not self.have:  # a bulk load: the indexes are built at the end (finish)
            for t in SCHEMA:
                for name, _ in _indexes(t):
                    self.con.execute(f"DROP INDEX IF EXISTS {name}")
        return self

    def wants(self, doc: Doc) -> bool:
        return self.have.get(doc.doc_id) != doc.source.record_sha256

    def add(self, doc: Doc) -> None:
        con = self.con
        if doc.doc_id in self.have:
            con.execute("DELETE FROM documents WHERE doc_id = ?", (doc.doc_id,))
        tables = doc.tidy(float)
        for t in SCHEMA:
            rows = tables[t.name]
            n = ROWS_PER_INSERT
            whole = len(rows) - len(rows) % n
            if whole:  # most rows by statements of many rows: far fewer statement runs
                chunks = (list(chain.from_iterable(rows[i : i + n])) for i in range(0, whole, n))
                con.executemany(self.insert_many[t.name], chunks)
            con.executemany(self.insert[t.name], rows[whole:])
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
        self.con.execute("COMMIT")  # every document is in; the indexes a bulk load left out follow,
        for t in SCHEMA:  # each committed on its own (the write-ahead log holds one at a time)
            for name, on in _indexes(t):
                self.con.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {on}")
        self.con.execute("BEGIN")

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None) -> None:
        try:
            self.con.execute("COMMIT" if et is None else "ROLLBACK")
        finally:
            self.con.close()
