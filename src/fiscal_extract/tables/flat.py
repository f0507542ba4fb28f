"""Flat layouts: one row per printed line, no codes to join."""

from __future__ import annotations

from ..read.grid import GridRow
from .draft import Ctx, Draft, VCell, clean_name
from .header import Col, is_label_text
from .labels import value_cols

# ------------------------------------------------------------------------------- flat ("三公")


def flat_rows(rows: list[GridRow], columns: list[Col], ctx: Ctx, kind: str) -> list[Draft]:
    vcols = value_cols(columns)
    drafts = []
    for r in rows:
        d = Draft(row=r)
        for col in vcols:
            c = r.cells[col.index] if col.index < len(r.cells) else None
            d.vcells.append(VCell(col.key or "", c))
        labels = [c for i, c in enumerate(r.cells) if c.text and is_label_text(c.text)]
        if labels:
            d.name = clean_name(labels[0].raw)
        if not any(v.cell and v.cell.text for v in d.vcells) and not d.name:
            continue
        drafts.append(d)
    return drafts
