"""One line of a document as the segmenter and the readers see it: its offsets, its 1-based
number and its folded, stripped text.  (A module of its own: the segmenter and the PDF-text
reader both use it.)"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass
class Line:
    start: int
    end: int
    no: int
    text: str  # folded, stripped


def cut_line(
    a: int, text: str, no: int, cuts: Iterable[int], make: Callable[[int, int, int, str], object] = Line
) -> list:  # type: ignore[type-arg]
    """The pieces of a line's ``text`` (starting at offset ``a``) between the ``cuts`` (offsets into
    ``text``), each a line of its own with exact offsets; blank pieces are dropped."""
    pieces = []
    prev = 0
    for c in sorted(set(cuts) | {len(text)}):
        if c <= prev:
            continue
        piece = text[prev:c]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            pieces.append(make(a + prev + lead, a + prev + len(piece.rstrip()), no, piece.strip()))
        prev = c
    return pieces
