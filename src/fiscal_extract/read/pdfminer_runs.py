"""Column runs with empty cells dropped: pdfminer's amounts of a coded table placed by the code tree.

pdfminer prints a column-ordered table's amounts one column after another, and leaves out the
cells that are empty.  A run of one column is then a subsequence of the column's rows, in row
order, and where its cells went is decided by the table's hierarchy (类 > 款 > 项 from the codes'
lengths, or indentation): a parent row is the sum of its children, the total row the sum of the
top-level rows, and an empty parent has an empty subtree.  The amounts are parsed as ``k``
consecutive runs, each a pre-order walk of the tree that skips empty subtrees, and every reading
that consumes all the amounts and keeps every sum is kept (up to a bound).

Where several readings remain, the row identities of the table's kind choose among them (the
caller scores them); cells on which the best readings still disagree are left empty and counted,
so that the caller can say so in a notice.  Nothing is placed by position alone: a reading
exists only where every family sum it touches holds.

Comes in: the amounts' values in printed order, each row's level (0 for a total row) and the
number of columns to try.  Goes out: readings, each ``cells[row][column]`` = the index of the
amount placed there or ``None``, and the one :func:`choose` keeps.  Imports nothing of the package.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

CAP = 48
"""Partial readings kept per step: beyond this the text is too ambiguous to read by arithmetic."""

STEPS = 20000
"""Steps the search over column runs may take before it gives up (too ambiguous)."""

Assign = tuple[tuple[int, int], ...]
"""(row, amount index) pairs of one run."""


@dataclass
class Tree:
    """Rows in printed order: each row's children; the total rows and where they print."""

    children: list[list[int]]
    tops: list[int]
    totals_first: list[int]
    totals_last: list[int]
    open: set[int]
    """The rows whose family runs to the page's last row: the table may go on on the next page,
    so their printed children need only not exceed them."""


def tree_of(levels: list[int]) -> Tree | None:
    """The tree of rows from their levels (0 = a total row, 1 = 类 ...); ``None`` when the levels
    do not make a tree (a total row between other rows, a row deeper than its parent + 1)."""
    n = len(levels)
    children: list[list[int]] = [[] for _ in range(n)]
    tops: list[int] = []
    stack: list[int] = []
    body = [i for i in range(n) if levels[i] > 0]
    if not body:
        return None
    first, last = body[0], body[-1]
    totals_first = [i for i in range(n) if levels[i] == 0 and i < first]
    totals_last = [i for i in range(n) if levels[i] == 0 and i > last]
    if len(totals_first) + len(totals_last) != n - len(body):
        return None
    for i in body:
        while stack and levels[stack[-1]] >= levels[i]:
            stack.pop()
        if stack:
            if levels[i] != levels[stack[-1]] + 1:
                return None
            children[stack[-1]].append(i)
        else:
            tops.append(i)
        stack.append(i)
    spine = {i for i in body if levels[i] < levels[last] or i == last}
    opened = {i for i in spine if i <= last and all(levels[j] > levels[i] for j in range(i + 1, last + 1))}
    if not totals_last:
        opened.update(totals_first)
    return Tree(children, tops, totals_first, totals_last, opened)


class _Parser:
    def __init__(self, vals: list[Decimal | None], tree: Tree, tol: Decimal) -> None:
        self.vals = vals
        self.tree = tree
        self.tol = tol
        self.memo: dict[tuple[int, int], list[tuple[int, Decimal | None, Assign]]] = {}
        self.overflow = False
        self.steps = 0

    def _close(self, v: Decimal, s: Decimal, terms: int, row: int | None = None) -> bool:
        if row is not None and row in self.tree.open:
            return s <= v + self.tol * (terms + 1)
        return abs(v - s) <= self.tol * (terms + 1)

    def node(self, i: int, pos: int) -> list[tuple[int, Decimal | None, Assign]]:
        """Readings of row ``i``'s subtree from amount ``pos``: (next pos, row value, placements)."""
        key = (i, pos)
        hit = self.memo.get(key)
        if hit is not None:
            return hit
        out: list[tuple[int, Decimal | None, Assign]] = [(pos, None, ())]  # the subtree is empty
        if pos < len(self.vals) and (v := self.vals[pos]) is not None:
            kids = self.tree.children[i]
            if not kids:
                out.append((pos + 1, v, ((i, pos),)))
            else:
                for end, s, assign, terms in self.seq(kids, pos + 1):
                    if (terms and self._close(v, s, terms, i)) or (not terms and v == 0):
                        out.append((end, v, ((i, pos), *assign)))
        if len(out) > CAP:
            self.overflow = True
            out = out[:CAP]
        self.memo[key] = out
        return out

    def seq(self, rows: list[int], pos: int) -> list[tuple[int, Decimal, Assign, int]]:
        """Readings of sibling subtrees one after another: (next pos, sum, placements, printed)."""
        states: list[tuple[int, Decimal, Assign, int]] = [(pos, Decimal(0), (), 0)]
        for r in rows:
            nxt: list[tuple[int, Decimal, Assign, int]] = []
            for p, s, assign, terms in states:
                for end, v, a in self.node(r, p):
                    if v is None:
                        nxt.append((p, s, assign, terms))
                    else:
                        nxt.append((end, s + v, assign + a, terms + 1))
            self.steps += len(nxt)
            if len(nxt) > CAP or self.steps > 50 * STEPS:
                self.overflow = True
                nxt = nxt[:CAP] if self.steps <= 50 * STEPS else []
            states = nxt
        return states

    def run(self, pos: int) -> list[tuple[int, Assign]]:
        """Readings of one column from ``pos``: the total rows printed first, the body, the total
        rows printed last; a printed total is the sum of the top-level rows."""
        t = self.tree
        out: list[tuple[int, Assign]] = []
        heads: list[tuple[int, Decimal | None, Assign]] = [(pos, None, ())]
        if t.totals_first and pos < len(self.vals) and self.vals[pos] is not None:
            heads.append((pos + 1, self.vals[pos], ((t.totals_first[0], pos),)))
        for p, total, a in heads:
            for end, s, body, terms in self.seq(t.tops, p):
                if total is not None and not (terms and self._close(total, s, terms, t.totals_first[0])):
                    continue
                tails: list[tuple[int, Assign]] = [(end, ())]
                last = self.vals[end] if t.totals_last and end < len(self.vals) else None
                if last is not None and terms and self._close(last, s, terms):
                    tails.append((end + 1, ((t.totals_last[0], end),)))
                for e2, a2 in tails:
                    if a or body or a2:
                        out.append((e2, a + body + a2))
        return out


