"""Place the amounts of rows whose empty cells were dropped, by arithmetic.

PDF libraries drop empty cells: ``事业单位医疗 3.57 3.57`` under 合计 / 基本支出 / 项目支出 says
the row prints two figures, not which two columns they are in.  Each such ("packed") row's
candidate placements keep its amounts in printed order; a candidate survives when

* the row's own identities hold (total = basic + project ...), and then
* the column sums of its family hold: a class row = Σ its rows (codes 201 > 20101 > 2010101,
  301 > 30101), the table's total row = Σ its top-level rows -- for every value column.

A row left with one placement is placed (a repair records it).  Where the arithmetic cannot
decide, only the figures every surviving placement puts in the same column are kept; the others
are left null and a notice names them.  Never guess silently.

Comes in: a table's drafts (label fields and value cells in column order).  Goes out: the same
drafts with value cells moved.  May import: ``catalog``, ``cells``, ``models``, ``realign``.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from itertools import combinations
from typing import TYPE_CHECKING

from ..caching import TEXT_CACHE
from ..models import Notice, Repair
from ..read.cells import Style, read_value
from .realign import _all_hold, _checks, applicable, tolerance

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..read.grid import Cell
    from .draft import Ctx, Draft

MAX_COMBOS = 4096
"""Bound on the placements of a family tried together."""


def _value(cell: Cell | None, style: Style) -> Decimal | None:
    if cell is None or not cell.text:
        return None
    return _read(cell.text, style)


@lru_cache(maxsize=TEXT_CACHE)
def _read(text: str, style: Style) -> Decimal | None:
    return read_value(text, style, True).value


def place_packed(drafts: list[Draft], kind: str, ctx: Ctx, table_label: str, style: Style) -> None:
    """Decide the columns of every packed row of one table (see the module docstring)."""
    packed = [d for d in drafts if d.row is not None and id(d.row) in ctx.packed]
    if not packed:
        return
    decimals = max(style.decimals, 1)
    ids_all = ctx.cat.identities_for(kind)
    rates = _rate_columns(drafts, ctx)
    cands: dict[int, list[tuple[Cell | None, ...]]] = {}
    for d in packed:
        cells = [v.cell for v in d.vcells]
        keys = [v.key for v in d.vcells]
        filled = [c for c in cells if c is not None and c.text]
        n, k = len(cells), len(filled)
        if k == 0 or k >= n:
            continue
        key_set = frozenset(keys)
        ids = applicable(ids_all, key_set) if len(key_set) == len(keys) else []
        checks = _checks(ids, key_set, decimals)
        figures = [_value(c, style) for c in filled]
        parts = _of_which(ctx, keys)
        options: list[tuple[Cell | None, ...]] = []
        for pos in combinations(range(n), k):
            cand: list[Cell | None] = [None] * n
            for p, c in zip(pos, filled, strict=True):
                cand[p] = c
            if rates and any(_is_rate(c) != (p in rates) for p, c in zip(pos, filled, strict=True)):
                continue  # a rate (12.5%) only in a rate column, an amount never there
            if checks:
                vals: dict[str, Decimal | None] = dict.fromkeys(keys)
                for p, v in zip(pos, figures, strict=True):
                    vals[keys[p]] = v
                ok, _m = _all_hold(checks, vals)
                if not ok:
                    continue
            if parts and _part_exceeds(parts, pos, figures):
                continue
            options.append(tuple(cand))
        cands[id(d)] = _by_column_rules(d, keys, options, kind, ctx)
    _by_families(drafts, cands, style, decimals, ctx, rates)
    often = set(ctx.cat.often_empty.get(ctx.cat.layout_of(kind), ()))
    for d in packed:
        options = cands.get(id(d))
        if options is None:
            continue
        tie = ""
        if len(options) > 1 and often:
            kept = _leave_often_empty(options, [v.key for v in d.vcells], often)
            if len(kept) == 1:
                tie = (
                    f"; {len(options)} placements fit the arithmetic: read as the one leaving empty the "
                    f"columns most often empty ({', '.join(sorted(often))})"
                )
                options = kept
        _apply(d, options, ctx, table_label, tie)


def _of_which(ctx: Ctx, keys: list[str]) -> list[tuple[int, int]]:
    """(part, whole) column indexes of the row's "of which" columns (checks.toml
    ``of_which_columns``: 其中：财政拨款 inside 一般公共预算)."""
    limits = ctx.cat.checks.get("of_which_columns", {})
    return [(keys.index(p), keys.index(w)) for p, w in limits.items() if p in keys and w in keys]


def _part_exceeds(parts: list[tuple[int, int]], pos: tuple[int, ...], figures: list[Decimal | None]) -> bool:
    """A placement putting more in an "of which" column than in its whole (an empty whole is 0)."""
    at = dict(zip(pos, figures, strict=True))
    for p, w in parts:
        part = at.get(p)
        if part is not None and part > (at.get(w) or 0):
            return True
    return False


def _by_column_rules(
    d: Draft, keys: list[str], options: list[tuple[Cell | None, ...]], kind: str, ctx: Ctx
) -> list[tuple[Cell | None, ...]]:
    """The placements that leave empty the column the row's class never fills (checks.toml
    ``column_rule``: a 301 wage row has no 公用经费) -- all of them when none does."""
    empty = {
        rule["empty"]
        for rule in ctx.cat.checks.get("column_rule", [])
        if kind in rule.get("kinds", []) and d.code and d.code.startswith(tuple(rule.get("prefixes", [])))
    }
    if not empty:
        return options
    kept = [o for o in options if not any(k in empty and c is not None for k, c in zip(keys, o, strict=True))]
    return kept or options


def _leave_often_empty(
    options: list[tuple[Cell | None, ...]], keys: list[str], often: set[str]
) -> list[tuple[Cell | None, ...]]:
    """The placements that fill the fewest of the columns most often empty (catalog ``often_empty``:
    a vehicle is bought in few years, run in every one)."""

    def filled(o: tuple[Cell | None, ...]) -> int:
        return sum(1 for k, c in zip(keys, o, strict=True) if k in often and c is not None)

    least = min(filled(o) for o in options)
    return [o for o in options if filled(o) == least]


def _is_rate(cell: Cell) -> bool:
    return cell.text.rstrip().endswith("%")


def _rate_columns(drafts: list[Draft], ctx: Ctx) -> frozenset[int]:
    """The columns the table's full rows (not packed) print as rates (``-60.86%``): a rate is
    placed only there, and no column sum is asked of them."""
    votes: dict[int, list[bool]] = {}
    for d in drafts:
        if d.row is None or id(d.row) in ctx.packed:
            continue
        for i, v in enumerate(d.vcells):
            if v.cell is not None and v.cell.text:
                votes.setdefault(i, []).append(_is_rate(v.cell))
    return frozenset(i for i, vs in votes.items() if sum(vs) * 2 > len(vs))


def _indent(d: Draft, ctx: Ctx) -> int | None:
    """How far a row's name is indented on its line (full-width spaces count two)."""
    r = d.row
    if r is None:
        return None
    name_cell = next((c for c in r.cells if c.text and not c.text[0].isdigit()), None)
    if name_cell is None:
        return None
    start = ctx.src.line_starts[r.line - 1] if 0 < r.line <= len(ctx.src.line_starts) else r.start
    lead = ctx.src.text[start : name_cell.start]
    if lead.strip(" \u3000\f\r"):
        return None  # something else printed before the name on its line
    return sum(2 if ch == "\u3000" else 1 for ch in lead if ch in " \u3000")


