"""Put back a header's column numbers that a PDF library printed one to a line.

A header's numbering line (``栏次 1 2 3``) tells the PDF-text reader where a table's header ends
and how many value columns it has.  pdfium sometimes prints it one cell to a line -- ``栏次``,
``1``, ``2``, ``3`` -- on a continuation page, and the lone numbers then read as a row of figures
(corpus 12: the next page's rows joined the previous ones under a wrong plan).  Such a run -- a
short word with no figure, then at least three lines each holding one small integer counting up
from 1 -- becomes one line with the same offsets (its text rejoined with spaces), which the reader
takes as the numbering line it is.

Comes in: the scanned units (lines, grids, ``None`` for blank lines).  Goes out: the same units
with such runs joined.  May import: ``line``.
"""

from __future__ import annotations

import re

from .line import Line

_NUMBER = re.compile(r"\d{1,2}")
_WORD = re.compile(r"[^\d\s.,]{1,4}")
MIN_NUMBERS = 3


def join_vertical_numbering(units: list) -> list:  # type: ignore[type-arg]
    """``units`` with every column-number run printed one number to a line joined into one line."""
    out: list = []
    i = 0
    n = len(units)
    while i < n:
        u = units[i]
        if isinstance(u, Line) and _WORD.fullmatch(u.text):
            j = i + 1
            expect = 1
            while j < n and _is_number(units[j], expect):
                expect += 1
                j += 1
            if expect - 1 >= MIN_NUMBERS:
                run = units[i:j]
                out.append(Line(u.start, run[-1].end, u.no, " ".join(v.text for v in run)))
                i = j
                continue
        out.append(u)
        i += 1
    return out


def _is_number(u: object, expect: int) -> bool:
    return isinstance(u, Line) and _NUMBER.fullmatch(u.text) is not None and int(u.text) == expect
