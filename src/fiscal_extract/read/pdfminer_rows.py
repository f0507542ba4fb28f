"""Row names and codes of a page pdfminer printed column by column.

The names and codes are printed as paragraphs apart from each other and from the amounts, so a
row is rebuilt from counts: a name wrapped over two paragraphs is joined (a spaced-out fragment,
or a fragment as long as the column is wide), a header word printed among the row names is a
row name where the codes say rows are missing, and a row's depth comes from its code's length
(类 3 / 款 5 / 项 7 digits) or its indentation.

Comes in: the page's typed tokens.  Goes out: the row names, codes and levels, and the running
headers and footers that are no row names.  May import:
``catalog``, ``normalize``, ``pdftext_tokens``.
"""

from __future__ import annotations

import re
from itertools import pairwise

from ..catalog import Catalog
from .normalize import SourceText
from .pdftext_tokens import Token

_SPACED = re.compile(r"^(?:[\u3400-\u9fff] )+[\u3400-\u9fff]$")
CODE_ONLY = re.compile(r"\d{3}|\d{5}|\d{7}")


def rows_after_codes(cat: Catalog, items: list, kinds: list[str], lone: list[Token]) -> None:  # type: ignore[type-arg]
    """A coded table's row names that are header words too (工资福利支出 names a column of other
    tables): when fewer row names than codes were found, the header-looking names printed after the
    codes among or right before the row names are row names (and a total word among them); so is
    a classification's name (the catalog's codes) printed between the last code and the first name."""
    starts = [t.start for t in lone]
    starts += [t.start for k, t, _l, _i in items if k == "code" and CODE_ONLY.fullmatch(t.text)]
    if not starts:
        return
    first, last = min(starts), max(starts)
    rows = [i for i, k in enumerate(kinds) if k == "row" and items[i][1].start > first]
    plain = sum(1 for i in rows if cat.row_label(items[i][1].text)[0] != "total")
    deficit = len(starts) - plain
    if not rows:
        return
    names = {cat.norm(x) for system in ("functional", "economic", "gov_economic") for x in cat.codes[system].values()}
    j = rows[0] - 1
    while j >= 0 and kinds[j] == "head" and items[j][1].start > last:
        text = items[j][1].text
        total = cat.row_label(text)[0] == "total"
        if not total and cat.norm(text) not in names:
            break
        kinds[j] = "row"  # a class's name (or the total) between the codes and the names: a row name
        deficit -= not total
        j -= 1
    # a header word that is the catalog's name of a code this page prints is that code's row name
    # (一般公共服务支出 after 201), wherever among the codes and names it stands
    printed = [t.text for t in lone] + [t.text for k, t, _l, _i in items if k == "code" and CODE_ONLY.fullmatch(t.text)]
    own = {
        cat.norm(name)
        for system in ("functional", "economic", "gov_economic")
        for c in printed
        if (name := cat.codes[system].get(c)) is not None
    }
    named = {cat.norm(t.text) for (_k, t, _l, _i), kk in zip(items, kinds, strict=True) if kk == "row"}
    for j in range(len(items)):
        if deficit <= 0:
            break
        if kinds[j] == "head" and items[j][1].start > first and cat.norm(items[j][1].text) in own - named:
            kinds[j] = "row"
            deficit -= 1
    rows = [i for i, k in enumerate(kinds) if k == "row" and items[i][1].start > first]
    if deficit <= 0:
        return
    for j in [j for j in range(rows[0] + 1, rows[-1]) if kinds[j] == "head"]:
        kinds[j] = "row"  # a header word among the row names is a row name
        deficit -= 1
    j = rows[0] - 1
    while j >= 0 and kinds[j] == "head" and items[j][1].start > first:
        if cat.row_label(items[j][1].text)[0] == "total":
            kinds[j] = "row"
        elif deficit > 0:
            kinds[j] = "row"
            deficit -= 1
        else:
            break
        j -= 1


def join_wrapped(src: SourceText, labels: list[tuple[Token, int, int]], n: int) -> list[tuple[Token, int, int]]:
    """Labels wrapped over paragraphs ("社 会 保 障 和 就" / "业支出"): a spaced-out (justified)
    fragment is joined with the next one, while there are more labels than codes."""
    out = [(t, line, ind, bool(_SPACED.match(src.folded[t.start : t.end]))) for t, line, ind in labels]
    i = 0
    while len(out) > n and i < len(out) - 1:
        t, line, ind, spaced = out[i]
        if spaced:
            nt, _l, _i, nspaced = out[i + 1]
            out[i] = (Token("label", t.text + nt.text, t.start, nt.end), line, ind, nspaced)
            del out[i + 1]
            continue
        i += 1
    if len(out) > n:
        out = _join_at_width(out, len(out) - n)
    return [(t, line, ind) for t, line, ind, _s in out]


def _join_at_width(out: list[tuple[Token, int, int, bool]], extra: int) -> list[tuple[Token, int, int, bool]]:
    """A cell wraps where its column ends: a fragment as long as the page's longest label, followed
    by a shorter one, is one label over two paragraphs ("机关事业单位基本养老保险" / "缴费").  The
    ``extra`` joins are made at the longest such fragments; none where fewer candidates qualify."""
    width = max(len(t.text) for t, *_r in out)
    cands = [
        i
        for i in range(len(out) - 1)
        if len(out[i][0].text) >= width - 1 and len(out[i + 1][0].text) < len(out[i][0].text) and width >= 6
    ]
    if len(cands) < extra:
        return out
    cands.sort(key=lambda i: (-len(out[i][0].text), len(out[i + 1][0].text), i))
    chosen = sorted(cands[:extra], reverse=True)
    if any(b - a == 1 for a, b in pairwise(sorted(chosen))):
        return out  # two joins in a row would make one label of three fragments: not decided
    for i in chosen:
        t, line, ind, sp = out[i]
        nt = out[i + 1][0]
        out[i] = (Token("label", t.text + nt.text, t.start, nt.end), line, ind, sp)
        del out[i + 1]
    return out


