"""One grid type for every table rendering OCR tools emit.

Readers turn tab-separated lines, markdown pipe tables, HTML ``<table>`` markup and
space-aligned columns into :class:`Grid` rows of :class:`Cell` with exact source offsets.
A spanning cell (HTML ``colspan``/``rowspan``) becomes the label in its first position and
empty cells after it -- the same shape tab-separated OCR output has -- so the table parsers
see one convention whatever the rendering.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field

from ..fold import fold
from .normalize import SourceText


@dataclass(slots=True)
class Cell:
    text: str
    """Folded, stripped text (what numbers and labels are read from)."""
    raw: str
    """The text as printed (stripped)."""
    start: int
    end: int

    @property
    def empty(self) -> bool:
        return not self.text


@dataclass(slots=True)
class GridRow:
    cells: list[Cell]
    line: int
    start: int
    end: int
    _nonempty: list[tuple[int, Cell]] | None = field(default=None, init=False, repr=False, compare=False)

    def texts(self) -> list[str]:
        return [c.text for c in self.cells]

    def joined(self) -> str:
        return "".join(c.text for c in self.cells)

    def nonempty(self) -> list[tuple[int, Cell]]:
        """The non-empty cells with their column index (worked out once per row: segmenting,
        header detection and the table parsers all ask; callers must not modify the list)."""
        ne = self._nonempty
        if ne is None:
            ne = self._nonempty = [(i, c) for i, c in enumerate(self.cells) if c.text]
        return ne


@dataclass
class Grid:
    rows: list[GridRow]
    fmt: str
    start: int
    end: int
    first_line: int
    last_line: int
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def width(self) -> int:
        return max((len(r.cells) for r in self.rows), default=0)


def _cell(src: SourceText, a: int, b: int) -> Cell:
    """A cell for source offsets [a, b): whitespace trimmed, offsets kept exact."""
    raw = src.text[a:b]
    stripped = raw.strip()
    if not stripped:
        return Cell("", "", a, a)
    if stripped is not raw:
        a += len(raw) - len(raw.lstrip())
    b = a + len(stripped)
    return Cell(src.folded[a:b], stripped, a, b)


def _cell_text(src: SourceText, a: int, b: int, raw: str) -> Cell:
    """A cell whose text is not a plain slice (HTML content with tags stripped)."""
    clean = " ".join(raw.split())
    return Cell(fold(clean), clean, a, b)


# ---------------------------------------------------------------- tab-separated

EMPTY = Cell("", "", 0, 0)
"""The one empty cell tab-separated rows share (most cells of a budget table are empty)."""


def tsv_row(src: SourceText, start: int, end: int, line: int) -> GridRow:
    """One tab-separated line.  Folding keeps every tab where it is (one character for one),
    so the folded line splits into the folded cells -- and most lines fold to themselves, so
    their parts serve as both the printed and the folded text."""
    raw = src.text[start:end]
    parts = raw.split("\t")
    folded = src.folded[start:end]
    if folded != raw:
        return _tsv_folded_row(parts, folded.split("\t"), start, end, line)
    cells: list[Cell] = []
    append = cells.append
    at = start
    for part in parts:
        if not part:  # most empty cells are two tabs side by side
            append(EMPTY)
            at += 1
            continue
        size = len(part)
        stripped = part.strip()
        if stripped is part:
            append(Cell(part, part, at, at + size))
        elif not stripped:
            append(EMPTY)
        else:
            lead = at + size - len(part.lstrip())
            append(Cell(stripped, stripped, lead, lead + len(stripped)))
        at += size + 1
    return GridRow(cells, line, start, end)


def _tsv_folded_row(parts: list[str], folded_parts: list[str], start: int, end: int, line: int) -> GridRow:
    """A tab-separated line whose folded text differs from the printed one."""
    cells: list[Cell] = []
    append = cells.append
    at = start
    for part, fpart in zip(parts, folded_parts, strict=True):
        size = len(part)
        stripped = part.strip()
        if not stripped:
            append(EMPTY)
        elif stripped is part:
            append(Cell(fpart, part, at, at + size))
        else:
            lead = size - len(part.lstrip())
            stop = lead + len(stripped)
            append(Cell(fpart[lead:stop], stripped, at + lead, at + stop))
        at += size + 1
    return GridRow(cells, line, start, end)


# ---------------------------------------------------------------- markdown pipes

_MD_SEP = re.compile(r"^\s*:?-{2,}:?\s*$")


def is_md_line(s: str) -> bool:
    t = s.strip()
    return len(t) >= 3 and t.startswith("|") and t.endswith("|") and t.count("|") >= 2


def md_row(src: SourceText, start: int, end: int, line: int) -> GridRow | None:
    """One markdown table line; ``None`` for the ``|---|---|`` separator line."""
    text = src.text
    a = text.find("|", start, end)
    b = text.rfind("|", start, end)
    bounds = []
    i = a + 1
    cell_start = i
    while i <= b:
        ch = text[i]
        if ch == "\\" and i + 1 < b and text[i + 1] == "|":
            i += 2
            continue
        if ch == "|":
            bounds.append((cell_start, i))
            cell_start = i + 1
        i += 1
    cells = [_cell(src, x, y) for x, y in bounds]
    if cells and all(_MD_SEP.match(c.text) for c in cells):
        return None
    for c in cells:
        if "\\|" in c.text:
            c.text = c.text.replace("\\|", "|")
            c.raw = c.raw.replace("\\|", "|")
    return GridRow(cells, line, start, end)


# ---------------------------------------------------------------- HTML tables

_TR = re.compile(r"<tr\b[^>]*>(.*?)(?=<tr\b|</table>|</tbody>|</thead>|$)", re.I | re.S)
_TD = re.compile(r"<(t[dh])\b([^>]*)>(.*?)(?=</t[dh]>|<t[dh]\b|</tr>|$)", re.I | re.S)
_TAG = re.compile(r"<[^>]+>")
_SPAN_ATTR = re.compile(r"""(colspan|rowspan)\s*=\s*["']?(\d+)""", re.I)


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
            cells.append(_cell_text(src, a, b, content))
            span_cols = max(1, attrs.get("colspan", 1))
            span_rows = max(1, attrs.get("rowspan", 1))
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
                cells.append(_cell(src, a, b) if i == at else Cell("", "", b, b))
            rows.append(GridRow(cells, line_no, a, b))
            continue
        for c0, c1 in cols:
            offs = [off for d0, d1, off in chars if d0 >= c0 and d1 <= c1]
            if offs:
                cells.append(_cell(src, offs[0], offs[-1] + 1))
            else:
                anchor = chars[-1][2] + 1 if chars else a
                cells.append(Cell("", "", anchor, anchor))
        rows.append(GridRow(cells, line_no, a, b))
    return Grid(rows, "aligned", lines[0][0], lines[-1][1], lines[0][2], lines[-1][2], {"columns": cols})
