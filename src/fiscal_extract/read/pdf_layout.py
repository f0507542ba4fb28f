"""A PDF page's positioned characters laid out as text by position: rows from y, cells from x.

The page becomes lines of text the tab-separated reader already reads exactly: characters are
grouped into lines by their vertical centre, into words where the horizontal gap between two
characters shows a space, and words into cells.  Consecutive lines of several cells are one
*region* (a table); its columns are the x intervals its figure-holding lines cover, so a row
whose cell is empty still gets its tab in that column's place -- no empty cell is dropped and
no two cells are glued.  Every word written keeps its page and box: :class:`PageText` maps text
offsets back to where the figure is printed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .pdf_rules import RuledTable, Rules, ruled_tables

Box = tuple[float, float, float, float]
"""``(x0, top, x1, bottom)`` in PDF points, measured from the page's top-left corner."""

SPACE_GAP = 0.25
"""A gap wider than this share of the line's character height is a space between words."""
CELL_GAP = 0.9
"""A gap wider than this share of the character height separates two cells."""

WIDE_GAP = 1.6
"""Without ruling lines, a line is a table row when a gap wider than this share of its character
height (not the stretched spaces of justified text) parts it."""

_FIGURE = re.compile(r"^[-+(（]?\d[\d,，.]*%?[)）]?$")


