"""Equations of two-sided overviews (收入 | 支出): each side's subtotal = Σ its items, a numbered item
= Σ its sub-items, 总计 = subtotal + carry-over, income 总计 = expenditure 总计."""

from __future__ import annotations

from collections.abc import Iterable

from .index import Index
from .terms import NUMBERING, Equation
from .within import column_eqs


def two_sided_equations(ix: Index) -> Iterable[Equation]:
    kinds = ix.cat.checks.get("kinds", {})
    for ti, t in enumerate(ix.record.tables):
        if ix.cat.layout_of(t.kind) != "two_sided" or t.empty:
            continue
        keys = sorted(ix.printed(ti))
        cols = set(keys)
        side_totals: dict[str, int] = {}
        for side in ("income", "expenditure"):
            rows = [(ri, r) for ri, r in enumerate(t.rows) if r.side == side]
            claimed: set[int] = set()
            # numbered heading with numbered sub-items ("一、本年收入" / "（一）…")
            for n, (ri, r) in enumerate(rows):
                if r.category == "of_which" or r.role == "total":
                    continue
                if r.level in (0, 1) and NUMBERING.match(r.name or ""):
                    kids = []
                    for rj, c in rows[n + 1 :]:
                        if c.category == "of_which":
                            continue
                        if (c.level or 0) >= 2:
                            kids.append(rj)
                        else:
                            break
                    if kids:
                        claimed.update(kids)
                        eid = "two_sided.subtotal_eq_items" if r.role == "subtotal" else "two_sided.parent_eq_children"
                        yield from column_eqs(ix, eid, kinds[eid], ti, ri, kids, keys, cols)
            # footer subtotal ("本年收入合计") = the level-1 items before it
            start = 0
            for n, (ri, r) in enumerate(rows):
                if r.role == "subtotal" and not NUMBERING.match(r.name or ""):
                    items = [
                        rj
                        for rj, c in rows[start:n]
                        if c.role == "item"
                        and c.level == 1
                        and c.category not in ("of_which", "carryover", "carryover_end")
                        and rj not in claimed
                    ]
                    claimed.update(items)
                    yield from column_eqs(
                        ix,
                        "two_sided.subtotal_eq_items",
                        kinds["two_sided.subtotal_eq_items"],
                        ti,
                        ri,
                        items,
                        keys,
                        cols,
                    )
                    start = n + 1
            totals = [ri for ri, r in rows if r.role == "total"]
            if not totals:
                continue
            tri = totals[-1]
            side_totals[side] = tri
            parts = [
                ri
                for ri, r in rows
                if ri not in claimed and r.role in ("item", "subtotal") and r.category != "of_which" and ri < tri
            ]
            yield from column_eqs(
                ix, "two_sided.total_eq_parts", kinds["two_sided.total_eq_parts"], ti, tri, parts, keys, cols
            )
        if len(side_totals) == 2:
            a = ix.term(ti, side_totals["income"], "total")
            b = ix.term(ti, side_totals["expenditure"], "total")
            if a is not None and b is not None:
                yield Equation(
                    "two_sided.income_eq_expenditure", kinds["two_sided.income_eq_expenditure"], [(1, a), (-1, b)]
                )
