"""Amounts pdfminer printed in a mixed order: column runs, row runs and single cells on one page.

pdfminer sorts a page's paragraphs by groups it builds from their positions, so one table's
amounts come out as a run down one column, then a few cells along a row, then a run down another
column, in no order known beforehand.  What holds on every page seen is weaker: **the cells of
one column print top to bottom** (a cell never comes before a cell above it in its column).  A
reading assigns every amount, in printed order, to a column; its row is then the next row of that
column that is not left empty, and an empty row leaves its whole subtree empty (a class printed
empty has no printed items).  A reading is kept only when **every sum holds at once**:

* the code tree's sums in every column (a parent = the sum of its children, the total row = the
  sum of the top-level rows; a parent whose family runs to the page's end may exceed what its
  printed children sum to: the family goes on on the next page);
* the row identities of the table's kind under the header's column names (total = basic +
  project ...), an empty cell counting as nothing;
* every row prints at least one amount, and every amount is placed once.

The search goes amount by amount and stops a branch as soon as a family or a row is complete and
its sum fails (or a family's printed children already exceed it).  Readings equal in their
figures are one; where several different readings remain, the caller keeps the cells they agree
on (:func:`fiscal_extract.read.pdfminer_runs.choose`) and says how many it left null.  A search
that runs past :data:`STEPS` gives nothing: the page is then too ambiguous to read by arithmetic,
and the caller says so.

Comes in: the amounts' values in printed order, each row's level (0 for a total row), the number
of columns and a test of a complete row.  Goes out: readings ``cells[row][column]`` = the index of
the amount placed there or ``None``.  May import: ``pdfminer_runs``.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from .pdfminer_runs import tree_of

STEPS = 60000
"""Placements the search may try before it gives up (the page is too ambiguous)."""

LIMIT = 24
"""Readings different in their figures kept at most; more and the caller reads nothing."""

Cells = list[list[int | None]]


class _Search:
    def __init__(
        self,
        vals: list[Decimal],
        levels: list[int],
        k: int,
        row_ok: Callable[[list[Decimal]], bool],
        tol: Decimal,
    ) -> None:
        tree = tree_of(levels)
        if tree is None or len(tree.totals_first) + len(tree.totals_last) > 1:
            raise ValueError("no tree")
        n = len(levels)
        self.n, self.k, self.vals, self.tol, self.row_ok = n, k, vals, tol, row_ok
        self.kids: list[list[int]] = [list(c) for c in tree.children]
        self.end = list(range(n))
        for i in reversed(range(n)):
            if self.kids[i]:
                self.end[i] = max(self.end[c] for c in self.kids[i])
        self.parent: list[int | None] = [None] * n
        for p, cs in enumerate(self.kids):
            for c in cs:
                self.parent[c] = p
        self.open = tree.open
        self.total_last: int | None = None
        if tree.totals_first:
            t = tree.totals_first[0]
            self.kids[t] = list(tree.tops)
            self.end[t] = max(self.end[x] for x in tree.tops)
            for x in tree.tops:
                self.parent[x] = t
        elif tree.totals_last:
            t = tree.totals_last[0]
            self.kids[t] = list(tree.tops)
            self.total_last = t
        self.nonneg = all(v >= 0 for v in vals)
        self.cells: Cells = [[None] * k for _ in range(n)]
        self.ptr = [0] * k
        self.spare = n * k - len(vals)
        """Cells that may still be left empty (every amount fills one cell)."""
        self.steps = 0
        self.overflow = False
        self.txt = [str(v) for v in vals]
        self.found: dict[tuple[str, ...], Cells] = {}
        self.seen: set[tuple[object, ...]] = set()

    # ------------------------------------------------------------------ checks
    def _value(self, r: int, c: int) -> Decimal | None:
        x = self.cells[r][c]
        return self.vals[x] if x is not None else None

    def _family(self, p: int, c: int) -> bool:
        """Does row ``p``'s family hold in column ``c`` (every member's cell decided)?"""
        v = self._value(p, c)
        got = [y for x in self.kids[p] if (y := self._value(x, c)) is not None]
        if v is None:
            return not got
        s = sum(got, Decimal(0))
        slack = self.tol * (len(got) + 1)
        if p in self.open:
            return s <= v + slack
        if not got:
            return v == 0
        return abs(v - s) <= slack

    def _bounded(self, r: int, c: int) -> bool:
        """A family's printed children may not already exceed it (all amounts non-negative)."""
        p = self.parent[r]
        if p is None or not self.nonneg:
            return True
        v = self._value(p, c)
        if v is None:
            return False
        got = [y for x in self.kids[p] if (y := self._value(x, c)) is not None]
        return sum(got, Decimal(0)) <= v + self.tol * (len(got) + 1)

    def _row(self, r: int) -> bool:
        vals = [v if (v := self._value(r, c)) is not None else None for c in range(self.k)]
        if all(v is None for v in vals):
            return False
        return self.row_ok([v if v is not None else Decimal(0) for v in vals])

    def _advance(self, c: int, new: int) -> bool:
        """Column ``c``'s pointer moves to ``new`` (the rows passed are decided): check the
        families that close and the rows that become complete."""
        old = self.ptr[c]
        before = min(self.ptr)
        self.ptr[c] = new
        for p in range(self.n):
            if old <= self.end[p] < new and self.kids[p] and p != self.total_last and not self._family(p, c):
                return False
        t = self.total_last
        if t is not None and old <= t < new and not self._family(t, c):
            return False
        return all(self._row(r) for r in range(before, min(self.ptr)))

    # ------------------------------------------------------------------ search
    def _targets(self, c: int) -> list[tuple[int, int]]:
        """The rows column ``c``'s next amount may go to, each with the cells it leaves empty."""
        out = []
        r = self.ptr[c]
        skipped = 0
        while r < self.n and skipped <= self.spare:
            out.append((r, skipped))
            skipped += self.end[r] + 1 - r  # this row left empty: its subtree is empty too
            r = self.end[r] + 1
        return out

    def _sig(self) -> tuple[str, ...]:
        txt = self.txt
        return tuple(txt[x] if x is not None else "" for row in self.cells for x in row)

    def _key(self, pos: int) -> tuple[object, ...]:
        return (pos, tuple(self.ptr), self._sig())

    def run(self, pos: int = 0) -> None:
        if self.overflow or len(self.found) > LIMIT:
            return
        key = self._key(pos)
        if key in self.seen:
            return
        self.seen.add(key)
        if pos == len(self.vals):
            saved = list(self.ptr)
            if sum(self.n - p for p in self.ptr) > self.spare:
                return
            if all(self._advance(c, self.n) for c in range(self.k)):
                self.found.setdefault(self._sig(), [list(row) for row in self.cells])
            self.ptr = saved
            return
        for c in range(self.k):
            for r, skipped in self._targets(c):
                self.steps += 1
                if self.steps > STEPS:
                    self.overflow = True
                    return
                saved = list(self.ptr)
                self.cells[r][c] = pos
                self.spare -= skipped
                if self._bounded(r, c) and self._advance(c, r + 1):
                    self.run(pos + 1)
                self.spare += skipped
                self.cells[r][c] = None
                self.ptr = saved
                if self.overflow:
                    return


