"""SQLite, the embedded default database: the tidy tables with keys and indexes, kept in step
with the output set.

A document is keyed by the SHA-256 of its source file.  Writing is an upsert: a document whose
record changed is deleted (its tables, rows, cells, checks and repairs with it) and inserted
again; one whose record is the same is left alone; one no longer in the output set is deleted.
So a rerun never duplicates anything and an unchanged archive costs nothing.  Documents are
committed in groups, each group whole: a run killed while exporting leaves a consistent
database that the next run completes.  The batch streams documents in as they are converted
(:meth:`SqliteSink.stream`); the export at the end of the run then only adds what the stream
missed (a database that was busy, documents converted without the export) and settles which
file stands for byte-identical copies (the first path).  What the database holds is read from
it, document by document, never kept in memory.  Every file that held a document is in
``document_paths``.

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

from .packed import PHYSICAL, pack_tidy, views
from .sink import Doc
from .tidy import TableDef

FILENAME = "disclosures.sqlite"
SCHEMA_VERSION = 4
"""``PRAGMA user_version`` of a database in the current schema; another value rebuilds it."""
COMMIT_EVERY = 50
ROWS_PER_INSERT = 32
"""Rows bound to one ``INSERT`` statement (the rest of a table's rows go one by one)."""
PAGE_SIZE = 16384
"""Bytes a page of a new database: a packed table or a document's checks spans several pages, and
4 KiB pages (the default) make inserting them cost half as much again."""
BUSY_SECONDS = 30.0
"""How long to wait for another connection (an analyst's) to release the database."""

_SQL_TYPES = {"text": "TEXT", "int": "INTEGER", "real": "REAL", "bool": "INTEGER"}


def _table_sql(t: TableDef) -> str:
    cols = [
        f"  {c.name} {_SQL_TYPES[c.kind]}{' NOT NULL' if c.required else ''}{' UNIQUE' if c.unique else ''}"
        for c in t.columns
    ]
    if t.name == "documents":
        cols[0] = "  doc_id INTEGER PRIMARY KEY"
    else:
        cols.append(f"  PRIMARY KEY ({', '.join(t.key)})")
        cols.append("  FOREIGN KEY (doc_id) REFERENCES documents(doc_id) ON DELETE CASCADE")
    rowid = "" if t.name == "documents" else " WITHOUT ROWID"
    return f"CREATE TABLE {t.name} (\n" + ",\n".join(cols) + f"\n){rowid};"


def _indexes(t: TableDef) -> list[tuple[str, str]]:
    """The name and column list of each secondary index of ``t``."""
    return [(f"{t.name}_{'_'.join(ix)}", f"{t.name} ({', '.join(ix)})") for ix in t.indexes]


PATHS_SQL = (
    "CREATE TABLE document_paths (\n  doc_id INTEGER NOT NULL,\n  path TEXT NOT NULL,\n  PRIMARY KEY (path),\n"
    "  FOREIGN KEY (doc_id) REFERENCES documents(doc_id) ON DELETE CASCADE\n) WITHOUT ROWID;"
)
"""Every file of the archive that held a document (byte-identical copies are one document)."""
PATHS_INDEXES = [("document_paths_doc_id", "document_paths (doc_id)")]


def statements() -> list[str]:
    """The statements that create the schema (tables, parents first, then their indexes, then the
    tidy views of the packed tables)."""
    out = []
    for t in PHYSICAL:
        out.append(_table_sql(t))
        out.extend(f"CREATE INDEX {name} ON {on};" for name, on in _indexes(t))
    out.append(PATHS_SQL)
    out.extend(f"CREATE INDEX {name} ON {on};" for name, on in PATHS_INDEXES)
    return out + views()


def secondary_indexes() -> list[tuple[str, str]]:
    """Every secondary index (name, ``table (columns)``): dropped for a bulk load, built after it."""
    return [ix for t in PHYSICAL for ix in _indexes(t)] + PATHS_INDEXES


def schema_sql() -> str:
    """The database schema, as the README shows it."""
    return "\n".join(statements()) + "\n"


def connect(path: Path) -> sqlite3.Connection:
    """Open (creating, or rebuilding when its schema is another version) the database at ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path, isolation_level=None, timeout=BUSY_SECONDS, check_same_thread=False)
    con.execute(f"PRAGMA page_size={PAGE_SIZE}")  # a new database only (before anything is written)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    con.execute("PRAGMA foreign_keys=ON")
    (version,) = con.execute("PRAGMA user_version").fetchone()
    if version != SCHEMA_VERSION:
        con.execute("BEGIN")
        old = dict(con.execute("SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view')").fetchall())
        for name in OLD_TABLES:  # children first
            if name in old:
                con.execute(f"DROP {old[name].upper()} {name}")
        for stmt in statements():
            con.execute(stmt)
        con.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        con.execute("COMMIT")
    return con


OLD_TABLES = ("document_paths", "repairs", "checks", "cells", "rows", "tables", "packed_checks", "packed_tables",
              "documents")  # fmt: skip
"""Every table or view of this and earlier schema versions, children first (dropped on a rebuild)."""


def _insert_sql(t: TableDef, rows: int) -> str:
    """``INSERT`` of ``rows`` rows of ``t`` (parameters row after row)."""
    values = f"({', '.join('?' * len(t.columns))})"
    return f"INSERT INTO {t.name} ({', '.join(t.names)}) VALUES {', '.join([values] * rows)}"


class SqliteSink:
    real = float
    """Figures as SQLite REAL."""

    def __init__(self, out_dir: Path) -> None:
        self.path = out_dir / FILENAME
        self.insert = {t.name: _insert_sql(t, 1) for t in PHYSICAL}
        self.insert_many = {t.name: _insert_sql(t, ROWS_PER_INSERT) for t in PHYSICAL}
        self.pending = 0
        self.written = 0
        self.deleted = 0

    def __enter__(self) -> SqliteSink:
        self.con = connect(self.path)
        if self.con.execute("SELECT 1 FROM documents LIMIT 1").fetchone() is None:
            for name, _ in secondary_indexes():  # a bulk load: the indexes are built at the end (finish)
                self.con.execute(f"DROP INDEX IF EXISTS {name}")
        self.con.execute("BEGIN")
        return self

    def stored(self, doc_id: int) -> tuple[str, str] | None:
        """``(path, record_sha256)`` of the document the database holds under ``doc_id``."""
        row = self.con.execute("SELECT path, record_sha256 FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        return None if row is None else (row[0], row[1])

    def wants(self, doc: Doc) -> bool:
        held = self.stored(doc.doc_id)
        return held is None or held != (doc.entry.path, doc.source.record_sha256)

    def stream(self, doc: Doc) -> bool:
        """Add a document just converted unless a file of an earlier path already stands for it
        (the export settles copies at the end).  Returns whether it was added."""
        held = self.stored(doc.doc_id)
        if held is not None and (held[0] < doc.entry.path or held == (doc.entry.path, doc.source.record_sha256)):
            return False
        self.add(doc)
        return True

    def add(self, doc: Doc) -> None:
        """Write one document (its old rows replaced), whole or not at all: a record whose rows
        the database cannot take raises and leaves the database as it was."""
        con = self.con
        # before any write: a record that cannot be read changes nothing
        tables = doc.packed if doc.packed is not None else pack_tidy(doc.tidy(float), doc.raw)
        con.execute("SAVEPOINT doc")
        try:
            con.execute("DELETE FROM documents WHERE doc_id = ?", (doc.doc_id,))
            for t in PHYSICAL:
                rows = tables[t.name]
                n = ROWS_PER_INSERT
                whole = len(rows) - len(rows) % n
                if whole:  # most rows by statements of many rows: far fewer statement runs
                    chunks = (list(chain.from_iterable(rows[i : i + n])) for i in range(0, whole, n))
                    con.executemany(self.insert_many[t.name], chunks)
                con.executemany(self.insert[t.name], rows[whole:])
        except BaseException:
            con.execute("ROLLBACK TO doc")
            con.execute("RELEASE doc")
            raise
        con.execute("RELEASE doc")
        self.written += 1
        self.pending += 1
        if self.pending >= COMMIT_EVERY:
            self.commit()

    def drop(self, doc_id: int) -> None:
        """Delete a document (one whose record cannot be exported any more)."""
        self.con.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))

    def commit(self) -> None:
        self.con.execute("COMMIT")
        self.con.execute("BEGIN")
        self.pending = 0

    def finish(self, manifest: Path) -> None:
        """Every record is in: drop documents no longer in the output set of the ``manifest``
        database, list every path of each document, and build the indexes a bulk load left out."""
        con = self.con
        con.execute("COMMIT")
        con.execute("ATTACH DATABASE ? AS man", (str(manifest),))
        try:
            con.execute("BEGIN")
            cur = con.execute(
                "DELETE FROM documents WHERE doc_id NOT IN "
                "(SELECT doc_id FROM man.entries WHERE status = 'ok' AND doc_id IS NOT NULL)"
            )
            self.deleted = cur.rowcount
            select = "FROM man.entries m JOIN documents d ON d.doc_id = m.doc_id WHERE m.status = 'ok'"
            (listed,) = con.execute("SELECT count(*) FROM document_paths").fetchone()
            if self.written or self.deleted or listed != con.execute(f"SELECT count(*) {select}").fetchone()[0]:
                con.execute("DELETE FROM document_paths")
                con.execute(f"INSERT INTO document_paths (doc_id, path) SELECT m.doc_id, m.path {select}")
            con.execute("COMMIT")
        finally:
            con.execute("DETACH DATABASE man")
        for name, on in secondary_indexes():  # each committed on its own (the write-ahead log holds one at a time)
            con.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {on}")
        con.execute("BEGIN")

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None) -> None:
        try:
            self.con.execute("COMMIT" if et is None else "ROLLBACK")
        finally:
            self.con.close()
