"""The totals of a two-sided table (收入 | 支出) that pdfminer printed cell by cell.

A two-sided overview (收支总表, 财政拨款收支总表) prints income items on the left and expenditure
items on the right of one label column each.  pdfminer writes its cells as paragraphs in an
order that mixes both sides, runs of one column and single rows, so which item a figure belongs
to is mostly lost.  What the arithmetic can still decide is read, and nothing else:

* the two sides' totals (收入总计 | 支出总计): each printed with the figures straight after it, the
  same on both sides -- a two-sided table balances, so the two runs confirm each other;
* a side's subtotal (本年收入合计, 当年支出小计): its figures straight after it, where the side's
  total equals the subtotal plus the carry-over rows printed between the two (上年结转, 结转下年)
  column by column -- a carry-over row printing no figure, or only zeros, adds nothing.

The table's other rows are not read (their figures cannot be paired with them by the arithmetic):
they are left out, and a notice says so.  The carry-over rows are kept (with their figures where
they are confirmed too), so that the summary knows that the side prints one.

Comes in: the part's labels and figures (typed tokens, printed order) and its header words.
Goes out: a :class:`~fiscal_extract.grid.Grid` of format ``"pdfminer"`` or ``None`` (no totals
confirmed).  May import: ``catalog``, ``grid``, ``normalize``, ``numbers``, ``pdftext_grid``,
``pdftext_header``, ``pdftext_labels``, ``pdftext_tokens``.
"""

from __future__ import annotations

from decimal import Decimal

from ..catalog import Catalog
from .grid import Grid
from .normalize import SourceText
from .numbers import parse_number
from .pdfminer_onerow import Part
from .pdftext_grid import build_grid
from .pdftext_header import HeaderPlan, plan_header
from .pdftext_labels import header_labels
from .pdftext_tokens import TextRow, Token

_CARRY = {"carryover": 0, "carryover_end": 1}
"""The side a carry-over row is printed on, by its category (rows.toml): 上年结转 brings money in,
结转下年 takes it out."""

_Run = tuple[Token, list[Token]]


def two_sided(src: SourceText, cat: Catalog, page: Part) -> Grid | None:
    """A page part of pdfminer's text read as a two-sided table (``page``: the part's row names,
    header words and amounts, as sorted by :mod:`pdfminer_columns`): its header is the paragraphs
    before the first figure."""
    if not page.amounts:
        return None
    first = page.amounts[0].start
    items = [t for t, _l, _i in page.labels] + [Token("label", t, a, b) for t, a, b in page.header]
    items.sort(key=lambda t: t.start)
    lead = [t for t in items if t.start < first]
    head = [(t.text, t.start, t.end) for t in lead[:-1]]
    # the header's words stand before the first figure; the last paragraph before it may be a row's
    return read_two_sided(src, cat, head, items[len(head) :], page.amounts)


def read_two_sided(
    src: SourceText,
    cat: Catalog,
    head: list[tuple[str, int, int]],
    labels: list[Token],
    amounts: list[Token],
) -> Grid | None:
    """The grid of a two-sided table's confirmed totals and subtotals (see the module docstring):
    ``head`` the header paragraphs before the first figure, ``labels`` the other label
    paragraphs, ``amounts`` the figures."""
    runs = _runs(labels, amounts)
    sides: list[list[_Run]] = [[], []]
    for lab, run in runs:
        side = _side(cat, lab)
        if side is not None:
            sides[side].append((lab, run))
    totals = [_last(cat, s, "total") for s in sides]
    if totals[0] is None or totals[1] is None:
        return None
    (ti, ri), (te, re_) = totals
    width = min(len(ri), len(re_))
    if not width or _values(ri[:width]) != _values(re_[:width]):
        return None  # the two sides' totals do not balance as printed: nothing is confirmed
    notes = [
        f"two-sided table in column-ordered text: the totals {ti.text} and {te.text} read where both sides"
        f" print the same {width} figure(s) after them; the items' figures cannot be paired with their"
        " rows by the arithmetic and are not read"
    ]
    rows: list[tuple[int, Token, list[Token]]] = []
    for side, (total, run) in enumerate(totals):  # type: ignore[misc]
        got = _subtotal(cat, sides[side], total, run[:width], width, notes)
        # a row of no figures under the header whose name is a column label (上年结转) reads as
        # the header's next row: each side starts with its subtotal, or else its total
        if got and cat.row_label(got[0][0].text)[0] == "subtotal":
            rows.extend((side, lab, amts) for lab, amts in got)
            rows.append((side, total, run[:width]))
        else:
            rows.append((side, total, run[:width]))
            rows.extend((side, lab, amts) for lab, amts in got)
    text_rows = [TextRow(None, lab, amts, src.line_of(lab.start), lab.start, lab.end, 0) for _s, lab, amts in rows]
    plan = plan_header(cat, "two_sided", None, header_labels(cat, " ".join(t for t, _a, _b in head)), width, [])
    vals = plan.values[:width] if len(plan.values) >= width else [*plan.values, *[None] * (width - len(plan.values))]
    keys = plan.keys[:width] if len(plan.keys) >= width else [*plan.keys, *[None] * (width - len(plan.keys))]
    if width == 1 and keys[0] is None:
        vals, keys = ["金额"], ["total"]
    plan = HeaderPlan(["项目"], vals + vals, keys * 2, plan.notes + notes)
    grid = build_grid(src, cat, "two_sided", head or [(ti.text, ti.start, ti.end)], plan, text_rows, two_sided=True)
    grid.fmt = "pdfminer"
    grid.extra["packed"] = frozenset()
    return grid


