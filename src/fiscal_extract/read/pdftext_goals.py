"""Project lists with a 绩效目标 text column in the text PDF libraries make of a published PDF:
``[单位名称 |] 项目名称 | 金额 | 绩效目标`` -- one row a project, its goal a paragraph of free text.

PDF-library text prints such a row as its labels, its amount, then the goal wrapped over as many
lines as the cell is tall; a label too long for its cell wraps onto the lines around the amount
(``深圳市审计局 信息化（财政审`` / ``核）`` / ``80.00 建立完善的…``).  The lines are read as a
stream: a row starts at the line holding its amount -- the first figure of the line, after
nothing but labels (no clause punctuation) and not followed by a unit (``162 个`` is a quantity
in a goal, not an amount) -- and takes the label-only lines printed just before it, after the
previous goal's last sentence; everything after the amount, up to the next row, is its goal.
A label cut in its brackets (``（杭州市预`` / ``警信息发布中心）``) is joined again.

The header is recognised by its words alone (perf.toml ``[columns]``, field ``goal``): every label of the line
a column the catalog knows, one of them the goal.  The list ends at a note (注：/备注：), a
section heading or a table title.

Out: a :class:`~.grid.Grid` of format ``"pdftext"`` -- the header row and one row a project, each
cell with its offsets -- which the performance parser reads as any list.

May import ``normalize``, ``grid``, ``line``, ``catalog``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..catalog import Catalog
from ..fold import fold
from .grid import Cell, Grid, GridRow
from .line import Line
from .normalize import SourceText

_PAGE_NO_LEAD = re.compile(r"^\s*[-—–]\s*\d{1,3}\s*[-—–]\s*")
_AMOUNT = re.compile(r"^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^-?\d+(?:\.\d+)?$")
_CLAUSE = re.compile(r"[，。；;！？、：:]")
_SENTENCE_END = re.compile(r"[。；;！？]$")
_HEADING = re.compile(r"^(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）])")
_MAX_LINES = 200
"""A list longer than this is no list (a run-away region is cut here)."""


@lru_cache(maxsize=8)
def _units(cat: Catalog) -> tuple[str, ...]:
    """The units a quantity in running text carries (perf.toml ``quantity_units``)."""
    return tuple(cat.perf_words.get("quantity_units", ()))


def goal_header(cat: Catalog, text: str) -> list[tuple[str, str]] | None:
    """The labels of a goal-list header line with their fields, or ``None``."""
    cols = cat.perf_columns
    labels = _PAGE_NO_LEAD.sub("", text).split()
    if not 2 <= len(labels) <= 6:
        return None
    fields = [cols.get(cat.norm(lbl)) for lbl in labels]
    if any(f is None for f in fields):
        return None
    have = set(fields)
    if "goal" not in have or "name" not in have or not any(f.startswith("value:") for f in have if f):
        return None
    return [(lbl, f) for lbl, f in zip(labels, fields, strict=True) if f]


def goal_grid(src: SourceText, cat: Catalog, lines: list[Line]) -> Grid | None:
    """The grid of a goal list whose header is the first of ``lines`` (``None``: no list)."""
    if not lines:
        return None
    head = goal_header(cat, lines[0].text)
    if head is None:
        return None
    units = _units(cat)
    fields = [f for _, f in head]
    amount_at = next(k for k, f in enumerate(fields) if f.startswith("value:"))
    n_labels = amount_at
    h = lines[0]
    header = GridRow([_cell(lbl, h.start, h.end) for lbl, _ in head], h.no, h.start, h.end)
    rows: list[list[Cell]] = []
    pending: list[tuple[str, int, int]] = []  # label-only lines not yet known to be a row's or a goal's
    goal: list[tuple[str, int, int]] = []
    ended = True  # the previous goal ended a sentence (or no goal yet)
    last_end = h.end

    def close() -> None:
        if rows and goal:
            rows[-1][-1] = _joined(goal)
        goal.clear()

    for ln in lines[1:_MAX_LINES]:
        toks = _tokens(src, ln)
        if not toks:
            continue
        first = fold(toks[0][0])
        if cat.match_title(ln.text) is not None or _HEADING.match(first) or cat.is_note(first):
            break
        at = _amount_at(toks, units)
        if at is None:
            if rows or pending:
                if ended and not any(_CLAUSE.search(t) for t, _, _ in toks):
                    pending += toks  # the next row's label, or more of the goal: the next line says
                else:
                    goal.extend(pending + toks)
                    pending = []
                    ended = bool(_SENTENCE_END.search(toks[-1][0]))
            elif not any(_CLAUSE.search(t) for t, _, _ in toks):
                pending += toks
            else:
                break  # prose straight after the header: no list
            last_end = ln.end
            continue
        close()
        labels = _bracketed(pending + toks[:at])
        pending = []
        cells = [Cell("", "", ln.start, ln.start) for _ in fields]
        by_col: dict[int, list[tuple[str, int, int]]] = {}
        for k, lab in zip(_columns(len(labels), n_labels), labels, strict=True):
            by_col.setdefault(k, []).append(lab)
        for k, labs in by_col.items():
            cells[k] = _joined(labs)
        t, a, b = toks[at]
        cells[amount_at] = _cell(t, a, b)
        rows.append(cells)
        goal.extend(toks[at + 1 :])
        ended = bool(goal) and bool(_SENTENCE_END.search(goal[-1][0]))
        last_end = ln.end
    goal.extend(pending)
    close()
    if not rows:
        return None
    grid_rows = [header]
    for c in rows:
        a = min(x.start for x in c if x.text)
        grid_rows.append(GridRow(c, src.line_of(a), a, max(x.end for x in c)))
    end = max(last_end, grid_rows[-1].end)
    grid = Grid(grid_rows, "pdftext", h.start, end, h.no, src.line_of(max(h.start, end - 1)))
    grid.extra["form"] = True
    return grid


def read_goal_list(src: SourceText, cat: Catalog, units: list, i: int, out: list) -> int:  # type: ignore[type-arg]
    """A goal list from its header line ``units[i]`` on (``Line`` objects, grids, ``None`` for
    blank lines): its grid appended to ``out``, the lines after its end left as they were.
    Returns where to go on."""
    j, lines = i, []
    while j < len(units) and isinstance(units[j], Line) and len(lines) < _MAX_LINES:
        lines.append(units[j])
        j += 1
        while j < len(units) and units[j] is None:
            j += 1
    grid = goal_grid(src, cat, lines)
    if grid is None:
        out.append(units[i])
        return i + 1
    out.append(grid)
    k = i
    while k < len(units) and (units[k] is None or (isinstance(units[k], Line) and units[k].start < grid.end)):
        k += 1
    return k


def _tokens(src: SourceText, ln: Line) -> list[tuple[str, int, int]]:
    """The line's tokens with their offsets, a page number glued at its start left out."""
    raw = src.text[ln.start : ln.end].replace("\f", " ")
    m = _PAGE_NO_LEAD.match(raw)
    skip = m.end() if m else 0
    found = re.finditer(r"\S+", raw)
    return [(t.group(), ln.start + t.start(), ln.start + t.end()) for t in found if t.start() >= skip]


