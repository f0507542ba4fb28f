"""Summary figures read from the tables, by the rules in ``catalog/data/summary.toml``."""

from __future__ import annotations

from decimal import Decimal

from .catalog import Catalog
from .models import THREE_PUBLIC_FIELDS, CellRef, Summary, Table, ThreePublic


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
        for ti, t in enumerate(tables):
            if t.kind != src["kind"]:
                continue
            hits = [
                (ri, r)
                for ri, r in enumerate(t.rows)
                if (src.get("side") is None or r.side == src["side"])
                and (src.get("role") is None or r.role == src["role"])
                and (src.get("category") is None or r.category == src["category"])
                and r.values.get(src["key"]) is not None
            ]
            if not hits:
                continue
            ri, r = hits[-1] if src.get("pick") == "last" else hits[0]
            setattr(s, field, _convert(r.values[src["key"]], t.unit, doc_unit))
            s.refs[field] = CellRef(table=ti, row=ri, key=src["key"])
            break
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
