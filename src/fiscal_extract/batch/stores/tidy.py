"""Records as tidy tables: one definition of the columns serves CSV, Parquet and SQLite.

Every table is keyed by ``doc_id`` and the position of the item in the record (``table_no``,
``row_no``, ``check_no``, ``repair_no``, all 0-based, as in the record's ``refs`` such as
``tables[2].rows[0].values.total``).  ``doc_id`` is the first 60 bits of the source file's SHA-256
as an integer: the same in every store and every run, and a compact key for the millions of rows
and cells of an archive (``documents.source_sha256`` holds the whole hash).  Figures are numbers; ``cells``
also keeps each figure's digits as printed (``value_text``: ``0.00`` stays ``0.00``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from ...models import SUMMARY_FIELDS, THREE_PUBLIC_FIELDS

Kind = Literal["text", "int", "real", "bool"]
Row = tuple[Any, ...]


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    required: bool = False
    unique: bool = False


@dataclass(frozen=True)
class TableDef:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    indexes: tuple[tuple[str, ...], ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def _cols(spec: str, kind: Kind = "text") -> tuple[Column, ...]:
    return tuple(Column(n, kind) for n in spec.split())


DOC_ID = Column("doc_id", "int", required=True)
SUMMARY_COLUMNS = tuple(SUMMARY_FIELDS) + tuple(f"three_public_{f}" for f in THREE_PUBLIC_FIELDS)

DOCUMENTS = TableDef(
    "documents",
    (
        DOC_ID,
        Column("source_sha256", "text", required=True, unique=True),
        Column("path", "text", required=True),
        Column("record", "text", required=True),
        Column("record_sha256", "text", required=True),
        *_cols("department"),
        Column("fiscal_year", "int"),
        *_cols("kind unit region"),
        Column("chars", "int"),
        Column("encoding", "text"),
        *_cols("n_tables n_rows n_checks checks_pass checks_fail checks_skip", "int"),
        *_cols("fail_source fail_extraction fail_unknown n_repairs n_notices", "int"),
        *_cols("extractor_version catalog backend"),
        *(Column(n, "real") for n in SUMMARY_COLUMNS),
    ),
    key=("doc_id",),
    indexes=(("department", "fiscal_year"), ("path",)),
)
TABLES = TableDef(
    "tables",
    (
        DOC_ID,
        Column("table_no", "int", required=True),
        *_cols("kind title unit"),
        Column("empty", "bool"),
        *_cols("parts n_rows", "int"),
        Column("origin", "text"),
        Column("line", "int"),
    ),
    key=("doc_id", "table_no"),
    indexes=(("kind",),),
)
ROWS = TableDef(
    "rows",
    (
        DOC_ID,
        Column("table_no", "int", required=True),
        Column("row_no", "int", required=True),
        *_cols("code class_code section_code item_code name side role"),
        Column("level", "int"),
        *_cols("category origin"),
        Column("line", "int"),
    ),
    key=("doc_id", "table_no", "row_no"),
    indexes=(("code",),),
)
CELLS = TableDef(
    "cells",
    (
        DOC_ID,
        Column("table_no", "int", required=True),
        Column("row_no", "int", required=True),
        Column("key", "text", required=True),
        Column("value", "real"),
        Column("value_text", "text"),
        Column("text", "text"),
        Column("line", "int"),
    ),
    key=("doc_id", "table_no", "row_no", "key"),
    indexes=(("key",),),
)
CHECKS = TableDef(
    "checks",
    (
        DOC_ID,
        Column("check_no", "int", required=True),
        *_cols("id status cause message"),
        *_cols("expected actual tolerance", "real"),
        Column("refs", "text"),
    ),
    key=("doc_id", "check_no"),
    indexes=(("status", "cause"), ("id",)),
)
REPAIRS = TableDef(
    "repairs",
    (
        DOC_ID,
        Column("repair_no", "int", required=True),
        *_cols("kind reason original"),
        Column("value", "real"),
        Column("ref", "text"),
        Column("line", "int"),
    ),
    key=("doc_id", "repair_no"),
    indexes=(("kind",),),
)

SCHEMA: tuple[TableDef, ...] = (DOCUMENTS, TABLES, ROWS, CELLS, CHECKS, REPAIRS)
"""The tidy tables, parents first."""


@dataclass(frozen=True)
class Source:
    """Where a record lives in the output set (the rest comes from the record itself)."""

    path: str
    record: str
    record_sha256: str


def as_parsed(v: Any) -> Any:
    """Figures as the record was parsed: exact ``Decimal`` (or ``int``)."""
    return v


def tidy(data: dict[str, Any], where: Source, real: Callable[[Any], Any] = as_parsed) -> dict[str, list[Row]]:
    """The rows of every tidy table for one record (as parsed with exact decimals).

    ``real`` is applied to the non-null values of the ``real`` columns (``float`` for SQLite; by
    default they stay as parsed), so a store needs no second pass over the rows.
    """
    sha = data["source"]["sha256"]
    doc = doc_id(sha)
    tables: list[Row] = []
    rows: list[Row] = []
    cells: list[Row] = []
    checks: list[Row] = []
    repairs: list[Row] = []
    n_rows = 0
    for ti, t in enumerate(data.get("tables", [])):
        trows = t.get("rows", [])
        n_rows += len(trows)
        tables.append(
            (doc, ti, t["kind"], t.get("title"), t.get("unit"), t.get("empty"), t.get("parts"), len(trows),
             t.get("origin"), _line(t.get("span")))
        )
        for ri, r in enumerate(trows):
            rows.append(
                (doc, ti, ri, r.get("code"), *code_parts(r.get("code")), r.get("name"), r.get("side"), r.get("role"),
                 r.get("level"), r.get("category"), r.get("origin"), _line(r.get("span")))
            )
            values: dict[str, Any] = r.get("values", {})
            texts: dict[str, str] = r.get("texts", {})
            spans: dict[str, Any] = r.get("cells", {})
            for key, v in values.items():
                span = spans.get(key)
                cells.append(
                    (doc, ti, ri, key, None if v is None else real(v), None if v is None else str(v),
                     texts.get(key) if texts else None, None if span is None else span.get("line"))
                )
            for key, text in texts.items():
                if key not in values:
                    span = spans.get(key)
                    cells.append((doc, ti, ri, key, None, None, text, None if span is None else span.get("line")))
    status: dict[str, int] = {"pass": 0, "fail": 0, "skip": 0}
    causes: dict[str, int] = {"source": 0, "extraction": 0, "unknown": 0}
    for ci, c in enumerate(data.get("checks", [])):
        st = c["status"]
        status[st] = status.get(st, 0) + 1
        cause = c.get("cause")
        if st == "fail" and cause:
            causes[cause] = causes.get(cause, 0) + 1
        expected, actual, tolerance = c.get("expected"), c.get("actual"), c.get("tolerance")
        checks.append(
            (doc, ci, c["id"], st, cause, c.get("message"), None if expected is None else real(expected),
             None if actual is None else real(actual), None if tolerance is None else real(tolerance),
             " ".join(c.get("refs", [])))
        )
    for ri, rp in enumerate(data.get("repairs", [])):
        value = rp.get("value")
        repairs.append(
            (doc, ri, rp.get("kind"), rp.get("reason"), rp.get("original"), None if value is None else real(value),
             rp.get("ref"), _line(rp.get("span")))
        )
    meta = data.get("meta", {})
    src = data["source"]
    ext = data.get("extractor", {})
    summary = data.get("summary", {})
    three = summary.get("three_public", {}) or {}
    figures = [summary.get(f) for f in SUMMARY_FIELDS] + [three.get(f) for f in THREE_PUBLIC_FIELDS]
    document = (
        doc, sha, where.path, where.record, where.record_sha256, meta.get("department"), meta.get("fiscal_year"),
        meta.get("kind"), meta.get("unit"), meta.get("region"), src.get("chars"), src.get("encoding"),
        len(tables), n_rows, len(checks), status["pass"], status["fail"], status["skip"],
        causes["source"], causes["extraction"], causes["unknown"], len(repairs),
        len(data.get("notices", [])), ext.get("version"), ext.get("catalog"), ext.get("backend"),
        *(None if v is None else real(v) for v in figures),
    )
    return {"documents": [document], "tables": tables, "rows": rows, "cells": cells, "checks": checks,
            "repairs": repairs}


def code_parts(code: str | None) -> tuple[str | None, str | None, str | None]:
    """A classification code's 类 / 款 / 项 (3, 5 and 7 digits: ``2010501`` -> ``201``, ``20105``,
    ``2010501``), so a query can group by class whether a document prints its 类 rows or only its
    7-digit 项 rows; ``None`` for the parts a code does not have and for other codes."""
    if not code or not code.isdecimal() or len(code) not in (3, 5, 7):
        return None, None, None
    return code[:3], code[:5] if len(code) >= 5 else None, code if len(code) == 7 else None


def doc_id(sha256: str) -> int:
    """The integer key of the document whose source has this SHA-256 (hex)."""
    return int(sha256[:15], 16)


def _line(span: dict[str, Any] | None) -> int | None:
    return None if span is None else span.get("line")


def converter(table: TableDef, to: dict[Kind, Callable[[Any], Any]]) -> Callable[[list[Row]], list[Any]]:
    """A function turning a table's tidy rows into what a store takes: ``to`` maps a column kind to
    the function applied to that kind's non-null values; other columns pass as they are."""
    idx = [(i, to[c.kind]) for i, c in enumerate(table.columns) if c.kind in to]
    if not idx:
        return lambda rows: rows

    def conv(rows: list[Row]) -> list[Any]:
        out = []
        for r in rows:
            x = list(r)
            for i, f in idx:
                if x[i] is not None:
                    x[i] = f(x[i])
            out.append(x)
        return out

    return conv
