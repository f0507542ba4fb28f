"""Every equation of a record, built once by the families of equations, and the checks run over them."""

from __future__ import annotations

from typing import Any

from ..catalog import Catalog
from ..models import CheckResult, Disclosure
from .across import class_equations, cross_equations, same_row_equations
from .causes import evaluate
from .index import Index
from .narrative import narrative_equations
from .performance import performance_equations
from .terms import Equation, Term
from .two_sided import two_sided_equations
from .within import (
    classified_equations,
    column_rule_equations,
    empty_note_equations,
    grouped_list_equations,
    of_which_equations,
    row_identity_equations,
)

# ------------------------------------------------------------------------------ entry

BUILDERS = (
    row_identity_equations,
    classified_equations,
    grouped_list_equations,
    two_sided_equations,
    of_which_equations,
    column_rule_equations,
    empty_note_equations,
    cross_equations,
    class_equations,
    same_row_equations,
    narrative_equations,
    performance_equations,
)


# the builders whose equations depend on the figures only through their terms: which cells are
# printed (and which are zero) decides what they build, not what the cells say -- except the
# procurement amounts of grouped_list_equations (quantity × unit price, a derived term)
_CELLWISE = frozenset(
    {
        row_identity_equations,
        classified_equations,
        grouped_list_equations,
        two_sided_equations,
        of_which_equations,
        column_rule_equations,
        empty_note_equations,
    }
)


class Equations(list[Equation]):
    """The equations of a record, with the index and the builders that made them (so that a
    few completed figures are rechecked without building everything again)."""

    def __init__(self, ix: Index, parts: list[list[Equation]]) -> None:
        super().__init__(eq for part in parts for eq in part)
        self.index = ix
        self.parts = parts


def equations(record: Disclosure, cat: Catalog, previous: list[Equation] | None = None) -> list[Equation]:
    """Every equation of a record, in a stable order.

    ``previous``: the record's equations before :func:`~fiscal_extract.checks.reconcile.complete_short_figures`
    completed some of its figures (and the caller recorded the repairs and rebuilt the summary):
    what the completions cannot change is kept, the rest built again -- the same equations as
    building them all afresh.
    """
    ix = Index.build(record, cat)
    if isinstance(previous, Equations) and previous.index.record is record:
        parts = _rebuilt_parts(ix, previous)
        if parts is not None:
            return Equations(ix, parts)
    return Equations(ix, [list(build(ix)) for build in BUILDERS])


def _rebuilt_parts(ix: Index, previous: Equations) -> list[list[Equation]] | None:
    """The builders' equations after figures changed value; ``None`` when a change is more than
    that (a figure appeared, vanished or became zero, a table's precision changed)."""
    old = previous.index
    for ti in old.style:  # the tables the equations read
        ix.table_style(ti)
    if ix.style != old.style or ix.figures != old.figures:
        return None
    changed: dict[int, Term] = {}  # id of a term in the equations -> the term now
    tables: set[int] = set()
    # what a term is made of besides its row's values: its flags and what the document printed
    flagged = {(ti, ri) for ti, ri, _ in _differing(ix.flags, old.flags)}
    starts = _differing(ix.originals, old.originals)
    for (ti, ri), was_row in old._rows.items():
        r = ix.record.tables[ti].rows[ri]
        if (
            (ti, ri) not in flagged
            and all(r.values.get(key) is t.value for key, t in was_row.items())
            and not (starts and any(c.start in starts for c in r.cells.values()))
        ):
            ix._rows[(ti, ri)] = was_row  # the row's terms are made of the same things
            continue
        now_row = ix._rows[(ti, ri)] = ix._row_terms(ti, ri)
        if now_row.keys() != was_row.keys():
            return None
        for key, was in was_row.items():
            now = now_row[key]
            if (now.value != 0) != (was.value != 0):
                return None
            if now != was:
                changed[id(was)] = now
                tables.add(ti)
    procurement = any(ix.record.tables[ti].kind == "procurement" for ti in tables)
    parts: list[list[Equation]] = []
    for build, part in zip(BUILDERS, previous.parts, strict=True):
        if build not in _CELLWISE or (build is grouped_list_equations and procurement):
            parts.append(list(build(ix)))
        elif changed:
            parts.append([_with_terms(eq, changed) for eq in part])
        else:
            parts.append(part)
    return parts


def _differing(a: dict[Any, Any], b: dict[Any, Any]) -> set[Any]:
    return {k for k in a.keys() | b.keys() if a.get(k) != b.get(k)}


def _with_terms(eq: Equation, changed: dict[int, Term]) -> Equation:
    for _, t in eq.terms:
        if id(t) in changed:
            break
    else:
        return eq  # (most equations: a plain loop, as this runs over all of them)
    terms = [(s, changed.get(id(t), t)) for s, t in eq.terms]
    return Equation(eq.id, eq.message, terms, eq.skip_reason, eq.relation, eq.explain)


def run_checks(record: Disclosure, cat: Catalog, eqs: list[Equation] | None = None) -> list[CheckResult]:
    """Every check of a record, in a stable order (``eqs``: equations already built for it)."""
    wording = cat.checks.get("wording", {})
    return [evaluate(eq, wording) for eq in (equations(record, cat) if eqs is None else eqs)]
