"""Split a document into narrative blocks and tables.

Tables are found by their titles (catalog), or -- when the title is lost -- by a grid whose
header the catalog recognises.  A table continues across page breaks: a grid that follows
with no narrative in between, either repeating the table's header (or title) or starting
straight with data rows of a compatible width, is another part of the same table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..catalog import Catalog, TitleMatch
from .grid import Grid, GridRow
from .grid_aligned import aligned_gaps, aligned_grid, is_aligned_line
from .grid_html import html_grid
from .grid_markdown import is_md_line, md_row
from .grid_tsv import tsv_row
from .line import Line
from .normalize import SourceText
from .pdfminer_columns import find_column_tables
from .pdftext import find_tables, is_header_line, is_pdf_library_text
from .pdftext_forms import find_forms

_SENTENCE_END = re.compile(r"[。；;]")
_TABLE_OPEN = re.compile(r"<table\b", re.I)
_TABLE_NUMBER = re.compile(
    r"(?:附表|附件|公开|表|页算|预算)?\s*[\d\-]+\s*(?:表)?|[(（]?20\d\d\s*年度?[)）]?|20\d\d年\d{1,2}月"
)
_TABLE_CLOSE = re.compile(r"</table\s*>", re.I)
_PAGE_FURNITURE = re.compile(
    r"[(（]?\s*20\d\d\s*年度?\s*[)）]?|[-—–.·]?\s*\d{1,3}\s*[-—–.·]?|第\s*\d+\s*页.*|(?:金额)?单位\s*[:：].{0,6}|公开\s*\d+\s*表.*|附表\s*[\d\-]+"
)


@dataclass
class TableBlock:
    title: str | None
    title_line: Line | None
    match: TitleMatch | None
    meta: list[Line] = field(default_factory=list)
    parts: list[Grid] = field(default_factory=list)
    notes: list[Line] = field(default_factory=list)
    kind: str | None = None

    @property
    def start(self) -> int:
        if self.title_line:
            return self.title_line.start
        return self.parts[0].start if self.parts else 0

    @property
    def end(self) -> int:
        ends = [p.end for p in self.parts] + [n.end for n in self.notes]
        return max(ends) if ends else self.start


@dataclass
class TextBlock:
    lines: list[Line] = field(default_factory=list)


@dataclass
class Segments:
    blocks: list[TextBlock | TableBlock]

    @property
    def tables(self) -> list[TableBlock]:
        return [b for b in self.blocks if isinstance(b, TableBlock)]

    @property
    def text_lines(self) -> list[Line]:
        out: list[Line] = []
        for b in self.blocks:
            if isinstance(b, TextBlock):
                out.extend(b.lines)
        return out


# ------------------------------------------------------------------------------- scanning


def _scan(src: SourceText) -> list[Line | Grid | None]:
    """Lines and grids in document order; ``None`` marks a blank line."""
    spans = src.lines()
    text = src.text
    folded = src.folded
    units: list[Line | Grid | None] = []
    i = 0
    n = len(spans)
    # PDF-library text separates cells by single spaces: its few wide gaps are no column layout
    aligned_ok = not is_pdf_library_text(src)
    while i < n:
        a, b = spans[i]
        raw = text[a:b]
        if not raw.strip():
            units.append(None)
            i += 1
            continue
        if "\t" in raw:
            rows = []
            while i < n:
                a, b = spans[i]
                if text.find("\t", a, b) < 0:
                    break
                rows.append(tsv_row(src, a, b, i + 1))
                i += 1
            units.append(Grid(rows, "tsv", rows[0].start, rows[-1].end, rows[0].line, rows[-1].line))
            continue
        if is_md_line(raw):
            md_rows: list[GridRow] = []
            first = i
            while i < n and is_md_line(src.text[spans[i][0] : spans[i][1]]):
                r = md_row(src, spans[i][0], spans[i][1], i + 1)
                if r is not None:
                    md_rows.append(r)
                i += 1
            if md_rows:
                units.append(Grid(md_rows, "markdown", spans[first][0], spans[i - 1][1], first + 1, i))
            continue
        m = _TABLE_OPEN.search(raw)
        if m:
            close = _TABLE_CLOSE.search(src.text, a + m.start())
            stop = close.end() if close else len(src.text)
            grid = html_grid(src, a + m.start(), stop)
            prefix = src.text[a : a + m.start()].strip()
            if prefix:
                units.append(Line(a, a + m.start(), i + 1, folded[a : a + m.start()].strip()))
            if grid.rows:
                units.append(grid)
            while i < n and spans[i][0] < stop:
                i += 1
            continue
        if aligned_ok and is_aligned_line(raw):
            j = i
            most = 0
            single: set[int] = set()
            while j < n:
                line = src.text[spans[j][0] : spans[j][1]]
                if is_aligned_line(line):
                    most = max(most, aligned_gaps(line))
                    j += 1
                    continue
                # a lone short label between two column blocks is a one-cell row of the table
                nxt = src.text[spans[j + 1][0] : spans[j + 1][1]] if j + 1 < n else ""
                if line.strip() and len(line.strip()) <= 40 and is_aligned_line(nxt) and j > i:
                    single.add(j - i)
                    j += 1
                    continue
                break
            if j - i >= 2 and most >= 2:
                block = [(spans[k][0], spans[k][1], k + 1) for k in range(i, j)]
                units.append(aligned_grid(src, block, frozenset(single)))
                i = j
                continue
        units.append(Line(a, b, i + 1, folded[a:b].strip()))
        i += 1
    return units


# ------------------------------------------------------------------------------- helpers

_LABEL_LINE = re.compile(r"^[\u4e00-\u9fff]{2,6}[:：]|单位[:：]|万元|^\(?\d{4}年")
_TITLE_LIKE = re.compile(r"[^。；;，,：:]{0,12}[\u4e00-\u9fff][^。；;，,：:]{3,36}")


def _is_meta(cat: Catalog, text: str) -> bool:
    """A short line between a title and its grid: unit, department, year, table number."""
    return len(text) <= 48 and not _SENTENCE_END.search(text)


def _row_title(cat: Catalog, row: GridRow) -> TitleMatch | None:
    ne = row.nonempty()
    if not ne or len(ne) > 4:
        return None
    joined = "".join(c.text for _, c in ne)
    return cat.match_title(joined)


_OWNER_LABEL = re.compile(
    r"^(?:部门名称|部门|部门/单位|形门/单位|\d/单位|预算单位|填报单位|填表人[^:：]{0,6})\s*[:：;；]"
)
_NOTE_CONTINUATION = re.compile(r"^(?:\d+[.、．]|[(（]\d+[)）]|本部门|本单位|本表|若合计|我部门)")


_COLUMN_UNIT = re.compile(r"(?<=[^\s(（])[(（][^()（）]*单位[^()（）]*[)）]$")


@lru_cache(maxsize=8)
def _unit_patterns(cat: Catalog) -> tuple[re.Pattern[str], ...]:
    """The catalog's unit-line patterns, compiled once per catalog."""
    return tuple(re.compile(p) for p in cat.text.get("meta", {}).get("unit", []))