def _families_by_indent(drafts: list[Draft], ctx: Ctx) -> list[tuple[Draft, list[Draft]]]:
    """(parent, children) where a table shows its hierarchy by indentation, not codes: a row's
    parent is the nearest row above it indented less."""
    rows = [(d, _indent(d, ctx)) for d in drafts if d.role not in ("total",)]
    levels = {i for _, i in rows if i is not None}
    if len(levels) < 2 or any(i is None for _, i in rows):
        return []
    children: dict[int, list[Draft]] = {}
    tops: list[Draft] = []
    stack: list[tuple[Draft, int]] = []
    for d, ind in rows:
        assert ind is not None
        while stack and stack[-1][1] >= ind:
            stack.pop()
        if stack:
            children.setdefault(id(stack[-1][0]), []).append(d)
        else:
            tops.append(d)
        stack.append((d, ind))
    out = [(d, children[id(d)]) for d, _ in rows if id(d) in children]
    total = next((d for d in drafts if d.role == "total"), None)
    if total is not None and tops:
        out.append((total, tops))
    return out


def _families(drafts: list[Draft], ctx: Ctx | None = None) -> list[tuple[Draft, list[Draft]]]:
    """(parent, children) by code prefix (or, with no codes, by indentation), and (total row,
    top-level rows)."""
    coded = [d for d in drafts if d.code and d.code.isdigit()]
    if not coded and ctx is not None:
        return _families_by_indent(drafts, ctx)
    by_code = {d.code: d for d in coded}
    children: dict[int, list[Draft]] = {}
    tops: list[Draft] = []
    for d in coded:
        code = d.code or ""
        parent = None
        for cut in range(len(code) - 1, 2, -1):
            parent = by_code.get(code[:cut])
            if parent is not None:
                break
        if parent is None:
            tops.append(d)
        else:
            children.setdefault(id(parent), []).append(d)
    out = [(d, children[id(d)]) for d in coded if id(d) in children]
    total = next((d for d in drafts if d.role == "total"), None)
    if total is not None and tops:
        out.append((total, tops))
    return out


