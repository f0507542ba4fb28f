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
of columns and the row identities by column.  Goes out: readings ``cells[row][column]`` = the index of
the amount placed there or ``None``.  May import: ``pdfminer_runs``.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from decimal import Decimal

from .pdfminer_runs import tree_of

STEPS = 20000
"""Placements the search may try before it gives up (the page is too ambiguous)."""

LIMIT = 24
"""Readings different in their figures kept at most; more and the caller reads nothing."""

Cells = list[list[int | None]]

RowSum = tuple[int, list[tuple[int, int]]]
"""A row identity by column: (the sum's column, [(sign, a term's column) ...])."""

ROW_TOL = Decimal("0.011")
"""A row identity's tolerance per term (figures printed to the cent, rounded apart)."""


class _Search:
    def __init__(
        self,
        vals: list[Decimal],
        levels: list[int],
        k: int,
        sums: list[RowSum],
        tol: Decimal,
        closed: bool = False,
    ) -> None:
        tree = tree_of(levels)
        if tree is None or len(tree.totals_first) + len(tree.totals_last) > 1:
            raise ValueError("no tree")
        n = len(levels)
        self.n, self.k, self.vals, self.tol, self.sums = n, k, vals, tol, sums
        self.left = Counter(vals)
        """The amounts not placed yet."""
        self.kids: list[list[int]] = [list(c) for c in tree.children]
        self.end = list(range(n))
        for i in reversed(range(n)):
            if self.kids[i]:
                self.end[i] = max(self.end[c] for c in self.kids[i])
        self.parent: list[int | None] = [None] * n
        for p, cs in enumerate(self.kids):
            for c in cs:
                self.parent[c] = p
        self.open = set() if closed else tree.open
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
        self.ends_at: list[list[int]] = [[] for _ in range(n)]
        for p in range(n):
            if self.kids[p] and p != self.total_last:
                # a family's sum is known once its last child is decided (not its whole subtree)
                self.ends_at[self.kids[p][-1]].append(p)
        self.anc: list[list[int]] = [[] for _ in range(n + 1)]
        for q in range(n):
            a = self.parent[q]
            while a is not None:
                self.anc[q].append(a)
                a = self.parent[a]
        self.nonneg = all(v >= 0 for v in vals)
        self.distinct = sorted(set(vals))
        self.plain = self.nonneg and bool(sums) and all(sg > 0 for _l, terms in sums for sg, _c in terms)
        """Every identity a sum of figures none of them negative: bounds propagate along them."""
        self.bounds_seen: dict[tuple[Decimal | None, ...], bool] = {}
        """:meth:`_bounds` of the rows met (the search meets the same row again and again)."""
        self.plain_sums = [(lhs, [c for _s, c in terms]) for lhs, terms in sums]
        self.cells: Cells = [[None] * k for _ in range(n)]
        self.ptr = [0] * k
        self.budget = 0
        """Upward jumps the reading may still make (see :func:`read_mixed`)."""
        self.last: tuple[int, int] | None = None
        self.spare = n * k - len(vals)
        """Cells that may still be left empty (every amount fills one cell)."""
        self.steps = 0
        self.cap = STEPS
        self.overflow = False
        self.txt = [str(v) for v in vals]
        self.found: dict[tuple[str, ...], Cells] = {}
        self.dead: dict[tuple[object, ...], int] = {}
        """States from which no reading was found (whatever the cells already closed hold), with
        the most jumps they were searched with: a state is dead for as many jumps or fewer, also in
        the searches that allow more in all (:func:`read_mixed` hands the record on)."""

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
        """A family's printed children may not already exceed it (all amounts non-negative), and
        what it still lacks must be printable by the children still to come (:meth:`_needed`):
        the family of the row placed and the family it heads."""
        if not self.nonneg:
            return True
        own = self._value(r, c)
        heads = self.kids[r] and r != self.total_last and own is not None
        if heads and not self._needed(r, r, own, self.tol * (len(self.kids[r]) + 1)):  # type: ignore[arg-type]
            return False
        p = self.parent[r]
        if p is None:
            return True
        v = self._value(p, c)
        if v is None:
            return False
        got = [y for x in self.kids[p] if (y := self._value(x, c)) is not None]
        have = sum(got, Decimal(0))
        if have > v + self.tol * (len(got) + 1):
            return False
        return self._needed(p, r, v - have, self.tol * (len(self.kids[p]) + 1))

    def _needed(self, p: int, r: int, need: Decimal, slack: Decimal) -> bool:
        """The children of ``p`` still to come below ``r`` must print what the family lacks: where
        one is left, that figure is among the amounts not placed yet (or nothing is lacking and the
        child may be left empty); where two are left, two such amounts add up to it.  A family
        running on to the next page lacks what it likes."""
        rest = [x for x in self.kids[p] if x > r]
        if not rest or len(rest) > 2 or p in self.open:
            return True
        if len(rest) == 1:
            if abs(need) <= slack:
                return self.spare >= self.end[rest[0]] + 1 - rest[0] or self._has(Decimal(0), slack)
            return self._has(need, slack)
        if need < -slack:
            return False
        if abs(need) <= slack:
            return True  # both may be left empty, or print figures that round to nothing
        if self.spare > 0 and self._has(need, slack):
            return True  # one of the two left empty
        return any(self.left[v] > 0 and v <= need + slack and self._has(need - v, slack, v) for v in self.distinct)

    def _has(self, want: Decimal, slack: Decimal, used: Decimal | None = None) -> bool:
        """Is an amount within ``slack`` of ``want`` not placed yet (besides one ``used``)?"""
        i = bisect_left(self.distinct, want - slack)
        while i < len(self.distinct) and self.distinct[i] <= want + slack:
            v = self.distinct[i]
            if self.left[v] > (1 if v == used else 0):
                return True
            i += 1
        return False

    def _row(self, r: int) -> bool:
        """Row ``r``'s identities among its decided cells (an empty cell is nothing, a cell not
        yet decided is ``None``); a row all of whose cells are decided prints at least one."""
        vals: list[Decimal | None] = []
        for c in range(self.k):
            if r >= self.ptr[c]:
                vals.append(None)
            else:
                v = self._value(r, c)
                vals.append(v if v is not None else Decimal(0))
        if all(r < p for p in self.ptr) and all(self.cells[r][c] is None for c in range(self.k)):
            return False
        if not all(self._sum_holds(lhs, terms, vals) for lhs, terms in self.sums):
            return False
        if not self.plain or vals.count(None) < 2:
            return True
        key = tuple(vals)
        got = self.bounds_seen.get(key)
        if got is None:
            got = self.bounds_seen[key] = self._bounds(vals)
        return got

    def _bounds(self, row: list[Decimal | None]) -> bool:
        """The row's identities, all sums of figures none of them negative, taken together: each
        cell not yet decided is bounded by the others (total = basic + project with total and
        project decided fixes basic, and basic = personnel + public then bounds personnel), and
        no bound may be empty."""
        inf = float("inf")
        lo = [float(v) if v is not None else 0.0 for v in row]
        hi = [float(v) if v is not None else inf for v in row]
        slack = float(ROW_TOL) * (self.k + 1)
        for _round in range(2):
            for lhs, cols in self.plain_sums:
                lo[lhs] = max(lo[lhs], sum(lo[c] for c in cols))
                hi[lhs] = min(hi[lhs], sum(hi[c] for c in cols))
                # running sums over the terms (with the count of unbounded ones) instead of a sum
                # over the other terms for each: the same bounds, in linear time
                s_lo = sum(lo[c] for c in cols)
                s_hi = sum(hi[c] for c in cols if hi[c] != inf)
                n_inf = sum(1 for c in cols if hi[c] == inf)
                for c in cols:
                    new_hi = min(hi[c], hi[lhs] - (s_lo - lo[c]))
                    if new_hi != hi[c]:
                        if hi[c] == inf:
                            n_inf -= 1
                        else:
                            s_hi -= hi[c]
                        if new_hi == inf:
                            n_inf += 1
                        else:
                            s_hi += new_hi
                        hi[c] = new_hi
                    own_inf = hi[c] == inf
                    if n_inf - own_inf == 0:
                        rest = s_hi - (0.0 if own_inf else hi[c])
                        new_lo = max(lo[c], lo[lhs] - rest)
                        s_lo += new_lo - lo[c]
                        lo[c] = new_lo
            if any(lo[c] > hi[c] + slack for c in range(self.k)):
                return False
        return True

    def _sum_holds(self, lhs: int, terms: list[tuple[int, int]], row: list[Decimal | None]) -> bool:
        """One identity of a row among its decided cells: all decided, it holds; the sum of
        non-negative figures decided, its decided terms do not exceed it; one cell undecided, the
        figure it needs is among the amounts not placed yet (or nothing, where cells may still be
        left empty)."""
        cells = [row[lhs], *(row[c] for _s, c in terms)]
        open_ = [i for i, v in enumerate(cells) if v is None]
        if not open_:
            total = sum((sg * row[c] for sg, c in terms), start=Decimal(0))  # type: ignore[operator]
            return abs(cells[0] - total) <= ROW_TOL * (len(terms) + 1)  # type: ignore[operator]
        if len(open_) == 1:
            i = open_[0]
            if i == 0:
                need = sum((sg * row[c] for sg, c in terms), start=Decimal(0))  # type: ignore[operator]
            else:
                sg = terms[i - 1][0]
                rest = sum((s2 * row[c] for j, (s2, c) in enumerate(terms) if j != i - 1), start=Decimal(0))  # type: ignore[operator]
                need = (cells[0] - rest) * sg  # type: ignore[operator]
            slack = ROW_TOL * (len(terms) + 1)
            if abs(need) <= slack and self.spare > 0:
                return True
            return any(abs(v - need) <= slack for v in self.left if self.left[v] > 0)
        lhs_v = cells[0]
        known = [(sg, v) for (sg, _c), v in zip(terms, cells[1:], strict=True) if v is not None]
        if lhs_v is not None and all(sg > 0 and v >= 0 for sg, v in known):
            return sum((v for _s, v in known), start=Decimal(0)) <= lhs_v + ROW_TOL * (len(known) + 1)
        return True

    def _owed(self) -> bool:
        """Must the reading still go back up the page (a jump) from the cell placed last?  It
        must where a row above that cell has no amount yet while some column may still give it
        one, or where a column has a family above that row still lacking part of its sum: the
        cell that gives it lies up the page, in another column."""
        if self.last is None:
            return False
        r0 = self.last[0]
        lo = min(self.ptr)
        for r in range(lo, r0):
            if all(self.cells[r][c] is None for c in range(self.k)):
                return True
        for c in range(self.k):
            q = self.ptr[c]
            if q >= r0:
                continue
            for a in self.anc[q]:
                if self.end[a] >= r0 or a in self.open:
                    continue
                v = self._value(a, c)
                if v is None:
                    continue
                got = sum((y for x in self.kids[a] if x < q and (y := self._value(x, c)) is not None), Decimal(0))
                if v - got > self.tol * (len(self.kids[a]) + 1):
                    return True
        return False

    def _advance(self, c: int, new: int) -> bool:
        """Column ``c``'s pointer moves to ``new`` (the rows passed are decided): check the
        families that close and the rows that become complete."""
        old = self.ptr[c]
        self.ptr[c] = new
        for e in range(old, new):
            for p in self.ends_at[e]:
                if not self._family(p, c):
                    return False
        t = self.total_last
        if t is not None and old <= t < new and not self._family(t, c):
            return False
        return all(self._row(r) for r in range(old, new))

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

    def _future(self, pos: int) -> tuple[object, ...]:
        """What the rest of the search depends on: the pointers, the cells still to be left empty,
        each open family's value and what its decided children sum to, and the decided cells of
        the rows some column has not passed yet."""
        fam = []
        t = self.total_last
        for c in range(self.k):
            q = self.ptr[c]
            for p in self.anc[q] + ([t] if t is not None and t >= q else []):
                got = [y for x in self.kids[p] if x < q and (y := self._value(x, c)) is not None]
                fam.append((c, p, self._value(p, c) if p < q else None, sum(got, Decimal(0)), len(got)))
        lo = min(self.ptr)
        band = tuple(
            tuple(self.txt[x] if (x := self.cells[r][c]) is not None else "" for c in range(self.k))
            for r in range(lo, max(self.ptr))
        )
        return (pos, tuple(self.ptr), self.last, self.spare, tuple(fam), band)

    def run(self, pos: int = 0) -> None:
        if self.overflow or len(self.found) > LIMIT:
            return
        future = self._future(pos)
        if self.dead.get(future, -1) >= self.budget:
            return
        before = len(self.found)
        self._step(pos)
        if len(self.found) == before and not self.overflow:
            self.dead[future] = max(self.budget, self.dead.get(future, -1))

    def _step(self, pos: int) -> None:
        if pos == len(self.vals):
            saved = list(self.ptr)
            if sum(self.n - p for p in self.ptr) > self.spare:
                return
            if all(self._advance(c, self.n) for c in range(self.k)):
                self.found.setdefault(self._sig(), [list(row) for row in self.cells])
            self.ptr = saved
            return
        last = self.last
        moves = []
        for c in range(self.k):
            wrapped = False
            for r, skipped in self._targets(c):
                how = _how(last, r, c)
                if how == 2:
                    how = 3 if wrapped else 2
                    wrapped = True  # back left: only to the first row below that column can take
                jump = int(how == 3)
                if jump <= self.budget:
                    moves.append((jump, skipped > 0, how, c, r, skipped))
        moves.sort()
        for jump, _sk, _kind, c, r, skipped in moves:
            self.steps += 1
            if self.steps > self.cap:
                self.overflow = True
                return
            saved = list(self.ptr)
            self.cells[r][c] = pos
            self.left[self.vals[pos]] -= 1
            self.spare -= skipped
            self.budget -= jump
            self.last = (r, c)
            if self._bounded(r, c) and self._advance(c, r + 1) and (self.budget > 0 or not self._owed()):
                self.run(pos + 1)
            self.last = last
            self.budget += jump
            self.spare += skipped
            self.left[self.vals[pos]] += 1
            self.cells[r][c] = None
            self.ptr = saved
            if self.overflow:
                return