def read_runs(
    vals: list[Decimal | None], levels: list[int], widths: list[int], tol: Decimal, limit: int = 64
) -> tuple[list[list[list[int | None]]], bool]:
    """Every reading of the amounts as ``k`` consecutive column runs (``k`` in ``widths``) that
    uses each amount once and keeps every family sum; and whether the search was cut short (too
    ambiguous: the caller then reads nothing)."""
    tree = tree_of(levels)
    if tree is None:
        return [], False
    p = _Parser(vals, tree, tol)
    n, m = len(levels), len(vals)
    found: list[list[list[int | None]]] = []
    runs_memo: dict[int, list[tuple[int, Assign]]] = {}

    def runs_from(pos: int) -> list[tuple[int, Assign]]:
        if pos not in runs_memo:
            runs_memo[pos] = p.run(pos)
            p.steps += len(runs_memo[pos])
        return runs_memo[pos]

    for k in widths:

        def walk(pos: int, col: int, acc: list[Assign], k: int = k) -> None:
            p.steps += 1
            if len(found) >= limit or p.steps > STEPS:
                p.overflow = True
                return
            if col == k:
                if pos == m:
                    cells: list[list[int | None]] = [[None] * k for _ in range(n)]
                    for j, assign in enumerate(acc):
                        for row, x in assign:
                            cells[row][j] = x
                    found.append(cells)
                return
            if m - pos < k - col:
                return
            for end, assign in runs_from(pos):
                walk(end, col + 1, [*acc, assign])

        walk(0, 0, [])
    return found, p.overflow


def choose(
    readings: list[list[list[int | None]]],
    score: Callable[[list[list[int | None]]], tuple[int, int]],
    texts: list[str],
) -> tuple[list[list[int | None]], int, int] | None:
    """The reading the row identities favour (fewest failures, then most held); cells on which
    the equally good readings disagree (by the figure printed) are emptied.  Returns (cells, cells emptied, identities
    held), or ``None`` when every reading fails more identities than it keeps."""
    if not readings:
        return None
    scored = [(score(r), r) for r in readings]
    best = min(((f, -h) for (h, f), _r in scored))
    if best[0] > max(0, -best[1]) // 10:
        return None
    top = [r for (h, f), r in scored if (f, -h) == best]
    first = top[0]
    cells = [list(row) for row in first]
    unsure = 0
    for i, row in enumerate(first):
        for j, x in enumerate(row):
            shown = texts[x] if x is not None else None
            if any((texts[y] if (y := r[i][j]) is not None else None) != shown for r in top[1:]):
                cells[i][j] = None
                unsure += 1
    return cells, unsure, -best[1]


def family_checks(
    matrix: list[list[Decimal | None]], levels: list[int] | None, totals: list[bool], tol: Decimal
) -> tuple[int, int]:
    """Column sums: a parent row = Σ its direct children, the total row = Σ the top-level rows."""
    held = failed = 0
    n = len(matrix)
    k = len(matrix[0]) if matrix else 0

    def test(parent: int, kids: list[int]) -> None:
        nonlocal held, failed
        # a family that runs to the last row may go on on the next page: it can confirm, not refute
        open_end = bool(kids) and (kids[-1] == n - 1 or (totals[parent] and not totals[-1]))
        for j in range(k):
            p = matrix[parent][j]
            vals = [matrix[c][j] for c in kids]
            if p is None or all(v is None for v in vals):
                continue
            s = sum((v for v in vals if v is not None), Decimal(0))
            if p == 0 and s == 0:
                continue
            if abs(p - s) <= tol * (len(kids) + 1):
                held += 1
            elif not open_end:
                failed += 1

    body = [i for i in range(n) if not totals[i]]
    if levels is not None:
        for i in body:
            kids = []
            for c in range(i + 1, n):
                if totals[c] or levels[c] <= levels[i]:
                    break
                if levels[c] == levels[i] + 1:
                    kids.append(c)
            if kids:
                test(i, kids)
        top = min((levels[i] for i in body), default=1)
        tops = [i for i in body if levels[i] == top]
    else:
        tops = body
    for t in (i for i in range(n) if totals[i]):
        if levels is not None or len(tops) >= 2:
            test(t, tops) if levels is not None else None
    return held, failed
