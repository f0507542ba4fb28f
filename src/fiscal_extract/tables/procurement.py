"""The procurement layout (政府采购): one row per purchase line."""

from __future__ import annotations

from ..read.grid import GridRow
from .draft import Ctx, Draft, VCell, clean_name
from .header import Col, is_label_text
from .labels import BRACKET_CODE, is_unit, join_code, value_cols

# ------------------------------------------------------------------------------- procurement


def procurement_rows(rows: list[GridRow], columns: list[Col], ctx: Ctx) -> list[Draft]:
    vcols = value_cols(columns)
    by_index = {c.index: c for c in columns}
    out = []
    for r in rows:
        cells = r.cells
        d = Draft(row=r)
        codes: list[str] = []
        for i, c in enumerate(cells):
            col = by_index.get(i)
            if not c.text or col is None or col.role == "value":
                continue
            t = c.text.replace(" ", "")
            if col.role in ("code_part", "code"):
                if t.isdigit():
                    codes.append(t)
            elif col.role == "unit_code":
                d.texts["unit_code"] = t
            elif col.role == "name":
                d.name = clean_name(c.raw)
            elif col.role == "text" and col.key and (is_label_text(c.text) or t.isdigit()):
                d.texts[col.key] = clean_name(c.raw)
                d.text_cells[col.key] = c
        for col in vcols:
            c = cells[col.index] if col.index < len(cells) else None
            d.vcells.append(VCell(col.key or "", c))
        if codes:
            d.code = join_code(codes)
        elif "function" in d.texts:
            m = BRACKET_CODE.match(d.texts["function"])
            if m:
                d.code = m.group(1)
        unit_name = d.texts.get("unit_name", "")
        role, _ = ctx.cat.row_label(unit_name or d.name)
        if role and not d.code:
            d.role, d.level, d.name = "total", 0, d.name or unit_name
            if d.name == unit_name:
                d.texts.pop("unit_name", None)
        elif not d.name and unit_name:
            d.name = unit_name
            d.texts.pop("unit_name", None)
            uc = d.texts.get("unit_code", "")
            d.role = "unit" if is_unit(ctx, uc, unit_name) else "subtotal"
            if uc:
                d.code = uc
                d.texts.pop("unit_code", None)
        if not d.name and not any(v.cell and v.cell.text for v in d.vcells):
            continue
        out.append(d)
    return out
