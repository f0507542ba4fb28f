"""Read tables from pdfminer.six's text, which prints a table column by column.

pdfminer writes every cell as a paragraph of its own: on a page, the codes, then the names, then
the amounts of one column after another (or one row after another, or a whole row glued onto one
line).  Row alignment is lost, so a row is rebuilt only where **the counts and the arithmetic
agree**: n row labels and a multiple of n amounts, read as k columns of n figures (or n rows of k),
and the reading is accepted only when the table's own arithmetic confirms it -- a class = the sum
of its items (codes 201 > 20101 > 2010101, or indentation), the total row = the sum of the
top-level rows, per column, and the row identities of the table's kind (total = basic + project
...).  Where no reading passes, the rows keep their labels with null values and a notice says why:
labels and amounts are never paired silently by position alone.

A page is read this way only when it is column-ordered (most of its amounts stand on lines of
their own); other pages are left to :mod:`fiscal_extract.pdftext`.

Comes in: a decoded :class:`~fiscal_extract.normalize.SourceText` and the scanned units (lines,
grids, ``None`` for blank lines).  Goes out: the same units with column-ordered tables replaced
by grids of format ``"pdfminer"`` (the grid :func:`fiscal_extract.pdftext.build_grid` makes).
May import: ``normalize``, ``grid``, ``catalog``, ``numbers``, ``pdftext`` and its two modules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from ..catalog import Catalog
from .grid import Grid
from .normalize import SourceText
from .pdfminer_blockmix import mixed_blocks, wider
from .pdfminer_blocks import blocks_of, read_blocks
from .pdfminer_glued import unglue
from .pdfminer_items import item_rows
from .pdfminer_onerow import one_row
from .pdfminer_plans import by_mixed, by_runs, named, orders, rest_confirmed, tolerance, values_of
from .pdfminer_rows import (
    CODE_ONLY,
    ITEM_PREFIX,
    SPLIT_HEADS,
    join_wrapped,
    levels_of,
    rows_after_codes,
    running_lines,
    split_codes,
    wrapped_figures,
)
from .pdfminer_runs import family_checks
from .pdfminer_twosided import two_sided
from .pdftext_grid import build_grid
from .pdftext_header import HeaderPlan, _numeric, _score, plan_header
from .pdftext_labels import _vocabulary, header_labels, is_header_text
from .pdftext_tokens import TextRow, Token, tokenize

_FURNITURE = re.compile(r"[-—–]\s*\d{1,3}\s*[-—–]|第\s*\d+\s*页.*|\*+|表\s*\d{1,2}|[(（]?\s*20\d\d\s*年度?\s*[)）]?")
_UNIT_OR_OWNER = re.compile(
    r"^(?:单位|金额单位|部门|部门名称|单位名称|预算单位|编制部门|编制单位|填报单位|预算主管部门)\s*[:：]|^\(?万?元\)?$"
)
_N = r"[\d一二三四五六七八九十]{1,3}(?:-\d{1,2})?"
_TABLE_NO = re.compile(
    rf"(?:附表|附件|公开|部门公开|预算|部门预算)\s*(?:表|预算表)?\s*{_N}\s*表?|(?:表|预算表)\s*{_N}|{_N}\s*表"
)
"""A table's number printed as a paragraph of its own (公开 08 表, 表 3, 预算表 1)."""
_YEAR_WORD = re.compile(r"(?:19|20)\d\d")
_NOTE = re.compile(r"^(?:注|说明|备注)\s*[:：\d]")
_CODE_ONLY = CODE_ONLY

MIN_AMOUNT_LINES = 4
"""Lines holding only amounts a page needs (and twice its row lines) to be read as column-ordered."""


@dataclass
class _Page:
    units: list  # type: ignore[type-arg]
    labels: list[tuple[Token, int, int]] = field(default_factory=list)  # (label, line no, indent)
    codes: list[Token] = field(default_factory=list)
    amounts: list[Token] = field(default_factory=list)
    header: list[tuple[str, int, int]] = field(default_factory=list)
    glued: dict[int, Token] = field(default_factory=dict)  # id(label) -> the code on its line
    amount_lines: int = 0
    row_lines: int = 0
    classes: list[str] = field(default_factory=list)  # a code printed in parts: the 类 column
    class_at: list[Token] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)  # the 款 column
    items: dict[int, str] = field(default_factory=dict)  # id(label) -> its 项 part


