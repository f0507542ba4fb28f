"""Summary figures read from the tables, by the rules in ``catalog/data/summary.toml``."""

from __future__ import annotations

from decimal import Decimal

from ..catalog import Catalog
from ..models import THREE_PUBLIC_FIELDS, CellRef, Summary, Table, ThreePublic
from ..selectors import Selector, select


def _convert(value: Decimal | None, table_unit: str | None, doc_unit: str | None) -> Decimal | None:
    if value is None or table_unit == doc_unit or table_unit is None or doc_unit is None:
        return value
    if table_unit == "元" and doc_unit == "万元":
        return value / Decimal(10000)
    if table_unit == "万元" and doc_unit == "元":
        return value * Decimal(10000)
    return value


def build_summary(tables: list[Table], cat: Catalog, doc_unit: str | None) -> Summary:
    s = Summary()
    for src in cat.summary_sources:
        field = src["field"]
        if getattr(s, field) is not None:
            continue
        fig = select(tables, Selector.of(src))
        if fig is None:
            continue
        setattr(s, field, _convert(fig.value, tables[fig.table].unit, doc_unit))
        s.refs[field] = CellRef(table=fig.table, row=fig.row, key=fig.key)
    tp = ThreePublic()
    for ti, t in enumerate(tables):
        if t.kind != "three_public" or not t.rows:
            continue
        for prefix in cat.three_public_prefixes:
            row = next(
                (r for r in t.rows if any(r.values.get(prefix + k) is not None for k in THREE_PUBLIC_FIELDS)), None
            )
            if row is None:
                continue
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
