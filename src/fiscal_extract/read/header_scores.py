"""How well column keys fit a table's rows: identity instances that hold and fail over the rows
that print every column -- what a header plan is judged by (:mod:`.pdftext_header` tries many
orders of the same keys; pdfminer's readers judge their column orders the same way).

May import: ``catalog``, ``numbers``.
"""

from __future__ import annotations

from decimal import Decimal

from ..catalog import Identity
from .numbers import parse_number


def _numeric(full_rows: list[list[str]], limit: int = 12) -> list[list[Decimal | None]]:
    """The figures of the rows that print every column, read once (the first ``limit`` rows
    with the most non-zero figures: enough for the arithmetic to speak)."""
    rows = []
    for row in full_rows:
        vals = []
        for t in row:
            p = parse_number(t)
            vals.append(p.value if p is not None else None)
        rows.append(vals)
    rows.sort(key=lambda r: -sum(1 for v in r if v))
    return rows[:limit]


def _score(
    ids: list[Identity],
    keys: list[str],
    full_rows: list[list[Decimal | None]],
    cache: dict[tuple[object, ...], tuple[int, int]] | None = None,
) -> tuple[int, int]:
    """How many identity instances hold and fail over the full rows with these column keys.

    ``cache``: a dict the caller keeps for one (ids, full_rows) pair while it tries many orders of
    the keys -- an identity's count depends only on the columns its keys fall in, counted once."""
    held = failed = 0
    if not ids or not full_rows:
        return 0, 0
    pos = {k: i for i, k in enumerate(keys)}
    for n, idn in enumerate(ids):
        if idn.lhs not in pos:
            continue
        terms = [(s, pos[k]) for s, k in idn.terms if k in pos]
        if len(terms) < max(idn.min_terms, 2 if idn.min_terms > 1 else 1):
            continue
        key = (n, pos[idn.lhs], *sorted(terms))  # a sum does not depend on its terms' order
        hit = cache.get(key) if cache is not None else None
        if hit is None:
            hit = _identity_score(pos[idn.lhs], terms, full_rows)
            if cache is not None:
                cache[key] = hit
        held += hit[0]
        failed += hit[1]
    return held, failed


def _identity_score(at: int, terms: list[tuple[int, int]], full_rows: list[list[Decimal | None]]) -> tuple[int, int]:
    """(held, failed) of one identity, its lhs in column ``at`` and its terms (sign, column)."""
    held = failed = 0
    slack = 0.011 * (len(terms) + 1)
    need = min(2, len(terms))
    for vals in full_rows:
        n = len(vals)
        lhs = vals[at] if at < n else None
        if lhs is None:
            continue
        total: Decimal | int = 0
        present = 0
        nonzero = False
        for s, c in terms:
            v = vals[c] if c < n else None
            if v is not None:
                total += s * v
                present += 1
                nonzero = nonzero or bool(v)
        if not nonzero and lhs == 0:
            continue
        if present < need:
            continue  # a sum of one printed figure tests nothing
        if abs(lhs - total) <= slack:
            held += 1
        else:
            failed += 1
    return held, failed