def find_column_tables(src: SourceText, cat: Catalog, units: list) -> list:  # type: ignore[type-arg]
    """The scanned units with every column-ordered table page replaced by its grid (see the module
    docstring); all other units are returned unchanged."""
    from .line import Line

    units = unglue(src, cat, units, Line)
    out: list = []
    last: list = [None, []]  # type: ignore[type-arg]  # the kind and header words of the table the last titled part began
    pages = _pages(src, units, Line)
    skip = running_lines(pages, Line)
    for page in pages:
        out.extend(_read_page(src, cat, page, Line, last, skip))
    return out




def _pages(src: SourceText, units: list, line_type: type) -> list[list]:  # type: ignore[type-arg]
    """Units split where a form feed starts a line (pdfminer ends every page with one); a title of
    a table met on a page also starts a new part, so that two tables on a page are read apart."""
    pages: list[list] = [[]]  # type: ignore[type-arg]
    for u in units:
        if isinstance(u, line_type) and "\f" in src.text[max(0, u.start - 1) : u.start + 1] and pages[-1]:  # type: ignore[attr-defined]
            pages.append([])
        pages[-1].append(u)
    return pages


def _read_page(  # type: ignore[type-arg]
    src: SourceText, cat: Catalog, units: list, line_type: type, last: list, skip: frozenset[str]
) -> list:
    lines = [u for u in units if isinstance(u, line_type) and re.sub(r"\s+", "", u.text) not in skip]
    if any(u is not None and not isinstance(u, line_type) for u in units):
        return units  # a grid another reader found: not pdfminer text
    titles = [
        i
        for i, u in enumerate(units)
        if isinstance(u, line_type) and len(u.text) <= 60 and cat.match_title(u.text) is not None  # type: ignore[attr-defined]
    ]
    if len(titles) > 1:
        # two tables on a page: each part is read apart; a part not read keeps its units as they were
        out: list = []
        cuts = [0, *titles[1:], len(units)]
        for a, b in pairwise(cuts):
            part = units[a:b]
            got = _read_part(
                src, cat, [u for u in part if isinstance(u, line_type) and re.sub(r"\s+", "", u.text) not in skip],
                line_type, last,
            )
            out.extend(got if got is not None else part)
        return out
    got = _read_part(src, cat, lines, line_type, last)
    return got if got is not None else units


