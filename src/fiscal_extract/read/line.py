"""One line of a document as the segmenter and the readers see it: its offsets, its 1-based
number and its folded, stripped text.  (A module of its own: the segmenter and the PDF-text
reader both use it.)"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Line:
    start: int
    end: int
    no: int
    text: str  # folded, stripped