def _by_families(
    drafts: list[Draft],
    cands: dict[int, list[tuple[Cell | None, ...]]],
    style: Style,
    decimals: int,
    ctx: Ctx,
    rates: frozenset[int] = frozenset(),
) -> None:
    """Narrow the candidates of packed rows until every family's column sums hold."""
    families = _families(drafts, ctx)
    # a candidate's figures, read once (the candidate is kept with them: its id is not reused)
    values: dict[int, tuple[tuple[Cell | None, ...], tuple[Decimal | None, ...]]] = {}

    def figures(c: tuple[Cell | None, ...]) -> tuple[Decimal | None, ...]:
        hit = values.get(id(c))
        if hit is None:
            hit = values[id(c)] = (c, tuple(_value(x, style) for x in c))
        return hit[1]

    done: dict[int, tuple[int, ...]] = {}  # a family's candidate counts when last narrowed
    for _round in range(6):
        changed = False
        for parent, kids in families:
            members = [parent, *kids]
            open_rows = [m for m in members if len(cands.get(id(m), ())) > 1]
            if not open_rows:
                continue
            state = tuple(len(cands.get(id(m), ())) for m in members)
            if done.get(id(parent)) == state:
                continue  # nothing in the family has changed since: the same survivors
            done[id(parent)] = state
            sizes = 1
            for m in open_rows:
                sizes *= len(cands[id(m)])
            keys = [v.key for v in parent.vcells]
            cols = _sum_columns(keys, rates)
            tol = tolerance(decimals, len(kids))
            fixed = [m for m in members if m not in open_rows]
            if sizes > MAX_COMBOS:
                # too many combinations: siblings placed alike, each pattern of filled columns once
                kept_at = _uniform_survivors(parent, kids, open_rows, fixed, cands, figures, cols, tol)
            else:
                signs = [-1 if m is parent else 1 for m in open_rows]
                base = _residual(
                    [(figures(_cells(m, cands)), -1 if m is parent else 1) for m in fixed],
                    cols,
                    (Decimal(0),) * len(cols),
                )
                figs = [[figures(c) for c in cands[id(m)]] for m in open_rows]
                kept_at = _family_survivors(figs, signs, base, cols, tol)
            if not any(kept_at):
                continue
            for m, kept_ix in zip(open_rows, kept_at, strict=True):
                if len(kept_ix) < len(cands[id(m)]):
                    cands[id(m)] = [c for i, c in enumerate(cands[id(m)]) if i in kept_ix]
                    changed = True
        if not changed:
            break


def _uniform_survivors(
    parent: Draft,
    kids: list[Draft],
    open_rows: list[Draft],
    fixed: list[Draft],
    cands: dict[int, list[tuple[Cell | None, ...]]],
    figures: Callable[[tuple[Cell | None, ...]], tuple[Decimal | None, ...]],
    cols: list[int],
    tol: Decimal,
) -> list[set[int]]:
    """The candidates (by index) of each open row that some combination placing every open row in
    the same columns keeps the family's sums with."""
    cur = {id(m): figures(_cells(m, cands)) for m in fixed}
    keep: list[set[int]] = [set() for _ in open_rows]
    index = [{id(c): i for i, c in enumerate(cands[id(m)])} for m in open_rows]
    for combo in _uniform(open_rows, cands):
        for m, c in zip(open_rows, combo, strict=True):
            cur[id(m)] = figures(c)
        if _figures_sum(cols, cur[id(parent)], [cur[id(k)] for k in kids], tol):
            for r, c in enumerate(combo):
                keep[r].add(index[r][id(c)])
    return keep


def _residual(
    parts: list[tuple[tuple[Decimal | None, ...], int]], cols: list[int], start: tuple[Decimal, ...]
) -> tuple[Decimal, ...]:
    """``start`` plus each part's figures in ``cols`` with its sign (an empty cell counts 0)."""
    out = list(start)
    for figs, sign in parts:
        for j, i in enumerate(cols):
            v = figs[i] if i < len(figs) else None
            if v is not None:
                out[j] = out[j] + v if sign > 0 else out[j] - v
    return tuple(out)


