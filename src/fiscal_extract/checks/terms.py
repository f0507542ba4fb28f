"""Terms, equations and tolerance: a check is Σ sign × term = 0 over printed figures, passing within a
tolerance derived from the printed precision of its terms."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Context, Decimal
from functools import lru_cache, partial
from typing import Any, NamedTuple

from ..models import Span

NUMBERING = re.compile(r"^(?:[一二三四五六七八九十廿]+、|[(（][一二三四五六七八九十廿]+[)）])\s*")
# digit pairs OCR confuses (either way)
CONFUSED = {frozenset(p) for p in ("08", "06", "09", "17", "38", "56", "58", "68", "89", "49", "14", "27")}


class Term(NamedTuple):
    """One printed figure in a check (an immutable record: a few thousand are made per document)."""

    value: Decimal
    ref: str
    decimals: int
    span: Span | None = None
    flags: tuple[str, ...] = ()
    label: str = ""
    slack: Decimal | None = None
    """Rounding slack when it is not half a unit of the last printed digit (derived terms)."""
    printed: str | None = None
    """What the document printed, where a repair changed it ("8, 27", "0. 1")."""

    @property
    def half_unit(self) -> Decimal:
        if self.slack is not None:
            return self.slack
        return _half_unit(self.decimals)


new_term: Callable[[tuple[Any, ...]], Term] = partial(tuple.__new__, Term)
"""A :class:`Term` of a tuple of all its fields, without a Python-level call."""


def rounded(value: Decimal, decimals: int) -> Decimal:
    """``value`` to ``decimals`` places, exactly: the precision grows with the figure (the default
    context's 28 digits would raise ``InvalidOperation`` on a long figure)."""
    digits = max(value.adjusted(), 0) + max(decimals, 0) + 2
    return value.quantize(Decimal(1).scaleb(-decimals), context=Context(prec=max(28, digits)))


@lru_cache(maxsize=64)
def _half_unit(decimals: int) -> Decimal:
    """Half a unit of the last printed digit (a pure function of an int: safe to memoise)."""
    return Decimal(5).scaleb(-decimals - 1)


@lru_cache(maxsize=4096)
def _rounding_slack(decimals: tuple[int, ...]) -> Decimal:
    """The tolerance of an equation whose non-zero figures are printed to these precisions.

    A pure function of ints (the sums are exact, whatever the order): safe to memoise.
    """
    if len(decimals) <= 1:
        return Decimal(0)
    if len(decimals) == 2:
        # one figure printed twice: the same rounded number, exact unless printed to different
        # precision (524.8 vs 524.78), when the coarser print's rounding is the slack
        a, b = decimals
        return Decimal(0) if a == b else max(_half_unit(a), _half_unit(b))
    halves = [_half_unit(d) for d in decimals]
    bound = sum(halves, Decimal(0))
    unit = max(halves) * 2
    return min(bound, unit * (1 + len(halves) // 10))


@dataclass(slots=True)
class Equation:
    """``Σ sign × term = 0`` (e.g. total - basic - project), or ``<= 0`` for "of which" limits.

    ``diff``, ``tolerance`` and the two sides are worked out once, when the equation is made (its
    terms are never changed afterwards)."""

    id: str
    message: str
    terms: list[tuple[int, Term]]
    skip_reason: str | None = None
    relation: str = "eq"
    explain: Callable[[], tuple[str, dict[str, str]]] | None = None
    """The sentence that says a failure in the document's terms and what fills it (``None``: the
    equation's shape says it, see :mod:`.wording`); called only when the equation fails."""
    diff: Decimal = field(init=False, repr=False)
    tolerance: Decimal = field(init=False, repr=False)
    """Rounding slack: half a unit of the last printed digit per term, but -- as totals are
    rounded once from unrounded parts -- no more than one unit of the coarsest printed digit
    per ten terms (derived terms with an explicit slack keep their whole bound)."""
    actual: Decimal = field(init=False, repr=False)
    """The sum of the terms with a plus sign (the left-hand side)."""
    expected: Decimal = field(init=False, repr=False)
    """The sum of the terms with a minus sign (the right-hand side)."""

    def __post_init__(self) -> None:
        actual = expected = Decimal(0)
        slack = False
        live: list[int] = []  # the precision of each non-zero printed figure
        for s, t in self.terms:
            v = t.value
            if s > 0:
                actual += v
            else:
                expected += v
            if t.slack is not None:
                slack = True
            elif v != 0:
                live.append(t.decimals)
        # (exact sums: the same difference, digits and all, as adding each term with its sign)
        self.diff, self.actual, self.expected = actual - expected, actual, expected
        if slack:
            # a derived term's slack is its whole bound: every term's slack adds up
            self.tolerance = sum((t.half_unit for _, t in self.terms), Decimal(0))
        else:
            # zeros (printed 0.00 or empty) carry no rounding: only the other terms add slack
            self.tolerance = _rounding_slack(tuple(live))

    def holds(self, tolerance: Decimal | None = None) -> bool:
        d = self.diff
        tol = self.tolerance if tolerance is None else tolerance
        return d <= tol if self.relation == "le" else abs(d) <= tol


def decimals_of(v: Decimal) -> int:
    # not memoised: Decimal("0.00") == Decimal("0") (same hash), so a cache would answer with the
    # precision of whichever equal figure came first -- results would depend on earlier documents.
    # Read from the printed form (three times cheaper than as_tuple), which shows every digit
    # after the point unless it is in exponent notation ("1E+3", "5E-7").
    s = str(v)
    if "E" in s:
        exp = v.as_tuple().exponent
        return max(0, -exp) if isinstance(exp, int) else 0
    return len(s) - s.index(".") - 1 if "." in s else 0
