"""Rendering reader: tab-separated lines (the OCR tools' own output) into rows (:class:`~.grid.GridRow`)."""

from __future__ import annotations

from .grid import Cell, GridRow
from .normalize import SourceText

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