def levels_of(codes: list[Token] | None, labels: list[tuple[Token, int, int]]) -> list[int] | None:
    """Each row's depth: from its code's length (3 / 5 / 7 digits), else from its indentation;
    ``None`` when neither tells anything."""
    if codes and any(c is None for c in codes):
        # rows without a code (the total row) sit above the coded ones
        return [{3: 1, 5: 2, 7: 3}.get(len(c.text), 1) if c is not None else 0 for c in codes]
    if codes:
        return [{3: 1, 5: 2, 7: 3}.get(len(c.text), 1) for c in codes]
    inds = [ind for _t, _l, ind in labels]
    if len(set(inds)) <= 1:
        return None
    ranks = sorted(set(inds))
    return [ranks.index(i) + 1 for i in inds]


SPLIT_HEADS = ("类", "款")
"""Header words of a code printed in parts, one column each (类 | 款 | 项)."""
ITEM_PREFIX = re.compile(r"(\d{2})\s+(\S.*)")
"""A 项 part printed on its name's line ("07 专项普查活动")."""


def split_codes(
    cat: Catalog, names: list[str], classes: list[str], sections: list[str], items: list[str | None]
) -> list[str | None] | None:
    """Whole codes of rows whose code is printed in parts (类 ``201`` on every row, 款 ``05`` on
    every row below a 类 row, 项 ``07`` before an item's name): ``None`` for a total row; ``None``
    for the whole list when the counts do not say which rows are 类 rows."""
    totals = [cat.row_label(x)[0] == "total" for x in names]
    body = [i for i in range(len(names)) if not totals[i]]
    if len(classes) != len(body) or not body:
        return None
    cls = dict(zip(body, classes, strict=True))
    n_class = len(body) - len(sections)
    starts = [i for k, i in enumerate(body) if items[i] is None and (k == 0 or cls[body[k - 1]] != cls[i])]
    named = [
        i for i in body if items[i] is None and cat.norm(cat.codes["functional"].get(cls[i], "")) == cat.norm(names[i])
    ]
    if len(starts) == n_class:
        heads = set(starts)
    elif len(starts) == n_class + 1 and starts[0] == body[0] and body[0] not in named:
        heads = set(starts[1:])  # the page goes on with the 款 rows of a 类 begun on the page before
    elif len(named) == n_class:
        heads = set(named)
    else:
        return None
    it = iter(sections)
    out: list[str | None] = []
    for i in range(len(names)):
        if totals[i]:
            out.append(None)
        elif i in heads:
            out.append(cls[i])
        else:
            sect = next(it, None)
            if sect is None:
                return None
            out.append(cls[i] + sect + (items[i] or ""))
    return out


RUNNING_PAGES = 3
"""Pages a line holding a year must repeat on to be a running header or footer."""


def running_lines(pages: list[list], line_type: type) -> frozenset[str]:  # type: ignore[type-arg]
    """A running header or footer (``无锡市教育局（本级）2026 年度单位预算公开``): a line that names
    a year and repeats on :data:`RUNNING_PAGES` pages or more.  pdfminer prints it where its
    position sorts, often among a table's row names, where it would be read as a row."""
    seen: dict[str, int] = {}
    for page in pages:
        for text in {re.sub(r"\s+", "", u.text) for u in page if isinstance(u, line_type)}:
            if len(text) >= 8 and _YEAR.search(text) and not _NUMERIC.fullmatch(text):
                seen[text] = seen.get(text, 0) + 1
    return frozenset(t for t, c in seen.items() if c >= RUNNING_PAGES)


_YEAR = re.compile(r"20\d\d\s*年")
_NUMERIC = re.compile(r"[\d.,\s%-]+")


_SHORT = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)\.(\d*)")
_TAIL = re.compile(r"\d{1,3}")


def wrapped_figures(lines: list, make: type) -> list:  # type: ignore[type-arg]
    """The page's lines with a figure pdfminer wrapped inside its cell put back together: a line
    that is one figure printed with fewer decimals than the page's figures (``1208.2``, ``0.0``),
    and the next line of the same paragraph (no blank line between) holding just the missing
    digits (``0``) are one figure (``1208.20``).  Both parts must be plain figures, the tail
    exactly as long as the missing decimals; the joined line keeps the offsets of both parts, so
    that the cell's printed text shows the break.  Other lines are returned unchanged."""
    counts: dict[int, int] = {}
    for u in lines:
        m = _SHORT.fullmatch(u.text)
        if m is not None:
            counts[len(m.group(1))] = counts.get(len(m.group(1)), 0) + 1
    if not counts:
        return lines
    want = max(counts, key=lambda d: (counts[d], d))
    out: list = []  # type: ignore[type-arg]
    i = 0
    while i < len(lines):
        u = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        m = _SHORT.fullmatch(u.text)
        if (
            m is not None
            and nxt is not None
            and nxt.no == u.no + 1
            and _TAIL.fullmatch(nxt.text)
            and len(m.group(1)) + len(nxt.text) == want
        ):
            out.append(make(u.start, nxt.end, u.no, u.text + nxt.text))
            i += 2
            continue
        out.append(u)
        i += 1
    return out
