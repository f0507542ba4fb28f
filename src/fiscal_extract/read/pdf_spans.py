"""Every span of a record read from a PDF gains the page and box where it is printed; a figure
OCR read with low confidence is flagged (an ``ocr_uncertain`` notice naming its cell)."""

from __future__ import annotations

from pydantic import BaseModel

from ..models import Notice, Span
from .pdf_layout import PageText, locate

OCR_UNCERTAIN = 0.95
"""A figure OCR read with a confidence below this is flagged for a reviewer: on the rasterised
samples (``bench/ocr_accuracy.py``) figures read right score 0.97-1.0 almost all, and misread
ones lower."""


def place_spans(record: BaseModel, layout: PageText) -> int:
    """Set ``page``, ``bbox`` and (OCR) ``confidence`` on every :class:`Span` in ``record``;
    returns how many were placed.  A record with tables and notices (a disclosure) also gets a
    notice for every figure OCR was unsure of (:func:`flag_uncertain`)."""
    layout.index()
    placed = 0
    for span in spans_of(record):
        hit = locate(layout, span.start, span.end)
        if hit is not None:
            span.page, box, span.confidence = hit[0], hit[1], hit[2]
            span.bbox = [round(v, 1) for v in box]
            placed += 1
    flag_uncertain(record, layout.text)
    return placed


def spans_of(obj: object) -> list[Span]:
    """Every :class:`Span` inside a model (lists, dicts and nested models walked)."""
    out: list[Span] = []
    stack: list[object] = [obj]
    while stack:
        cur = stack.pop()
        if isinstance(cur, Span):
            out.append(cur)
        elif isinstance(cur, BaseModel):
            stack.extend(getattr(cur, name) for name in type(cur).model_fields)
        elif isinstance(cur, dict):
            stack.extend(cur.values())
        elif isinstance(cur, list | tuple):
            stack.extend(cur)
    return out


def flag_uncertain(record: BaseModel, text: str) -> int:
    """A notice (code ``ocr_uncertain``) for every table figure and narrative fact whose OCR
    confidence is below :data:`OCR_UNCERTAIN`: what was printed, where, and how sure OCR was --
    the figure stays as read, the reviewer is told to look.  A lone ``0`` is not flagged: read from
    its box alone, every one scores low (:data:`~.ocr.LONE_ZERO`), for doubt between a letter and
    a digit, not between digits.  Returns how many were flagged."""
    notices = getattr(record, "notices", None)
    if notices is None:
        return 0
    found: list[tuple[str, Span]] = []
    for ti, table in enumerate(getattr(record, "tables", [])):
        for ri, row in enumerate(table.rows):
            found.extend((f"tables[{ti}].rows[{ri}].values.{key}", span) for key, span in row.cells.items()
                         if row.values.get(key) is not None)
    narrative = getattr(record, "narrative", None)
    for fi, fact in enumerate(getattr(narrative, "facts", [])):
        if fact.span is not None and fact.value is not None:
            found.append((f"narrative.facts[{fi}].value", fact.span))
    flagged = 0
    for ref, span in found:
        if span.confidence is None or span.confidence >= OCR_UNCERTAIN:
            continue
        printed = text[span.start:span.end].strip()
        if printed == "0":
            continue  # a lone zero: the recogniser's doubt is letter o or digit 0, which a figure's cell settles
        notices.append(Notice(code="ocr_uncertain", span=span, message=(
            f"{ref}: {printed!r} (page {span.page}) was read by OCR with confidence {span.confidence:.2f}: "
            "check it against the page")))
        flagged += 1
    return flagged