def _amount_at(toks: list[tuple[str, int, int]], units: tuple[str, ...]) -> int | None:
    """The token that is the row's amount: the first figure of the line, after labels only, not a
    quantity with its unit."""
    for k, (t, _, _) in enumerate(toks):
        if _AMOUNT.match(t):
            nxt = toks[k + 1][0] if k + 1 < len(toks) else ""
            if nxt and any(nxt.startswith(u) for u in units):
                return None
            return k
        if _CLAUSE.search(t) or any(ch.isdigit() for ch in t):
            return None
    return None


def _bracketed(toks: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """Tokens joined where a bracket opened in one closes in a later one (a label wrapped in it)."""
    out: list[tuple[str, int, int]] = []
    for t in toks:
        if out and _open(out[-1][0]):
            p = out[-1]
            out[-1] = (p[0] + t[0], p[1], t[2])
        else:
            out.append(t)
    return out


def _open(text: str) -> bool:
    return text.count("（") + text.count("(") > text.count("）") + text.count(")")


def _columns(n: int, n_labels: int) -> list[int]:
    """The label column of each of ``n`` labels: one each, the surplus joined into the last (the
    name), too few filling the last columns."""
    if n_labels <= 0:
        return []
    if n >= n_labels:
        return list(range(n_labels - 1)) + [n_labels - 1] * (n - n_labels + 1)
    return list(range(n_labels - n, n_labels))


def _joined(toks: list[tuple[str, int, int]]) -> Cell:
    """A cell wrapped over lines: its pieces joined without the line breaks."""
    text = "".join(t for t, _, _ in toks)
    return _cell(text, toks[0][1], toks[-1][2])


def _cell(text: str, a: int, b: int) -> Cell:
    t = text.strip()
    return Cell(fold(t), t, a, b) if t else Cell("", "", a, a)
