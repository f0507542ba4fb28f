"""Rendering reader: markdown pipe tables into rows (:class:`~.grid.GridRow`)."""

from __future__ import annotations

import re

from .grid import GridRow, cell_at
from .normalize import SourceText

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
    cells = [cell_at(src, x, y) for x, y in bounds]
    if cells and all(_MD_SEP.match(c.text) for c in cells):
        return None
    for c in cells:
        if "\\|" in c.text:
            c.text = c.text.replace("\\|", "|")
            c.raw = c.raw.replace("\\|", "|")
    return GridRow(cells, line, start, end)
