"""The stores written straight from an output set: a SQLite bulk load builds its indexes at the
end, and one interrupted midway is completed -- indexes included -- by the next export."""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
import threading
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from bench.synth import make_archive

from fiscal_extract.batch.engine import BatchOptions, run_batch
from fiscal_extract.batch.manifest import MANIFEST, Manifest
from fiscal_extract.batch.stores import export
from fiscal_extract.batch.stores import sqlite as store


@pytest.fixture(scope="module")
def output_set(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("stores")
    make_archive(base / "arch", 4, seed=5, bad=0, samples=3)
    run_batch(base / "arch", base / "out", BatchOptions(jobs=1, exports=()))
    return base / "out"


def _manifest(out: Path) -> Manifest:
    """The output set of ``out`` (its manifest, open for the export)."""
    return Manifest.open(out)


def _dump(db: Path) -> dict[str, Any]:
    with sqlite3.connect(db) as con:
        snap: dict[str, Any] = {
            "schema": sorted(con.execute("SELECT type, name, sql FROM sqlite_master").fetchall()),
            "version": con.execute("PRAGMA user_version").fetchone(),
        }
        for (t,) in con.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')").fetchall():
            snap[t] = sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=repr)
    return snap


def _fresh_schema(path: Path) -> list[Any]:
    store.connect(path).close()
    with sqlite3.connect(path) as con:
        return sorted(con.execute("SELECT type, name, sql FROM sqlite_master").fetchall())


def test_bulk_load_ends_with_the_whole_schema(output_set: Path, tmp_path: Path) -> None:
    out = _copy(output_set, tmp_path / "out")
    report = export(out, _manifest(out), ["sqlite"])
    assert report.written == {"sqlite": 4}
    snap = _dump(out / store.FILENAME)
    assert snap["schema"] == _fresh_schema(tmp_path / "empty.sqlite")
    assert any(kind == "index" and name == "packed_tables_kind" for kind, name, _ in snap["schema"])
    assert len(snap["documents"]) == 4 and len(snap["cells"]) > 100


def test_interrupted_bulk_load_is_completed_with_its_indexes(
    output_set: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reference = _dump(_export_copy(output_set, tmp_path / "whole"))

    out = _copy(output_set, tmp_path / "cut")
    entries = _manifest(out)
    monkeypatch.setattr(store, "COMMIT_EVERY", 1)
    stop = threading.Event()
    report = export(out, entries, ["sqlite"], stop=stop, progress=lambda done, total: done == 2 and stop.set())
    assert report.interrupted and report.written == {"sqlite": 2}
    cut = _dump(out / store.FILENAME)
    assert len(cut["documents"]) == 2  # the documents committed so far stay, without the indexes
    assert not [name for kind, name, _ in cut["schema"] if kind == "index" and not name.startswith("sqlite_")]

    report = export(out, entries, ["sqlite"])
    assert report.written == {"sqlite": 2} and not report.interrupted
    assert _dump(out / store.FILENAME) == reference
    assert export(out, entries, ["sqlite"]).written == {"sqlite": 0}
    assert _dump(out / store.FILENAME) == reference


def _copy(src: Path, dest: Path) -> Path:
    """The records and the manifest of an output set, without its stores."""
    shutil.copytree(src / "records", dest / "records")
    shutil.copy(src / MANIFEST, dest / MANIFEST)
    return dest


def _export_copy(src: Path, dest: Path) -> Path:
    out = _copy(src, dest)
    export(out, _manifest(out), ["sqlite"])
    return dest / store.FILENAME


def test_parquet_and_sqlite_hold_the_same_figures(output_set: Path, tmp_path: Path) -> None:
    """Every figure is the double nearest the printed digits in both stores (analysts join them)."""
    import pyarrow.parquet as pq

    out = tmp_path / "out"
    shutil.copytree(output_set, out)
    export(out, _manifest(out), ("parquet", "sqlite"), threading.Event())
    cells = pq.read_table(out / "parquet" / "cells.parquet").to_pylist()
    figures = [c for c in cells if c["value_text"] is not None]
    assert len(figures) > 1000
    assert all(c["value"] == float(Decimal(c["value_text"])) for c in figures)
    with sqlite3.connect(out / "disclosures.sqlite") as con:
        stored = dict(
            ((d, t, r, k), v) for d, t, r, k, v in con.execute("SELECT doc_id, table_no, row_no, key, value FROM cells")
        )
    assert all(stored[(c["doc_id"], c["table_no"], c["row_no"], c["key"])] == c["value"] for c in figures)
    checks = pq.read_table(out / "parquet" / "checks.parquet").to_pylist()
    with sqlite3.connect(out / "disclosures.sqlite") as con:
        query = "SELECT doc_id, check_no, expected, actual FROM checks"
        sql_checks = {(d, n): (e, a) for d, n, e, a in con.execute(query)}
    assert all(sql_checks[(c["doc_id"], c["check_no"])] == (c["expected"], c["actual"]) for c in checks)


def test_records_prepared_by_worker_processes_give_the_same_stores(output_set: Path, tmp_path: Path) -> None:
    from concurrent.futures import ProcessPoolExecutor

    formats = ("jsonl", "csv", "parquet", "sqlite")
    outs = []
    for name in ("inline", "pool"):
        out = tmp_path / name
        shutil.copytree(output_set, out)
        with ProcessPoolExecutor(2) if name == "pool" else contextlib.nullcontext() as pool:
            report = export(out, _manifest(out), formats, threading.Event(), None, pool)
        assert report.written == {f: report.documents for f in formats} and report.documents >= 4
        outs.append(out)
    inline, pooled = outs
    assert _dump(inline / "disclosures.sqlite") == _dump(pooled / "disclosures.sqlite")
    for f in sorted((inline / "csv").iterdir()):
        assert f.read_bytes() == (pooled / "csv" / f.name).read_bytes()
    assert (inline / "disclosures.jsonl").read_bytes() == (pooled / "disclosures.jsonl").read_bytes()
    import pyarrow.parquet as pq

    for f in sorted((inline / "parquet").iterdir()):
        assert pq.read_table(f).equals(pq.read_table(pooled / "parquet" / f.name))