def _classify(src: SourceText, cat: Catalog, lines: list) -> tuple[_Page, list, list, list, list]:  # type: ignore[type-arg]
    """Sort a page's lines into header text, row labels, codes and amounts (each in printed order)."""
    from .line import Line

    lines = wrapped_figures(lines, Line)
    page = _Page(lines)
    before: list = []
    title: list = []
    meta: list = []
    after: list = []
    vocab, _ = _vocabulary(cat)
    items: list[tuple[str, Token, int, int]] = []  # ("label" | "code", token, line, indent)
    seen_title = False
    lone: list[Token] = []
    split = all(any(u.text == h for u in lines) for h in SPLIT_HEADS)
    for u in lines:
        text = u.text
        got = _split_part(cat, src, page, u) if split else False
        if isinstance(got, Token):
            items.append(("label", got, u.no, 0))  # an item's name after its 项 part
        if got:
            continue
        if not seen_title and len(text) <= 60 and cat.match_title(text) is not None:
            title.append(u)
            seen_title = True
            continue
        if _NOTE.match(text) or cat.is_note(text):
            after.append(u)
            continue
        if _UNIT_OR_OWNER.search(text):
            meta.append(u)
            continue
        if _FURNITURE.fullmatch(text) or _TABLE_NO.fullmatch(text):
            continue
        if len(text) > 40 and re.search(r"[。；，]", text):
            (after if seen_title or items else before).append(u)
            continue
        toks = (
            tokenize(src, u.start, u.end)
            if u.end - u.start == len(text) or "\n" not in src.folded[u.start : u.end]
            else [Token("amount", text, u.start, u.end)]  # a figure wrapped in its cell, rejoined
        )
        if len(toks) == 2 and _YEAR_WORD.fullmatch(toks[0].text) and toks[1].text.startswith("年"):
            # a header phrase led by a year (2026 年基本支出, 2025 年执行数): a cell holds one figure
            # or words, so the year is a word here, not an amount
            toks = [Token("label", text, u.start, u.end)]
        nums = [t for t in toks if t.kind in ("amount", "mark")]
        words = [t for t in toks if t.kind in ("label", "code")]
        if nums and not words:
            if _CODE_ONLY.fullmatch(text):
                lone.append(nums[0])  # a code, or an amount of a table of integers: decided below
                continue
            if all(t.text.isdigit() and len(t.text) <= 3 and t.text != "0" for t in nums):
                continue  # a page number or a column number (1 2 3 ...)
            page.amount_lines += 1
            page.amounts.extend(nums)
            continue
        if not words:
            continue
        if nums:
            page.row_lines += 1 if toks[-1].kind in ("amount", "mark") else 0
            page.amounts.extend(nums)
        for t in words:
            if t.kind == "label" and items and items[-1][0] == "code" and items[-1][2] == u.no:
                page.glued[id(t)] = items.pop()[1]  # a code printed on the label's own line is its code
            items.append((t.kind, t, u.no, toks[0].indent))

    # header words vs row labels: a row label is text the header vocabulary does not cover, or a
    # total word printed right before such a label (the total row comes first)
    def is_header(t: Token) -> bool:
        if id(t) in page.glued:
            return False
        return is_header_text(cat, t.text)

    # a header cell wrapped over two paragraphs ("人员经" / "费", "小" / "计") is one header word --
    # also where narrow cells side by side print their first lines, then their second lines
    # ("财政专" / "其他资" / "户拨款" / "金"): a fragment joins one of the next three
    i = 0
    while i < len(items) - 1:
        k1, t1, l1, i1 = items[i]
        for j in range(i + 1, min(i + 4, len(items))):
            k2, t2, _l2, _i2 = items[j]
            # a short tail that is a header word itself (日常公用 / 支出) joins only into an exact word
            tail = len(t2.text) <= 2 and not is_header(t1) and cat.norm(t1.text + t2.text) in vocab
            if (
                k1 == k2 == "label"
                and len(t1.text) + len(t2.text) <= 12
                and not ((is_header(t2) and not tail) or id(t1) in page.glued or id(t2) in page.glued)
                # a fragment the vocabulary half covers (科目编 / 码) joins too, into an exact word
                and (not is_header(t1) or (cat.norm(t1.text) not in vocab and len(t2.text) <= 2))
            ):
                joined = Token("label", t1.text + t2.text, t1.start, t2.end)
                # (past the next paragraph only to make a header word exactly: a cheap test)
                exact = cat.norm(joined.text) in vocab
                if (exact or (j == i + 1 and not is_header(t1))) and is_header(joined):
                    items[i] = ("label", joined, l1, i1)
                    del items[j]
                    break
        i += 1
    kinds = [k if k == "code" else ("head" if is_header(t) else "row") for k, t, _l, _i in items]
    for i, (_k, t, _l, _i) in enumerate(items):
        if kinds[i] == "head" and cat.row_label(t.text)[0] == "total":
            at = next((j for j in range(i + 1, len(items)) if kinds[j] != "head" or j == i + 1), None)
            nxt = kinds[at] if at is not None else None
            if nxt == "row" and at == i + 1 and cat.row_label(items[at][1].text)[0] == "total":
                continue  # 合计 over a column, right above the total row's own word (总计): a header word
            if nxt in ("row", "code"):
                kinds[i] = "row"
                # a coded table's total row comes first: uncoded text printed above it is header
                below = [
                    id(x[1]) in page.glued for x, kk in zip(items[i + 1 :], kinds[i + 1 :], strict=True) if kk == "row"
                ]
                if below and sum(below) >= 0.8 * len(below):
                    for j in range(i):
                        if kinds[j] == "row" and id(items[j][1]) not in page.glued:
                            kinds[j] = "head"
                break
    lone_codes = sum(1 for t in page.amounts if "." in t.text) >= 0.8 * max(1, len(page.amounts))
    coded = [t for t in lone if cat.code_system(t.text)] if lone_codes else []
    rows_after_codes(cat, items, kinds, [*coded, *page.class_at])
    for (_k, t, line, indent), kk in zip(items, kinds, strict=True):
        if kk == "code":
            if _CODE_ONLY.fullmatch(t.text):
                page.codes.append(t)
        elif kk == "row":
            page.labels.append((t, line, indent))
        else:
            page.header.append((t.text, t.start, t.end))
    # lone 3/5/7-digit integers are codes when the table's amounts print decimals
    # (and are classification codes: a lone 237 in a table of 三公 figures is an amount)
    if lone_codes:
        page.codes.extend(Token("code", t.text, t.start, t.end) for t in lone if cat.code_system(t.text))
        page.amounts.extend(t for t in lone if not cat.code_system(t.text))
        page.amounts.sort(key=lambda t: t.start)
    else:
        page.amounts.extend(lone)
        page.amounts.sort(key=lambda t: t.start)
    # the lone codes join the others in printed order (a code printed twice, as a document may
    # print by mistake, keeps the text sort below from restoring the tree's order)
    page.codes.sort(key=lambda c: c.start)
    codes = [c.text for c in page.codes]
    if len(set(codes)) == len(codes) and codes != sorted(codes):
        # classification codes print in tree order (201, 20101, 2010101, 202 ...): pdfminer prints
        # the codes of one width before the others
        page.codes.sort(key=lambda c: c.text)
    return page, before, title, meta, after