def _how(last: tuple[int, int] | None, r: int, c: int) -> int:
    """How a cell follows the cell of the amount before: 0 down its column, 1 right along its
    row, 2 back to a column to its left on a row below (the next row of a row-by-row run: the
    first such row only, which the caller sees to), 3 any other way (a jump)."""
    if last is None:
        return 0
    r0, c0 = last
    if c == c0:
        return 0
    if r == r0 and c > c0:
        return 1
    return 2 if r > r0 and c < c0 else 3


def read_mixed(
    vals: list[Decimal | None],
    levels: list[int],
    k: int,
    sums: list[RowSum],
    tol: Decimal,
) -> tuple[list[Cells], int, bool]:
    """The readings of the amounts (in printed order) as cells of ``k`` columns that keep each
    column top to bottom and every sum (see the module docstring), one per set of figures, that
    make the fewest *jumps* (an amount placed other than down its column, right along its row or
    back left on a row below, from the amount before: a reading row by row makes none, column by
    column one per column); the jumps they make; and whether the search was whole: ``False`` where
    it was cut short (after :data:`LEVEL_STEPS` placements for a number of jumps, :data:`STEPS`
    in all), so that readings of fewer jumps, or others of as many, were not ruled out -- the
    caller says so.  The jumps only order the search: every reading returned keeps every sum,
    and the caller leaves null the cells on which the readings found disagree.  The table is
    first taken to end on the page (every family sum exact); only where no reading keeps that
    may the families running to the page's last row go on on the next page."""
    if not vals or k < 1 or any(v is None for v in vals) or len(vals) > len(levels) * k:
        return [], 0, False
    steps = 0
    for closed in (True, False):
        whole = True
        dead: dict[tuple[object, ...], int] = {}
        for budget in range(MAX_JUMPS + 1):
            try:
                s = _Search([v for v in vals if v is not None], levels, k, sums, tol, closed)
            except ValueError:
                return [], 0, False
            s.dead = dead
            s.budget = budget
            s.cap = min(STEPS, steps + LEVEL_STEPS)
            s.steps = steps
            s.run()
            steps = s.steps
            whole = whole and not s.overflow
            if len(s.found) > LIMIT:
                return [], budget, False
            if s.found:
                return list(s.found.values()), budget, whole
            if steps >= STEPS:
                return [], budget, False
    return [], MAX_JUMPS, False


LEVEL_STEPS = 4000
"""Placements tried for one number of jumps before the search allows one more."""


MAX_JUMPS = 12
"""Upward jumps a reading may make: a page of more is not read."""


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
