"""A one-row table that pdfminer printed cell by cell: the header's fragments, then the figures.

Tables such as the "三公" figures print one row of figures under a header of several rows.
pdfminer writes every header cell as a paragraph of its own -- a wrapped cell as several
(``因公出`` / ``国（境）`` / ``费``), two narrow cells side by side interleaved (``公务用车购`` /
``公务用车运`` / ``置费`` / ``行维护费``) -- in an order that follows neither the header's rows nor
its columns, then the row's figures, left to right, with the empty cells left out.

The header words are rebuilt from the fragments with the catalog's header words
(:func:`~fiscal_extract.pdftext_labels.header_labels`).  Which word names which figure is not
taken from the words' printed order: the table's identities make a tree of its columns (a group's
total over its parts: 三公 total over overseas travel, vehicles, reception; vehicles over purchase
and operation), and every order of that tree -- a group's total printed before or after its parts,
the parts in any order -- with up to two columns left empty is tried on the figures.  Only orders
where every identity that can be tested holds are kept; of those, the one that leaves empty the
columns the catalog knows to be often empty, then the one closest to the printed order of the
header words.  Cells on which equally good readings disagree are left null; where no order keeps
the sums every figure is left null.  A notice says which.

Comes in: the header's items and the figures (typed tokens, in printed order), the table's kind.
Goes out: a :class:`~fiscal_extract.grid.Grid` of format ``"pdfminer"`` or ``None`` (not a
one-row table this module can read).  May import: ``catalog``, ``grid``, ``normalize``,
``pdftext_grid``, ``pdftext_header``, ``pdftext_labels``, ``pdftext_tokens``.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import combinations, permutations, product
from math import comb
from typing import Protocol

from ..catalog import Catalog, Identity
from .grid import Grid
from .normalize import SourceText
from .pdftext_grid import build_grid
from .pdftext_header import HeaderPlan, _numeric, _score
from .pdftext_labels import _vocabulary, header_labels, label_spec
from .pdftext_tokens import TextRow, Token, tokenize

MAX_ORDERS = 20000
"""Orders of the column tree tried before the header is deemed too ambiguous to read."""

MAX_READINGS = 40000
"""Readings (an order with its empty columns chosen) scored at most: a bound on the work."""

MAX_EMPTY = 2
"""Columns a one-row table may leave empty (pdfminer prints no paragraph for an empty cell)."""


class Part(Protocol):
    """What :mod:`pdfminer_columns` sorted a page's part into (its ``_Page``)."""

    labels: list[tuple[Token, int, int]]
    header: list[tuple[str, int, int]]
    amounts: list[Token]


def one_row(
    src: SourceText,
    cat: Catalog,
    page: Part,
    lines: list,  # type: ignore[type-arg]
    kind: str | None,
    layout: str,
) -> tuple[Grid, list] | None:  # type: ignore[type-arg]
    """A page part of pdfminer's text read as a one-row table: every paragraph before its figures is
    header (``page``: the part's row names, header words and amounts, as sorted by
    :mod:`pdfminer_columns`); the grid and the lines after the figures (the heading of the text that
    follows), or ``None``."""
    if len(page.amounts) < 3:
        return None
    first, last = page.amounts[0].start, page.amounts[-1].end
    items = sorted([(t.text, t.start, t.end) for t, _l, _i in page.labels] + page.header, key=lambda h: h[1])
    if any(first < a < last for _t, a, _b in items):
        return None  # a name among the figures: rows, not one row
    # the figures between the first and the last, small integers too (taken for page numbers there)
    amounts: list[Token] = []
    for u in lines:
        toks = tokenize(src, u.start, u.end) if first <= u.start < last or u.start <= first < u.end else []
        if all(x.kind in ("amount", "mark") for x in toks):
            amounts.extend(toks)
    grid = read_one_row(src, cat, [h for h in items if h[1] < first], amounts, kind, layout)
    if grid is None:
        return None
    return grid, [u for u in lines if u.start >= last]


