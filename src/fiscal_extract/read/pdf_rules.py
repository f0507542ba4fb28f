"""A page's ruling lines, and the ruled tables they draw: rows and columns from the rules.

Budget tables are printed in ruled cells.  The rules say what the gaps between words cannot: a
header cell whose words wrap over three lines is one cell (no rule crosses it), a group label
over five columns spans them (no vertical rule parts it), and a row whose label wraps is one row.
:func:`page_rules` collects the thin path objects of a page (and the sides of drawn rectangles);
:func:`ruled_tables` groups them into tables, each a grid of *atomic* rows (between consecutive
horizontal rules) and columns (between consecutive vertical rules), and :meth:`RuledTable.cells`
merges atomic cells that no rule parts into the printed cells.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

THIN = 2.5
"""A path object thinner than this (points) is a rule."""
SAME = 2.0
"""A rule this close to a boundary lies on it."""
GRID = 6.0
"""Rules closer than this (points) are one grid line: no column or row is that narrow, and
some writers draw every cell's frame a few points inside the grid line, or double rules."""
REACH = 1.5
"""A rule ending this close to a boundary still reaches it."""


@dataclass
class Rules:
    """Horizontal rules ``(y, x0, x1)`` and vertical rules ``(x, top, bottom)``, from the top-left."""

    h: list[tuple[float, float, float]] = field(default_factory=list)
    v: list[tuple[float, float, float]] = field(default_factory=list)


def page_rules(page: Any) -> Rules:
    """The ruling lines of a pypdfium2 page: thin path objects, and the sides of rectangles
    (cell frames, shaded rows) smaller than half the page."""
    width, height = page.get_width(), page.get_height()
    out = Rules()
    for x0, y0, x1, y1 in path_bounds(page):
        top, bottom = height - y1, height - y0
        w, h = x1 - x0, bottom - top
        if w < THIN and h > 4:
            out.v.append(((x0 + x1) / 2, top, bottom))
        elif h < THIN and w > 4:
            out.h.append(((top + bottom) / 2, x0, x1))
        elif w >= THIN and h >= THIN and w * h < 0.5 * width * height:
            out.h.extend(((top, x0, x1), (bottom, x0, x1)))
            out.v.extend(((x0, top, bottom), (x1, top, bottom)))
    return out


def path_bounds(page: Any, max_depth: int = 3) -> list[tuple[float, float, float, float]]:
    """The bounds ``(left, bottom, right, top)`` of every path object of a page, form XObjects
    entered ``max_depth`` deep (pdfium's own calls: a page may hold thousands of paths)."""
    import ctypes

    import pypdfium2.raw as c

    left, bottom, right, top = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    refs = ctypes.byref(left), ctypes.byref(bottom), ctypes.byref(right), ctypes.byref(top)
    out: list[tuple[float, float, float, float]] = []
    stack: list[tuple[Any, int]] = [(None, 0)]
    raw = page.raw
    while stack:
        form, depth = stack.pop()
        n = c.FPDFPage_CountObjects(raw) if form is None else c.FPDFFormObj_CountObjects(form)
        for i in range(n):
            obj = c.FPDFPage_GetObject(raw, i) if form is None else c.FPDFFormObj_GetObject(form, i)
            kind = c.FPDFPageObj_GetType(obj)
            if kind == c.FPDF_PAGEOBJ_PATH:
                if c.FPDFPageObj_GetBounds(obj, *refs):
                    out.append((left.value, bottom.value, right.value, top.value))
            elif kind == c.FPDF_PAGEOBJ_FORM and depth < max_depth:
                stack.append((obj, depth + 1))
    return out


def _clusters(values: list[float]) -> list[tuple[float, float]]:
    """Rule positions grouped where they lie closer than GRID apart (a cell border drawn inside
    the grid line, a double rule), as ``(lowest, highest)``."""
    out: list[list[float]] = []
    for x in sorted(values):
        if out and x - out[-1][1] <= GRID:
            out[-1][1] = x
        else:
            out.append([x, x])
    return [(a, b) for a, b in out]


def _at(clusters: list[tuple[float, float]], x: float) -> int | None:
    """The index of the boundary ``x`` belongs to, else None."""
    from bisect import bisect_left

    k = bisect_left([b for _, b in clusters], x - SAME)
    return k if k < len(clusters) and clusters[k][0] - SAME <= x <= clusters[k][1] + SAME else None


@dataclass
class RuledTable:
    """One ruled table: atomic column bounds ``xs`` and row bounds ``ys``, and which atomic
    boundaries a rule draws."""

    xs: list[float]
    ys: list[float]
    vcuts: set[tuple[int, int]]
    """(k, r): the vertical boundary ``xs[k]`` is drawn across atomic row r."""
    hcuts: set[tuple[int, int]]
    """(k, c): the horizontal boundary ``ys[k]`` is drawn across atomic column c."""

    @property
    def box(self) -> tuple[float, float, float, float]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]

    def contains(self, x: float, y: float) -> bool:
        return self.xs[0] - 1 <= x <= self.xs[-1] + 1 and self.ys[0] - 1 <= y <= self.ys[-1] + 1

    def column(self, x: float) -> int:
        return _index(self.xs, x)

    def row(self, y: float) -> int:
        return _index(self.ys, y)

    def cells(self) -> dict[tuple[int, int], tuple[int, int, int, int]]:
        """Every atomic cell ``(r, c)`` -> the printed cell it belongs to ``(r0, c0, r1, c1)``
        (inclusive atomic indexes): atomic cells no drawn rule parts are one cell."""
        nr, nc = len(self.ys) - 1, len(self.xs) - 1
        parent = {(r, c): (r, c) for r in range(nr) for c in range(nc)}

        def find(a: tuple[int, int]) -> tuple[int, int]:
            while parent[a] != a:
                parent[a] = parent[parent[a]]
                a = parent[a]
            return a

        def union(a: tuple[int, int], b: tuple[int, int]) -> None:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)

        for r in range(nr):
            for c in range(nc):
                if c + 1 < nc and (c + 1, r) not in self.vcuts:
                    union((r, c), (r, c + 1))
                if r + 1 < nr and (r + 1, c) not in self.hcuts:
                    union((r, c), (r + 1, c))
        groups: dict[tuple[int, int], list[tuple[int, int]]] = {}
        for key in parent:
            groups.setdefault(find(key), []).append(key)
        out: dict[tuple[int, int], tuple[int, int, int, int]] = {}
        for members in groups.values():
            rs = [m[0] for m in members]
            cs = [m[1] for m in members]
            span = (min(rs), min(cs), max(rs), max(cs))
            for m in members:
                out[m] = span
        return out


