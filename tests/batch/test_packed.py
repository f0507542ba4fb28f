"""The SQLite store's packed layout: what the converting worker packs from the record it holds is
what the export packs from the record read back, and the views show exactly the tidy rows."""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from fiscal_extract import jsonio
from fiscal_extract.batch.export import record_bytes
from fiscal_extract.batch.stores.packed import pack_record, pack_tidy
from fiscal_extract.batch.stores.sqlite import PHYSICAL, connect
from fiscal_extract.batch.stores.tidy import SCHEMA, Source, tidy
from fiscal_extract.models import Disclosure
from fiscal_extract.options import ExtractOptions
from fiscal_extract.pipeline import extract_source
from fiscal_extract.read.normalize import from_bytes

from ..conftest import ROOT

WHERE = Source("a/b.txt", "records/a/b.txt.json", "0" * 64)


@pytest.fixture(scope="module")
def records() -> list[Disclosure]:
    samples = sorted((ROOT / "eval" / "samples").glob("*.txt"))[:4]
    opts = ExtractOptions()
    return [extract_source(from_bytes(p.read_bytes(), p.name, opts.pdf()), opts) for p in samples]


def _read_back(record: Disclosure) -> dict[str, list[tuple[object, ...]]]:
    return tidy(jsonio.loads(record_bytes(record, "jsonl")), WHERE, float)


def test_the_worker_packs_what_the_export_packs(records: list[Disclosure]) -> None:
    for record in records:
        raw = record_bytes(record, "jsonl") + b"\n"
        assert pack_record(record, WHERE, raw) == pack_tidy(_read_back(record), raw)
        assert sum(len(t.rows) for t in record.tables) > 50 and len(record.checks) > 10  # something to pack


def _insert(db: Path, packed: dict[str, list[tuple[object, ...]]]) -> sqlite3.Connection:
    con = connect(db)
    con.execute("BEGIN")
    for t in PHYSICAL:
        marks = ", ".join("?" * len(t.columns))
        con.executemany(f"INSERT INTO {t.name} VALUES ({marks})", packed[t.name])
    con.execute("COMMIT")
    return con


@pytest.mark.parametrize("as_written", [True, False], ids=["checks-as-written", "checks-from-tidy-rows"])
def test_the_views_give_the_tidy_rows(records: list[Disclosure], tmp_path: Path, as_written: bool) -> None:
    """The checks are stored as the record's JSON holds them, or (a record edited by hand, its
    JSON laid out otherwise) written from the tidy rows: the views give the same either way."""
    rows = _read_back(records[0])
    raw = record_bytes(records[0], "jsonl") if as_written else None
    figures = [i for i, c in enumerate(rows["cells"]) if c[4] is not None]
    assert any(c[5].endswith(".00") for c in rows["cells"] if c[5] is not None)  # digits as printed
    # a figure beyond a double's range reads back as infinity, a NaN as NULL (as in a REAL column)
    big, nan = figures[0], figures[1]
    rows["cells"][big] = (*rows["cells"][big][:4], float("inf"), *rows["cells"][big][5:])
    rows["cells"][nan] = (*rows["cells"][nan][:4], float("nan"), *rows["cells"][nan][5:])
    con = _insert(tmp_path / "d.sqlite", pack_tidy(rows, raw))
    rows["cells"][nan] = (*rows["cells"][nan][:4], None, *rows["cells"][nan][5:])
    for t in SCHEMA:
        got = con.execute(f"SELECT * FROM {t.name}").fetchall()
        names = [d[0] for d in con.execute(f"SELECT * FROM {t.name} LIMIT 0").description]
        assert names == list(t.names)
        assert Counter(got) == Counter(rows[t.name]), t.name
        assert len(got) == len(rows[t.name]) > 0 or t.name == "repairs"
    # the figures are REAL whether or not the printed digits had a decimal point
    assert con.execute("SELECT DISTINCT typeof(value) FROM cells WHERE value IS NOT NULL").fetchall() == [("real",)]
    con.close()


def test_a_rebuilt_database_drops_the_old_tidy_tables(tmp_path: Path) -> None:
    db = tmp_path / "d.sqlite"
    with sqlite3.connect(db) as old:  # a database of schema version 3: cells etc. were tables
        old.execute("CREATE TABLE cells (doc_id INTEGER, key TEXT)")
        old.execute("CREATE TABLE rows (doc_id INTEGER)")
        old.execute("PRAGMA user_version=3")
    con = connect(db)
    kinds = dict(con.execute("SELECT name, type FROM sqlite_master WHERE name IN ('cells', 'rows')").fetchall())
    assert kinds == {"cells": "view", "rows": "view"}
    con.close()
