"""A page pdfminer printed row after row whose blocks of several rows come in a mixed order.

:mod:`pdfminer_blocks` reads a block of several rows only where a plain order (row by row, column
by column) makes the row identities hold.  Here such blocks are read again in a mixed order -- a
row's cells, then a column's run down the block -- under the code tree's sums and the row
identities at once (:func:`fiscal_extract.read.pdfminer_plans.by_mixed`), named as the page's
other rows settled the columns; and where columns printed after the last row widen the table,
the wider header plan must name the first columns alike and keep the identities.  Where no
reading keeps every sum, the block keeps no figures and the blocks reader's notice stands.

Comes in: the page's header words, amounts, blocks and the column keys.  Goes out: rows, the
column count and notes; or a wider :class:`HeaderPlan`.  May import: ``catalog``,
``pdfminer_blocks``, ``pdfminer_plans``, ``pdfminer_rows``, ``pdftext_header``,
``pdftext_tokens``.
"""

from __future__ import annotations

from ..catalog import Catalog
from .pdfminer_blocks import read_blocks
from .pdfminer_plans import by_mixed, tolerance
from .pdfminer_rows import levels_of
from .pdftext_header import HeaderPlan, _numeric, _score, plan_header
from .pdftext_tokens import TextRow, Token


def wider(
    cat: Catalog, layout: str, kind: str, head: list[str], plan: HeaderPlan, rows: list[TextRow], k: int
) -> HeaderPlan | None:
    """The header plan of ``k`` columns, where columns printed after the rows' (:func:`read_blocks`'
    tail) widen the table: it must name the first columns as ``plan`` did, and the row identities
    must not fail under it; else ``None``."""
    full = [[a.text if a is not None else "" for a in r.amounts] for r in rows if len(r.amounts) == k]
    wide = plan_header(cat, layout, kind, head, k, full)
    if list(wide.keys[: len(plan.keys)]) != list(plan.keys):
        return None
    held, failed = _score(cat.identities_for(kind), [x or "" for x in wide.keys], _numeric(full, len(full)))
    return wide if held and not failed else None


def mixed_blocks(  # type: ignore[type-arg]
    cat: Catalog,
    layout: str,
    kind: str,
    head: list[str],
    amounts: list[Token],
    glued: dict[int, Token],
    blocks: list,
    keys: list[str],
) -> tuple[list[TextRow], int, list[str]] | None:
    """The page's blocks read again, those of several rows that neither order fits in a mixed
    order under the code tree's sums and the row identities by ``keys``; ``None`` when none is."""
    tol = tolerance(amounts)
    placed = [0]

    def mixed(
        block: list[Token], names: list[tuple[Token, int, int]], codes: list[Token | None], width: int
    ) -> tuple[list[list[Token | None]], str] | None:
        totals = [cat.row_label(t.text)[0] == "total" for t, _l, _i in names]
        levels = levels_of(codes if any(c is not None for c in codes) else None, names)  # type: ignore[arg-type]
        if levels is None:
            return None
        got = by_mixed(cat, layout, kind, head, block, levels, totals, tol, width=width, names=keys[:width])
        if got is None:
            return None
        placed[0] += 1
        return got[0], f"a block of {len(names)} rows: {got[2]}"

    got = read_blocks(cat, kind, lambda kk: list(keys[:kk]), blocks, glued, mixed)
    if got is None or not placed[0]:
        return None
    return got


# ------------------------------------------------------------------------------- rows