def _split_part(cat: Catalog, src: SourceText, page: _Page, u: object) -> bool | Token:
    """On a page whose codes print in parts (类 | 款 | 项 columns): take a line that is one part
    (``201``, ``05``) or one of the 类 / 款 / 项 header words; an item's name printed after its 项
    part (``07 专项普查活动``) is returned as its label; False for other lines."""
    text = u.text  # type: ignore[attr-defined]
    if text in ("类", "款", "项"):
        return True
    if text.isdigit() and len(text) == 3 and cat.code_system(text) is not None:
        page.classes.append(text)
        page.class_at.append(Token("code", text, u.start, u.end))  # type: ignore[attr-defined]
        return True
    if text.isdigit() and len(text) == 2:
        page.sections.append(text)
        return True
    m = ITEM_PREFIX.fullmatch(text)
    if m is None:
        return False
    a = u.start + src.folded[u.start : u.end].index(m.group(2))  # type: ignore[attr-defined]
    tok = Token("label", m.group(2), a, a + len(m.group(2)))
    page.items[id(tok)] = m.group(1)
    return tok


def _read_part(src: SourceText, cat: Catalog, lines: list, line_type: type, last: list) -> list | None:  # type: ignore[type-arg]
    """A page's part read as one table; a part with no title goes on with the table the last
    titled part began (its kind names the columns by that table's identities, and where the
    part prints no header, that table's header words name them)."""
    page, before, title, meta, after = _classify(src, cat, lines)
    hint: list[str] = []
    if title:
        last[0] = cat.match_title(title[0].text).kind  # type: ignore[union-attr]
        last[1] = header_labels(cat, " ".join(h for h, _a, _b in page.header))
    elif not page.header:
        hint = last[1]
    if page.amount_lines < MIN_AMOUNT_LINES or page.amount_lines < 2 * page.row_lines:
        return None
    kind = cat.match_title(title[0].text).kind if title else None  # type: ignore[union-attr]
    if kind is None:
        kind = cat.match_signature(header_labels(cat, " ".join(h for h, _a, _b in page.header)))
    if kind is None and not title:
        kind = last[0]
    layout = cat.layout_of(kind) if kind else "classified"
    one = None if page.codes or page.row_lines or page.classes else one_row(src, cat, page, lines, kind, layout)
    if one is not None:
        grid, rest = one
        kept = {id(u) for u in (*before, *title, *meta)}
        tail = {id(u): u for u in [*rest, *after] if id(u) not in kept}
        return [*before, *title, *meta, grid, *sorted(tail.values(), key=lambda u: u.start)]
    items = item_rows(src, cat, page, kind, layout) if layout == "three_public" else None
    if items is not None:
        return [*before, *title, *meta, items, *after]
    if len(page.labels) < 2:
        return None
    if layout == "two_sided":
        # both sides share the label column: only the totals the arithmetic confirms are read
        grid = two_sided(src, cat, page)
        return None if grid is None else [*before, *title, *meta, grid, *after]
    if layout == "performance":
        return None
    grid = _by_blocks(src, cat, page, kind, layout) or _grid(src, cat, page, kind, layout, hint)
    if grid is None:
        return None
    return [*before, *title, *meta, grid, *after]


