"""Spans of one reading of a PDF moved onto the other reading's text, by where they are printed.

A text-layer PDF is read two ways (by position, and in PDFium's text order: :mod:`.pdf`); a table
taken from one reading into a record of the other must point into that record's text.  Both
readings place every word on its page (:class:`~.pdf_layout.PageText`), so a span that
:func:`~.pdf_spans.place_spans` gave a page and box is found again among the other reading's
words printed in that box -- and is moved only when those words spell the same text.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable

from ..models import Span
from .pdf_layout import Box, PageText, Placed
from .pdf_spans import spans_of

NEAR = 1.0
"""Points of slack around a box: the two readings measure one word's box a little differently."""


def _inside(box: Box, around: list[float]) -> bool:
    """The centre of ``box`` lies in ``around`` (with :data:`NEAR` slack)."""
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return around[0] - NEAR <= cx <= around[2] + NEAR and around[1] - NEAR <= cy <= around[3] + NEAR


class SpanMover:
    """Finds the span of one reading's text in another's: ``text`` the text the spans point into,
    ``to_text``/``to_layout`` the reading they are moved to, ``line_of`` its line numbers."""

    def __init__(self, text: str, to_text: str, to_layout: PageText, line_of: Callable[[int], int]) -> None:
        self.text, self.to_text, self.line_of = text, to_text, line_of
        self.pages: dict[int, list[Placed]] = {}
        for p in to_layout.placed:
            self.pages.setdefault(p.page, []).append(p)

    def find(self, span: Span) -> Span | None:
        """The same printed words in the other text, or None (no box, or the words there differ)."""
        if span.page is None or span.bbox is None:
            return None
        want = "".join(self.text[span.start:span.end].split())
        if not want:
            return None
        hits = sorted((p for p in self.pages.get(span.page, ()) if _inside(p.box, span.bbox)),
                      key=lambda p: p.start)
        if not hits:
            return None
        start, end = hits[0].start, max(p.end for p in hits)
        got = self.to_text[start:end]
        if "".join(got.split()) != want:
            if len(hits) != 1 or want not in got:
                return None
            start += got.index(want)  # a figure inside a longer word of the other reading
            end = start + len(want)
        return Span(start=start, end=end, line=self.line_of(start), page=span.page, bbox=span.bbox,
                    confidence=span.confidence)

    def move(self, obj: object, skip: set[int] | None = None) -> bool:
        """Move every span inside ``obj`` (those whose ``id`` is in ``skip`` are left alone); all or
        nothing: False, and ``obj`` unchanged, when one cannot be found."""
        found: list[tuple[Span, Span]] = []
        for span in spans_of(obj):
            if skip and id(span) in skip:
                continue
            new = self.find(span)
            if new is None:
                return False
            found.append((span, new))
        for span, new in found:
            span.start, span.end, span.line = new.start, new.end, new.line
        return True


def line_finder(text: str) -> Callable[[int], int]:
    """1-based line number of an offset of ``text``."""
    starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
    return lambda offset: bisect_right(starts, offset)
