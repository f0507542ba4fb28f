"""Where a record's figures are printed: one mark per place in the source text.

This is the one definition of "the record's figures" that the review report highlights and its
browser test counts:

* a **figure** is a non-null value with a span: a table cell (``Row.values[key]`` located by
  ``Row.cells[key]``), a narrative fact's value or share (located by ``NarrativeFact.span``), or a
  part of its year-on-year change (amount, percent, previous; located by ``Change.span``, else the
  fact's span);
* summary figures are table cells already: they add a name to the cell's mark, not a place;
* figures whose spans overlap are printed in one place, so they share one **mark** (two facts that
  quote the same change phrase, say).

``figure_count(record)`` is the number of marks.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from ..models import Disclosure, Span
from ..selectors import row_ref
from .findings import fact_part

FACT_PARTS = ("value", "share", "change.amount", "change.percent", "change.previous")


@dataclass(frozen=True)
class Located:
    """One figure of the record and where it is printed."""

    ref: str
    value: Decimal
    span: Span


@dataclass
class Mark:
    """One place in the text holding one or more figures (their spans overlap or coincide)."""

    start: int
    end: int
    line: int
    figures: list[Located] = field(default_factory=list)

    @property
    def id(self) -> str:
        """The HTML id of the mark in the review report."""
        return f"f{self.start}-{self.end}"

    @property
    def refs(self) -> list[str]:
        return [f.ref for f in self.figures]


def located_figures(record: Disclosure) -> Iterator[Located]:
    """Every figure with a span: table cells, then narrative facts, then summary names of cells."""
    for ti, t in enumerate(record.tables):
        for ri, r in enumerate(t.rows):
            for key, value in r.values.items():
                span = r.cells.get(key)
                if value is not None and span is not None:
                    yield Located(row_ref(ti, ri, key), value, span)
    for n, f in enumerate(record.narrative.facts):
        for part in FACT_PARTS:
            value, span = fact_part(f, part)
            if value is not None and span is not None:
                yield Located(f"narrative.facts[{n}].{part}", value, span)
    for name, cell in record.summary.refs.items():
        if cell.table < len(record.tables) and cell.row < len(record.tables[cell.table].rows):
            r = record.tables[cell.table].rows[cell.row]
            value, span = r.values.get(cell.key), r.cells.get(cell.key)
            if value is not None and span is not None:
                yield Located(f"summary.{name}", value, span)


def figure_marks(record: Disclosure) -> list[Mark]:
    """The record's figures grouped into marks (overlapping spans merged), in text order."""
    figures = sorted(located_figures(record), key=lambda f: (f.span.start, -f.span.end))
    marks: list[Mark] = []
    for f in figures:
        last = marks[-1] if marks else None
        if last is not None and f.span.start < last.end:
            last.end = max(last.end, f.span.end)
            last.figures.append(f)
        else:
            marks.append(Mark(f.span.start, max(f.span.end, f.span.start + 1), f.span.line, [f]))
    return marks


def figure_count(record: Disclosure) -> int:
    """How many places in the text hold an extracted figure (the review highlights each once)."""
    return len(figure_marks(record))


def marks_by_ref(marks: list[Mark]) -> dict[str, Mark]:
    """The mark holding each figure reference."""
    return {f.ref: m for m in marks for f in m.figures}