def _by_blocks(src: SourceText, cat: Catalog, page: _Page, kind: str | None, layout: str) -> Grid | None:
    """The grid of a page printed row after row (:mod:`pdfminer_blocks`), or ``None``.  Blocks of
    several rows that neither order fits are read again in a mixed order, under the column names
    the page's other rows settled (:func:`by_mixed`)."""
    head = header_labels(cat, " ".join(h for h, _a, _b in page.header))
    blocks = blocks_of(page.labels, page.codes, page.amounts, page.glued)
    got = read_blocks(cat, kind, lambda k: list(plan_header(cat, layout, kind, head, k, []).keys), blocks, page.glued)
    if got is None:
        return None
    rows, k, notes = got
    full = [[a.text for a in r.amounts] for r in rows if len(r.amounts) == k]
    plan = plan_header(cat, layout, kind, head, k, full)
    held, failed = _score(
        cat.identities_for(kind) if kind else [], [x or "" for x in plan.keys], _numeric(full, len(full))
    )
    if failed > held:
        return None  # the header's names make the rows' identities fail: the columns are not known
    if notes and held and not failed and kind is not None:
        again = mixed_blocks(cat, layout, kind, head, page.amounts, page.glued, blocks, [x or "" for x in plan.keys])
        if again is not None:
            rows2, k2, notes2 = again
            plan2 = plan if k2 == k else wider(cat, layout, kind, head, plan, rows2, k2)
            if plan2 is not None:
                rows, k, notes, plan = rows2, k2, notes2, plan2
    notes = [f"column-ordered text printed row after row: {len(rows)} rows of up to {k} amounts", *notes]
    plan = HeaderPlan(list(plan.labels) or ["科目名称"], plan.values, plan.keys, plan.notes + notes)
    if any(r.code is not None for r in rows) and not any("编码" in lab or "代码" in lab for lab in plan.labels):
        plan.labels = ["科目编码", *[lab for lab in plan.labels if lab != "科目编码"]]
    header = page.header or [(rows[0].label.text, rows[0].start, rows[0].start)]  # type: ignore[union-attr]
    grid = build_grid(src, cat, layout, header, plan, rows)
    grid.fmt = "pdfminer"
    return grid


