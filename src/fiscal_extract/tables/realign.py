"""Column-shift repair: put back values that slid into the wrong column.

OCR sometimes drops an empty cell, so the values after it slide one column left (or an extra
empty cell pushes them right).  The row identities of the table kind (total = basic + project,
basic = its parts ...) tell when that happened: if a row fails them as read, and moving the
cells from one position on by exactly one column makes every identity hold, that move is the
repair.  A row that no single move mends is left as printed -- the checks report it.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING

from ..catalog import Identity
from ..models import Repair
from ..read.cells import Style, read_value

if TYPE_CHECKING:
    from ..read.grid import Cell
    from .draft import Ctx, Draft


@lru_cache(maxsize=256)
def tolerance(decimals: int, terms: int) -> Decimal:
    """Rounding slack for an identity over figures printed with ``decimals`` decimals."""
    unit = Decimal(1).scaleb(-decimals)
    return unit * Decimal(terms + 1) / 2


def _values(cells: list[Cell | None], keys: list[str], style: Style) -> dict[str, Decimal | None]:
    """The figures of a row whose value keys are all distinct (realign reads no other row)."""
    return {
        key: read_value(c.text, style, True).value if c is not None and c.text else None
        for key, c in zip(keys, cells, strict=True)
    }


def applicable(ids: list[Identity], keys: set[str] | frozenset[str]) -> list[Identity]:
    return [i for i in ids if i.lhs in keys and sum(1 for _, k in i.terms if k in keys) >= i.min_terms]


_Check = tuple[str, tuple[tuple[int, str], ...], Decimal]
"""An identity as it applies to one key list: its lhs key, the terms the row has a column
for, and the rounding slack over them."""


def _checks(ids: list[Identity], keys: frozenset[str], decimals: int) -> list[_Check]:
    """The identities as they apply to a row with these keys (worked out once per key list)."""
    out = []
    for idn in ids:
        terms = tuple((sign, key) for sign, key in idn.terms if key in keys)
        out.append((idn.lhs, terms, tolerance(decimals, len(terms))))
    return out


def _all_hold(checks: list[_Check], values: dict[str, Decimal | None]) -> tuple[bool, int]:
    """Whether every identity the row prints a figure of holds (lhs = sum of its terms within the
    rounding slack; a term or lhs not printed counts as zero), and how many it prints figures of."""
    ok = True
    n = 0
    for lhs_key, terms, slack in checks:
        lhs = values.get(lhs_key)
        printed = lhs is not None
        total = Decimal(0)
        for sign, key in terms:
            t = values[key]
            if t is not None:
                printed = True
                total += sign * t
        if not printed:
            continue
        n += 1
        ok = ok and abs((lhs or Decimal(0)) - total) <= slack
    return ok, n


def realign_rows(drafts: list[Draft], kind: str, ctx: Ctx, table_label: str, style: Style) -> None:
    ids_all = ctx.cat.identities_for(kind)
    if not ids_all:
        return
    decimals = max(style.decimals, 1)
    # the rows of a table mostly share one key list: the identities that apply, once per list
    plans: dict[tuple[str, ...], tuple[list[Identity], list[_Check]]] = {}
    last_keys: list[str] = []
    ids: list[Identity] = []
    checks: list[_Check] = []
    for d in drafts:
        keys = [v.key for v in d.vcells]
        if keys != last_keys:
            last_keys = keys
            key_list = tuple(keys)
            found = plans.get(key_list)
            if found is None:
                key_set = frozenset(keys)
                ok_keys = len(keys) >= 3 and len(key_set) == len(keys)
                found_ids = applicable(ids_all, key_set) if ok_keys else []
                found = plans[key_list] = (found_ids, _checks(found_ids, key_set, decimals))
            ids, checks = found
        if not ids:
            continue
        cells = [v.cell for v in d.vcells]
        ok, n = _all_hold(checks, _values(cells, keys, style))
        if ok or n == 0:
            continue
        solutions: list[tuple[int, str, list[Cell | None]]] = []
        for k in range(len(cells)):
            # values slid left: an empty cell belongs at k
            last = cells[-1]
            if last is None or not last.text:
                cand = [*cells[:k], None, *cells[k:-1]]
                if any(c is not None and c.text for c in cells[k:]):
                    good, m = _all_hold(checks, _values(cand, keys, style))
                    if good and m:
                        solutions.append((k, "right", cand))
            # values slid right: the cell at k is a spurious empty one
            if cells[k] is None or not cells[k].text:  # type: ignore[union-attr]
                cand = cells[:k] + cells[k + 1 :] + [None]
                if any(c is not None and c.text for c in cells[k + 1 :]):
                    good, m = _all_hold(checks, _values(cand, keys, style))
                    if good and m:
                        solutions.append((k, "left", cand))
        if not solutions:
            continue

        # several moves can satisfy sums (parts of one total are interchangeable): the repair is
        # the smallest one -- the fewest figures moved; a tie is ambiguous and left alone
        def moved(s: tuple[int, str, list[Cell | None]], cells: list[Cell | None] = cells) -> int:
            return sum(1 for a, b in zip(cells, s[2], strict=True) if a is not b and b is not None and b.text)

        best = min(moved(s) for s in solutions)
        smallest = [s for s in solutions if moved(s) == best]
        distinct = {tuple(id(c) if c is not None and c.text else None for c in s[2]) for s in smallest}
        if len(distinct) != 1:
            continue
        k, direction, cand = smallest[0]
        for v, c in zip(d.vcells, cand, strict=True):
            v.cell = c
        r = d.row
        printed = " | ".join(c.raw for c in r.cells) if r is not None else ""
        names = ", ".join(i.id for i in ids)
        ctx.repairs.append(
            Repair(
                span=ctx.span(r.start, r.end) if r is not None else None,
                original=printed,
                value=None,
                reason=(
                    f"values from column '{keys[k]}' on were printed one column "
                    f"{'left' if direction == 'right' else 'right'} of their place (an empty cell "
                    f"{'dropped' if direction == 'right' else 'added'} by OCR); moved back so that {names} hold"
                ),
                kind="realign",
                ref=f"{table_label}/{d.name or d.code or ''}",
            )
        )
