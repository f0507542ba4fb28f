"""The SQLite store's physical layout: a table's rows and cells, and a document's checks, packed
as JSON, with views that show them as the tidy tables (:mod:`.tidy`) column for column.

A document has about 400 rows, 1,800 cells and 600 checks: inserted one SQLite row each they cost
more than a third of converting it.  Packed, a document is a few dozen rows -- its ``documents``
row, one ``packed_tables`` row per table (``body``: its rows, each with its cells), one
``packed_checks`` row (``body``: its checks, as the record's own JSON holds them) and its repairs
-- and the views ``tables``, ``rows``, ``cells`` and ``checks`` unpack them with SQLite's JSON
functions when queried (``row_no`` and ``check_no`` are positions in the arrays, as in the
record's ``refs``).

The worker that converts a document packs it from the record it holds and the JSON it just wrote
(:func:`pack_record`: nothing parsed back); a record read from its file is cut into tidy rows and
packed from those (:func:`pack_tidy`).  Both give the same packed rows (a test holds them
together).  A cell's figure is a JSON number written as Python writes a ``float`` (the shortest
text that reads back as the same double) beside its printed digits, so the views give the double
nearest the printed digits, as the columns did; an infinite one (a figure of thousands of digits)
is written as an integer too large for a double, which SQLite reads as infinity.  A check's
figures are the record's own JSON numbers (its printed digits), read by SQLite the same way.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from ...models import SUMMARY_FIELDS, THREE_PUBLIC_FIELDS, Disclosure
from .tidy import DOC_ID, DOCUMENTS, REPAIRS, TABLES, Column, Row, Source, TableDef, code_parts, doc_id

Packed = dict[str, list[Row]]
"""A document's rows for each physical table (``documents``, ``packed_tables``, ``packed_checks``,
``repairs``)."""

_BODY = Column("body", "text", required=True)
PACKED_TABLES = TableDef("packed_tables", (*TABLES.columns, _BODY), key=TABLES.key, indexes=(("kind",),))
"""The ``tables`` view's columns, and the table's rows and cells as JSON."""
PACKED_CHECKS = TableDef(
    "packed_checks",
    (DOC_ID, _BODY),
    key=("doc_id",),
)
PHYSICAL: tuple[TableDef, ...] = (DOCUMENTS, PACKED_TABLES, PACKED_CHECKS, REPAIRS)
"""The SQLite store's tables, parents first."""

ROW_FIELDS = ("code", "class_code", "section_code", "item_code", "name", "side", "role", "level", "category",
              "origin", "line")  # fmt: skip
"""A packed row: these, then its cells (``[key, value, value_text, text, line]`` each)."""
CHECK_FIELDS = ("id", "status", "cause", "message", "expected", "actual", "tolerance", "refs")
_CHECK_REALS = frozenset({"expected", "actual", "tolerance"})
_CHECKS_FROM, _CHECKS_TO = b',"checks":[', b'],"repairs":['
"""Where a record's checks array starts and ends in its compact JSON (``repairs`` follows ``checks``;
inside a JSON string a quote is always escaped, so neither can match there)."""


def _view(name: str, columns: list[str], values: list[str], source: str) -> str:
    items = [v if v == c or v.endswith(f".{c}") else f"{v} AS {c}" for c, v in zip(columns, values, strict=True)]
    return f"CREATE VIEW {name} AS SELECT\n  " + ",\n  ".join(items) + f"\nFROM {source};"


def _at(alias: str, fields: tuple[str, ...], reals: frozenset[str] = frozenset()) -> list[str]:
    at = [f"{alias}.value ->> {i}" for i in range(len(fields))]
    return [f"CAST({a} AS REAL)" if f in reals else a for a, f in zip(at, fields, strict=True)]


def views() -> list[str]:
    """The statements creating the tidy views (``tables``, ``rows``, ``cells``, ``checks``)."""
    tables = [c.name for c in PACKED_TABLES.columns if c.name != "body"]
    cells = ("key", "value", "value_text", "text", "line")
    where = ["doc_id", "table_no", "row_no"]
    return [
        _view("tables", tables, tables, "packed_tables"),
        _view("rows", [*where, *ROW_FIELDS], ["t.doc_id", "t.table_no", "r.key", *_at("r", ROW_FIELDS)],
              "packed_tables t, json_each(t.body) r"),
        _view("cells", [*where, *cells], ["t.doc_id", "t.table_no", "r.key", *_at("c", cells, frozenset({"value"}))],
              f"packed_tables t, json_each(t.body) r, json_each(r.value, '$[{len(ROW_FIELDS)}]') c"),
        _view("checks", ["doc_id", "check_no", *CHECK_FIELDS], ["k.doc_id", "c.key", *_checks()],
              "packed_checks k, json_each(k.body) c"),
    ]  # fmt: skip


def _checks() -> list[str]:
    """A check's columns from the record's own check object (``refs``: its list, joined by spaces)."""
    out = [f"CAST(c.value ->> '{f}' AS REAL)" if f in _CHECK_REALS else f"c.value ->> '{f}'" for f in CHECK_FIELDS]
    out[-1] = "coalesce((SELECT group_concat(f.value, ' ') FROM json_each(c.value, '$.refs') f), '')"
    return out


