"""The family sums of packed-row placement, weighed through distinct partial sums
(placement._family_survivors), keep exactly the candidates that some full combination keeps --
checked against trying every combination one by one, on random families."""

from __future__ import annotations

import random
from decimal import Decimal
from itertools import product

from fiscal_extract.tables.placement import _family_survivors, _residual

Fig = tuple[Decimal | None, ...]


def _brute(
    figs: list[list[Fig]], signs: list[int], base: tuple[Decimal, ...], cols: list[int], tol: Decimal
) -> list[set[int]]:
    keep: list[set[int]] = [set() for _ in figs]
    for combo in product(*(list(enumerate(o)) for o in figs)):
        s = base
        for (_i, f), sign in zip(combo, signs, strict=True):
            s = _residual([(f, sign)], cols, s)
        if all(abs(x) <= tol for x in s):
            for r, (i, _f) in enumerate(combo):
                keep[r].add(i)
    return keep


def _placements(figures: list[Decimal], width: int) -> list[Fig]:
    """Every placement of a row's printed figures, in order, into ``width`` columns."""
    from itertools import combinations

    out = []
    for pos in combinations(range(width), len(figures)):
        row: list[Decimal | None] = [None] * width
        for p, v in zip(pos, figures, strict=True):
            row[p] = v
        out.append(tuple(row))
    return out


def _family(rng: random.Random, negative: bool) -> tuple[list[list[Fig]], list[int], tuple[Decimal, ...], list[int]]:
    width = rng.randint(2, 4)
    kids = []
    for _ in range(rng.randint(1, 5)):
        full = [
            Decimal(rng.randint(-50 if negative else 0, 200)) / 100 if rng.random() < 0.6 else None
            for _ in range(width)
        ]
        kids.append(full)
    parent = [sum((k[i] for k in kids if k[i] is not None), start=Decimal(0)) for i in range(width)]
    rows = [parent, *kids]
    open_at = [r for r in range(len(rows)) if rng.random() < 0.7]
    cols = list(range(width))
    base = _residual(
        [(tuple(rows[r]), -1 if r == 0 else 1) for r in range(len(rows)) if r not in open_at],
        cols,
        (Decimal(0),) * width,
    )
    figs = [_placements([v for v in rows[r] if v is not None], width) for r in open_at]
    signs = [-1 if r == 0 else 1 for r in open_at]
    return figs, signs, base, cols


def test_the_survivors_are_those_of_every_combination() -> None:
    rng = random.Random(13)
    tol = Decimal("0.01")
    for trial in range(300):
        figs, signs, base, cols = _family(rng, negative=trial % 3 == 0)
        if not figs:
            continue
        assert _family_survivors(figs, signs, base, cols, tol) == _brute(figs, signs, base, cols, tol), trial


def test_a_family_that_cannot_add_up_keeps_nothing() -> None:
    figs = [[(Decimal(1), None), (None, Decimal(1))]]
    base = (Decimal(-5), Decimal(0))
    assert _family_survivors(figs, [1], base, [0, 1], Decimal("0.01")) == [set()]