def read_mixed(
    vals: list[Decimal | None],
    levels: list[int],
    k: int,
    row_ok: Callable[[list[Decimal]], bool],
    tol: Decimal,
) -> tuple[list[Cells], bool]:
    """Every reading of the amounts (in printed order) as cells of ``k`` columns that keeps each
    column top to bottom and every sum (see the module docstring), one per set of figures; and
    whether the search was cut short (too ambiguous: the caller then reads nothing)."""
    if not vals or k < 1 or any(v is None for v in vals) or len(vals) > len(levels) * k:
        return [], False
    try:
        s = _Search([v for v in vals if v is not None], levels, k, row_ok, tol)
    except ValueError:
        return [], False
    s.run()
    if s.overflow or len(s.found) > LIMIT:
        return [], True
    return list(s.found.values()), False


def inversions(cells: Cells) -> int:
    """Pairs of a row's cells printed right before left: pdfminer prints a row's cells of one
    group left to right, so among readings the arithmetic cannot tell apart (two columns of one
    identity swapped: total = basic + project holds either way) the one with fewest is the
    printed order's."""
    out = 0
    for row in cells:
        xs = [x for x in row if x is not None]
        out += sum(1 for i in range(len(xs)) for j in range(i + 1, len(xs)) if xs[i] > xs[j])
    return out
