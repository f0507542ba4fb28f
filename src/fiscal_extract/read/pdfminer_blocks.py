"""Rows that pdfminer printed one after another, every cell a paragraph.

On some pages pdfminer keeps the row order: a row's name (and code), then its amounts, each a
paragraph of its own, then the next row's name.  Such a page is a sequence of *blocks*: a run of
names followed by a run of amounts.  A block of one name is one row (its amounts from the left;
a row with fewer amounts than the table has columns had empty cells left out, and the tables
stage places them by arithmetic).  A block of several names and ``r x k`` amounts is read column
by column or row by row only where the row identities confirm one of them (or, in a mixed order
of column runs and row runs, where the code tree's sums and the row identities place every
amount); names wrapped over
paragraphs are joined where the amounts make one row of them.  Every other block keeps its names
with null values, and a notice says so.

Comes in: the page's names, codes and amounts as typed tokens (with offsets, so their printed
order is known).  Goes out: :class:`TextRow` s, the columns' count and notes.  May import:
``catalog``, ``pdftext_header``, ``pdftext_tokens``.  (A block in a mixed order is read by a
callable the caller passes: :func:`fiscal_extract.read.pdfminer_plans.by_mixed` under the block's
code tree.)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from ..catalog import Catalog
from .pdftext_header import _numeric, _score
from .pdftext_tokens import TextRow, Token

Mixed = Callable[
    [list[Token], list[tuple[Token, int, int]], list[Token | None], int],
    tuple[list[list[Token | None]], str] | None,
]
"""Reads a block's amounts printed in a mixed order (see :func:`read_blocks`)."""

MIN_BLOCKS = 3
"""Blocks of names each followed by their own amounts a page needs to be read row by row."""


@dataclass
class _Block:
    names: list[tuple[Token, int, int]] = field(default_factory=list)  # (name, line no, indent)
    codes: list[Token] = field(default_factory=list)
    amounts: list[Token] = field(default_factory=list)


def blocks_of(
    names: list[tuple[Token, int, int]], codes: list[Token], amounts: list[Token], glued: dict[int, Token]
) -> list[_Block]:
    """The page's items in printed order, cut where a name or code follows an amount."""
    stream: list[tuple[int, str, object]] = [(t.start, "name", (t, ln, ind)) for t, ln, ind in names]
    stream += [(c.start, "code", c) for c in codes if not any(c is g for g in glued.values())]
    stream += [(a.start, "amount", a) for a in amounts]
    stream.sort(key=lambda x: x[0])
    out: list[_Block] = [_Block()]
    for _pos, kind, item in stream:
        b = out[-1]
        if kind != "amount" and b.amounts:
            b = _Block()
            out.append(b)
        if kind == "name":
            b.names.append(item)  # type: ignore[arg-type]
        elif kind == "code":
            b.codes.append(item)  # type: ignore[arg-type]
        else:
            b.amounts.append(item)  # type: ignore[arg-type]
    return [b for b in out if b.names or b.amounts]