def _index(bounds: list[float], v: float) -> int:
    from bisect import bisect_right

    return min(max(bisect_right(bounds, v) - 1, 0), len(bounds) - 2)


def ruled_tables(rules: Rules) -> list[RuledTable]:
    """The ruled tables of a page: rules grouped by overlapping vertical extent, each group with
    at least two columns and two rows of cells... or one row of several columns."""
    items = [(y, y, "h", (y, a, b)) for y, a, b in rules.h] + [(t, b, "v", (x, t, b)) for x, t, b in rules.v]
    items.sort(key=lambda it: it[0])
    groups: list[list[tuple[float, float, str, tuple[float, float, float]]]] = []
    end = -1e9
    for it in items:
        if groups and it[0] <= end + SAME:
            groups[-1].append(it)
            end = max(end, it[1])
        else:
            groups.append([it])
            end = it[1]
    out: list[RuledTable] = []
    for g in groups:
        t = _table([r for _, _, k, r in g if k == "h"], [r for _, _, k, r in g if k == "v"])
        if t is not None:
            out.append(t)
    return out


def _table(h: list[tuple[float, float, float]], v: list[tuple[float, float, float]]) -> RuledTable | None:
    if not v:
        return None
    xc = _clusters([x for x, _, _ in v] + ([min(a for _, a, _ in h), max(b for _, _, b in h)] if h else []))
    yc = _clusters([y for y, _, _ in h] + [min(t for _, t, _ in v), max(b for _, _, b in v)])
    if len(xc) < 3 or len(yc) < 2:
        return None  # a framed paragraph, a lone line: not a table
    xs = [(a + b) / 2 for a, b in xc]
    ys = [(a + b) / 2 for a, b in yc]
    return RuledTable(xs, ys, _cuts(v, xc, ys), _cuts(h, yc, xs))


def _cuts(
    lines: list[tuple[float, float, float]], at: list[tuple[float, float]], across: list[float]
) -> set[tuple[int, int]]:
    """(line cluster, cell) pairs: which cells between the ``across`` centres each ruled line
    (position, from, to) separates -- the same for vertical lines over rows and horizontal ones
    over columns."""
    cuts: set[tuple[int, int]] = set()
    for pos, a, b in lines:
        k = _at(at, pos)
        if k is None:
            continue
        for c in range(len(across) - 1):
            mid = (across[c] + across[c + 1]) / 2
            if a - REACH <= mid <= b + REACH:
                cuts.add((k, c))
    return cuts


RULE_MIN_H = 24.0
"""A horizontal run of dark pixels at least this long (points) in a page image is a rule (a dash
or the stroke of a character is shorter)."""
RULE_MIN_V = 10.0
"""A vertical run at least this long (points) is a rule -- when it meets a horizontal rule."""
RULE_MAX_THICK = 2.5
"""A rule is at most this thick (points); a thicker dark run is a filled shape."""
RULE_MEETS = 3.0
"""A vertical rule's end this close (points) to a horizontal rule meets it."""


def image_rules(image: Any, scale: float) -> Rules:
    """The ruling lines printed in a page image (a scanned page: no path objects to read them
    from), in points of a page rendered at ``scale``: long thin runs of dark pixels.  A vertical
    run counts only where one of its ends meets a horizontal rule, as a table's grid lines do (the
    tall stroke of a heading's character meets none)."""
    import cv2
    import numpy as np

    gray = image if image.ndim == 2 else image[:, :, :3].min(axis=2)
    dark = (gray < 160).astype(np.uint8)
    thick = RULE_MAX_THICK * scale + 1

    def runs(kernel: tuple[int, int]) -> list[tuple[int, int, int, int]]:
        kept = cv2.morphologyEx(dark, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, kernel))
        n, _, stats, _ = cv2.connectedComponentsWithStats(kept, connectivity=8)
        return [(int(x), int(y), int(w), int(h)) for x, y, w, h, _ in stats[1:n]]

    out = Rules()
    for x, y, w, h in runs((max(2, round(RULE_MIN_H * scale)), 1)):
        if h <= thick:
            out.h.append(((y + h / 2) / scale, x / scale, (x + w) / scale))
    near = RULE_MEETS
    for x, y, w, h in runs((1, max(2, round(RULE_MIN_V * scale)))):
        if w > thick:
            continue
        cx, top, bottom = (x + w / 2) / scale, y / scale, (y + h) / scale
        if any(abs(ry - end) <= near and a - near <= cx <= b + near for ry, a, b in out.h for end in (top, bottom)):
            out.v.append((cx, top, bottom))
    return out
