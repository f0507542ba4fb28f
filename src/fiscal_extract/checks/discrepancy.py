"""One discrepancy, however many checks it fails: failed checks that one figure explains -- each would
hold with the same other value of it -- are one finding, that figure its place to look.

A wrong 支出合计 fails the table's own sum, the overview's cross-check, the narrative's figure and
every share stated of it: five failures, one discrepancy.  The figure is named by the checks alone
(the value each failed check needs it to have); nothing here says which reading is right.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .terms import Equation, Term


@dataclass(frozen=True)
class Discrepancy:
    term: Term
    """The figure every check of the group shares."""
    needed: Decimal
    """The value of it that would make every one of them hold."""
    checks: tuple[int, ...]
    """The failed checks it explains (indices into the record's checks, in order)."""


def _needs(eq: Equation) -> list[tuple[Term, Decimal]]:
    """For each printed figure of a failed equality, the value it would need for the check to hold."""
    if eq.relation != "eq":
        return []
    return [
        (t, t.value - Decimal(s) * eq.diff)
        for s, t in eq.terms
        if t.slack is None and "empty" not in t.flags and t.ref.startswith(("tables[", "narrative."))
    ]


def discrepancies(eqs: list[Equation], failed: list[int]) -> list[Discrepancy]:
    """Failed checks (``failed``: indices into ``eqs``) grouped by the one figure that explains two or
    more of them, the largest group first; a check is in one group at most."""
    by_ref: dict[str, list[tuple[int, Term, Decimal, Decimal]]] = {}
    for i in failed:
        eq = eqs[i]
        for t, needed in _needs(eq):
            by_ref.setdefault(t.ref, []).append((i, t, needed, eq.tolerance))
    out: list[Discrepancy] = []
    taken: set[int] = set()
    while True:
        best: tuple[int, str, Term, Decimal, tuple[int, ...]] | None = None
        for ref, needs in sorted(by_ref.items()):
            live = [n for n in needs if n[0] not in taken]
            for _, t, needed, _ in live:
                agree = tuple(sorted({i for i, _, v, tol in live if abs(v - needed) <= max(tol, t.half_unit)}))
                if len(agree) >= 2 and (best is None or len(agree) > best[0]):
                    best = (len(agree), ref, t, needed, agree)
        if best is None:
            return out
        _, _, t, needed, agree = best
        out.append(Discrepancy(t, needed, agree))
        taken.update(agree)