def _grid(src: SourceText, cat: Catalog, page: _Page, kind: str | None, layout: str, hint: list[str]) -> Grid:
    labels = page.labels
    codes = page.codes
    notes: list[str] = []
    if page.classes:
        whole = split_codes(
            cat,
            [t.text for t, _l, _i in labels],
            page.classes,
            page.sections,
            [page.items.get(id(t)) for t, _l, _i in labels],
        )
        if whole is None:
            notes.append(
                f"codes printed in parts ({len(page.classes)} 类, {len(page.sections)} 款) do not pair"
                f" with {len(labels)} row names: the rows keep no code"
            )
        else:
            for (t, _l, _i), c in zip(labels, whole, strict=True):
                if c is not None:
                    page.glued[id(t)] = Token("code", c, t.start, t.start)
    n_totals = sum(1 for t, _l, _i in labels if cat.row_label(t.text)[0] == "total")
    if codes and len(labels) > len(codes) + n_totals:
        labels = join_wrapped(src, labels, len(codes) + n_totals)
    n = len(labels)
    n_totals = sum(1 for t, _l, _i in labels if cat.row_label(t.text)[0] == "total")
    if any(id(t) in page.glued for t, _l, _i in labels):
        codes = [page.glued.get(id(t)) for t, _l, _i in labels]  # type: ignore[misc]
    elif codes and len(codes) != n and len(codes) == n - n_totals:
        # the total row (合计) prints no code: the codes name the other rows, in order
        it = iter(codes)
        codes = [None if cat.row_label(t.text)[0] == "total" else next(it) for t, _l, _i in labels]  # type: ignore[misc]
    elif codes and len(codes) != n:
        notes.append(f"{len(codes)} codes but {n} row names: codes are not paired with names")
        codes = []
    head_text = " ".join(h for h, _a, _b in page.header)
    head = header_labels(cat, head_text)
    amounts = page.amounts
    totals = [cat.row_label(t.text)[0] == "total" for t, _l, _i in labels]
    levels = levels_of(codes or None, labels)
    tol = tolerance(amounts)
    vals = values_of(amounts)
    value_labels = [lab for lab in head if (s := cat.column(lab, layout)) is not None and s.role == "value"]
    widths = []
    if n and len(amounts) % n == 0 and len(amounts) // n >= 1:
        widths.append(len(amounts) // n)
    best: tuple[tuple[int, int], int, str, list[list[int]]] | None = None
    ids = cat.identities_for(kind) if kind else []
    for k in widths:
        plain: HeaderPlan | None = None
        for order, idx in orders(n, k):
            matrix = [[vals[x] for x in row] for row in idx]
            held, failed = family_checks(matrix, levels, totals, tol)
            if order not in ("columns", "rows") and (failed or not held):
                continue  # a mixed order must keep every column sum
            full = [[amounts[x].text for x in row] for row in idx]
            # the mixed orders are scored under the naming of the column-by-column reading (naming
            # each is costly)
            plan = named(cat, layout, kind, head, k, full) if plain is None or order == "rows" else plain
            plain = plain or plan
            keys = [x or "" for x in plan.keys]
            if order not in ("columns", "rows") and not rest_confirmed(
                order, matrix, levels, totals, tol, lambda rows, keys=keys: _score(ids, keys, rows)
            ):
                continue  # the rows read row by row must be confirmed too, not only the first ones
            ih, ifail = _score(
                cat.identities_for(kind) if kind else [], [x or "" for x in plan.keys], _numeric(full, len(full))
            )
            held, failed = held + ih, failed + ifail
            if held >= 1 and failed <= (held // 20 if order in ("columns", "rows") else 0):
                rank = (failed, -held)
                if best is None or rank < best[0]:
                    best = (rank, k, order, idx)
    if best is not None:
        _rank, k, order, idx = best
        rows_amts = [[amounts[x] for x in row] for row in idx]
        full = [[t.text for t in r] for r in rows_amts]
        plan = named(cat, layout, kind, head, k, full)
        how = {"columns": "column by column", "rows": "row by row"}.get(order, order)
        notes.append(
            f"column-ordered text: {n} rows x {k} columns read {how}"
            f" (confirmed by {-_rank[1]} column sums and row identities)"
        )
    runs = (
        None
        if best is not None or levels is None
        else by_runs(cat, layout, kind, head, page.amounts, levels, totals, tol)
    )
    if runs is None and best is None and levels is not None:
        runs = by_mixed(cat, layout, kind, head or hint, page.amounts, levels, totals, tol)
    if runs is not None:
        rows_amts, plan, note = runs
        k = len(plan.values)
        notes.append(note)
    elif best is None:
        k = max(1, len(value_labels))
        rows_amts = [[] for _ in range(n)]
        plan = plan_header(cat, layout, kind, head, k, [])
        reason = f"{len(amounts)} amounts for {n} rows" + (
            "" if not widths else f" ({widths[0]} a row), but no reading by columns or by rows makes the sums hold"
        )
        notes.append(f"column-ordered text: figures not paired with rows -- {reason}; the values are left null")
    plan = HeaderPlan(list(plan.labels) or ["科目名称"], plan.values, plan.keys, plan.notes + notes)
    if codes and not any("编码" in lab or "代码" in lab for lab in plan.labels):
        plan.labels = ["科目编码", *[lab for lab in plan.labels if lab != "科目编码"]]
        if len(plan.labels) == 2 and cat.column(plan.labels[1], layout) is None:
            plan.labels[1] = "科目名称"
    rows = []
    for i, (t, _line, ind) in enumerate(labels):
        code = codes[i] if codes else None
        amts = rows_amts[i]
        end = max([t.end, *(a.end for a in amts if a is not None)])
        rows.append(TextRow(code, t, list(amts), src.line_of(t.start), t.start, end, ind))
    header = page.header or [(labels[0][0].text, labels[0][0].start, labels[0][0].start)]
    grid = build_grid(src, cat, layout, header, plan, rows)
    grid.fmt = "pdfminer"
    if best is None:
        grid.extra["packed"] = frozenset()
    return grid
