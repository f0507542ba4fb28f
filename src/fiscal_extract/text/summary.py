"""Summary figures read from the tables, by the rules in ``catalog/data/summary.toml``."""

from __future__ import annotations

import re
from decimal import Decimal

from ..catalog import Catalog
from ..models import THREE_PUBLIC_FIELDS, CellRef, Notice, Row, Span, Summary, Table, ThreePublic
from ..selectors import Selector, matches, select


def _convert(value: Decimal | None, table_unit: str | None, doc_unit: str | None) -> Decimal | None:
    if value is None or table_unit == doc_unit or table_unit is None or doc_unit is None:
        return value
    if table_unit == "元" and doc_unit == "万元":
        return value / Decimal(10000)
    if table_unit == "万元" and doc_unit == "元":
        return value * Decimal(10000)
    return value


def build_summary(
    tables: list[Table], cat: Catalog, doc_unit: str | None, notices: list[Notice] | None = None
) -> Summary:
    """The summary's figures from the tables, each by the first source that names a printed figure.

    A source whose table prints the row but could not place its figures (an ``unplaced_figures``
    notice on the row, in ``notices``) stops the search for that field: the next source is another
    table's figure -- the general budget's project total is not the department's -- so the field
    stays null and a notice says why."""
    s = Summary()
    unplaced = [n.span for n in notices or [] if n.code == "unplaced_figures" and n.span is not None]
    blocked: set[str] = set()
    for src in cat.summary_sources:
        field = src["field"]
        if getattr(s, field) is not None or field in blocked:
            continue
        sel = Selector.of(src)
        fig = select(tables, sel)
        if fig is None:
            where = _unplaced_row(tables, sel, unplaced)
            if where is not None and notices is not None:
                blocked.add(field)
                notices.append(Notice(code="summary_unplaced", span=where[1], message=(
                    f"summary {field}: {where[0]} prints the row, but its figures could not be placed; "
                    "left null rather than taken from another table")))
            continue
        setattr(s, field, _convert(fig.value, tables[fig.table].unit, doc_unit))
        s.refs[field] = CellRef(table=fig.table, row=fig.row, key=fig.key)
    tp = ThreePublic()
    for ti, t in enumerate(tables):
        if t.kind != "three_public" or not t.rows:
            continue
        by_rows = _items_as_rows(t, cat)
        if by_rows is not None:
            # the items printed as rows (行政经费 / “三公”经费 / 因公出国(境)支出 ... over 合计 | 一般公共预算 ...)
            for k, (ri, v) in by_rows.items():
                if k in THREE_PUBLIC_FIELDS:
                    setattr(tp, k, _convert(v, t.unit, doc_unit))
                    s.refs[f"three_public.{k}"] = CellRef(table=ti, row=ri, key="total")
                elif k == "operating_costs" and s.operating_costs is None:
                    s.operating_costs = _convert(v, t.unit, doc_unit)
                    s.refs[k] = CellRef(table=ti, row=ri, key="total")
            break
        for prefix in cat.three_public_prefixes:
            rows = [r for r in t.rows if any(r.values.get(prefix + k) is not None for k in THREE_PUBLIC_FIELDS)]
            if not rows:
                continue
            row = _latest_year(rows) or rows[0]
            ri = t.rows.index(row)
            for k in THREE_PUBLIC_FIELDS:
                v = row.values.get(prefix + k)
                if v is not None:
                    setattr(tp, k, _convert(v, t.unit, doc_unit))
                    s.refs[f"three_public.{k}"] = CellRef(table=ti, row=ri, key=prefix + k)
            break
        break
    s.three_public = tp
    return s


def _unplaced_row(tables: list[Table], sel: Selector, unplaced: list[Span]) -> tuple[str, Span] | None:
    """The title and row span of the first table of the selector's kind whose matching row prints
    the selector's column, leaves it null, and had figures left unplaced."""
    for t in tables:
        if t.kind != sel.kind:
            continue
        if not any(c.key == sel.key for c in t.columns):
            return None
        for r in t.rows:
            span = r.span
            if span is None or not matches(sel, r) or r.values.get(sel.key) is not None:
                continue
            if any(u.start < span.end and span.start < u.end for u in unplaced):
                return t.title, span
        return None
    return None


_YEAR = re.compile(r"((?:19|20)\d\d)\s*年度?")
_OF_WHICH = re.compile(r"^其中\s*[:：]?")


def _latest_year(rows: list[Row]) -> Row | None:
    """Of rows named by their years (2025年 | 2026年 | 增减变化金额), the latest year's: the year
    the document budgets; ``None`` when fewer than two rows are named by a year."""
    dated = [(int(m.group(1)), r) for r in rows if r.name and (m := _YEAR.fullmatch(r.name.strip()))]
    if len(dated) < 2:
        return None
    return max(dated, key=lambda yr: yr[0])[1]


def _items_as_rows(t: Table, cat: Catalog) -> dict[str, tuple[int, Decimal]] | None:
    """A "三公" table printing its items as rows, each row's total under 合计: the item key of each
    row the catalog's "三公" column labels name (at least three items), else ``None``."""
    found: dict[str, tuple[int, Decimal]] = {}
    for ri, r in enumerate(t.rows):
        name = _OF_WHICH.sub("", cat.norm(r.name or ""))
        spec = cat.column(name, "three_public") if name else None
        v = r.values.get("total")
        if spec is None or spec.role != "value" or not spec.key or v is None:
            continue
        found.setdefault(spec.key, (ri, v))
    return found if sum(1 for k in found if k in THREE_PUBLIC_FIELDS and k != "total") >= 3 else None
