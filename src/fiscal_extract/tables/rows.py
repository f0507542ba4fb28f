"""A table's figures: every value cell read under the table's style, shifted rows realigned, rows built.

In: the drafted rows of any layout (:mod:`.draft`).  Out: :class:`~fiscal_extract.models.Row` objects."""

from __future__ import annotations

from decimal import Decimal

from ..models import Notice, Repair, Row
from ..read.cells import NO_STYLE, read_value, style_of
from ..read.numbers import parse_number
from .draft import Ctx, Draft
from .placement import place_packed
from .realign import realign_rows

# ------------------------------------------------------------------------------- figures

_validate_row = Row.__pydantic_validator__.validate_python
"""``Row.model_validate`` without its Python-level wrapper (called once per table row)."""


def finish_rows(drafts: list[Draft], kind: str, ctx: Ctx, table_label: str, styled_figures: bool = True) -> list[Row]:
    """Read every value cell under the table's style, realign shifted rows, build rows.

    ``styled_figures=False`` (performance tables: scores, weights and counts are small whole
    numbers) reads every figure as printed, with no off-style noise policy.
    """
    printed: list[tuple[str, str]] = []
    style = NO_STYLE
    if styled_figures:
        printed = [(v.key, v.cell.text) for d in drafts for v in d.vcells if v.cell is not None and v.cell.text]
        style = style_of([t for _, t in printed], ctx.style)
    # columns that hold figures: some printed in the table's style, or printed in most rows (a
    # column cut at the page edge prints "0.", "0.0" all the way down) -- a bare "0" there is a cut
    # zero, in an otherwise empty column a stray mark
    # (only a strict style reads a cell differently by its column: else this is not worked out)
    styled: set[str] = set()
    if style.strict:
        filled: dict[str, int] = {}
        for key, text in printed:
            filled[key] = filled.get(key, 0) + 1
            if key not in styled:
                p = parse_number(text)
                if p is not None and p.decimals == style.decimals:
                    styled.add(key)
        busy = max(filled.values(), default=0)
        styled.update(key for key, n in filled.items() if n >= 3 and n * 2 >= busy)
    if ctx.packed:
        place_packed(drafts, kind, ctx, table_label, style)
    realign_rows(drafts, kind, ctx, table_label, style)
    line_of = ctx.src.line_of
    line_starts = ctx.src.line_starts
    n_lines = len(line_starts)
    rows = []
    for d in drafts:
        r = d.row
        # most cells lie on their row's line: it is looked up once per row, not per cell
        if r is not None:
            row_line = r.line  # the line of the row's start
            line_a = r.start
            line_b = line_starts[row_line] if row_line < n_lines else len(ctx.src.text) + 1
        else:
            row_line = line_a = line_b = 0
        values: dict[str, Decimal | None] = {}
        # each row is validated in one call, its spans given as data: pydantic builds the nested
        # Span objects far faster than one Span(...) call each
        cells: dict[str, dict[str, int]] = {}
        for v in d.vcells:
            key = v.key
            cell = v.cell
            if values.get(key) is not None:
                continue
            if cell is None or not cell.text:
                values.setdefault(key, None)
                continue
            cv = read_value(cell.text, style, key in styled)
            values[key] = cv.value
            if cv.value is not None:
                at = cell.start
                cells[key] = {"start": at, "end": cell.end, "line": row_line if line_a <= at < line_b else line_of(at)}
            if cv.repair:
                ctx.repairs.append(
                    Repair(
                        span=ctx.span(cell.start, cell.end),
                        original=cell.raw,
                        value=cv.value,
                        reason=cv.repair,
                        kind=cv.kind,
                        ref=f"{table_label}/{d.name or d.code or ''}/{key}",
                    )
                )
        for c in d.extra:
            ctx.notices.append(
                Notice(
                    code="extra_cell",
                    message=f"{table_label}: a cell {c.raw!r} beyond the last column",
                    span=ctx.span(c.start, c.end),
                )
            )
        if not d.name and not d.code and not d.texts and all(v is None for v in values.values()):
            continue  # nothing left once debris is dropped
        rows.append(
            _validate_row(
                {
                    "code": d.code,
                    "name": d.name,
                    "side": d.side,
                    "role": d.role,
                    "level": d.level,
                    "category": d.category,
                    "values": values,
                    "texts": d.texts,
                    "span": {"start": r.start, "end": r.end, "line": row_line} if r is not None else None,
                    "cells": cells,
                }
            )
        )
    return rows