def checks_body(raw: bytes | None) -> str | None:
    """A record's checks as its compact JSON (``raw``) holds them, or ``None`` where it does not
    look so (a record written by hand: its checks are then written from the tidy rows)."""
    start = -1 if raw is None else raw.find(_CHECKS_FROM)
    end = -1 if raw is None or start < 0 else raw.find(_CHECKS_TO, start)
    if end < 0:
        return None
    return raw[start + len(_CHECKS_FROM) - 1 : end + 1].decode("utf-8")  # type: ignore[index]


_HUGE = 10**400
"""Written for an infinite figure: SQLite reads an integer beyond a double's range as infinity."""
_dumps: Callable[[Any], str] = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode


def _num(v: float | None) -> float | int | None:
    """A figure (already a ``float``) as the packed JSON takes it."""
    if v is None or math.isfinite(v):
        return v
    if math.isnan(v):
        return None  # as SQLite stores a NaN bound to a REAL column
    return _HUGE if v > 0 else -_HUGE


def _real(v: Decimal | int | None) -> float | int | None:
    if v is None:
        return None
    f = float(v)
    return f if f - f == 0 else _num(f)  # inf - inf and nan - nan are nan


def pack_tidy(tidy: dict[str, list[Row]], raw: bytes | None = None) -> Packed:
    """Pack the tidy rows of one record (:func:`.tidy.tidy` with ``float`` figures; ``raw``: the
    record's JSON, whose checks are stored as they are)."""
    cells = iter(tidy["cells"])
    cell = next(cells, None)
    bodies: dict[int, list[list[Any]]] = {}
    for r in tidy["rows"]:
        here: list[list[Any]] = []
        while cell is not None and cell[1] == r[1] and cell[2] == r[2]:
            here.append([cell[3], _num(cell[4]), cell[5], cell[6], cell[7]])
            cell = next(cells, None)
        bodies.setdefault(r[1], []).append([*r[3:], here])
    tables = [(*t, _dumps(bodies.get(t[1], []))) for t in tidy["tables"]]
    doc = tidy["documents"][0][0]
    checks = checks_body(raw)
    if checks is None:
        fields = ("id", "status", "cause", "message", "expected", "actual", "tolerance")
        checks = _dumps([{**dict(zip(fields, (*c[2:6], *(_num(x) for x in c[6:9])), strict=True)),
                          "refs": c[9].split(" ") if c[9] else []} for c in tidy["checks"]])  # fmt: skip
    return {"documents": tidy["documents"], "packed_tables": tables, "packed_checks": [(doc, checks)],
            "repairs": tidy["repairs"]}  # fmt: skip


def pack_record(record: Disclosure, where: Source, raw: bytes) -> Packed:
    """Pack a record from the model the converting worker holds and its JSON (``raw``): what
    :func:`pack_tidy` gives for the record read back, without reading it back."""
    sha = record.source.sha256
    doc = doc_id(sha)
    tables: list[Row] = []
    n_rows = 0
    for ti, t in enumerate(record.tables):
        body = []
        for r in t.rows:
            values, texts, spans = r.values, r.texts, r.cells
            cells: list[list[Any]] = []
            for key, v in values.items():
                span = spans.get(key)
                cells.append([key, _real(v), None if v is None else str(v), texts.get(key) if texts else None,
                              None if span is None else span.line])  # fmt: skip
            for key, text in texts.items():
                if key not in values:
                    span = spans.get(key)
                    cells.append([key, None, None, text, None if span is None else span.line])
            body.append([r.code, *code_parts(r.code), r.name, r.side, r.role, r.level, r.category, r.origin,
                         None if r.span is None else r.span.line, cells])  # fmt: skip
        n_rows += len(body)
        tables.append((doc, ti, t.kind, t.title, t.unit, t.empty, t.parts, len(body), t.origin,
                       None if t.span is None else t.span.line, _dumps(body)))  # fmt: skip
    status = {"pass": 0, "fail": 0, "skip": 0}
    causes = {"source": 0, "extraction": 0, "unknown": 0}
    for c in record.checks:
        status[c.status] += 1
        if c.status == "fail" and c.cause:
            causes[c.cause] += 1
    checks = checks_body(raw)
    if checks is None:
        raise ValueError("the record's checks are not where its JSON should hold them")
    repairs = [(doc, ri, rp.kind, rp.reason, rp.original, None if rp.value is None else float(rp.value), rp.ref,
                None if rp.span is None else rp.span.line) for ri, rp in enumerate(record.repairs)]  # fmt: skip
    meta, src, ext, summary = record.meta, record.source, record.extractor, record.summary
    three = summary.three_public
    figures = [getattr(summary, f) for f in SUMMARY_FIELDS] + [getattr(three, f) for f in THREE_PUBLIC_FIELDS]
    document = (
        doc, sha, where.path, where.record, where.record_sha256, meta.department, meta.fiscal_year,
        meta.kind, meta.unit, meta.region, src.chars, src.encoding,
        len(tables), n_rows, len(record.checks), status["pass"], status["fail"], status["skip"],
        causes["source"], causes["extraction"], causes["unknown"], len(repairs),
        len(record.notices), ext.get("version"), ext.get("catalog"), ext.get("backend"),
        *(None if v is None else float(v) for v in figures),
    )  # fmt: skip
    return {"documents": [document], "packed_tables": tables, "packed_checks": [(doc, checks)], "repairs": repairs}
