"""Select one figure of a record by description: table kind, row side/role/category/code, key.

Shared by the summary (``summary.toml``) and the cross-table checks (``checks.toml``), so both
read "the expenditure table's 合计 basic figure" the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .models import Disclosure, Row, Table


@dataclass(frozen=True)
class Selector:
    kind: str
    key: str
    side: str | None = None
    role: str | None = None
    category: str | None = None
    code: str | None = None
    name: str | None = None
    requires: str | None = None
    """Only rows that also print this key (e.g. a budget income table's current_total)."""
    pick: str = "first"
    """``first`` or ``last`` matching row, or ``only``: the single matching row of the table."""
    absent_category: str | None = None
    """Only in a table (on the selector's side) that prints no row of this category: a side with
    no carry-over row, whose total is this year's money."""

    @classmethod
    def of(cls, d: dict[str, Any]) -> Selector:
        return cls(
            **{
                k: d[k]
                for k in (
                    "kind",
                    "key",
                    "side",
                    "role",
                    "category",
                    "code",
                    "name",
                    "requires",
                    "pick",
                    "absent_category",
                )
                if k in d
            }
        )

    def describe(self) -> str:
        parts = [self.kind]
        for k in ("side", "role", "category", "code", "name"):
            v = getattr(self, k)
            if v:
                parts.append(f"{k}={v}")
        return "/".join(parts) + f":{self.key}"


@dataclass(frozen=True)
class Figure:
    value: Decimal
    ref: str
    table: int
    row: int
    key: str


def row_ref(ti: int, ri: int, key: str) -> str:
    return f"tables[{ti}].rows[{ri}].values.{key}"


def matches(sel: Selector, r: Row) -> bool:
    return (
        (sel.side is None or r.side == sel.side)
        and (sel.role is None or r.role == sel.role)
        and (sel.category is None or r.category == sel.category or (sel.category == "none" and r.category is None))
        and (sel.requires is None or r.values.get(sel.requires) is not None)
        and (sel.code is None or r.code == sel.code)
        and (sel.name is None or r.name == sel.name)
    )


def select(record: Disclosure | list[Table], sel: Selector) -> Figure | None:
    """The figure a selector names (``None`` when no such table, row or printed figure)."""
    tables = record.tables if isinstance(record, Disclosure) else record
    key = sel.key
    for ti, t in enumerate(tables):
        if t.kind != sel.kind:
            continue
        rows = t.rows
        if sel.absent_category is not None and any(
            r.category == sel.absent_category and (sel.side is None or r.side == sel.side) for r in rows
        ):
            continue
        if sel.pick == "only":
            # the one row that matches (a table with no total row whose single budget-unit row
            # carries the table's total): none when several do
            found = [ri for ri, r in enumerate(rows) if r.values.get(key) is not None and matches(sel, r)]
            if len(found) == 1:
                ri = found[0]
                return Figure(rows[ri].values[key], row_ref(ti, ri, key), ti, ri, key)  # type: ignore[arg-type]
            continue
        # the first (or last) row that matches: the search stops there
        for ri in range(len(rows) - 1, -1, -1) if sel.pick == "last" else range(len(rows)):
            r = rows[ri]
            v = r.values.get(key)
            if v is not None and matches(sel, r):
                return Figure(v, row_ref(ti, ri, key), ti, ri, key)
    return None