def _is_meta_row(cat: Catalog, row: GridRow) -> bool:
    ne = row.nonempty()
    if not ne:
        return True
    joined = "".join(c.text for _, c in ne)
    # a column's own unit in brackets after its label (项目 | 预算数(单位:万元) | 绩效目标) is a header
    # label, not a unit line
    units = "".join(_COLUMN_UNIT.sub("", c.text) for _, c in ne) if len(ne) >= 3 else joined
    if any(p.search(units) for p in _unit_patterns(cat)):
        return True
    if _OWNER_LABEL.match(joined):
        return len(ne) <= 3
    return bool(_TABLE_NUMBER.fullmatch(joined))


def _norm_row(cat: Catalog, row: GridRow) -> str:
    return "|".join(cat.norm(c.text) for c in row.cells if c.text)


# ------------------------------------------------------------------------------- segmenting


class _Builder:
    def __init__(self, cat: Catalog) -> None:
        self.cat = cat
        self.blocks: list[TextBlock | TableBlock] = []
        self.current: TableBlock | None = None
        self.pending: TableBlock | None = None
        self.text: TextBlock | None = None
        self.in_notes = False

    def narrative(self, line: Line) -> None:
        self.current = None
        self.in_notes = False
        if self.pending is not None:
            # a title with no grid after it (a contents entry, a heading): it is narrative
            self._text().lines.append(self.pending.title_line)  # type: ignore[arg-type]
            self._text().lines.extend(self.pending.meta)
            self.pending = None
        self._text().lines.append(line)

    def _printed_header(self, block: TableBlock) -> bool:
        """A known title followed by lines of the catalog's header words (taken as its meta)."""
        cat = self.cat
        return block.match is not None and any(
            is_header_line(cat, x.text) and not _NAMES_A_TABLE.search(x.text) for x in block.meta
        )

    def _text(self) -> TextBlock:
        if self.text is None or (self.blocks and self.blocks[-1] is not self.text):
            self.text = TextBlock()
            self.blocks.append(self.text)
        return self.text

    def line(self, line: Line) -> None:
        cat = self.cat
        m = cat.match_title(line.text)
        if self.pending is not None and self._printed_header(self.pending) and (
            (m is not None and len(line.text) <= 60) or cat.is_empty_note(line.text)
        ):
            # a title and its header with no rows, then a note saying so or the next title
            block, self.pending = self.pending, None
            if m is None:
                block.notes.append(line)
            self.blocks.append(block)
            self.current = block
            self.in_notes = m is None
            if m is None:
                return
        if m is not None and len(line.text) <= 60:
            if self.pending is not None:
                self._text().lines.append(self.pending.title_line)  # type: ignore[arg-type]
                self._text().lines.extend(self.pending.meta)
            self.pending = TableBlock(line.text, line, m)
            self.in_notes = False
            return
        if self.pending is not None and _is_meta(cat, line.text):
            self.pending.meta.append(line)
            return
        if self.current is not None:
            if cat.is_note(line.text) or (self.in_notes and _looks_like_note_continuation(line.text)):
                self.current.notes.append(line)
                self.in_notes = True
                return
            if _PAGE_FURNITURE.fullmatch(line.text) and not self.in_notes:
                # page furniture between parts of a table ("(2024年度)", a page number)
                self.current.meta.append(line)
                return
        self.narrative(line)

    def grid(self, grid: Grid) -> None:
        cat = self.cat
        rows = grid.rows
        # a title printed inside the grid (split over cells, or a single cell in row 0..2)
        lead_meta: list[GridRow] = []
        in_grid_title: TitleMatch | None = None
        title_row: GridRow | None = None
        for k, row in enumerate(rows[:3]):
            t = _row_title(cat, row)
            if t is not None:
                in_grid_title, title_row = t, row
                lead_meta = rows[:k]
                rows = rows[k + 1 :]
                break
            if not _is_meta_row(cat, row):
                break
        if in_grid_title is not None and title_row is not None:
            grid = _subgrid(grid, rows)
            ne = title_row.nonempty()
            text = "".join(c.raw for _, c in ne)
            tl = Line(ne[0][1].start, ne[-1][1].end, title_row.line, text)
            if self.pending is not None:
                self._text().lines.append(self.pending.title_line)  # type: ignore[arg-type]
                self.pending = None
            if self._same_title(self.current, in_grid_title) and self._repeats_header(self.current, grid):  # type: ignore[arg-type]
                self._add_part(self.current, grid)  # type: ignore[arg-type]
                return
            block = TableBlock(text, tl, in_grid_title)
            block.meta.extend(Line(r.start, r.end, r.line, r.joined()) for r in lead_meta)
            self._open(block, grid)
            return
        if self.pending is not None and grid.extra.get("form") and self.pending.match is not None and (
            cat.layout_of(self.pending.match.kind) != "performance"
        ):
            # a performance form whose own title was not found (glued onto a line) after another
            # table's title that printed no table: the title stays a title without its table
            self._text().lines.append(self.pending.title_line)  # type: ignore[arg-type]
            self.pending = None
            self._open(TableBlock(None, None, None), grid)  # its kind from its header's words
            return
        if self.pending is not None:
            block = self.pending
            self.pending = None
            cur = self.current
            if (
                cur is not None
                and block.match is not None
                and self._same_title(cur, block.match)
                and self._repeats_header(cur, grid)
            ):
                # the same title and header repeated on the next page: one table in several parts
                cur.meta.extend(block.meta)
                self._add_part(cur, grid)
                return
            self._open(block, grid)
            return
        if self.current is not None and self._continues(self.current, grid):
            self._add_part(self.current, grid)
            return
        if self._next_page_of_untitled(grid):
            return
        self._open(self._untitled(), grid)

    def _next_page_of_untitled(self, grid: Grid) -> bool:
        """A table whose title the catalog does not know, printed again with its header on the
        next page: the few short lines between (the title, unit, owner lines repeated) are that
        part's meta, and the grid is the table's next part -- not a table of its own."""
        if len(self.blocks) < 2 or self.text is None or self.blocks[-1] is not self.text:
            return False
        prev = self.blocks[-2]
        lines = self.text.lines
        if not isinstance(prev, TableBlock) or prev.match is not None or not prev.parts:
            return False
        if not 1 <= len(lines) <= 4 or any(len(x.text) > 80 or _SENTENCE_END.search(x.text) for x in lines):
            return False
        if abs(grid.width - prev.parts[0].width) > 1 or not self._repeats_header(prev, grid):
            return False
        prev.meta.extend(lines)
        self.blocks.pop()
        self.text = None
        self.current = prev
        self._add_part(prev, grid)
        return True

    def _untitled(self) -> TableBlock:
        """A table whose title the catalog does not know: the short line printed just above its
        grid (after any unit / date lines) is taken as its title, as printed."""
        block = TableBlock(None, None, None)
        if self.text is None or not self.blocks or self.blocks[-1] is not self.text:
            return block
        lines = self.text.lines
        k = len(lines)
        while k > 0 and len(lines) - k < 3 and _LABEL_LINE.search(lines[k - 1].text) and len(lines[k - 1].text) <= 48:
            k -= 1
        if k == 0 or not _TITLE_LIKE.fullmatch(lines[k - 1].text):
            return block
        line = lines[k - 1]
        block.title, block.title_line = line.text, line
        block.meta.extend(lines[k:])
        del lines[k - 1 :]
        return block

    def _open(self, block: TableBlock, grid: Grid) -> None:
        block.parts.append(grid)
        self.blocks.append(block)
        self.current = block
        self.in_notes = False

    def _add_part(self, block: TableBlock, grid: Grid) -> None:
        block.parts.append(grid)
        self.in_notes = False

    @staticmethod
    def _same_title(table: TableBlock | None, match: TitleMatch) -> bool:
        return (
            table is not None
            and table.match is not None
            and table.match.kind == match.kind
            and table.match.title == match.title
        )

    def _repeats_header(self, table: TableBlock, grid: Grid) -> bool:
        if table.match is not None and self.cat.layout_of(table.match.kind) == "performance":
            # performance tables repeat their title and header once per project: each is a table
            return False
        if not table.parts:  # a table that printed no rows: a grid after it is a table of its own
            return False
        first = table.parts[0]
        head = {_norm_row(self.cat, r) for r in first.rows[:4] if r.nonempty()}
        for r in grid.rows[:3]:
            key = _norm_row(self.cat, r)
            if key and key in head:
                return True
        return False

    def _continues(self, table: TableBlock, grid: Grid) -> bool:
        """A grid right after a table continues it when it repeats its header, or starts with
        data rows (no header of a table of its own) of a compatible width."""
        if self.in_notes and table.notes and any(self.cat.is_empty_note(n.text) for n in table.notes):
            return False
        if not table.parts:
            return False
        first = table.parts[0]
        if self._repeats_header(table, grid):
            return True
        perf = table.match is not None and self.cat.layout_of(table.match.kind) == "performance"
        if not perf and abs(grid.width - first.width) > 1:
            return False
        if not grid.rows:
            return False
        labels = [c.text for c in grid.rows[0].cells if c.text]
        kind = self.cat.match_signature(labels)
        return kind is None or (table.match is not None and kind == table.match.kind)