@dataclass(slots=True)
class Glyph:
    """One printed character (or one OCR text box) with its box and, for OCR, its confidence."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    conf: float | None = None


@dataclass(slots=True)
class Word:
    glyphs: list[Glyph]

    @property
    def text(self) -> str:
        return "".join(g.text for g in self.glyphs)

    @property
    def x0(self) -> float:
        return self.glyphs[0].x0

    @property
    def x1(self) -> float:
        return self.glyphs[-1].x1

    @property
    def box(self) -> Box:
        gs = self.glyphs
        return (gs[0].x0, min(g.top for g in gs), gs[-1].x1, max(g.bottom for g in gs))

    @property
    def conf(self) -> float | None:
        cs = [g.conf for g in self.glyphs if g.conf is not None]
        return min(cs) if cs else None


@dataclass(slots=True)
class Placed:
    """A word written into the text: its offsets, page (1-based), box and OCR confidence."""

    start: int
    end: int
    page: int
    box: Box
    conf: float | None = None


@dataclass
class PageText:
    """The text of some pages and where each word of it is printed."""

    text: str = ""
    placed: list[Placed] = field(default_factory=list)
    sizes: dict[int, tuple[float, float]] = field(default_factory=dict)
    """Page number -> (width, height) in points."""
    starts: list[int] = field(default_factory=list)
    """The start offsets of ``placed`` (filled by :meth:`index`)."""
    plain: PageText | None = None
    """The same pages as PDFium orders its text (a second reading of the PDF; text-layer PDFs)."""

    def index(self) -> None:
        self.starts = [p.start for p in self.placed]


def _lines(glyphs: list[Glyph]) -> list[list[Glyph]]:
    """Glyphs grouped into lines by vertical centre, each sorted left to right, top to bottom."""
    lines: list[tuple[float, float, list[Glyph]]] = []  # (centre, height, glyphs)
    for g in sorted(glyphs, key=lambda g: (g.top + g.bottom) / 2):
        c = (g.top + g.bottom) / 2
        h = max(g.bottom - g.top, 1.0)
        if lines:
            lc, lh, lg = lines[-1]
            if abs(c - lc) <= 0.45 * min(lh, h) or (abs(c - lc) <= 0.45 * max(lh, h) and g.text.isdigit()):
                lg.append(g)
                continue
        lines.append((c, h, [g]))
    return [sorted(lg, key=lambda g: g.x0) for _, _, lg in lines]


def _height(line: list[Glyph]) -> float:
    hs = sorted(g.bottom - g.top for g in line)
    return max(hs[len(hs) // 2], 1.0)


def _split(line: list[Glyph], share: float) -> list[Word]:
    """A line cut wherever the gap between two glyphs exceeds ``share`` of its height."""
    limit = share * _height(line)
    words: list[Word] = []
    cur: list[Glyph] = []
    for g in line:
        if cur and g.x0 - cur[-1].x1 > limit:
            words.append(Word(cur))
            cur = []
        cur.append(g)
    if cur:
        words.append(Word(cur))
    return words


def _is_figure(w: Word) -> bool:
    return bool(_FIGURE.match(w.text))


def _columns(rows: list[list[Word]]) -> list[float]:
    """Column boundaries (x) of a region: the gaps between the x intervals its figure rows cover."""
    spans: list[tuple[float, float]] = []
    for cells in rows:
        if sum(_is_figure(c) for c in cells) >= 1 and len(cells) >= 2:
            spans.extend((c.x0, c.x1) for c in cells)
    if not spans:
        return []
    spans.sort()
    merged = [list(spans[0])]
    for a, b in spans[1:]:
        if a <= merged[-1][1] + 0.5:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return [(merged[i][1] + merged[i + 1][0]) / 2 for i in range(len(merged) - 1)]


def _column_of(bounds: list[float], x: float) -> int:
    i = 0
    while i < len(bounds) and x > bounds[i]:
        i += 1
    return i


class _Writer:
    def __init__(self, out: PageText, page: int) -> None:
        self.parts: list[str] = [out.text]
        self.at = len(out.text)
        self.out = out
        self.page = page

    def put(self, s: str) -> None:
        self.parts.append(s)
        self.at += len(s)

    def word(self, w: Word, glue: str) -> None:
        if glue:
            self.put(glue)
        t = w.text
        self.out.placed.append(Placed(self.at, self.at + len(t), self.page, w.box, w.conf))
        self.put(t)

    def cell(self, words: list[Word]) -> None:
        for i, w in enumerate(words):
            self.word(w, _glue(words[i - 1], w) if i else "")

    def lines(self, lines: list[list[Word]]) -> None:
        """One cell printed over several lines: the lines joined (a wrapped figure or CJK label
        without a space)."""
        prev: Word | None = None
        for words in lines:
            for i, w in enumerate(words):
                if prev is None:
                    glue = ""
                elif i:
                    glue = _glue(prev, w)
                else:
                    glue = "" if _wraps(prev, w) else _glue(prev, w)
                self.word(w, glue)
                prev = w

    def done(self) -> None:
        self.out.text = "".join(self.parts)


def _glue(a: Word, b: Word) -> str:
    """What separates two words of one cell: a space, except between two CJK characters."""
    if a.text and b.text and a.text[-1] > "\u2e80" and b.text[0] > "\u2e80":
        return ""
    return " "


def _wraps(a: Word, b: Word) -> bool:
    """A line break inside a word: a figure wrapped after a digit or separator."""
    return bool(a.text) and bool(b.text) and a.text[-1] in "0123456789,." and b.text[0] in "0123456789,."


Rule = tuple[float, float, float]
"""A vertical ruling line: ``(x, top, bottom)``."""


def lay_out_page(glyphs: list[Glyph], page: int, out: PageText, rules: list[Rule] | Rules | None = None) -> None:
    """Append one page's text (lines; cells separated by tabs; a form feed before every page but
    the first) to ``out``, recording where each word is printed.  The tables the page's rules
    draw are laid out cell by cell (:func:`_ruled_table`); elsewhere vertical rules, else the gaps
    between words, set the columns."""
    w = _Writer(out, page)
    if out.text:
        w.put("\f\n")
    if isinstance(rules, Rules):
        tables = ruled_tables(rules)
        vrules: list[Rule] = rules.v
    else:
        tables, vrules = [], rules or []
    inside: list[list[Glyph]] = [[] for _ in tables]
    free: list[Glyph] = []
    for g in glyphs:
        if not g.text.strip():
            continue
        cx, cy = (g.x0 + g.x1) / 2, (g.top + g.bottom) / 2
        k = next((k for k, t in enumerate(tables) if t.contains(cx, cy)), None)
        (free if k is None else inside[k]).append(g)
    lines = _lines(free)
    blocks: list[tuple[float, int, int]] = [(min(g.top for g in ln), 1, i) for i, ln in enumerate(lines)]
    blocks += [(t.ys[0], 0, k) for k, t in enumerate(tables) if inside[k]]
    blocks.sort()
    run: list[list[Glyph]] = []
    for _, kind, i in blocks:
        if kind == 1:
            run.append(lines[i])
            continue
        _free_lines(w, run, vrules)
        run = []
        _ruled_table(w, tables[i], inside[i])
    _free_lines(w, run, vrules)
    w.done()


def _free_lines(w: _Writer, lines: list[list[Glyph]], rules: list[Rule]) -> None:
    """Lines outside any ruled table: text, or tables whose columns the gaps show."""
    cells = [_cells(line) for line in lines]
    words = [_split(line, SPACE_GAP) for line in lines]
    in_table = [_in_table(line, c, rules) for line, c in zip(lines, cells, strict=True)]
    i = 0
    while i < len(lines):
        if not in_table[i]:
            w.cell(words[i])
            w.put("\n")
            i += 1
            continue
        j = i
        while j < len(lines) and in_table[j]:
            j += 1
        _region(w, cells[i:j], words[i:j], rules)
        i = j


def _several_rows(glyphs: list[Glyph]) -> bool:
    """A cell holds several rows' figures (a body drawn without row rules) when figures stand on
    three of its lines, or on two that do not join into one figure (a figure wrapped in a narrow
    cell, ``1682.7`` over ``6``, is one)."""
    figs = [t for t in (" ".join(w.text for w in _split(ln, CELL_GAP)) for ln in _lines(glyphs)) if _FIGURE.match(t)]
    if len(figs) >= 3:
        return True
    if len(figs) < 2:
        return False
    joined = "".join(figs)
    return not (_FIGURE.match(joined) and joined.count(".") <= 1)


def _text_row(full: list[int], cols: list[list[list[Word]]], across: bool) -> bool:
    """A ruled row that is text, not a table row: one cell across the table (a title), or
    labelled parts ("预算单位：…    单位：万元")."""
    if len(full) == 1 and across:
        return not _FIGURE.match("".join(wd.text for ln in cols[full[0]] for wd in ln))
    cells = [Word([g for ln in cols[c] for wd in ln for g in wd.glyphs]) for c in full]
    return 0 < len(cells) <= 2 and _is_label_line(cells) and not any(c.text.startswith("其中") for c in cells)


def _ruled_table(w: _Writer, table: RuledTable, glyphs: list[Glyph]) -> None:
    """A ruled table: the words of one printed cell (several lines of a wrapped header or label)
    are one cell, written at the cell's top-left atomic position (the shape tab-separated text
    gives a spanning cell).  An atomic row holding one cell with figures on several lines is a
    body drawn without row rules: it is written line by line."""
    spans = table.cells()
    nr, nc = len(table.ys) - 1, len(table.xs) - 1
    at: dict[tuple[int, int], list[Glyph]] = {}
    for g in glyphs:
        r, c = table.row((g.top + g.bottom) / 2), table.column((g.x0 + g.x1) / 2)
        at.setdefault((r, c), []).append(g)
    by_span: dict[tuple[int, int, int, int], list[Glyph]] = {}
    for key, gs in at.items():
        by_span.setdefault(spans[key], []).extend(gs)
    split = [False] * nr
    for span, gs in by_span.items():
        if _several_rows(gs):
            for r in range(span[0], span[2] + 1):
                split[r] = True
    grid: list[list[list[list[Word]]]] = []  # rows of columns of lines of words
    whole: list[bool] = []  # the row is one cell across the table (a title, a unit line)
    for r in range(nr):
        if split[r]:
            row_glyphs = [g for c in range(nc) for g in at.get((r, c), [])]
            for ln in _lines(row_glyphs):
                cols: list[list[list[Word]]] = [[] for _ in range(nc)]
                for wd in _split(ln, SPACE_GAP):
                    c0 = spans[(r, table.column((wd.x0 + wd.x1) / 2))][1]
                    if cols[c0]:
                        cols[c0][-1].append(wd)
                    else:
                        cols[c0].append([wd])
                grid.append(cols)
                whole.append(False)
            continue
        cols = [[] for _ in range(nc)]
        for c in range(nc):
            span = spans[(r, c)]
            first = next(k for k in range(span[0], span[2] + 1) if not split[k])
            if (first, span[1]) == (r, c):
                gs = [g for k in range(span[0], span[2] + 1) if not split[k]
                      for cc in range(span[1], span[3] + 1) for g in at.get((k, cc), [])]
                cols[c] = [_split(ln, SPACE_GAP) for ln in _lines(gs)]
        if any(cols):
            grid.append(cols)
            whole.append(spans[(r, 0)][3] >= nc - 1)
    used = [c for c in range(nc) if any(cols[c] for cols in grid)]
    leading = True  # the rows above the first of several cells: a title, a unit line
    for cols, across in zip(grid, whole, strict=True):
        full = [c for c in used if cols[c]]
        if _text_row(full, cols, across or leading):
            for n, c in enumerate(full):
                if n:
                    w.put(" ")
                w.lines(cols[c])
            w.put("\n")
            continue
        leading = False
        for n, c in enumerate(used):
            if n:
                w.put("\t")
            w.lines(cols[c])
        w.put("\n")


def _in_table(line: list[Glyph], cells: list[Word], rules: list[Rule]) -> bool:
    """A line is a table row when two vertical rules cross it (on a ruled page), or -- on a page
    without rules -- when it falls into cells far apart; a line of labelled parts above a table
    ("部门名称：…    单位：万元") is text."""
    if _is_label_line(cells):
        return False
    if rules:
        cy = sum((g.top + g.bottom) / 2 for g in line) / len(line)
        return sum(1 for _, top, bottom in rules if top <= cy <= bottom) >= 2
    return len(cells) >= 2 and len(_split(line, WIDE_GAP)) >= 2


def _is_label_line(cells: list[Word]) -> bool:
    """A line of labelled parts above a table ("部门名称：…    单位：万元") is text, not a row."""
    return len(cells) <= 3 and all(":" in c.text or "：" in c.text for c in cells[-1:]) and not any(
        _is_figure(c) for c in cells)


def _cells(line: list[Glyph]) -> list[Word]:
    return _split(line, CELL_GAP)


def _ruled(rows: list[list[Word]], rules: list[Rule]) -> list[float]:
    """Column boundaries from the vertical rules that cross the region's figure rows."""
    ys = [(min(c.box[1] for c in r), max(c.box[3] for c in r)) for r in rows if any(_is_figure(c) for c in r)]
    if not ys or not rules:
        return []
    xs = sorted(x for x, top, bottom in rules if any(top <= (a + b) / 2 <= bottom for a, b in ys))
    out: list[float] = []
    for x in xs:
        if not out or x - out[-1] > 2.0:
            out.append(x)
    return out


