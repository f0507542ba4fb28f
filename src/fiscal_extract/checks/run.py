"""Arithmetic checks: verify every record, and say whether a failure is the extractor's or the
source document's.

Every check is an equation over printed figures (``Σ sign × term = 0``).  It passes within a
tolerance derived from the printed precision of its terms (half a unit of the last printed
digit per term: the documents warn of rounding), is ``skip`` when a figure it needs is absent,
and a failure gets a cause:

* ``extraction`` -- a repaired, realigned, cut-short or LLM-derived figure is involved, or one
  figure read differently by a common OCR confusion (3/8, 5/6, 0/8 …, a cut-off last digit)
  would make the check hold;
* ``source`` -- the figures as printed disagree and no such re-reading explains it: the
  document contradicts itself;
* ``unknown`` -- a figure without provenance is involved.

The kinds of check and their messages are data (``catalog/data/checks.toml`` and
``identities.toml``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache, partial
from typing import Any, NamedTuple

from ..catalog import Catalog, Identity
from ..models import CheckResult, Disclosure, NarrativeFact, Row, Span, Table
from ..selectors import Figure, Selector, row_ref, select

_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十廿]+、|[(（][一二三四五六七八九十廿]+[)）])\s*")
# digit pairs OCR confuses (either way)
_CONFUSED = {frozenset(p) for p in ("08", "06", "09", "17", "38", "56", "58", "68", "89", "49", "14", "27")}


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


_new_term: Callable[[tuple[Any, ...]], Term] = partial(tuple.__new__, Term)
"""A :class:`Term` of a tuple of all its fields, without a Python-level call."""


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


# ------------------------------------------------------------------------------ figure index


@dataclass
class _Index:
    """Flags and precision of every table figure, from the record's repairs and tables (a table's
    worked out when the checks first look at it: some tables no check reads)."""

    record: Disclosure
    cat: Catalog
    flags: dict[tuple[int, int, str], set[str]] = field(default_factory=dict)
    style: dict[int, int] = field(default_factory=dict)
    """The precision each table prints most figures with."""
    originals: dict[int, str] = field(default_factory=dict)
    figures: dict[int, int] = field(default_factory=dict)
    """How many figures each table prints."""
    decimals: dict[tuple[int, int], dict[str, int]] = field(default_factory=dict)
    """Printed decimals of every non-zero figure, by row (worked out once, for the table's precision)."""
    _repaired: dict[int, str] = field(default_factory=dict)
    _realigned: list[tuple[int, int]] = field(default_factory=list)
    _printed: dict[tuple[int, str | None], frozenset[str]] = field(default_factory=dict)
    _rows: dict[tuple[int, int], dict[str, Term]] = field(default_factory=dict)
    """The terms of every printed figure of a row, made when the checks first look at the row."""
    _selected: dict[Selector, Figure | None] = field(default_factory=dict)
    _class_cells: dict[tuple[int, str], dict[str, list[tuple[int, str]]]] = field(default_factory=dict)

    @classmethod
    def build(cls, record: Disclosure, cat: Catalog) -> _Index:
        ix = cls(record, cat)
        for rp in record.repairs:
            if rp.span is None:
                continue
            if rp.kind == "realign":
                ix._realigned.append((rp.span.start, rp.span.end))
            elif rp.value is not None:
                ix._repaired[rp.span.start] = "repaired"
                ix.originals[rp.span.start] = rp.original
        return ix

    def table_style(self, ti: int) -> int:
        """The table's precision (working out its figures' flags and decimals the first time)."""
        style = self.style.get(ti)
        if style is None:
            style = self._measure(ti)
        return style

    def _measure(self, ti: int) -> int:
        by_start, realigned = self._repaired, self._realigned
        decs: dict[int, int] = {}
        figures = 0
        for ri, r in enumerate(self.record.tables[ti].rows):
            # flags every figure of the row carries
            row_flags: set[str] = set()
            if realigned and r.span is not None and any(a <= r.span.start < b for a, b in realigned):
                row_flags.add("realigned")
            if r.origin == "llm":
                row_flags.add("llm")
            cells = r.cells
            row_decimals: dict[str, int] = {}
            for key, v in r.values.items():
                if v is None:
                    continue
                figures += 1
                if v != 0:
                    d = row_decimals[key] = decimals_of(v)
                    decs[d] = decs.get(d, 0) + 1
                f = row_flags
                if by_start:
                    span = cells.get(key)
                    if span is not None and span.start in by_start:
                        f = row_flags | {by_start[span.start]}
                if f:
                    self.flags[(ti, ri, key)] = f
            if row_decimals:
                self.decimals[(ti, ri)] = row_decimals
        style = self.style[ti] = max(decs, key=lambda d: (decs[d], d)) if decs else 0
        self.figures[ti] = figures
        return style

    def printed(self, ti: int, side: str | None = None) -> frozenset[str]:
        """Value keys with at least one printed figure in a table (on one side of a two-sided one)."""
        hit = self._printed.get((ti, side))
        if hit is None:
            # every side's keys in one pass over the table
            by_side: dict[str | None, set[str]] = {}
            for r in self.record.tables[ti].rows:
                keys = by_side.get(r.side)
                if keys is None:
                    keys = by_side[r.side] = set()
                values = r.values
                if not values.keys() <= keys:  # (most rows: no key that is not already in)
                    keys.update([k for k, v in values.items() if v is not None])
            for s, keys in by_side.items():
                if s is not None:
                    self._printed[(ti, s)] = frozenset(keys)
            everything = frozenset().union(*by_side.values())
            self._printed[(ti, None)] = everything
            hit = self._printed.get((ti, side))
            if hit is None:  # a side no row of the table is on
                hit = self._printed[(ti, side)] = frozenset()
        return hit

    def term(self, ti: int, ri: int, key: str) -> Term | None:
        """The term of a printed figure (``None``: the cell is empty)."""
        terms = self._rows.get((ti, ri))
        if terms is None:
            terms = self._rows[(ti, ri)] = self._row_terms(ti, ri)
        return terms.get(key)

    def row_terms(self, ti: int, ri: int) -> dict[str, Term]:
        """The terms of a row's printed figures, by key."""
        terms = self._rows.get((ti, ri))
        if terms is None:
            terms = self._rows[(ti, ri)] = self._row_terms(ti, ri)
        return terms

    def _row_terms(self, ti: int, ri: int) -> dict[str, Term]:
        t = self.record.tables[ti]
        r = t.rows[ri]
        style = self.table_style(ti)
        decimals = self.decimals.get((ti, ri), {})
        flagged, originals, cells = self.flags, self.originals, r.cells
        where = f"{t.title or t.kind} / {r.code or ''} {r.name} / "
        row_label = where.replace("  ", " ")
        ref = row_ref(ti, ri, "")  # + key: the figure's ref
        out: dict[str, Term] = {}
        for key, v in r.values.items():
            if v is None:
                continue
            d = decimals.get(key)
            if d is None:  # a zero: not counted in the table's precision
                d = decimals_of(v)
            flags = flagged.get((ti, ri, key)) if flagged else None
            if d < style and v != 0:
                flags = flags | {"short"} if flags else {"short"}
            span = cells.get(key)
            # (a tuple made directly: the named tuple's own constructor is a Python-level call,
            # and a few thousand terms are made per document)
            out[key] = _new_term(
                (
                    v,
                    ref + key,
                    d if d > style else style,
                    span or r.span,
                    tuple(sorted(flags)) if flags else (),
                    # "table / code name / key" without doubled spaces (the row's part ends in " / ", so
                    # a key without spaces -- every catalog key -- cannot make one with it)
                    row_label + key if " " not in key else (where + key).replace("  ", " "),
                    None,
                    originals.get(span.start) if originals and span is not None else None,
                )
            )
        return out

    def select(self, sel: Selector) -> Figure | None:
        """The figure a selector names (several checks name the same one: looked up once)."""
        if sel in self._selected:
            return self._selected[sel]
        hit = self._selected[sel] = select(self.record, sel)
        return hit

    def zero(self, ti: int, ri: int, key: str) -> Term:
        """An empty cell of a printed column: zero at the table's precision (for a table cut off
        before its first row -- a truncated document -- the table itself stands for the cell)."""
        t = self.record.tables[ti]
        d = self.table_style(ti)
        if ri >= len(t.rows):
            return Term(Decimal(0), f"tables[{ti}]", d, t.span, ("empty",), f"{t.title or t.kind} / {key}")
        r = t.rows[ri]
        return Term(Decimal(0), row_ref(ti, ri, key), d, r.span, ("empty",), f"{t.title or t.kind} / {r.name} / {key}")


# ------------------------------------------------------------------------------ evaluation


def readings(text: str) -> set[Decimal]:
    """Figures a damaged print could stand for: its digits with the point anywhere (or none)."""
    digits = "".join(ch for ch in text if ch.isdigit())
    if not digits or len(digits) > 15:
        return set()
    out = {Decimal(digits)}
    for i in range(1, len(digits)):
        out.add(Decimal(f"{digits[:i]}.{digits[i:]}"))
    return out


def implicated(t: Term, needed: Decimal, tol: Decimal) -> str | None:
    """Why a figure, read differently, could be what makes a check fail (``None``: it cannot)."""
    if "llm" in t.flags:
        return "read by the model"
    if "realigned" in t.flags:
        return "in a row realigned after a column shift"
    shown = format(t.value, "f")
    wanted = format(needed, "f")
    if ("short" in t.flags or "repaired" in t.flags) and needed > t.value and wanted.startswith(shown) and "." in shown:
        return f"printed {t.printed or shown!r}, possibly cut short of {wanted}"
    if (
        "repaired" in t.flags
        and t.printed
        and any(abs(alt - needed) <= tol for alt in readings(t.printed) if alt != t.value)
    ):
        return f"printed {t.printed!r}, which could also be read as {wanted}"
    return None


def _plausible_rereading(eq: Equation) -> str | None:
    """One figure read differently by a common OCR confusion that would make the check hold."""
    diff = eq.diff
    for sign, t in eq.terms:
        if "empty" in t.flags:
            continue
        needed = t.value - Decimal(sign) * diff
        if needed < 0:
            continue
        a = format(t.value, "f")
        b = format(needed.quantize(Decimal(1).scaleb(-t.decimals)) if t.decimals else needed, "f")
        if len(a) == len(b):
            changed = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
            if len(changed) == 1 and frozenset(changed[0]) in _CONFUSED:
                return f"{t.label}: {a} read as {b} would make it hold (a common OCR confusion)"
        if b.startswith(a) and len(b) > len(a) and "." in a:
            return f"{t.label}: {a} completed to {b} would make it hold (a figure cut short)"
    return None


_check_result: Callable[[dict[str, Any]], CheckResult] = CheckResult.__pydantic_validator__.validate_python
"""A check result validated from its fields as a dict: the same model as ``CheckResult(**fields)``
without pydantic's Python-level ``__init__`` (a third cheaper; some 400 results per document)."""


def evaluate(eq: Equation) -> CheckResult:
    refs = [t.ref for _, t in eq.terms]
    if eq.skip_reason is not None:
        return _check_result(
            {"id": eq.id, "status": "skip", "message": f"{eq.message}: {eq.skip_reason}", "refs": refs}
        )
    expected, actual, tol = eq.expected, eq.actual, eq.tolerance
    if eq.holds(tol):
        return _check_result(
            {
                "id": eq.id,
                "status": "pass",
                "message": eq.message,
                "expected": expected,
                "actual": actual,
                "tolerance": tol,
                "refs": refs,
            }
        )
    lhs_terms = [t for s, t in eq.terms if s > 0]
    rhs_terms = [t for s, t in eq.terms if s < 0]
    flagged = [(t, why) for s, t in eq.terms if (why := implicated(t, t.value - Decimal(s) * eq.diff, tol))]
    what = " = ".join(
        [" + ".join(f"{t.value}" for t in lhs_terms) or "0", " + ".join(f"{t.value}" for t in rhs_terms) or "0"]
    )
    if flagged:
        cause = "extraction"
        why = "; ".join(f"{t.label}: {w}" for t, w in flagged)
    elif any(t.span is None for _, t in eq.terms):
        cause, why = "unknown", "a figure without provenance is involved"
    else:
        reread = _plausible_rereading(eq)
        cause, why = ("extraction", reread) if reread else ("source", "the figures as printed disagree")
    return CheckResult(
        id=eq.id,
        status="fail",
        message=f"{eq.message}: {what} (off by {eq.diff}); {why}",
        expected=expected,
        actual=actual,
        tolerance=tol,
        cause=cause,
        refs=refs,
    )  # type: ignore[arg-type]


# ------------------------------------------------------------------------------ builders


def _sum_eq(
    ix: _Index, eid: str, msg: str, ti: int, lhs: tuple[int, str], rhs: list[tuple[int, str]], columns: set[str]
) -> Equation | None:
    """lhs = Σ rhs over cells of table ti; empty cells of printed columns count as zero."""
    term = ix.term
    lt = term(ti, *lhs)
    # a key written "-k" enters the sum with a minus sign (carry-over + income - spending = balance)
    signed: list[tuple[int, int, str, Term | None]] = []
    for ri, k in rhs:
        if k.startswith("-"):
            k = k.lstrip("-")
            signed.append((-1, ri, k, term(ti, ri, k)))
        else:
            signed.append((1, ri, k, term(ti, ri, k)))
    if lt is None and all(x is None for *_, x in signed):
        return None  # nothing printed on either side
    terms: list[tuple[int, Term]] = [(1, lt if lt is not None else ix.zero(ti, *lhs))]
    for sign, ri, k, x in signed:
        if x is not None:
            terms.append((-sign, x))
        elif k in columns:
            terms.append((-sign, ix.zero(ti, ri, k)))
    return Equation(eid, msg, terms)


def _column_eqs(
    ix: _Index, eid: str, msg: str, ti: int, lhs: int, rows: list[int], keys: list[str], columns: set[str]
) -> Iterable[Equation]:
    """Row lhs = Σ rows, in each column of ``keys`` of table ti (``_sum_eq`` with every cell in one
    column); empty cells of printed columns count as zero."""
    if not keys:
        return
    lhs_terms = ix.row_terms(ti, lhs)
    rows_terms = [ix.row_terms(ti, ri) for ri in rows]
    for key in keys:
        if key.startswith("-"):  # (never, for catalog keys) a signed key
            eq = _sum_eq(ix, eid, msg, ti, (lhs, key), [(ri, key) for ri in rows], columns)
            if eq is not None:
                yield eq
            continue
        lt = lhs_terms.get(key)
        rts = [terms.get(key) for terms in rows_terms]
        if lt is None and all(x is None for x in rts):
            continue  # nothing printed on either side
        terms: list[tuple[int, Term]] = [(1, lt if lt is not None else ix.zero(ti, lhs, key))]
        if key in columns:
            terms += [(-1, x if x is not None else ix.zero(ti, ri, key)) for ri, x in zip(rows, rts, strict=True)]
        else:
            terms += [(-1, x) for x in rts if x is not None]
        yield Equation(eid, msg, terms)


def _row_identities(ix: _Index) -> Iterable[Equation]:
    """lhs = Σ rhs within each row (``_sum_eq`` over one row's cells, looked up in the row's terms)."""
    cat = ix.cat
    for ti, t in enumerate(ix.record.tables):
        # each identity with its right-hand keys: a key written "-k" enters the sum with a minus
        # sign (carry-over + income - spending = balance)
        ids = [
            (idn, [(-1 if k.startswith("-") else 1, k.lstrip("-")) for k in idn.rhs])
            for idn in cat.identities_for(t.kind)
        ]
        if not ids:
            continue
        # the identities that apply on each side of the table: lhs and enough rhs keys printed
        by_side: dict[str | None, list[tuple[Identity, list[tuple[int, str]]]]] = {}
        for ri, r in enumerate(t.rows):
            if r.role == "indicator":
                continue
            applicable = by_side.get(r.side)
            if applicable is None:
                cols = ix.printed(ti, r.side)
                applicable = by_side[r.side] = [
                    (idn, present)
                    for idn, rhs in ids
                    if idn.lhs in cols and len(present := [(sign, k) for sign, k in rhs if k in cols]) >= idn.min_terms
                ]
            if not applicable or not any(v is not None for v in r.values.values()):
                continue  # no identity applies, or the row prints nothing
            row = ix.row_terms(ti, ri)
            for idn, present in applicable:
                lt = row.get(idn.lhs)
                rts = [row.get(k) for _, k in present]
                if lt is None and all(x is None for x in rts):
                    continue  # nothing printed on either side
                # an empty cell of a printed column counts as zero
                terms: list[tuple[int, Term]] = [(1, lt if lt is not None else ix.zero(ti, ri, idn.lhs))]
                terms += [
                    (-sign, x if x is not None else ix.zero(ti, ri, k))
                    for (sign, k), x in zip(present, rts, strict=True)
                ]
                yield Equation(idn.id, idn.message, terms)


def _unit_eq_total(ix: _Index, ti: int, units: list[int], tri: int, keys: list[str]) -> Iterable[Equation]:
    """A single top budget unit (the shortest unit code) carries the same figures as the total row."""
    rows = ix.record.tables[ti].rows
    shortest = min((len(rows[u].code or "") for u in units), default=0)
    top = [u for u in units if len(rows[u].code or "") == shortest]
    if len(top) != 1:
        return
    msg = ix.cat.checks.get("kinds", {})["table.unit_eq_total"]
    cols = set(keys)
    yield from _column_eqs(ix, "table.unit_eq_total", msg, ti, top[0], [tri], keys, cols)


def _code_rows(t: Table, cat: Catalog) -> list[tuple[int, Row]]:
    return [(ri, r) for ri, r in enumerate(t.rows) if r.role == "item" and r.code and cat.code_system(r.code)]


def _classified(ix: _Index) -> Iterable[Equation]:
    cat = ix.cat
    kinds = cat.checks.get("kinds", {})
    for ti, t in enumerate(ix.record.tables):
        if cat.layout_of(t.kind) != "classified" or t.empty:
            continue
        keys = sorted(ix.printed(ti))
        cols = set(keys)
        coded = _code_rows(t, cat)
        totals = [(ri, r) for ri, r in enumerate(t.rows) if r.role == "total"]
        # group totals by category (人员经费合计 = Σ 301, 303 …) or the table total
        for tri, tr in totals:
            members = [(ri, r) for ri, r in coded if tr.category is None or r.category == tr.category]
            if not members:
                units = [(ri, r) for ri, r in enumerate(t.rows) if r.role == "unit"]
                if units:
                    top = min(len(r.code or "") for _, r in units)
                    members = [(ri, r) for ri, r in units if len(r.code or "") == top]
            if not members:
                continue
            top_level = min(r.level or 9 for _, r in members)
            top = [ri for ri, r in members if (r.level or 9) == top_level]
            yield from _column_eqs(
                ix, "table.total_eq_top_rows", kinds["table.total_eq_top_rows"], ti, tri, top, keys, cols
            )
            # a single top budget unit carries the same figures as the total
            units = [ri for ri, r in enumerate(t.rows) if r.role == "unit"]
            if units and tr.category is None:
                yield from _unit_eq_total(ix, ti, units, tri, keys)
        # a budget unit with sub-units (112 / 112001): the unit equals the sum of its sub-units
        unit_rows = [(ri, r) for ri, r in enumerate(t.rows) if r.role == "unit" and r.code]
        for ri, r in unit_rows:
            subs = [rj for rj, c in unit_rows if c.code != r.code and (c.code or "").startswith(r.code or "")]
            if subs:
                yield from _column_eqs(
                    ix, "table.group_eq_items", kinds["table.group_eq_items"], ti, ri, subs, keys, cols
                )
        # parents and children
        # a row's children: the coded rows whose code is its own plus two digits
        children_of: dict[str, list[int]] = {}
        for ci, c in coded:
            if c.code and len(c.code) >= 2:
                children_of.setdefault(c.code[:-2], []).append(ci)
        for ri, r in coded:
            children = children_of.get(r.code or "")
            if not children:
                continue
            yield from _column_eqs(
                ix, "table.parent_eq_children", kinds["table.parent_eq_children"], ti, ri, children, keys, cols
            )


def _grouped_lists(ix: _Index) -> Iterable[Equation]:
    """Project and procurement tables: total = Σ items; group rows = Σ their items."""
    cat = ix.cat
    kinds = cat.checks.get("kinds", {})
    for ti, t in enumerate(ix.record.tables):
        if cat.layout_of(t.kind) not in ("project", "procurement") or t.empty:
            continue
        keys = sorted(ix.printed(ti) - {"unit_price"})
        cols = set(keys)
        totals = [ri for ri, r in enumerate(t.rows) if r.role == "total"]
        groups: list[tuple[int, list[int]]] = []
        loose: list[int] = []
        current: tuple[int, list[int]] | None = None
        for ri, r in enumerate(t.rows):
            if r.role == "subtotal":
                current = (ri, [])
                groups.append(current)
            elif r.role == "item":
                (current[1] if current is not None else loose).append(ri)
            elif r.role == "total" or (r.role == "unit" and t.kind != "procurement"):
                current = None
        for gi, members in groups:
            if not members:
                continue
            yield from _column_eqs(
                ix, "table.group_eq_items", kinds["table.group_eq_items"], ti, gi, members, keys, cols
            )
        parts = loose + [m for _, members in groups for m in members]
        for tri in totals[:1]:
            if not parts:
                continue
            yield from _column_eqs(
                ix, "table.total_eq_top_rows", kinds["table.total_eq_top_rows"], ti, tri, parts, keys, cols
            )
            units = [ri for ri, r in enumerate(t.rows) if r.role == "unit"]
            yield from _unit_eq_total(ix, ti, units, tri, keys)
        if t.kind == "procurement":
            for ri, r in enumerate(t.rows):
                q = r.texts.get("quantity", "").replace(",", "")
                price = ix.term(ti, ri, "unit_price")
                amount = ix.term(ti, ri, "total")
                if q.replace(".", "", 1).isdigit() and price is not None and amount is not None:
                    qd = Decimal(q)
                    scaled = Term(price.value * qd, price.ref, price.decimals, price.span, price.flags, price.label)
                    yield Equation(
                        "procurement.amount_eq_quantity_price",
                        kinds["procurement.amount_eq_quantity_price"],
                        [(1, amount), (-1, scaled)],
                    )


def _of_which(ix: _Index) -> Iterable[Equation]:
    """ "其中：…" is part of what it follows: a row's of-which figure, and of-which columns
    (其中：财政拨款 under 一般公共预算), never exceed their whole."""
    kinds = ix.cat.checks.get("kinds", {})
    msg = kinds["table.of_which_le_whole"]
    limits = ix.cat.checks.get("of_which_columns", {})
    for ti, t in enumerate(ix.record.tables):
        printed = ix.printed(ti)
        table_limits = [(part, whole) for part, whole in limits.items() if part in printed and whole in printed]
        prev: dict[str | None, int] = {}
        for ri, r in enumerate(t.rows):
            if r.category == "of_which" and r.side in prev:
                for k in r.values:
                    part, whole = ix.term(ti, ri, k), ix.term(ti, prev[r.side], k)
                    if part is not None and whole is not None:
                        yield Equation("table.of_which_le_whole", msg, [(1, part), (-1, whole)], relation="le")
            elif r.category != "of_which":
                prev[r.side] = ri
            for part_key, whole_key in table_limits:
                if r.values.get(part_key) is None or r.values.get(whole_key) is None:
                    continue  # not both printed in this row
                part, whole = ix.term(ti, ri, part_key), ix.term(ti, ri, whole_key)
                if part is not None and whole is not None:
                    yield Equation("table.of_which_le_whole", msg, [(1, part), (-1, whole)], relation="le")


def _two_sided(ix: _Index) -> Iterable[Equation]:
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
                if r.level in (0, 1) and _NUMBERING.match(r.name or ""):
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
                        yield from _column_eqs(ix, eid, kinds[eid], ti, ri, kids, keys, cols)
            # footer subtotal ("本年收入合计") = the level-1 items before it
            start = 0
            for n, (ri, r) in enumerate(rows):
                if r.role == "subtotal" and not _NUMBERING.match(r.name or ""):
                    items = [
                        rj
                        for rj, c in rows[start:n]
                        if c.role == "item"
                        and c.level == 1
                        and c.category not in ("of_which", "carryover", "carryover_end")
                        and rj not in claimed
                    ]
                    claimed.update(items)
                    yield from _column_eqs(
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
            yield from _column_eqs(
                ix, "two_sided.total_eq_parts", kinds["two_sided.total_eq_parts"], ti, tri, parts, keys, cols
            )
        if len(side_totals) == 2:
            a = ix.term(ti, side_totals["income"], "total")
            b = ix.term(ti, side_totals["expenditure"], "total")
            if a is not None and b is not None:
                yield Equation(
                    "two_sided.income_eq_expenditure", kinds["two_sided.income_eq_expenditure"], [(1, a), (-1, b)]
                )


def _fig_term(ix: _Index, record: Disclosure, sel: Selector, plus: list[str] | None = None) -> Term | None:
    fig = ix.select(sel)
    if fig is None:
        return None
    t = ix.term(fig.table, fig.row, fig.key)
    if t is None or not plus:
        return t
    extra = [ix.term(fig.table, fig.row, k) for k in plus]
    value = t.value + sum((e.value for e in extra if e is not None), Decimal(0))
    flags = tuple(sorted(set(t.flags).union(*(e.flags for e in extra if e is not None))))
    dec = max([t.decimals] + [e.decimals for e in extra if e is not None])
    return Term(value, t.ref, dec, t.span, flags, t.label + " + " + "+".join(plus))


def _sum_term(ix: _Index, record: Disclosure, specs: list[dict[str, str]]) -> Term | None:
    terms = [_fig_term(ix, record, Selector.of(x)) for x in specs]
    if any(t is None for t in terms):
        return None
    ts = [t for t in terms if t is not None]
    return Term(
        sum((t.value for t in ts), Decimal(0)),
        ts[0].ref,
        0,
        ts[0].span,
        tuple(sorted(set().union(*(t.flags for t in ts)))),
        " + ".join(t.label for t in ts),
        slack=sum((t.half_unit for t in ts), Decimal(0)),
    )


def _column_sum(ix: _Index, kind: str, key: str) -> Term | None:
    """Σ key over the item rows of the first table of a kind that prints it in 3+ rows."""
    for ti, t in enumerate(ix.record.tables):
        if t.kind != kind:
            continue
        cells = [(ri, ix.term(ti, ri, key)) for ri, r in enumerate(t.rows) if r.role == "item"]
        terms = [x for _, x in cells if x is not None]
        if len(terms) < 3:
            continue
        return Term(
            sum((x.value for x in terms), Decimal(0)),
            terms[0].ref,
            0,
            terms[0].span,
            tuple(sorted(set().union(*(x.flags for x in terms)))),
            f"Σ {key} of {t.title or t.kind}",
            slack=sum((x.half_unit for x in terms), Decimal(0)),
        )
    return None


def _cross(ix: _Index) -> Iterable[Equation]:
    record = ix.record
    for spec in ix.cat.checks.get("cross", []):
        a_spec = dict(spec["a"])
        plus = a_spec.pop("plus", None)
        if a_spec.pop("sum_rows", False):
            a = _column_sum(ix, a_spec["kind"], a_spec["key"])
        else:
            a = _fig_term(ix, record, Selector.of(a_spec), plus)
        bs = [
            _sum_term(ix, record, b["sum"]) if "sum" in b else _fig_term(ix, record, Selector.of(b)) for b in spec["b"]
        ]
        bs = [b for b in bs if b is not None]
        if a is None or not bs:
            missing = (
                Selector.of({k: v for k, v in spec["a"].items() if k not in ("plus", "sum_rows")}).describe()
                if a is None
                else " or ".join(Selector.of(b).describe() for b in spec["b"] if "sum" not in b)
            )
            present = [t for _, t in ([(1, a)] if a is not None else []) + [(-1, b) for b in bs]]
            yield Equation(
                spec["id"],
                spec["message"],
                [(1, t) for t in present],
                skip_reason=f"no printed figure for {missing or 'one side'}",
            )
            continue
        eqs = [Equation(spec["id"], spec["message"], [(1, a), (-1, b)]) for b in bs]
        passing = [e for e in eqs if e.holds()]
        yield passing[0] if passing else eqs[0]


def class_code(cat: Catalog, name: str) -> str | None:
    n = _NUMBERING.sub("", name or "").strip()
    return cat.function_code(n) or cat.function_code(n.removesuffix("支出"))


def _class_totals(ix: _Index, ti: int, key: str) -> dict[str, list[tuple[int, str]]]:
    """Functional class -> the cells that make its total in a classified table."""
    out = ix._class_cells.get((ti, key))
    if out is not None:
        return out
    t = ix.record.tables[ti]
    out = ix._class_cells[(ti, key)] = {}
    coded = [(ri, r) for ri, r in _code_rows(t, ix.cat) if ix.cat.code_system(r.code or "") == "functional"]
    for cls_code in {(r.code or "")[:3] for _, r in coded}:
        members = [(ri, r) for ri, r in coded if (r.code or "").startswith(cls_code)]
        top = min(r.level or 9 for _, r in members)
        out[cls_code] = [(ri, key) for ri, r in members if (r.level or 9) == top]
    return out


def _classes(ix: _Index) -> Iterable[Equation]:
    record = ix.record
    for spec in ix.cat.checks.get("classes", []):
        a_tables = [i for i, t in enumerate(record.tables) if t.kind == spec["a"]["kind"]]
        b_tables = [i for i, t in enumerate(record.tables) if t.kind == spec["b"]["kind"]]
        if not a_tables or not b_tables:
            continue
        ta, tb = a_tables[0], b_tables[0]
        if spec.get("when_missing") and spec["when_missing"] in ix.printed(ta):
            continue
        if spec["a"]["key"] not in ix.printed(ta, spec["a"].get("side")):
            continue
        b_cells = _class_totals(ix, tb, spec["b"]["key"])
        for ri, r in enumerate(record.tables[ta].rows):
            if r.side != spec["a"].get("side") or r.role != "item":
                continue
            code = class_code(ix.cat, r.name)
            a = ix.term(ta, ri, spec["a"]["key"])
            if a is None:
                continue  # an unprinted class line: the detailed table's own checks cover its rows
            if code is None or code not in b_cells:
                if a is not None and a.value != 0 and code is not None:
                    # a class the detailed table does not print at all (or a detailed table cut
                    # off before its first row: nothing to compare with)
                    yield Equation(
                        spec["id"],
                        spec["message"] + f" ({r.name})",
                        [(1, a), (-1, ix.zero(tb, 0, spec["b"]["key"]))],
                        None if record.tables[tb].rows else "the detailed table has no rows (cut off?)",
                    )
                continue
            cells = b_cells[code]
            terms = [ix.term(tb, ci, k) for ci, k in cells]
            if a is None and all(x is None for x in terms):
                continue
            eq_terms: list[tuple[int, Term]] = [(1, a if a is not None else ix.zero(ta, ri, spec["a"]["key"]))]
            eq_terms += [
                (-1, x if x is not None else ix.zero(tb, ci, k)) for x, (ci, k) in zip(terms, cells, strict=True)
            ]
            yield Equation(spec["id"], spec["message"] + f" ({r.name})", eq_terms)


def _same_rows(ix: _Index) -> Iterable[Equation]:
    record = ix.record
    for spec in ix.cat.checks.get("rows", []):
        ta = next((i for i, t in enumerate(record.tables) if t.kind == spec["a"]), None)
        tb = next((i for i, t in enumerate(record.tables) if t.kind == spec["b"]), None)
        if ta is None or tb is None:
            continue
        tot_a = ix.select(Selector(kind=spec["a"], role="total", key="total"))
        tot_b = ix.select(Selector(kind=spec["b"], role="total", key="total"))
        if tot_a is None or tot_b is None or tot_a.value != tot_b.value:
            continue  # the tables cover different money: rows need not agree
        rows_b = {r.code: ri for ri, r in _code_rows(record.tables[tb], ix.cat)}
        for ri, r in _code_rows(record.tables[ta], ix.cat):
            rj = rows_b.get(r.code)
            if rj is None:
                continue
            for k in spec["keys"]:
                a = ix.term(ta, ri, k)
                b = ix.term(tb, rj, k)
                if a is None and b is None:
                    continue
                if (a is None) != (b is None):
                    present = a or b
                    if present is not None and present.value == 0:
                        continue
                    if k not in ix.printed(ta) or k not in ix.printed(tb):
                        continue
                yield Equation(
                    spec["id"],
                    spec["message"] + f" ({r.code} {k})",
                    [(1, a or ix.zero(ta, ri, k)), (-1, b or ix.zero(tb, rj, k))],
                )


def _column_rules(ix: _Index) -> Iterable[Equation]:
    kinds = ix.cat.checks.get("kinds", {})
    for rule in ix.cat.checks.get("column_rule", []):
        for ti, t in enumerate(ix.record.tables):
            if t.kind not in rule["kinds"] or rule["empty"] not in ix.printed(ti):
                continue
            for ri, r in enumerate(t.rows):
                if r.role != "item" or not r.code or not r.code.startswith(tuple(rule["prefixes"])):
                    continue
                x = ix.term(ti, ri, rule["empty"])
                if x is not None:
                    yield Equation(
                        "table.economic_class_column",
                        f"{kinds['table.economic_class_column']}: {r.code} {r.name} is {rule['label']}",
                        [(1, x)],
                    )


def _empty_notes(ix: _Index) -> Iterable[Equation]:
    """A note "本表无数据" under a table that prints non-zero figures: the document contradicts itself."""
    kinds = ix.cat.checks.get("kinds", {})
    for ti, t in enumerate(ix.record.tables):
        if not any(ix.cat.is_empty_note(n) for n in t.notes):
            continue
        for ri, r in enumerate(t.rows):
            if r.role != "total":
                continue
            for key, v in r.values.items():
                if v:
                    x = ix.term(ti, ri, key)
                    if x is not None:
                        yield Equation(
                            "table.note_vs_figures", f"{kinds['table.note_vs_figures']} ({t.title})", [(1, x)]
                        )
                    break
            break


# ------------------------------------------------------------------------------ narrative


def _fact_term(f: NarrativeFact, n: int, what: str = "value") -> Term | None:
    v = f.value if what == "value" else f.share
    if v is None:
        return None
    return Term(v, f"narrative.facts[{n}].{what}", decimals_of(v), f.span, (), f"narrative {f.subject}{v}")


def _named(ix: _Index, record: Disclosure, name: str) -> Term | None:
    if name.startswith("summary."):
        path = name.split(".")[1:]
        ref = record.summary.refs.get(".".join(path))
        if ref is None:
            return None
        t = ix.term(ref.table, ref.row, ref.key)
        if t is not None and record.tables[ref.table].unit == "元" and record.meta.unit == "万元":
            t = Term(t.value / Decimal(10000), t.ref, t.decimals + 4, t.span, t.flags, t.label)
        return t
    if name.startswith("table:"):
        _, kind, role, key = name.split(":")
        return _fig_term(ix, record, Selector(kind=kind, role=role or None, key=key))
    return None


def _narrative(ix: _Index) -> Iterable[Equation]:
    record = ix.record
    kinds = ix.cat.checks.get("kinds", {})
    spec = ix.cat.checks.get("narrative", {})
    figures = spec.get("figures", {})
    bases = spec.get("share_base", {})
    unit = record.meta.unit
    facts = record.narrative.facts
    first_by_key: dict[str, tuple[int, NarrativeFact]] = {}
    for n, f in enumerate(facts):
        first_by_key.setdefault(f.key, (n, f))
    for n, f in enumerate(facts):
        if f.value is None or f.span is None:
            continue
        ft = _fact_term(f, n)
        if ft is None:
            continue
        if f.unit == "元" and unit == "万元":
            ft = Term(ft.value / Decimal(10000), ft.ref, ft.decimals + 4, ft.span, ft.flags, ft.label)
        # the figure in the tables
        target = None
        for name in figures.get(f.key, []):
            target = _named(ix, record, name)
            if target is not None:
                break
        if f.key == "function_class" and f.code:
            target = _class_term(ix, f.code)
        if target is not None:
            yield Equation("narrative.figure", kinds["narrative.figure"] + f" ({f.key})", [(1, ft), (-1, target)])
        else:
            yield Equation(
                "narrative.figure",
                kinds["narrative.figure"] + f" ({f.key})",
                [(1, ft)],
                skip_reason="no table prints this figure",
            )
        # the stated share
        if f.share is not None:
            base = None
            for bkey in bases.get(f.key, []):
                hit = first_by_key.get(bkey)
                if hit is not None and hit[1].value:
                    base = _fact_term(hit[1], hit[0])
                    break
                named = _named(ix, record, f"summary.{bkey}")
                if named is not None and named.value:
                    base = named
                    break
            if base is not None:
                yield _share_eq(kinds["narrative.share"] + f" ({f.key})", f, n, ft, base)
        if f.change is not None:
            yield from _change_eqs(kinds["narrative.change"] + f" ({f.key})", f, n, ft)
    # the classes the narrative lists add up to the general-budget total it states
    classes = [(n, f) for n, f in enumerate(facts) if f.key == "function_class" and f.value is not None]
    total = first_by_key.get("gpb_expenditure")
    if len(classes) >= 2 and total is not None and total[1].value is not None:
        tt = _fact_term(total[1], total[0])
        terms = [(-1, t) for n, f in classes if (t := _fact_term(f, n)) is not None]
        if tt is not None:
            yield Equation("narrative.sum_of_classes", kinds["narrative.sum_of_classes"], [(1, tt), *terms])


def _class_term(ix: _Index, code: str) -> Term | None:
    record = ix.record
    for kind in ("general_budget_expenditure", "expenditure_overview"):
        tis = [i for i, t in enumerate(record.tables) if t.kind == kind]
        if not tis:
            continue
        cells = _class_totals(ix, tis[0], "total").get(code)
        if not cells:
            continue
        terms = [ix.term(tis[0], ri, k) for ri, k in cells]
        terms = [t for t in terms if t is not None]
        if not terms:
            continue
        value = sum((t.value for t in terms), Decimal(0))
        flags = tuple(sorted(set().union(*(t.flags for t in terms))))
        d = max(t.decimals for t in terms)
        slack = (
            None
            if len(terms) == 1
            else min(sum((t.half_unit for t in terms), Decimal(0)), Decimal(1).scaleb(-d) * (1 + len(terms) // 10))
        )
        return Term(
            value, terms[0].ref, d, terms[0].span, flags, f"class {code} in {record.tables[tis[0]].title}", slack=slack
        )
    return None


def _share_eq(msg: str, f: NarrativeFact, n: int, value: Term, base: Term) -> Equation:
    """value / base × 100 = share, checked as value × 100 = share × base with interval slack."""
    share = f.share or Decimal(0)
    share_half = Decimal(5).scaleb(-decimals_of(share) - 1)
    t1 = Term(
        value.value * 100, value.ref, 0, value.span, value.flags, value.label + " × 100", slack=value.half_unit * 100
    )
    t2 = Term(
        share * base.value,
        f"narrative.facts[{n}].share",
        0,
        f.span,
        base.flags,
        f"{share}% × {base.label}",
        slack=share_half * base.value + base.half_unit * share,
    )
    return Equation("narrative.share", msg, [(1, t1), (-1, t2)])


def _change_eqs(msg: str, f: NarrativeFact, n: int, value: Term) -> Iterable[Equation]:
    c = f.change
    if c is None or c.direction == "flat" or c.amount is None:
        return
    sign = 1 if c.direction == "increase" else -1
    amount = Term(
        c.amount,
        f"narrative.facts[{n}].change.amount",
        decimals_of(c.amount),
        c.span or f.span,
        (),
        f"change {c.amount}",
    )
    if c.previous is not None:
        prev = Term(
            c.previous,
            f"narrative.facts[{n}].change.previous",
            decimals_of(c.previous),
            c.span or f.span,
            (),
            f"previous {c.previous}",
        )
        yield Equation(
            "narrative.change", msg + ": value - previous = change", [(1, value), (-1, prev), (-sign, amount)]
        )
    if c.percent is not None:
        previous = value.value - sign * c.amount
        if previous > 0:
            pct_half = Decimal(5).scaleb(-decimals_of(c.percent) - 1)
            chg = Term(
                c.amount * 100, amount.ref, 0, amount.span, (), f"change {c.amount} × 100", slack=amount.half_unit * 100
            )
            pct = Term(
                c.percent * previous,
                f"narrative.facts[{n}].change.percent",
                0,
                c.span or f.span,
                (),
                f"{c.percent}% of previous {previous}",
                slack=pct_half * previous + (amount.half_unit + value.half_unit) * c.percent,
            )
            yield Equation("narrative.change", msg + ": percent = change / previous", [(1, chg), (-1, pct)])


# ------------------------------------------------------------------------------ entry

BUILDERS = (
    _row_identities,
    _classified,
    _grouped_lists,
    _two_sided,
    _of_which,
    _column_rules,
    _empty_notes,
    _cross,
    _classes,
    _same_rows,
    _narrative,
)


# the builders whose equations depend on the figures only through their terms: which cells are
# printed (and which are zero) decides what they build, not what the cells say -- except the
# procurement amounts of _grouped_lists (quantity × unit price, a derived term)
_CELLWISE = frozenset(
    {_row_identities, _classified, _grouped_lists, _two_sided, _of_which, _column_rules, _empty_notes}
)


class Equations(list[Equation]):
    """The equations of a record, with the index and the builders that made them (so that a
    few completed figures are rechecked without building everything again)."""

    def __init__(self, ix: _Index, parts: list[list[Equation]]) -> None:
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
    ix = _Index.build(record, cat)
    if isinstance(previous, Equations) and previous.index.record is record:
        parts = _rebuilt_parts(ix, previous)
        if parts is not None:
            return Equations(ix, parts)
    return Equations(ix, [list(build(ix)) for build in BUILDERS])


def _rebuilt_parts(ix: _Index, previous: Equations) -> list[list[Equation]] | None:
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
        if build not in _CELLWISE or (build is _grouped_lists and procurement):
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
    return Equation(eq.id, eq.message, terms, eq.skip_reason, eq.relation)


def run_checks(record: Disclosure, cat: Catalog, eqs: list[Equation] | None = None) -> list[CheckResult]:
    """Every check of a record, in a stable order (``eqs``: equations already built for it)."""
    return [evaluate(eq) for eq in (equations(record, cat) if eqs is None else eqs)]
