"""The two-sided layout (收入 | 支出 overviews): each printed line is up to two rows, one per side."""

from __future__ import annotations

from ..models import Repair
from ..read.grid import GridRow
from .draft import Ctx, Draft, VCell, clean_name
from .header import Col, is_label_text
from .labels import numbered_level

# ------------------------------------------------------------------------------- two-sided


def two_sided_rows(rows: list[GridRow], columns: list[Col], ctx: Ctx) -> list[Draft]:
    sides: dict[str, list[Col]] = {"income": [], "expenditure": []}
    for c in columns:
        if c.side in sides:
            sides[c.side].append(c)
    if not sides["income"] and not sides["expenditure"]:
        # no 收入/支出 banner: split the columns at the second name column
        names = [c.index for c in columns if c.role == "name"]
        cut = names[1] if len(names) > 1 else len(columns) // 2
        for c in columns:
            c.side = "income" if c.index < cut else "expenditure"
            sides[c.side].append(c)
    # per side, the column indexes by role (the header is the same for every row)
    plans = [
        (
            side,
            [c.index for c in cols if c.role == "name"],
            [c.index for c in cols if c.role == "line_no"],
            [(c.index, c.key) for c in cols if c.role == "value" and c.key],
        )
        for side, cols in sides.items()
        if cols
    ]
    out: list[Draft] = []
    pending_exp: list[Draft] = []
    for r in rows:
        cells = r.cells
        width = len(cells)
        for side, name_at, line_at, value_at in plans:
            name = ""
            for i in name_at:
                c = cells[i] if i < width else None
                if c is None or not c.text:
                    continue
                if is_label_text(c.text):
                    name = clean_name(c.raw)
                else:
                    ctx.repairs.append(
                        Repair(
                            span=ctx.span(c.start, c.end),
                            original=c.raw,
                            value=None,
                            reason=f"stray {c.raw!r} in a row-name cell: dropped",
                            kind="noise",
                        )
                    )
            if not name and not any(cells[i].text for i, _ in value_at if i < width):
                continue
            d = Draft(row=r, side=side, name=name, vcells=[VCell(key, cells[i]) for i, key in value_at if i < width])
            for i in line_at:
                c = cells[i] if i < width else None
                if c is not None and c.text:
                    d.texts["line_no"] = c.text
                    d.text_cells["line_no"] = c
            _two_sided_label(ctx, d)
            (out if side == "income" else pending_exp).append(d)
    return out + pending_exp


def _two_sided_label(ctx: Ctx, d: Draft) -> None:
    cat = ctx.cat
    role, category = cat.row_label(d.name) if d.name else (None, None)
    d.category = category
    if role:
        d.role, d.level = role, 0
        return
    if cat.is_of_which(d.name):
        d.category = "of_which"
        d.level = None
        return
    d.level = numbered_level(d.name)
