"""The figure index of a record: its tables' figures by kind, code, row role and key, built once and
shared by every family of equations."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..catalog import Catalog
from ..models import Disclosure
from ..selectors import Figure, Selector, row_ref, select
from .terms import Term, decimals_of, new_term

# ------------------------------------------------------------------------------ figure index


@dataclass
class Index:
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
    def build(cls, record: Disclosure, cat: Catalog) -> Index:
        ix = cls(record, cat)
        for rp in record.repairs:
            if rp.span is None:
                continue
            if rp.kind in ("realign", "placement"):
                # a row put back by arithmetic: a column shift, or empty cells the PDF text dropped
                ix._realigned.append((rp.span.start, rp.span.end))
            elif rp.value is not None:
                ix._repaired[rp.span.start] = "repaired"
                ix.originals[rp.span.start] = rp.original
        for n in record.notices:
            if n.code == "unplaced_figures" and n.span is not None:
                ix._realigned.append((n.span.start, n.span.end))  # figures of the row left unplaced
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
        # the column as the document heads it (else the catalog's first name for its key)
        printed = {c.key: c.label for c in t.columns if c.label}
        names = self.key_names()
        side = self.side_names().get(r.side or "", "")
        if side:
            row_label = row_label.replace(" / ", f" / {side} ", 1).replace("  ", " ")
            where = row_label
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
            out[key] = new_term(
                (
                    v,
                    ref + key,
                    d if d > style else style,
                    span or r.span,
                    tuple(sorted(flags)) if flags else (),
                    # "table / code name / column" (the printed heading, else the key) without doubled
                    # spaces (the row's part ends in " / ": a heading without spaces cannot make one)
                    _label(row_label, where, printed.get(key) or names.get(key, key)),
                    None,
                    originals.get(span.start) if originals and span is not None else None,
                )
            )
        return out

    def key_names(self) -> dict[str, str]:
        """A value key's name as documents print it: the catalog's first label for it."""
        names = self.cat.memo("key_names")
        if not names:
            for specs in self.cat.labels.values():
                for spec in specs:
                    if spec.key and spec.role == "value":
                        names.setdefault(spec.key if spec.layouts is None else f"~{spec.key}", spec.label)
            for k in [k for k in names if k.startswith("~")]:
                names.setdefault(k[1:], names.pop(k))
        return names

    def side_names(self) -> dict[str, str]:
        """A two-sided table's sides as the document names them (收入 / 支出)."""
        return self.cat.checks.get("side_names", {})

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


def _label(row_label: str, where: str, column: str) -> str:
    return row_label + column if " " not in column else (where + column).replace("  ", " ")
