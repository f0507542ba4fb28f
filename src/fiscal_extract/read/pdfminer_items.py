"""A table whose rows are named by the catalog's column words, printed by pdfminer cell by cell.

Some templates print the "三公" figures with the items as rows (行政经费, “三公”经费, 其中：因公出国
（境）支出 ...) and the funding sources as columns (合计 | 一般公共预算 | 政府性基金预算 ...).  The
row names are header words of the layout, so in pdfminer's text -- every cell a paragraph, the
names, then the figures column by column -- they look like more header.  They are told apart by
where they stand (the run of the layout's value words after the column labels, up to the first
figure) and by the counts: n names and n x k figures.

The figures are read column by column or row by row only where the table's identities -- here
between rows, as each row is one of the layout's keys (三公 = 因公出国 + 公务用车 + 公务接待 ...) --
hold in every column and fail in none; otherwise the rows keep their names with null values and
a notice says why.

Comes in: the part's header paragraphs and figures in printed order, the table's kind.  Goes out:
a :class:`~fiscal_extract.grid.Grid` of format ``"pdfminer"`` or ``None``.  May import:
``catalog``, ``grid``, ``normalize``, ``pdftext_grid``, ``pdftext_header``, ``pdftext_labels``,
``pdftext_tokens``.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..catalog import Catalog, Identity
from .grid import Grid
from .normalize import SourceText
from .pdfminer_onerow import Part
from .pdftext_grid import build_grid
from .pdftext_header import HeaderPlan, _numeric, _score, plan_header
from .pdftext_labels import header_labels, label_spec
from .pdftext_tokens import TextRow, Token

MIN_ROWS = 3
"""Item rows a table needs for its identities to speak."""


def item_rows(src: SourceText, cat: Catalog, page: Part, kind: str | None, layout: str) -> Grid | None:
    """A page part of pdfminer's text (as sorted by :mod:`pdfminer_columns`) read as a table whose
    rows are named by the layout's items: its label paragraphs before the first figure, in
    printed order, end in the row names."""
    if not page.amounts:
        return None
    first = page.amounts[0].start
    items = sorted([(t.text, t.start, t.end) for t, _l, _i in page.labels] + page.header, key=lambda h: h[1])
    return read_item_rows(src, cat, [h for h in items if h[1] < first], page.amounts, kind, layout)


def read_item_rows(
    src: SourceText,
    cat: Catalog,
    head: list[tuple[str, int, int]],
    amounts: list[Token],
    kind: str | None,
    layout: str,
) -> Grid | None:
    """The grid of a table whose row names are the layout's value words (see the module
    docstring), ``head`` its label paragraphs before the figures in printed order; ``None``
    when the paragraphs do not end in such names or the counts do not divide."""
    if kind is None or not amounts:
        return None
    ids = cat.identities_for(kind)
    # the row names: a run of the layout's value words, each a key of its own, that ends the
    # header; of the runs whose count divides the figures, the one whose reading the most sums
    # between the rows confirm
    keys: list[str] = []
    best: tuple[int, int, str, list[list[Token]], list[str]] | None = None
    longest: tuple[int, list[str]] | None = None
    tie = False
    for cut in range(len(head) - 1, -1, -1):
        spec = label_spec(cat, _OF_WHICH.sub("", head[cut][0]), layout)
        if spec is None or spec.role != "value" or not spec.key or spec.key in keys:
            break
        keys.insert(0, spec.key)
        n = len(keys)
        if n < MIN_ROWS or len(amounts) % n:
            continue
        longest = (cut, list(keys))
        for how, cells, strong in _readings(ids, keys, amounts):
            if best is None or strong > best[0]:
                best, tie = (strong, cut, how, cells, list(keys)), False
            elif strong == best[0]:
                tie = True
    if best is None and longest is None:
        return None
    strong, cut, how, cells, keys = best or (0, *longest[:1], "", [], longest[1])
    names, top = head[cut:], head[:cut]
    n, k = len(names), len(amounts) // len(names)
    labels = header_labels(cat, " ".join(t for t, _a, _b in top))
    if strong and not tie:
        plan = plan_header(cat, layout, kind, labels, k, [[t.text for t in r] for r in cells])
        notes = [
            f"column-ordered text: {n} rows named by the layout's items x {k} columns read {how}"
            f" ({strong} sums between the rows hold)"
        ]
    else:
        cells = [[] for _ in range(n)]
        plan = plan_header(cat, layout, kind, labels, k, [])
        why = "more than one reading fits" if tie else "no reading by columns or by rows makes their sums hold"
        notes = [
            f"column-ordered text: {len(amounts)} figures for {n} rows named by the layout's items --"
            f" {why}; the values are left null"
        ]
    rows = [
        TextRow(None, Token("label", t, a, b), list(c), src.line_of(a), a, max([b, *(x.end for x in c)]), 0)
        for (t, a, b), c in zip(names, cells, strict=True)
    ]
    plan = HeaderPlan(["项目"], plan.values, plan.keys, plan.notes + notes)
    grid = build_grid(src, cat, layout, top or names[:1], plan, rows)
    grid.fmt = "pdfminer"
    if not (strong and not tie):
        grid.extra["packed"] = frozenset()
    return grid


_OF_WHICH = re.compile(r"^\s*其中\s*[:：]?\s*")


def _readings(ids: list[Identity], keys: list[str], amounts: list[Token]) -> list[tuple[str, list[list[Token]], int]]:
    """The readings of the figures as ``len(keys)`` rows (column by column, row by row) whose
    sums between the rows hold in every column and fail in none, with how many hold with two or
    more non-zero terms (a sum of one figure and zeros holds of any two equal columns)."""
    n = len(keys)
    k = len(amounts) // n
    out = []
    for how, cells in (
        ("column by column", [[amounts[j * n + i] for j in range(k)] for i in range(n)]),
        ("row by row", [[amounts[i * k + j] for j in range(k)] for i in range(n)]),
    ):
        columns = _numeric([[cells[i][j].text for i in range(n)] for j in range(k)], limit=k)
        held, failed = _score(ids, keys, columns)
        if not held or failed:
            continue
        at = {key: i for i, key in enumerate(keys)}
        strong = 0
        for col in columns:
            for idn in ids:
                if idn.lhs not in at or col[at[idn.lhs]] is None:
                    continue
                terms = [col[at[t]] for _s, t in idn.terms if t in at]
                gap = abs(col[at[idn.lhs]] - sum(v or 0 for v in terms))  # type: ignore[operator]
                if sum(1 for v in terms if v) >= 2 and gap <= Decimal("0.011") * (len(terms) + 1):
                    strong += 1
        if strong:
            out.append((how, cells, strong))
    return out