def read_one_row(
    src: SourceText,
    cat: Catalog,
    head: list[tuple[str, int, int]],
    amounts: list[Token],
    kind: str | None,
    layout: str,
) -> Grid | None:
    """The grid of a one-row table: ``head`` its header paragraphs (text, start, end) in printed
    order, ``amounts`` its figures; ``None`` when the header is not all catalog header words, the
    figures outnumber them, or the header is one this module does not read (scoped columns)."""
    if kind is None or len(amounts) < 3 or not head:
        return None
    labels = header_labels(cat, " ".join(t for t, _a, _b in head))
    vocab, _ = _vocabulary(cat)
    if not labels or any(cat.norm(lab) not in vocab for lab in labels):
        return None  # a word the catalog does not know: perhaps a row name, not a one-row table
    named = _value_keys(cat, layout, kind, labels)
    if named is None or len(named) < len(amounts):
        return None
    ids = [i for i in cat.identities_for(kind) if i.lhs in {k for _, k in named}]
    chosen, notes = _solve(cat, layout, ids, named, amounts)
    row = TextRow(None, None, list(amounts), src.line_of(amounts[0].start), amounts[0].start, amounts[-1].end, 0)
    if chosen is None:
        keys: list[str | None] = [k for _, k in named]
        values: list[str | None] = [lab for lab, _ in named]
        row.amounts = []
    else:
        values = [lab for lab, _ in chosen]
        keys = [k for _, k in chosen]
        for i, (_lab, k) in enumerate(chosen):
            if k is None:
                values[i] = None
    plan = HeaderPlan(["科目名称"], values, keys, notes)
    grid = build_grid(src, cat, layout, head, plan, [row])
    grid.fmt = "pdfminer"
    if chosen is None:
        grid.extra["packed"] = frozenset()
    return grid


def _value_keys(cat: Catalog, layout: str, kind: str, labels: list[str]) -> list[tuple[str, str]] | None:
    """The header's value columns as (label, key), each key once, in printed order.  A key printed
    twice is a group's total and the total over that group (合计 over “三公”经费 beside 会议费 and
    培训费): the identity whose sum holds it and at least one more printed key names the outer one.
    ``None`` for a header with scopes (本年 | 上年结转: the same keys twice) -- not read here."""
    out: list[tuple[str, str]] = []
    twice: list[tuple[str, str]] = []
    for lab in labels:
        scope = cat.scope(lab, layout)
        if scope is not None and scope.prefix:
            return None
        spec = label_spec(cat, lab, layout)
        if spec is None or spec.role != "value" or not spec.key:
            continue
        if any(k == spec.key for _, k in out):
            twice.append((lab, spec.key))
            continue
        out.append((lab, spec.key))
    keys = {k for _, k in out}
    for lab, key in twice:
        outer = next(
            (
                i.lhs
                for i in cat.identities_for(kind)
                if i.lhs not in keys
                and any(k == key for _, k in i.terms)
                and sum(1 for _, k in i.terms if k in keys) >= 2
            ),
            None,
        )
        if outer is None:
            continue  # the same column's label printed twice (a banner over its own 合计)
        first = next(i for i, (_lab, k) in enumerate(out) if k == key)
        # the outer total is printed above the group, so first: it takes the first label
        out.insert(first, (out[first][0], outer))
        out[first + 1] = (lab, key)
        keys.add(outer)
    return out


def _tree(ids: list[Identity], keys: list[str]) -> tuple[dict[str, list[str]], list[str]] | None:
    """The columns as a tree by the identities (a sum over its parts): children and roots, in
    printed order; ``None`` when a column is the part of two sums."""
    present = set(keys)
    children: dict[str, list[str]] = {}
    parent: dict[str, str] = {}
    for idn in ids:
        if idn.lhs in children:
            continue
        kids = [k for _s, k in idn.terms if k in present and k != idn.lhs]
        if not kids:
            continue
        for k in kids:
            if parent.get(k, idn.lhs) != idn.lhs:
                return None
            parent[k] = idn.lhs
        children[idn.lhs] = sorted(kids, key=keys.index)
    # a cycle (a sum over its own total) leaves no root for its columns: not a tree
    roots = [k for k in keys if k not in parent]
    seen: set[str] = set()
    stack = list(roots)
    while stack:
        k = stack.pop()
        if k in seen:
            return None
        seen.add(k)
        stack.extend(children.get(k, []))
    return (children, roots) if seen == present else None