_NAMES_A_TABLE = re.compile(
    r"表\s*(?:[(（][^()（）]{0,16}[)）])?\s*$"
    r"|^[-*•·#\s]*(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]+[)）]|\d+[.．、](?!\d))|[…．.]{4,}"
)
"""A line naming a table -- the contents' next entry (numbered, bulleted, dotted to its page) --
not a header of one."""


def _looks_like_note_continuation(text: str) -> bool:
    return bool(_NOTE_CONTINUATION.match(text))


def _subgrid(grid: Grid, rows: list[GridRow]) -> Grid:
    if not rows:
        return Grid([], grid.fmt, grid.end, grid.end, grid.last_line, grid.last_line, dict(grid.extra))
    return Grid(rows, grid.fmt, rows[0].start, rows[-1].end, rows[0].line, rows[-1].line, dict(grid.extra))


def segment(src: SourceText, cat: Catalog) -> Segments:
    """Narrative blocks and table blocks of a document, in order."""
    b = _Builder(cat)
    for unit in find_tables(src, cat, find_forms(src, cat, find_column_tables(src, cat, _scan(src)))):
        if unit is None:
            continue
        if isinstance(unit, Grid):
            b.grid(unit)
        else:
            b.line(unit)
    if b.pending is not None:
        b._text().lines.append(b.pending.title_line)  # type: ignore[arg-type]
    return Segments(b.blocks)
