"""The project layout: one row per project, with its code, type and figures."""

from __future__ import annotations

from ..read.grid import Cell, GridRow
from .draft import Ctx, Draft, VCell, clean_name
from .header import Col, is_label_text
from .labels import CODE, PROJECT_CODE, is_unit, value_cols

# ------------------------------------------------------------------------------- projects


def project_rows(rows: list[GridRow], columns: list[Col], ctx: Ctx, first: bool) -> list[Draft]:
    vcols = value_cols(columns)
    roles = {c.index: c for c in columns if c.role and c.role != "value"}
    role_at = sorted(roles)
    out: list[Draft] = []
    group: Draft | None = None
    for r in rows:
        cells = r.cells
        d = Draft(row=r)
        texts: list[tuple[Col, Cell]] = [(roles[i], cells[i]) for i in role_at if i < len(cells) and cells[i].text]
        code = None
        for col, c in texts:
            t = c.text.replace(" ", "")
            if col.role == "category":
                if is_label_text(c.text):
                    d.category = clean_name(c.raw)
            elif col.role == "code" or (CODE.match(t) and t[0].isdigit()):
                code = t if CODE.match(t) else code
            elif col.role == "name":
                if is_label_text(c.text):
                    d.name = clean_name(c.raw)
            elif col.role == "text" and col.key and is_label_text(c.text):
                d.texts[col.key] = clean_name(c.raw)
                d.text_cells[col.key] = c
        d.vcells = [VCell(col.key or "", cells[col.index] if col.index < len(cells) else None) for col in vcols]
        d.code = code
        unit_name = d.texts.get("unit_name")
        role, _cat = ctx.cat.row_label(d.name or unit_name or "")
        if role and not code:
            d.role, d.level = "total", 0
            d.name = d.name or unit_name or ""
            if not d.name or ctx.cat.norm(d.name) != ctx.cat.norm(unit_name or ""):
                pass
            d.texts.pop("unit_name", None) if d.name == unit_name else None
        elif code and not d.name and unit_name and not PROJECT_CODE.match(code):
            # "112 | 单位名称": a budget-unit row with its name in the unit column
            d.role, d.name = "unit", unit_name
            d.texts.pop("unit_name", None)
        elif code and is_unit(ctx, code, d.name) and not PROJECT_CODE.match(code):
            d.role = "unit"
        elif code and not PROJECT_CODE.match(code) and len(code) <= 4:
            d.role = "subtotal"
            group = d
        elif not code and not d.name and not unit_name and first and not out:
            d.role, d.level = "total", 0  # the first row with figures and no label: the table total
        else:
            d.role = "item"
            if group is not None and d.category is None:
                d.texts.setdefault("group", group.name)
        if d.role == "item" and not d.name and not d.code and not any(v.cell and v.cell.text for v in d.vcells):
            continue
        out.append(d)
    return out
