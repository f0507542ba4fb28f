"""Readings of a page's amounts that pdfminer printed column by column, and the names of their
columns: the orders a block of n x k amounts may print in, the runs with empty cells left out
(:mod:`pdfminer_runs`), and the header words ordered by the row identities.

Comes in: amounts as typed tokens, the rows' levels, the header's words.  Goes out: readings
(which amount goes to which row and column) and :class:`HeaderPlan` s.  May import: ``catalog``,
``numbers``, ``pdftext_header``, ``pdftext_tokens``, ``pdfminer_runs``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from itertools import permutations

from ..catalog import Catalog
from .numbers import parse_number
from .pdfminer_mixed import inversions, read_mixed
from .pdfminer_runs import choose, family_checks, read_runs
from .pdftext_header import HeaderPlan, _numeric, _score, plan_header
from .pdftext_tokens import Token


def values_of(tokens: list[Token]) -> list[Decimal | None]:
    out: list[Decimal | None] = []
    for t in tokens:
        p = parse_number(t.text)
        out.append(p.value if p is not None else None)
    return out


Cells = list[list[int | None]]


def _scorer(
    cat: Catalog, layout: str, kind: str | None, head: list[str], texts: list[str]
) -> tuple[Callable[[Cells], list[list[str]]], Callable[[Cells], tuple[int, int]]]:
    """A reading's cells as printed text, and its score: the row identities held and failed under
    the header's names (a cell left out is empty: nothing, for the row's identities)."""
    ids = cat.identities_for(kind) if kind else []

    def full(cells: Cells) -> list[list[str]]:
        return [[texts[x] if x is not None else "" for x in row] for row in cells]

    def score(cells: Cells) -> tuple[int, int]:
        f = [[x or "0" for x in row] for row in full(cells)]
        plan = named(cat, layout, kind, head, len(cells[0]), f)
        return _score(ids, [x or "" for x in plan.keys], _numeric(f, len(f)))

    return full, score


def _levels_and_words(
    cat: Catalog, layout: str, head: list[str], levels: list[int], totals: list[bool]
) -> tuple[list[int], list[str]]:
    """Each row's depth for the sums (a total row 0, any other at least 1), and the header words
    that name figure columns."""
    lv = [0 if tot else max(1, x) for x, tot in zip(levels, totals, strict=True)]
    value_words = [lab for lab in head if (s := cat.column(lab, layout)) is not None and s.role == "value"]
    return lv, value_words


def by_runs(
    cat: Catalog,
    layout: str,
    kind: str | None,
    head: list[str],
    amounts: list[Token],
    levels: list[int],
    totals: list[bool],
    tol: Decimal,
) -> tuple[list[list[Token | None]], HeaderPlan, str] | None:
    """The amounts read as column runs with empty cells dropped (:mod:`pdfminer_runs`): the
    rows, the header plan and the notice; ``None`` where no reading keeps the sums."""
    n, m = len(levels), len(amounts)
    lv, value_words = _levels_and_words(cat, layout, head, levels, totals)
    least = -(-m // n) if n else 0
    if value_words and len(value_words) < least:
        return None  # more amounts than the header's columns can hold
    widths = [len(value_words)] if value_words else list(range(max(1, least), least + 2))
    readings, cut = read_runs(values_of(amounts), lv, widths, tol)
    if cut or not readings:
        return None
    texts = [t.text for t in amounts]
    full, score = _scorer(cat, layout, kind, head, texts)
    got = choose(readings, score, texts)
    if got is None:
        return None
    cells, unsure, held = got
    f = full(cells)
    plan = named(cat, layout, kind, head, len(cells[0]), f)
    note = (
        f"column-ordered text with empty cells left out: {n} rows x {len(cells[0])} columns placed by the"
        f" code tree's sums ({len(readings)} reading(s) keep every sum; {held} row identities hold)"
    )
    if unsure:
        note += f"; {unsure} cell(s) the arithmetic cannot place are left null"
    return [[amounts[x] if x is not None else None for x in row] for row in cells], plan, note


def by_mixed(
    cat: Catalog,
    layout: str,
    kind: str | None,
    head: list[str],
    amounts: list[Token],
    levels: list[int],
    totals: list[bool],
    tol: Decimal,
    width: int | None = None,
    names: list[str] | None = None,
) -> tuple[list[list[Token | None]], HeaderPlan, str] | None:
    """The amounts read in a mixed order of column runs, row runs and single cells
    (:mod:`pdfminer_mixed`), each column top to bottom, under every sum at once: the rows, the
    header plan and the notice; ``None`` where no reading keeps them (or too many do).  ``width``
    fixes the number of columns (a block of a page whose other rows say how many), and ``names``
    their keys (as the page's other rows settled them)."""
    n, m = len(levels), len(amounts)
    if not n or not m:
        return None
    lv, value_words = _levels_and_words(cat, layout, head, levels, totals)
    ids = cat.identities_for(kind) if kind else []
    if (width is None and len(value_words) < -(-m // n)) or not ids:
        return None  # the header must name the columns, and the row identities must speak
    widths = [len(value_words) if width is None else width]
    texts = [t.text for t in amounts]
    vals = values_of(amounts)
    for k in widths:
        keys = names if names is not None else [x or "" for x in plan_header(cat, layout, kind, head, k, []).keys]

        sums = _row_sums(ids, keys)
        if not sums:
            continue
        readings, jumps, whole = read_mixed(vals, lv, k, sums, tol)
        if not readings:
            continue
        least_inv = min(inversions(r) for r in readings)
        ordered = [r for r in readings if inversions(r) == least_inv]
        full, score = _scorer(cat, layout, kind, head, texts)
        got = choose(ordered, score, texts)
        if got is None:
            continue
        cells, unsure, held = got
        plan = named(cat, layout, kind, head, k, full(cells))
        note = (
            f"column-ordered text in a mixed order (column runs, row runs, single cells): {n} rows x {k}"
            f" columns placed under the code tree's sums and the row identities at once"
            f" ({len(readings)} reading(s) keep every sum with as few as {jumps} jumps back up the page;"
            f" {held} row identities hold)"
        )
        if len(ordered) < len(readings):
            note += (
                f"; of readings equal under the arithmetic, the {len(ordered)} printing each row's cells"
                " left to right most often are kept"
            )
        if not whole:
            note += (
                "; the search was cut short before every other reading was ruled out: the figures keep"
                " every sum, but check them against the document"
            )
        if unsure:
            note += f"; {unsure} cell(s) the arithmetic cannot place are left null"
        return [[amounts[x] if x is not None else None for x in row] for row in cells], plan, note
    return None


def _row_sums(ids: list, keys: list[str]) -> list[tuple[int, list[tuple[int, int]]]]:  # type: ignore[type-arg]
    """The identities of the kind whose columns all are among ``keys``, by column index."""
    pos = {k: i for i, k in enumerate(keys) if k}
    out = []
    for idn in ids:
        terms = [(int(s), pos[k]) for s, k in idn.terms if k in pos]
        if idn.lhs in pos and len(terms) >= max(idn.min_terms, 2 if idn.min_terms > 1 else 1):
            out.append((pos[idn.lhs], terms))
    return out


def orders(n: int, k: int) -> list[tuple[str, list[list[int]]]]:
    """The orders n rows x k columns of amounts may print in: column by column, row by row, and
    (pdfminer groups the last rows of a page apart) the first rows column by column and the rest
    row by row.  Each is a reading ``idx[row][column]`` = the amount's index."""
    out = [
        ("columns", [[j * n + i for j in range(k)] for i in range(n)]),
        ("rows", [[i * k + j for j in range(k)] for i in range(n)]),
    ]
    if k > 1:
        for s in range(1, n - 1):
            idx = [[j * s + i if i < s else s * k + (i - s) * k + j for j in range(k)] for i in range(n)]
            out.append((f"column by column for the first {s} rows, row by row after", idx))
    return out


def named(cat: Catalog, layout: str, kind: str | None, head: list[str], k: int, full: list[list[str]]) -> HeaderPlan:
    """The header plan of k value columns; where the row identities hold better with another
    order of the header's value words (pdfminer prints a multi-row header's words in no reliable
    order; 小计 / 合计 name the total column), that order names the columns."""
    plan = plan_header(cat, layout, kind, head, k, full)
    ids = cat.identities_for(kind) if kind else []
    if not ids or not full:
        return plan
    cands: list[tuple[str, str]] = []
    for lab in head:
        spec = cat.column(re.sub(r"^其中\s*[:：]?", "", lab), layout)
        key = spec.key if spec is not None and spec.role == "value" else ("total" if cat.is_subtotal(lab) else None)
        if key and key not in {c for _l, c in cands}:
            cands.append((lab, key))
    nums = _numeric(full, len(full))
    counted: dict[tuple[object, ...], tuple[int, int]] = {}
    held, failed = _score(ids, [x or "" for x in plan.keys], nums, counted)
    where = {c: i for i, (_l, c) in enumerate(cands)}
    at = [where.get(x) if x else None for x in plan.keys]
    plan_inv = (
        sum(1 for x in range(len(at)) for y in range(x + 1, len(at)) if at[x] > at[y])  # type: ignore[operator]
        if None not in at
        else k * k
    )
    best = (failed, -held, plan_inv)
    pick = None
    if len(cands) <= 7:
        for perm in permutations(range(len(cands)), k):
            keys = [cands[i][1] for i in perm]
            h, f = _score(ids, keys, nums, counted)
            inv = sum(1 for x in range(k) for y in range(x + 1, k) if perm[x] > perm[y])
            better = h > held and (f < failed or held == 0)
            # as good as the plan, and nearer the order the header words printed in
            same = (f, h) == (failed, held) and h > 0
            if (f, -h, inv) < best and (better or same):
                best, pick = (f, -h, inv), perm
    if pick is None:
        return plan
    labs = [cands[i][0] for i in pick]
    note = "header words ordered by the row identities: " + " | ".join(labs)
    return HeaderPlan(plan.labels, labs, [cands[i][1] for i in pick], [*plan.notes, note])  # type: ignore[arg-type]


def tolerance(amounts: list[Token]) -> Decimal:
    """Half a unit of the last decimal the page's amounts print (0.005 for cents)."""
    decimals = max((len(t.text.split(".")[1]) for t in amounts if "." in t.text), default=0)
    return Decimal(1).scaleb(-decimals) / 2 if decimals else Decimal("0.5")


def rest_confirmed(
    order: str,
    matrix: list[list[Decimal | None]],
    levels: list[int] | None,
    totals: list[bool],
    tol: Decimal,
    identities: Callable[[list[list[Decimal | None]]], tuple[int, int]],
) -> bool:
    """Is the part of a split order read row by row (the rows after the first ``s``, read column
    by column) confirmed by the arithmetic too -- a column sum among those rows, or a row identity
    (``identities`` scores rows: held, failed) holding in them with none failing?  A family
    running to the page's end can refute nothing, so without this the rows after ``s`` would be
    paired by position alone.  A tail shorter than the part read column by column (pdfminer groups
    a page's last rows apart) rests on that part's confirmation."""
    m = re.search(r"first (\d+) rows", order)
    if m is None or levels is None:
        return True
    s = int(m.group(1))
    if len(matrix) - s < s:
        return True
    held, _failed = family_checks(matrix[s:], levels[s:], totals[s:], tol)
    if held > 0:
        return True
    ih, ifail = identities(matrix[s:])
    return ih > 0 and not ifail
