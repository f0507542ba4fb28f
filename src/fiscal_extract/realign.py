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

from .catalog import Identity
from .cells import Style, read_value
from .models import Repair

if TYPE_CHECKING:
    from .grid import Cell
    from .tables import Ctx, Draft


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


def holds(idn: Identity, values: dict[str, Decimal | None], decimals: int) -> bool | None:
    """True / False, or None when the row prints none of the figures involved."""
    lhs = values.get(idn.lhs)
    printed = lhs is not None
    total = Decimal(0)
    n = 0  # the terms the row has a column for, printed or not
    for sign, key in idn.terms:
        if key in values:
            n += 1
            t = values[key]
            if t is not None:
                printed = True
                total += sign * t
    if not printed:
        return None
    return abs((lhs or Decimal(0)) - total) <= tolerance(decimals, n)


def _all_hold(ids: list[Identity], values: dict[str, Decimal | None], decimals: int) -> tuple[bool, int]:
    ok = True
    n = 0
    for i in ids:
        h = holds(i, values, decimals)
        if h is None:
            continue
        n += 1
        ok = ok and h
    return ok, n


def realign_rows(drafts: list[Draft], kind: str, ctx: Ctx, table_label: str, style: Style) -> None:
    ids_all = ctx.cat.identities_for(kind)
    if not ids_all:
        return
    decimals = max(style.decimals, 1)
    # the rows of a table mostly share one key list: the identities that apply, once per list
    plans: dict[tuple[str, ...], list[Identity]] = {}
    last_keys: list[str] = []
    ids: list[Identity] = []
    for d in drafts:
        keys = [v.key for v in d.vcells]
        if keys != last_keys:
            last_keys = keys
            key_list = tuple(keys)
            found = plans.get(key_list)
            if found is None:
                key_set = frozenset(keys)
                ok_keys = len(keys) >= 3 and len(key_set) == len(keys)
                found = plans[key_list] = applicable(ids_all, key_set) if ok_keys else []
            ids = found
        if not ids:
            continue
        cells = [v.cell for v in d.vcells]
        ok, n = _all_hold(ids, _values(cells, keys, style), decimals)
        if ok or n == 0:
            continue
        solutions: list[tuple[int, str, list[Cell | None]]] = []
        for k in range(len(cells)):
            # values slid left: an empty cell belongs at k
            last = cells[-1]
            if last is None or not last.text:
                cand = [*cells[:k], None, *cells[k:-1]]
                if any(c is not None and c.text for c in cells[k:]):
                    good, m = _all_hold(ids, _values(cand, keys, style), decimals)
                    if good and m:
                        solutions.append((k, "right", cand))
            # values slid right: the cell at k is a spurious empty one
            if cells[k] is None or not cells[k].text:  # type: ignore[union-attr]
                cand = cells[:k] + cells[k + 1 :] + [None]
                if any(c is not None and c.text for c in cells[k + 1 :]):
                    good, m = _all_hold(ids, _values(cand, keys, style), decimals)
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
