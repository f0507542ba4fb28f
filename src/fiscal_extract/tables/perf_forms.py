"""A performance form as a whole: where one form ends and the next (a continuation page printed
without its title) begins, and what the reader could not place in it, said in notices so that no
check report reads "all clear" over figures nobody read.

May import the models, ``read.segment`` (blocks) and :mod:`.draft`.
"""

from __future__ import annotations

from ..models import Notice, Table
from ..read.segment import TableBlock
from .draft import Ctx

_FORM_KEYS = frozenset(
    {"initial_budget", "full_year_budget", "executed", "weight", "score", "total", "gov_funds", "prior_amount"}
)
"""Figures only a placed form row holds (a funds block, a score, a project's amounts)."""
_UNPLACED_KEYS = frozenset(f"amount_{i}" for i in range(2, 7))
"""Keys of figures read in a row that no header placed (the first is kept as ``amount``)."""


def unplaced_notices(table: Table, block: TableBlock, ctx: Ctx) -> None:
    """A form, or rows of it, the reader could not place: said, so that no check report reads as
    "all clear" over figures nobody read."""
    name = table.title or table.kind
    span = ctx.span(block.start, max(block.end, block.start))
    read = [r for r in table.rows if r.role in ("indicator", "task") or _FORM_KEYS & r.values.keys()]
    if table.rows and not read:
        loose = sum(1 for r in table.rows for v in r.values.values() if v is not None)
        ctx.notices.append(
            Notice(
                code="perf_form_unread",
                message=f"{name}: a performance form the reader could not place (no indicator, task, funds or "
                f"score read; {loose} loose figure(s))",
                span=span,
            )
        )
        return
    loose = [r for r in table.rows if _UNPLACED_KEYS & r.values.keys()]
    if loose:
        first = loose[0].span or span
        ctx.notices.append(
            Notice(
                code="perf_rows_unplaced",
                message=f"{name}: {len(loose)} row(s) whose figures no header placed (kept as amount, amount_2 …, "
                f"first: {loose[0].name[:20]}); no check reads them",
                span=first,
            )
        )


def split_forms(table: Table, ctx: Ctx) -> list[Table]:
    """A form ends at its 总分 row: indicator rows after it are the continuation page of another
    form whose first page (title, project, funds) was not printed -- a table of its own, untitled,
    with a notice (its project cannot be named)."""
    out = [table]
    rows = table.rows
    start = 0
    for i, r in enumerate(rows):
        if r.role != "total" or not r.name.startswith("总分") or i + 1 >= len(rows):
            continue
        if not any(x.role == "indicator" for x in rows[i + 1 :]):
            continue
        cut = rows[start : i + 1]
        if out[-1] is table:
            table.rows = cut
        else:
            out[-1].rows = cut
        rest = rows[i + 1 :]
        first = next((x.span for x in rest if x.span is not None), None)
        part = Table(kind=table.kind, title="", unit=table.unit, rows=rest)
        if first is not None and table.span is not None:
            part.span = ctx.span(first.start, max(first.start, table.span.end))
            ctx.notices.append(
                Notice(
                    code="perf_form_untitled",
                    message=f"{table.title or table.kind}: indicator rows after its 总分 are read as another "
                    "form's continuation page (no title, project or funds printed)",
                    span=part.span,
                )
            )
        if table.span is not None and first is not None:
            table.span = ctx.span(table.span.start, first.start)
        out.append(part)
        start = i + 1
    return out