def _region(w: _Writer, cells: list[list[Word]], words: list[list[Word]], rules: list[Rule]) -> None:
    """Lines of one table: every word put in the column its centre falls in; a column no word
    falls in (left of a table's outer rule) is no column."""
    bounds = _ruled(cells, rules)
    if len(bounds) < 2:
        bounds = _columns(cells)
    if not bounds:
        for row in cells:
            for k, c in enumerate(row):
                if k:
                    w.put("\t")
                w.cell([c])
            w.put("\n")
        return
    table: list[list[list[Word]]] = []
    for row in words:
        cols: list[list[Word]] = [[] for _ in range(len(bounds) + 1)]
        for wd in row:
            cols[_column_of(bounds, (wd.x0 + wd.x1) / 2)].append(wd)
        table.append(cols)
    used = [k for k in range(len(bounds) + 1) if any(cols[k] for cols in table)]
    for cols in table:
        for n, k in enumerate(used):
            if n:
                w.put("\t")
            w.cell(cols[k])
        w.put("\n")


def locate(layout: PageText, start: int, end: int) -> tuple[int, Box, float | None] | None:
    """Page, box (the union of the words printed in ``[start, end)``) and lowest OCR confidence
    of a span of the laid-out text; None when no word lies there."""
    from bisect import bisect_right

    placed = layout.placed
    if len(layout.starts) != len(placed):
        layout.index()
    k = bisect_right(layout.starts, start) - 1
    hits: list[Placed] = []
    k = max(k, 0)
    while k < len(placed) and placed[k].start < max(end, start + 1):
        p = placed[k]
        if p.end > start:
            hits.append(p)
        k += 1
    if not hits:
        return None
    page = hits[0].page
    same = [h for h in hits if h.page == page]
    xs = [_part(h, layout.text[h.start:h.end], start, max(end, start + 1)) for h in same]
    box = (min(a for a, _ in xs), min(h.box[1] for h in same), max(b for _, b in xs), max(h.box[3] for h in same))
    confs = [h.conf for h in same if h.conf is not None]
    return page, box, (min(confs) if confs else None)


def _part(p: Placed, text: str, start: int, end: int) -> tuple[float, float]:
    """The x extent of the part ``[start, end)`` of a placed word (a figure inside a line of
    unspaced CJK text, part of an OCR box): a CJK character taken as wide as two others."""
    x0, x1 = p.box[0], p.box[2]
    if len(text) <= 1 or (start <= p.start and end >= p.end):
        return x0, x1
    weights = [2.0 if ch > "\u2e80" else 1.0 for ch in text]
    unit = (x1 - x0) / sum(weights)
    a, b = max(start, p.start) - p.start, min(end, p.end) - p.start
    return x0 + unit * sum(weights[:a]), x0 + unit * sum(weights[:b])