def read_blocks(
    cat: Catalog,
    kind: str | None,
    keys_for: Callable[[int], list[str | None]],
    blocks: list[_Block],
    glued: dict[int, Token],
    mixed: Mixed | None = None,
) -> tuple[list[TextRow], int, list[str]] | None:
    """The rows of a page printed row after row, the number of value columns and notes; ``None``
    when the page is not printed so (fewer than :data:`MIN_BLOCKS` one-name blocks).  ``mixed``
    reads a block of several rows that neither order fits (its amounts, names, their codes --
    ``None`` for a total row -- and the column count): the rows' amounts by column and a notice,
    or ``None``."""
    counts = Counter(len(b.amounts) for b in blocks if b.amounts and b.names)
    if not counts:
        return None
    k = max(counts, key=lambda m: (counts[m], m))  # the column count most rows print
    single = [len(b.amounts) for b in blocks if b.names and (len(b.amounts) == k or len(b.names) == 1)]
    if len(single) < MIN_BLOCKS or len(single) < 0.5 * sum(1 for b in blocks if b.amounts) or k > 12:
        return None
    rows: list[TextRow] = []
    notes: list[str] = []
    carry: list[tuple[Token, int, int]] = []
    ids = cat.identities_for(kind) if kind else []
    keys = keys_for(k)
    last = next((b for b in reversed(blocks) if b.amounts), None)
    tail: list[Token] = []
    for b in blocks:
        names = carry + b.names
        carry = []
        if not b.amounts:
            carry = names  # wrapped fragments (or rows with no figures) of the next block
            continue
        m = len(b.amounts)
        if not rows and m % k == 0 and 0 < m // k < len(names):
            names = names[len(names) - m // k :]  # the header's fragments printed before the first rows
        if len(names) == 1 and m <= k:
            rows.append(_row(names[0], _code(b, names[0], glued), b.amounts))
            continue
        if len(names) == 1 and b is last and m > k:
            # the last row's cells, then more columns printed one after another down all the rows
            rows.append(_row(names[0], _code(b, names[0], glued), b.amounts[:k]))
            tail = b.amounts[k:]
            continue
        r = m // k if m % k == 0 else 0
        if r == 1 and names:
            # one row whose name wrapped over several paragraphs
            first, last = names[0][0], names[-1][0]
            joined = Token("label", "".join(t.text for t, _l, _i in names), first.start, last.end)
            rows.append(_row((joined, names[0][1], names[0][2]), _code(b, names[0], glued), b.amounts))
            continue
        if r == len(names) and keys:
            got = _square(ids, keys, b.amounts, r, k)
            if got is None and mixed is not None:
                # neither order: a mix of column runs, row runs and single cells, where the code
                # tree's sums and the row identities place every amount (else nothing is placed)
                codes = _codes(b, names, glued, cat)
                found = mixed(b.amounts, names, codes, k) if codes is not None else None
                if found is not None:
                    cells, note = found
                    notes.append(note)
                    rows.extend(_row(nm, c, amts) for nm, c, amts in zip(names, codes, cells, strict=True))  # type: ignore[arg-type]
                    continue
            if got is not None:
                rows.extend(_row(nm, _code(b, nm, glued), amts) for nm, amts in zip(names, got, strict=True))
                continue
        shown = ", ".join(t.text for t, _l, _i in names[:3])
        notes.append(
            f"{len(names)} row names ({shown} ...) followed by {m} amounts, {k} a row: neither order of"
            " them makes the row identities hold; the values are left null"
        )
        rows.extend(_row(nm, _code(b, nm, glued), []) for nm in names)
    rows.extend(_row(nm, None, []) for nm in carry)
    if tail:
        k = _tail_columns(rows, tail, k, notes)
    return rows, k, notes


def _tail_columns(rows: list[TextRow], tail: list[Token], k: int, notes: list[str]) -> int:
    """Amounts printed after the last row's cells: where every row holds ``k`` cells and the rest
    are as many as the rows times a number of columns, they are those columns, each printed down
    all the rows (pdfminer's column runs); the column count is returned.  Otherwise the last row
    keeps no figures and a notice says so."""
    n = len(rows)
    if n and len(tail) % n == 0 and all(len(r.amounts) == k for r in rows):
        j = len(tail) // n
        for i, r in enumerate(rows):
            extra = [tail[c * n + i] for c in range(j)]
            r.amounts = [*r.amounts, *extra]
            r.end = max(r.end, *(a.end for a in extra))
        notes.append(
            f"the last row's {k} cells are followed by {len(tail)} amounts: read as {j} more column(s),"
            f" each printed down all {n} rows"
        )
        return k + j
    last = rows[-1]
    notes.append(
        f"1 row names ({last.label.text if last.label else ''} ...) followed by {k + len(tail)} amounts,"
        f" {k} a row, and the rest does not divide among the {n} rows: the values are left null"
    )
    last.amounts = []
    return k


def _square(ids: list, keys: list[str | None], amounts: list[Token], r: int, k: int) -> list[list[Token]] | None:  # type: ignore[type-arg]
    """r rows x k columns of amounts read row by row or column by column, whichever the row
    identities confirm (and the other refutes or cannot test)."""
    best = None
    for order in ("rows", "columns"):
        idx = [[(i * k + j) if order == "rows" else (j * r + i) for j in range(k)] for i in range(r)]
        got = [[amounts[x] for x in row] for row in idx]
        held, failed = _score(ids, [x or "" for x in keys], _numeric([[t.text for t in row] for row in got], r))
        if held and not failed and (best is None or held > best[0]):
            best = (held, got)
    return best[1] if best is not None else None


def _codes(
    b: _Block, names: list[tuple[Token, int, int]], glued: dict[int, Token], cat: Catalog
) -> list[Token | None] | None:
    """Each of a block's names' code (``None`` for a total row): its own code where printed on its
    line, else the block's codes in order when they are as many as the names that are no total;
    ``None`` when the counts do not pair them."""
    totals = [cat.row_label(t.text)[0] == "total" for t, _l, _i in names]
    if all(id(t) in glued or tot for (t, _l, _i), tot in zip(names, totals, strict=True)):
        return [glued.get(id(t)) for t, _l, _i in names]
    if len(b.codes) != totals.count(False):
        return None
    it = iter(b.codes)
    return [None if tot else next(it) for tot in totals]


def _code(b: _Block, name: tuple[Token, int, int], glued: dict[int, Token]) -> Token | None:
    if id(name[0]) in glued:
        return glued[id(name[0])]
    return b.codes[0] if len(b.codes) == 1 and len(b.names) <= 1 else None


def _row(name: tuple[Token, int, int], code: Token | None, amounts: list[Token | None]) -> TextRow:
    t, line, indent = name
    end = max([t.end, *(a.end for a in amounts if a is not None)])
    return TextRow(code, t, list(amounts), line, t.start, end, indent)