def _orders(children: dict[str, list[str]], roots: list[str]) -> list[tuple[str, ...]] | None:
    """Every left-to-right order of the tree's columns: a group's total before or after its parts,
    the parts (and the roots) in any order; ``None`` beyond :data:`MAX_ORDERS`."""
    memo: dict[str, list[tuple[str, ...]]] = {}

    def count(node: str) -> int:
        kids = children.get(node, [])
        if not kids:
            return 1
        n = 2
        for i in range(2, len(kids) + 1):
            n *= i
        for k in kids:
            n *= count(k)
        return n

    def of(node: str) -> list[tuple[str, ...]]:
        if node in memo:
            return memo[node]
        kids = children.get(node, [])
        got: list[tuple[str, ...]] = []
        if not kids:
            got = [(node,)]
        else:
            for body in _arrangements(kids, of):
                got.append((node, *body))
                got.append((*body, node))
        memo[node] = got
        return got

    total = 1
    for i in range(2, len(roots) + 1):
        total *= i
    for r in roots:
        total *= count(r)
    if total > MAX_ORDERS:
        return None
    return list(_arrangements(roots, of))


def _arrangements(nodes: list[str], of: object) -> Iterator[tuple[str, ...]]:
    for perm in permutations(nodes):
        for parts in product(*(of(n) for n in perm)):  # type: ignore[operator]
            yield tuple(x for part in parts for x in part)


def _solve(
    cat: Catalog, layout: str, ids: list[Identity], named: list[tuple[str, str]], amounts: list[Token]
) -> tuple[list[tuple[str, str | None]] | None, list[str]]:
    """The (label, key) of each figure where the arithmetic decides them, and notes."""
    keys = [k for _, k in named]
    label_of = dict((k, lab) for lab, k in named)
    printed = {k: i for i, k in enumerate(keys)}
    n = len(amounts)
    empty = len(keys) - n
    what = f"one row of {n} figures under {len(keys)} header words"
    tree = _tree(ids, keys) if empty <= MAX_EMPTY else None
    orders = _orders(*tree) if tree is not None else None
    if orders is not None and len(orders) * comb(len(keys), empty) > MAX_READINGS:
        orders = None
    if orders is None:
        return None, [f"{what}: the header's words cannot be ordered by the table's sums; the values are left null"]
    vals = _numeric([[a.text for a in amounts]])
    often = set(cat.often_empty.get(layout, ()))
    seen: set[tuple[str, ...]] = set()
    ranked: list[tuple[tuple[int, int, int, int], tuple[str, ...]]] = []
    for order in orders:
        for gone in combinations(range(len(order)), empty):
            cand = tuple(k for i, k in enumerate(order) if i not in gone)
            if cand in seen:
                continue
            seen.add(cand)
            held, failed = _score(ids, list(cand), vals)
            if failed or not held:
                continue
            dropped = [order[i] for i in gone]
            filled = sum(1 for k in dropped if k not in often)
            inversions = sum(1 for x in range(n) for y in range(x + 1, n) if printed[cand[x]] > printed[cand[y]])
            ranked.append(((-held, filled, inversions, 0), cand))
    if not ranked:
        return None, [f"{what}: no order of the header's words makes the table's sums hold; the values are left null"]
    ranked.sort()
    best_rank, best = ranked[0]
    value = {k: amounts[i].text for i, k in enumerate(best)}
    # readings as good by the arithmetic and the often-empty columns: the printed order chose
    rivals = [c for r, c in ranked if r[:2] == best_rank[:2]]
    same = [c for r, c in ranked if r[:3] == best_rank[:3]]
    unsure = {k for c in same for i, k in enumerate(c) if value.get(k) != amounts[i].text}
    unsure |= {k for k in value if any(k not in c for c in same)}
    chosen: list[tuple[str, str | None]] = [(label_of[k], None if k in unsure else k) for k in best]
    notes = [
        f"{what}: columns ordered by the table's sums ({-best_rank[0]} hold)"
        + (
            "; where the sums allow several orders, the header words' printed order decided"
            if len({_values(c, amounts, keys) for c in rivals}) > 1
            else ""
        )
    ]
    if unsure:
        notes.append(
            f"{what}: readings the arithmetic cannot tell apart disagree on "
            + ", ".join(label_of[k] for k in sorted(unsure, key=printed.__getitem__))
            + "; those values are left null"
        )
    return chosen, notes


def _values(cand: tuple[str, ...], amounts: list[Token], keys: list[str]) -> tuple[str | None, ...]:
    at = {k: amounts[i].text for i, k in enumerate(cand)}
    return tuple(at.get(k) for k in keys)