def _family_survivors(
    figs: list[list[tuple[Decimal | None, ...]]],
    signs: list[int],
    base: tuple[Decimal, ...],
    cols: list[int],
    tol: Decimal,
) -> list[set[int]]:
    """The candidates (by index) of each open row of a family that some combination of the others
    completes to sums that hold (children - parent = 0 in every column, within ``tol``): every
    combination is weighed, but through the distinct partial sums, not one by one."""
    # with no negative figure, a sum that has passed its parent only grows once the parent is in:
    # such partial sums lead nowhere and are dropped as they appear
    last_minus = max((r for r, sg in enumerate(signs) if sg < 0), default=-1)
    grows = all(v is None or v >= 0 for options in figs for f in options for v in f)
    layers: list[set[tuple[Decimal, ...]]] = [{base}]
    for r, options in enumerate(figs):
        nxt = {_residual([(f, signs[r])], cols, s) for s in layers[-1] for f in options}
        if grows and r >= last_minus:
            nxt = {s for s in nxt if all(x <= tol for x in s)}
        layers.append(nxt)
    good = {s for s in layers[-1] if all(abs(x) <= tol for x in s)}
    keep: list[set[int]] = [set() for _ in figs]
    for r in range(len(figs) - 1, -1, -1):
        before: set[tuple[Decimal, ...]] = set()
        for s in layers[r]:
            for i, f in enumerate(figs[r]):
                if _residual([(f, signs[r])], cols, s) in good:
                    before.add(s)
                    keep[r].add(i)
        good = before
    return keep


def _sum_columns(keys: list[str], rates: frozenset[int]) -> list[int]:
    """The columns a family's sums are asked of: not a rate, not a key printed twice."""
    dup = len(set(keys)) != len(keys)
    return [i for i, key in enumerate(keys) if i not in rates and not (dup and keys.count(key) > 1)]


def _figures_sum(
    cols: list[int], parent: tuple[Decimal | None, ...], kids: list[tuple[Decimal | None, ...]], tol: Decimal
) -> bool:
    """Every column of ``cols``: the parent's figure equals the sum of its children's (figures read)."""
    for i in cols:
        p = parent[i] if i < len(parent) else None
        total = Decimal(0)
        any_kid = False
        for k in kids:
            v = k[i] if i < len(k) else None
            if v is not None:
                total += v
                any_kid = True
        if p is None and not any_kid:
            continue
        if abs((p or Decimal(0)) - total) > tol:
            return False
    return True


def _uniform(
    open_rows: list[Draft], cands: dict[int, list[tuple[Cell | None, ...]]]
) -> list[tuple[tuple[Cell | None, ...], ...]]:
    """Combinations in which every open row is placed in the same columns (the rows of one family
    usually leave the same columns empty: 办公费, 印刷费 ... all in 公用经费) -- one per pattern
    of filled columns that every open row can take."""

    def pattern(c: tuple[Cell | None, ...]) -> tuple[bool, ...]:
        return tuple(x is not None for x in c)

    by_row = [{pattern(c): c for c in cands[id(m)]} for m in open_rows]
    shared = set(by_row[0]).intersection(*by_row[1:]) if by_row else set()
    return [tuple(row[p] for row in by_row) for p in sorted(shared)]


def _cells(d: Draft, cands: dict[int, list[tuple[Cell | None, ...]]]) -> tuple[Cell | None, ...]:
    options = cands.get(id(d))
    if options and len(options) == 1:
        return options[0]
    return tuple(v.cell for v in d.vcells)


def _apply(d: Draft, options: list[tuple[Cell | None, ...]], ctx: Ctx, table_label: str, tie: str = "") -> None:
    cells = [v.cell for v in d.vcells]
    keys = [v.key for v in d.vcells]
    r = d.row
    span = ctx.span(r.start, r.end) if r is not None else None
    printed = " ".join(c.raw for c in cells if c is not None and c.text)
    ref = f"{table_label}/{d.name or d.code or ''}"
    if len(options) == 1:
        chosen = options[0]
        if list(chosen) == cells:
            return
        for v, c in zip(d.vcells, chosen, strict=True):
            v.cell = c
        where = ", ".join(f"{c.raw} -> {key}" for key, c in zip(keys, chosen, strict=True) if c is not None)
        ctx.repairs.append(
            Repair(
                span=span,
                original=printed,
                value=None,
                reason=f"the row prints {sum(1 for c in chosen if c is not None)} of {len(keys)} figures (empty "
                f"cells dropped by the PDF text); placed by arithmetic: {where}{tie}",
                kind="placement",
                ref=ref,
            )
        )
        return
    # undecided: keep what every placement agrees on, leave the rest null and say so
    agreed = [c if all(o[i] is c for o in options) else None for i, c in enumerate(options[0])] if options else []
    for i, v in enumerate(d.vcells):
        v.cell = agreed[i] if agreed else None
    lost = [c.raw for c in cells if c is not None and c.text and not any(c is a for a in agreed)]
    if lost:
        why = (
            "no placement makes the row's identities hold"
            if not options
            else (f"{len(options)} placements fit the arithmetic")
        )
        ctx.notices.append(
            Notice(
                code="unplaced_figures",
                message=f"{ref}: figures {', '.join(lost)} printed with empty cells dropped could not be placed "
                f"in their columns ({why}); they are left null",
                span=span,
            )
        )
