"""Rendering reader: HTML ``<table>`` markup into a :class:`~.grid.Grid`; a ``colspan``/``rowspan`` cell
becomes the label in its first position and empty cells after it."""

from __future__ import annotations

import html
import re

from .grid import Cell, Grid, GridRow, cell_of_text
from .normalize import SourceText

# ---------------------------------------------------------------- HTML tables

_TR = re.compile(r"<tr\b[^>]*>(.*?)(?=<tr\b|</table>|</tbody>|</thead>|$)", re.I | re.S)
_TD = re.compile(r"<(t[dh])\b([^>]*)>(.*?)(?=</t[dh]>|<t[dh]\b|</tr>|$)", re.I | re.S)
_TAG = re.compile(r"<[^>]+>")
_SPAN_ATTR = re.compile(r"""(colspan|rowspan)\s*=\s*["']?(\d{1,9})""", re.I)
MAX_COLUMNS = 100
"""A printed page holds no more columns than this (budget tables have at most ~40): a ``colspan``
reaching beyond it is capped at it, so a row never grows past what a page can hold."""
MAX_ROWSPAN = 1000
"""A ``rowspan`` covers at most this many rows (a page holds ~50; a table continues over pages)."""


def _fill_spanned(pending: dict[int, int], cells: list[Cell], col: int, at: int) -> int:
    """Empty cells for the columns a rowspan from a row above still covers."""
    while pending.get(col, 0) > 0:
        pending[col] -= 1
        cells.append(Cell("", "", at, at))
        col += 1
    return col


def html_grid(src: SourceText, start: int, end: int) -> Grid:
    """Read one ``<table>...</table>`` region (offsets into the source)."""
    text = src.text
    rows: list[GridRow] = []
    pending: dict[int, int] = {}  # column -> rows still covered by a rowspan from above
    for tr in _TR.finditer(text, start, end):
        row_start = tr.start()
        cells: list[Cell] = []
        col = 0
        for td in _TD.finditer(text, tr.start(1), tr.end(1)):
            col = _fill_spanned(pending, cells, col, row_start)
            attrs = dict((k.lower(), int(v)) for k, v in _SPAN_ATTR.findall(td.group(2)))
            inner_a, inner_b = td.start(3), td.end(3)
            inner = td.group(3)
            content = html.unescape(_TAG.sub(" ", re.sub(r"<br\s*/?>", " ", inner, flags=re.I)))
            # span of the visible content inside the cell
            lead = len(inner) - len(inner.lstrip())
            trail = len(inner) - len(inner.rstrip())
            a, b = inner_a + lead, max(inner_a + lead, inner_b - trail)
            cells.append(cell_of_text(src, a, b, content))
            span_cols = max(1, min(attrs.get("colspan", 1), MAX_COLUMNS - col))
            span_rows = max(1, min(attrs.get("rowspan", 1), MAX_ROWSPAN))
            if span_rows > 1:
                for k in range(span_cols):
                    pending[col + k] = span_rows - 1
            col += 1
            for _ in range(span_cols - 1):
                cells.append(Cell("", "", b, b))
                if span_rows > 1:
                    pending[col] = span_rows - 1
                col += 1
        col = _fill_spanned(pending, cells, col, row_start)
        if cells:
            rows.append(GridRow(cells, src.line_of(row_start), row_start, tr.end()))
    return Grid(rows, "html", start, end, src.line_of(start), src.line_of(max(start, end - 1)))
