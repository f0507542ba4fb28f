"""The classified layout: rows keyed by functional, economic or unit codes, and tables read by a
catalog template (a fixed list of rows)."""

from __future__ import annotations

from ..models import Notice
from ..read.grid import GridRow
from ..read.numbers import parse_number
from .draft import Ctx, Draft, VCell, clean_name
from .header import Col, is_label_text
from .labels import CODE, fill_labels, label_tokens, role_from_label, value_cols

# ------------------------------------------------------------------------------- classified


def classified_rows(rows: list[GridRow], columns: list[Col], ctx: Ctx, kind: str) -> list[Draft]:
    template = ctx.cat.templates.get(kind)
    if template and getattr(columns, "garbled", False):
        return _template_rows(rows, template, ctx)
    vcols = value_cols(columns)
    drafts = []
    if not vcols:
        for r in rows:
            d = Draft(row=r)
            toks = [c for k, c in label_tokens(r.cells) if k == "text"]
            d.name = clean_name(toks[0].raw) if toks else ""
            drafts.append(d)
        return drafts
    first_v = vcols[0].index
    by_index = {c.index: c for c in columns}
    value_at = [(c.index, c.key or "") for c in vcols]
    for r in rows:
        cells = r.cells
        width = len(cells)
        # a row whose name sits where the header puts the first figure is shifted right
        offset = 0
        for i in range(width - 1, first_v - 1, -1):
            t = cells[i].text
            if t and is_label_text(t) and not CODE.match(t):
                offset = i + 1 - first_v
                break
        d = Draft(row=r)
        label_cells = cells[: first_v + offset]
        fill_labels(d, label_cells, by_index if offset == 0 else {}, ctx)
        d.vcells = [VCell(key, cells[i + offset] if i + offset < width else None) for i, key in value_at]
        last = vcols[-1].index + offset
        d.extra = [c for c in cells[last + 1 :] if c.text]
        role_from_label(ctx, d)
        drafts.append(d)
    return drafts


def _template_rows(rows: list[GridRow], template: list[str], ctx: Ctx) -> list[Draft]:
    """A garbled header: each row's figures (after its last label) in the kind's standard order."""
    drafts = []
    for r in rows:
        cells = r.cells
        labels = [
            i
            for i, c in enumerate(cells)
            if (
                c.text and (is_label_text(c.text) or c.text.replace(" ", "").isdigit()) and parse_number(c.text) is None
            )
            or (c.text.isdigit() and len(c.text) <= 3 and i < 6)
        ]
        start = max(labels) + 1 if labels else 0
        # blanks between the labels and the first figure belong to absent label columns
        while start < len(cells) and not cells[start].text:
            start += 1
        d = Draft(row=r)
        fill_labels(d, cells[:start], {}, ctx)
        for key, c in zip(template, cells[start:], strict=False):
            d.vcells.append(VCell(key, c))
        d.extra = [c for c in cells[start + len(template) :] if c.text]
        role_from_label(ctx, d)
        drafts.append(d)
    if drafts:
        ctx.notices.append(
            Notice(
                code="garbled_header",
                message="a header too garbled to map: figures read in the standard column order",
                span=ctx.span(rows[0].start, rows[-1].end),
            )
        )
    return drafts
