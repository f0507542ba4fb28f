"""Rendering reader: space-aligned columns (text laid out with runs of spaces) into a :class:`~.grid.Grid`."""

from __future__ import annotations

import re
import unicodedata

from .grid import Cell, Grid, GridRow, cell_at
from .normalize import SourceText

# ---------------------------------------------------------------- space-aligned columns

_GAP = re.compile(r" {2,}")


def _width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


_GAP_BEFORE_TEXT = re.compile(r" {2,}(?=\S)")


def aligned_gaps(s: str) -> int:
    """Runs of 2+ spaces before text (leading indentation included); 0 for sentences and tabs."""
    if "\t" in s or not s.strip():
        return 0
    return len(_GAP_BEFORE_TEXT.findall(s.rstrip()))


def is_aligned_line(s: str) -> bool:
    """A line laid out in columns (at least one wide gap before text)."""
    return "\t" not in s and _GAP_BEFORE_TEXT.search(s) is not None


def aligned_grid(src: SourceText, lines: list[tuple[int, int, int]], single: frozenset[int] = frozenset()) -> Grid:
    """Split a block of space-aligned lines at display columns blank in every line.

    ``lines`` are ``(start, end, line_no)``.  Column positions are display positions (CJK
    characters count two), as a layout tool pads them.  Lines whose index is in ``single``
    (a lone label between column blocks) do not shape the columns: their text is one cell, in
    the column where it starts.
    """
    text = src.text
    layouts = []
    max_w = 0
    for a, b, _ in lines:
        pos = 0
        chars = []  # (display start, display end, offset)
        for off in range(a, b):
            w = _width(text[off])
            chars.append((pos, pos + w, off))
            pos += w
        layouts.append(chars)
        max_w = max(max_w, pos)
    occupied = [False] * (max_w + 1)
    for k, chars in enumerate(layouts):
        if k in single:
            continue
        for d0, d1, off in chars:
            if not text[off].isspace():
                for d in range(d0, d1):
                    occupied[d] = True
    # columns are maximal runs of occupied positions separated by >= 2 blank positions
    cols: list[tuple[int, int]] = []
    d = 0
    while d < max_w:
        if not occupied[d]:
            d += 1
            continue
        c0 = d
        c1 = d
        while d < max_w:
            if occupied[d]:
                c1 = d + 1
                d += 1
                continue
            # a single blank position inside a column does not split it
            if d + 1 < max_w and occupied[d + 1]:
                d += 1
                continue
            break
        cols.append((c0, c1))
    rows = []
    for k, ((a, b, line_no), chars) in enumerate(zip(lines, layouts, strict=True)):
        cells = []
        if k in single:
            first = next((d0 for d0, _d1, off in chars if not text[off].isspace()), 0)
            at = max([i for i, (c0, _c1) in enumerate(cols) if c0 <= first] or [0])
            for i in range(len(cols)):
                cells.append(cell_at(src, a, b) if i == at else Cell("", "", b, b))
            rows.append(GridRow(cells, line_no, a, b))
            continue
        for c0, c1 in cols:
            offs = [off for d0, d1, off in chars if d0 >= c0 and d1 <= c1]
            if offs:
                cells.append(cell_at(src, offs[0], offs[-1] + 1))
            else:
                anchor = chars[-1][2] + 1 if chars else a
                cells.append(Cell("", "", anchor, anchor))
        rows.append(GridRow(cells, line_no, a, b))
    return Grid(rows, "aligned", lines[0][0], lines[-1][1], lines[0][2], lines[-1][2], {"columns": cols})