def _runs(labels: list[Token], amounts: list[Token]) -> list[_Run]:
    """Each label with the figures printed straight after it (up to the next label)."""
    seq = sorted([*labels, *amounts], key=lambda t: t.start)
    out: list[_Run] = []
    for t in seq:
        if t.kind == "label":
            out.append((t, []))
        elif out:
            out[-1][1].append(t)
    return out


def _side(cat: Catalog, label: Token) -> int | None:
    """The side a total, subtotal or carry-over row is printed on: its own words (收入 | 支出) or
    its category; ``None`` for any other row, or one that does not say."""
    role, category = cat.row_label(label.text)
    if category in _CARRY:
        return _CARRY[category]
    if role is None:
        return None
    has_in, has_out = "收" in label.text, "支" in label.text
    return 0 if has_in and not has_out else 1 if has_out and not has_in else None


def _last(cat: Catalog, side: list[_Run], role: str) -> _Run | None:
    return next((r for r in reversed(side) if cat.row_label(r[0].text)[0] == role), None)


def _values(run: list[Token]) -> list[Decimal | None]:
    return [p.value if (p := parse_number(t.text)) is not None else None for t in run]


def _subtotal(
    cat: Catalog, side: list[_Run], total: Token, figures: list[Token], width: int, notes: list[str]
) -> list[tuple[Token, list[Token]]]:
    """The side's subtotal and carry-over rows printed before its total: the subtotal and the
    carry-overs after it with their figures where total = subtotal + carry-overs holds column by
    column, else with none (a carry-over before the subtotal is never confirmed)."""
    at = next(i for i, (lab, _r) in enumerate(side) if lab is total)
    before = side[:at]
    sub = next((i for i in range(len(before) - 1, -1, -1) if cat.row_label(before[i][0].text)[0] == "subtotal"), None)
    carry = [i for i, (lab, _r) in enumerate(before) if cat.row_label(lab.text)[1] in _CARRY]
    bare = [(before[i][0], []) for i in carry]
    if sub is None:
        return bare  # type: ignore[return-value]
    slab, srun = before[sub]
    after = [before[i] for i in carry if i > sub]
    sums = [Decimal(0)] * width
    sure = len(srun) == width
    for _lab, run in after:
        vals = _values(run)
        if len(run) == width:
            sums = [s + (v or 0) for s, v in zip(sums, vals, strict=True)]
        elif any(v for v in vals):
            sure = False  # figures of a carry-over whose columns are not known, and not all zero
    if sure and all(
        t is not None and v is not None and abs(t - v - c) <= Decimal("0.011")
        for t, v, c in zip(_values(figures), _values(srun), sums, strict=True)
    ):
        early = [(before[i][0], []) for i in carry if i < sub]
        return [(slab, srun), *early, *[(lab, run if len(run) == width else []) for lab, run in after]]  # type: ignore[list-item]
    notes.append(f"{slab.text}: its figures are not confirmed by {total.text} = {slab.text} + carry-overs; left null")
    return [(slab, []), *bare]  # type: ignore[list-item]
