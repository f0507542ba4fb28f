"""Read tables from the text PDF libraries make of a published PDF (pypdf, pdfium, pdftotext).

Such text prints one table row a line, its cells separated by one space or by nothing, with
empty cells dropped, labels wrapped over several lines, codes printed apart (``301 08``), page
numbers glued onto the last cell of a page and the next title glued onto the last row.  Gap
widths say nothing here, so a line is split into **typed tokens** -- code, label, amount,
percent -- and a row is the code, the label and the amounts that follow them.

The header is rebuilt from its fragments with the catalog's header words (a label wrapped over
two lines, two labels glued together, the row-spanning 科目编码 / 科目名称 printed after the
column labels): the label columns come first, then one value column per value label.  Which
value label names which column is decided by the table's own arithmetic where the reading
order of a multi-row header leaves it open (a row's total = basic + project ...).

A row that prints fewer amounts than the table has value columns had its empty cells dropped:
its amounts are placed in order from the left, and the row is marked ``packed`` so that the
tables stage (:mod:`fiscal_extract.placement`) can decide by arithmetic which columns were empty.

Comes in: a decoded :class:`~fiscal_extract.normalize.SourceText` and line spans.  Goes out:
:class:`~fiscal_extract.grid.Grid` of format ``"pdftext"`` (the same grid every reader makes).
May import: ``normalize``, ``grid``, ``catalog`` and the modules below: :mod:`pdftext_tokens`
(typed tokens), :mod:`pdftext_rows` (rows from row lines and label fragments),
:mod:`pdftext_oneline` (a page printed as one spaced line, cut into lines) and
:mod:`pdftext_header` (headers rebuilt from fragments).
"""

from __future__ import annotations

import re
import sys
from itertools import pairwise

from ..catalog import Catalog, reading_kind
from .grid import Grid
from .grid_aligned import is_aligned_line
from .line import Line
from .normalize import SourceText
from .pdftext_grid import _DEBUG, build_grid, join_split_amounts, unglue_page_numbers
from .pdftext_header import HeaderPlan, plan_header
from .pdftext_labels import _vocabulary, header_labels, is_code_label, label_spec
from .pdftext_numbering import join_vertical_numbering
from .pdftext_oneline import cut_one_line_pages
from .pdftext_rows import Piece, empty_rows_above, is_fragment, one_sided, rows_of
from .pdftext_shapes import drop_line_numbers, one_block, two_sided_rows, uneven_sides
from .pdftext_tokens import Token, is_row_line, numbering_of, tokenize

# ------------------------------------------------------------------------------- blocks

_FURNITURE = re.compile(
    r"[-—–]\s*\d{1,3}\s*[-—–]|第\s*\d+\s*页(?:\s*[，,/]?\s*共\s*\d+\s*页)?|\d{1,3}|\d{1,3}\s*/\s*\d{1,3}"
)
_CLAUSE = re.compile(r"[，。；;！？]")
"""Punctuation of running text: a line holding it is no piece of a row's label."""
_NOTE = re.compile(r"^(?:注|说明|备注)\s*[:：\d]")
_UNIT_LINE = re.compile(r"单位\s*[:：]|金额单位|^\(?万元\)?$|^\(?元\)?$")
_TABLE_NO = re.compile(
    r"^(?:附表|附件|公开|部门公开|预算|部门预算)?\s*(?:表|预算表)?\s*[\d一二三四五六七八九十\-]+\s*表?$"
)


_HEAD_LINES = 96
"""Bound on a header's lines: a wide header printed in narrow cells wraps every label a character
or a few to a line (the income table's 20 columns: 50-odd lines in pypdf's text)."""


def is_header_line(cat: Catalog, text: str, strict: bool = True) -> bool:
    """A line of header fragments: no sentence, short words, (``strict``) some of them catalog
    header words; a wrapped header label ("中预留给", "模") qualifies when not ``strict``."""
    if len(text) > 200 or "。" in text or "；" in text:
        return False
    if _OWNER.match(text):
        return False
    if not strict:
        return True
    labels = header_labels(cat, text)
    vocab, _ = _vocabulary(cat)
    known = sum(1 for x in labels if cat.norm(x) in vocab)
    return known >= 1


_OWNER = re.compile(r"^(?:部门名称|单位名称|预算单位|编制部门|编制单位|填报单位|部门|单位)\s*[:：]")


def _numbering_width(src: SourceText, a: int, b: int) -> int:
    """How many columns a header's numbering line (``栏次 1 2 3 4 5``, ``** 1 2 3``) counts; 0
    for any other line."""
    toks = tokenize(src, a, b)
    return sum(1 for t in toks if t.kind == "amount") if _is_numbering(toks) else 0


def _is_numbering(tokens: list[Token]) -> bool:
    """A line of column numbers (1 2 3 ... or 栏次 1 2 3): header furniture, not a row."""
    nums = [t.text for t in tokens if t.kind == "amount"]
    if len(nums) < 3 or not all(n.isdecimal() and len(n) <= 2 for n in nums):
        return False
    return all(int(b) == int(a) + 1 for a, b in pairwise(nums))


def is_pdf_library_text(src: SourceText) -> bool:
    """Text a PDF library made (pages separated by form feeds) that is not laid out in columns
    (pdftotext -layout is: most of its lines have wide gaps; pypdf's and pdfium's almost none)."""
    text = src.text
    if "\f" not in text or src.layout is not None:  # a PDF read by position is laid out in cells
        return False
    lines = [line for line in text.split("\n") if line.strip()]
    if not lines:
        return False
    aligned = sum(1 for line in lines if is_aligned_line(line))
    return aligned / len(lines) < 0.3


def find_tables(src: SourceText, cat: Catalog, units: list) -> list:  # type: ignore[type-arg]
    """Replace runs of PDF-text table lines among the scanned ``units`` (``Line`` objects, grids
    and ``None`` for blank lines) with grids: a run is the header lines above consecutive row
    lines (ending in amounts), with the wrapped label fragments, lone codes and page furniture
    between them."""
    units = join_vertical_numbering(cut_one_line_pages(src, cat, list(_split_form_feeds(src, units, Line, cat))))
    out: list = []
    heads: set[str] = set()  # header lines of the tables read so far
    i = 0
    n = len(units)
    while i < n:
        u = units[i]
        if not isinstance(u, Line):
            out.append(u)
            i += 1
            continue
        toks = tokenize(src, u.start, u.end)
        opens = is_row_line(toks) and _starts_run(toks) and not _is_numbering(toks)
        if (
            not opens
            and is_fragment(toks)
            and len(u.text) <= 40
            and (toks[0].kind == "code" or cat.row_label(u.text.rstrip(":："))[0] is not None)
        ):
            # a row's label on a line of its own, its figures on the lines below (pdfium)
            nxt = next((v for v in units[i + 1 : i + 3] if isinstance(v, Line)), None)
            if nxt is not None:
                nt = tokenize(src, nxt.start, nxt.end)
                opens = bool(nt) and all(t.kind == "amount" for t in nt) and any("." in t.text for t in nt)
        if not opens and heads and is_row_line(toks) and not _is_numbering(toks):
            # a row of whole figures (三十一、债务还本支出 0) right under a header printed again: a
            # table's next page opens here, its figures no page numbers
            prev = next((v for v in reversed(out[-3:]) if v is not None), None)
            opens = isinstance(prev, Line) and prev.text in heads
        if not opens or _FURNITURE.fullmatch(u.text) or cat.match_title(u.text) is not None:
            out.append(u)
            i += 1
            continue
        # a run of rows starts here: collect it
        rows: list[Piece] = []
        j = i
        # the header lines above the run: printed again, they start the table's next page
        above = _header_above(src, cat, out)
        while j < n:
            v = units[j]
            if v is None:
                j += 1
                continue
            if not isinstance(v, Line):
                break
            text = v.text
            if cat.match_title(text) is not None and not is_row_line(tokenize(src, v.start, v.end)):
                break
            if _NOTE.match(text) or cat.is_note(text):
                break
            if rows and _split_tail(src, rows[-1], v):
                rows.append(Piece(v.start, v.end, v.no, tokenize(src, v.start, v.end)))
                j += 1
                continue
            if _FURNITURE.fullmatch(text) and not _code_not_page(src, units, j, rows):
                j += 1
                continue
            vt = tokenize(src, v.start, v.end)
            if _is_numbering(vt):
                j += 1
                continue
            if is_row_line(vt):
                rows.append(Piece(v.start, v.end, v.no, vt))
                j += 1
                continue
            if _FURNITURE.fullmatch(text) or (_UNIT_LINE.search(text) and len(text) <= 40):
                j += 1
                continue
            if rows and ((is_header_line(cat, text) and not is_fragment(vt)) or text in above):
                break  # a header repeated on the next page: the next part starts there
            if is_fragment(vt) and len(text) <= 40 and not _CLAUSE.search(text):
                skip = _text_cell_lines(src, cat, units, j, rows, above)
                if skip >= 2 and any(isinstance(w, Line) and _CLAUSE.search(w.text) for w in units[j + 1 : j + skip]):
                    j += skip  # the first line of a text cell, not a piece of a label
                    continue
                rows.append(Piece(v.start, v.end, v.no, vt))
                j += 1
                continue
            skip = _text_cell_lines(src, cat, units, j, rows, above)
            if skip:
                j += skip  # a text cell (绩效目标 ...) wrapped over lines between two rows
                continue
            break
        # a row's code and the start of its wrapped label printed on the lines above the run
        k = len(out)
        while k > 0 and len(rows) < 400 and isinstance(out[k - 1], Line):
            prev = out[k - 1]
            pt = tokenize(src, prev.start, prev.end)
            if not (is_fragment(pt) and pt[0].kind == "code") or k < len(out) - 2:
                break
            rows.insert(0, Piece(prev.start, prev.end, prev.no, pt))
            k -= 1
        if k == len(out) and heads:
            k -= empty_rows_above(src, out, k, heads)
            for v in out[k : len(out)][::-1]:
                rows.insert(0, Piece(v.start, v.end, v.no, tokenize(src, v.start, v.end)))
        if k == len(out):
            # the first row's name wrapped over lines above its figures, its first line indented
            m = _wrapped_head_above(src, cat, out, k)
            for v in out[k - m : k][::-1]:
                rows.insert(0, Piece(v.start, v.end, v.no, tokenize(src, v.start, v.end)))
            k -= m
        if k == len(out) and rows and not any(t.kind in ("label", "code") for t in rows[0].tokens):
            # a first row of figures only under a label printed vertically, one character a line
            # (a narrow cell): those lines are the row's label, not the header's
            m = _vertical_above(out, k)
            for v in out[k - m : k][::-1]:
                rows.insert(0, Piece(v.start, v.end, v.no, tokenize(src, v.start, v.end)))
            k -= m
        del out[k:]
        k = len(out)
        # the header lines above the run
        head: list[tuple[str, int, int]] = []
        title_kind: str | None = None
        while k > 0 and len(head) < _HEAD_LINES:
            prev = out[k - 1]
            if prev is None:
                k -= 1
                continue
            if not isinstance(prev, Line):
                break
            t = prev.text
            title = cat.match_title(t)
            if title is not None:
                title_kind = title.kind
                break
            if _TABLE_NO.fullmatch(t) or _FURNITURE.fullmatch(t):
                break
            if _UNIT_LINE.search(t) or _OWNER.match(t):
                break
            if not is_header_line(cat, t, strict=False) or _looks_like_row(src, prev.start, prev.end):
                break
            head.insert(0, (t, prev.start, prev.end))
            k -= 1
        if title_kind is None:
            title_kind = _title_above(cat, out[:k])
        grid = _grid_of(src, cat, head, rows, title_kind)
        if grid is None:
            out.append(u)
            i += 1
            continue
        del out[k:]
        out.append(grid)
        heads.update(t for t, _a, _b in head if len(t) >= 4)
        i = j
    return out


def _wrapped_head_above(  # type: ignore[no-untyped-def]
    src: SourceText,
    cat: Catalog,
    out: list,
    k: int,
    low: int = 0,
    after_text: bool = False,  # type: ignore[type-arg]
) -> int:
    """How many lines before ``k`` (up to four, none before ``low``) are a name wrapped over lines
    above its figures: label pieces with no clause punctuation, the first indented with full-width
    spaces and no header text -- or, ``after_text`` (they follow a text cell), the first after a
    line that ends the text's sentence; 0 if none."""
    for m in range(1, min(4, k - low) + 1):
        v = out[k - m]
        if not isinstance(v, Line) or len(v.text) > 40 or _CLAUSE.search(v.text):
            return 0
        toks = tokenize(src, v.start, v.end)
        if not is_fragment(toks):
            return 0
        if toks[0].indent > 0 and "\u3000" in src.text[v.start : toks[0].start] and not is_header_line(cat, v.text):
            return m
        before = out[k - m - 1] if k - m - 1 >= low else None
        if after_text and isinstance(before, Line) and before.text.rstrip().endswith(("。", "；", "！", "？")):
            return m
    return 0


def _vertical_above(out: list, k: int) -> int:  # type: ignore[type-arg]
    """How many lines before ``k`` hold one CJK character each (text printed vertically): three
    or more, else 0."""
    m = 0
    while m < k and isinstance(out[k - 1 - m], Line) and _ONE_CJK.fullmatch(out[k - 1 - m].text):
        m += 1
    return m if m >= 3 else 0


_ONE_CJK = re.compile(r"[\u3400-\u9fff]")


def _header_above(src: SourceText, cat: Catalog, out: list) -> set[str]:  # type: ignore[type-arg]
    """The texts of the lines just above a run of rows, up to its title, unit or owner line: the
    table's header as printed (printed again further down, it starts the table's next page).
    Its short pieces (算, 金: a wrapped word's last characters) are left out: a row's wrapped
    label may print the same."""
    found: set[str] = set()
    for v in reversed(out[-16:]):
        if v is None:
            continue
        if not isinstance(v, Line):
            break
        t = v.text
        if cat.match_title(t) is not None or _TABLE_NO.fullmatch(t) or _FURNITURE.fullmatch(t):
            break
        if _UNIT_LINE.search(t) or _OWNER.match(t) or _looks_like_row(src, v.start, v.end):
            break
        if len(t) >= 4 and not _CLAUSE.search(t):
            found.add(t)
    return found


def _split_form_feeds(src: SourceText, units: list, line_type: type, cat: Catalog | None = None) -> list:  # type: ignore[type-arg]
    """A form feed inside a line (pypdf and pdfium write the next page straight after the last
    cell) ends the line there: each page's first line is a line of its own.  So does a sentence
    end followed by a table's title (``…结转结余情况。一般公共预算财政拨款支出决算表``)."""
    out = []
    for u in units:
        if not isinstance(u, line_type):
            out.append(u)
            continue
        a, b, no = u.start, u.end, u.no  # type: ignore[attr-defined]
        cuts = [i for i in range(a + 1, b) if src.text[i] == "\f"]
        pieces = [(x + (1 if x > a else 0), y) for x, y in zip([a, *cuts], [*cuts, b], strict=True)]
        if not cuts and cat is not None:
            end = src.text.rfind("。", a, b)
            tail = src.folded[end + 1 : b].strip() if end >= 0 else ""
            if tail and cat.match_title(tail) is not None:
                pieces = [(a, end + 1), (end + 1, b)]
        if len(pieces) == 1:
            out.append(u)
            continue
        for x, y in pieces:
            text = src.folded[x:y].strip()
            if text:
                out.append(line_type(x, y, no, text))
    return out


def _text_cell_lines(
    src: SourceText,
    cat: Catalog,
    units: list,
    j: int,
    rows: list[Piece],
    header: set[str],  # type: ignore[type-arg]
) -> int:
    """How many lines from ``j`` on are a long text cell printed between two rows of a table
    (a project's 绩效目标 wrapped over lines): lines without figures, followed within sixteen
    lines by a row that prints as many amounts as the rows before it, or ended by the page (its
    number, or the table's ``header`` printed again); 0 when they are not."""
    widths = [sum(1 for t in p.tokens if t.kind == "amount") for p in rows]
    width = max(widths, default=0)
    if width < 2:
        return 0
    for k in range(j, min(j + 16, len(units))):
        v = units[k]
        if v is None:
            continue
        if not isinstance(v, Line) or cat.match_title(v.text) is not None or _NOTE.match(v.text):
            return 0
        if _OWNER.match(v.text) or (_UNIT_LINE.search(v.text) and len(v.text) <= 40) or _TABLE_NO.fullmatch(v.text):
            return 0  # the next table's owner, unit or number line: no text cell runs past it
        if k > j + 1 and (v.text in header or _FURNITURE.fullmatch(v.text)):
            return k - j if any(_CLAUSE.search(w.text) for w in units[j:k] if isinstance(w, Line)) else 0
        toks = tokenize(src, v.start, v.end)
        if any(t.kind == "amount" and ("." in t.text or "," in t.text) for t in toks):
            if k > j and is_row_line(toks) and sum(1 for t in toks if t.kind == "amount") == width:
                return k - j - _wrapped_head_above(src, cat, units, k, j + 1, after_text=True)
            return 0
    return 0


def _looks_like_row(src: SourceText, a: int, b: int) -> bool:
    """A line above a table's first row that is a row itself, not header: it holds an amount, or
    starts with a numbered label (二、外交支出) or a code."""
    toks = tokenize(src, a, b)
    if not toks or _is_numbering(toks):
        return False
    if toks[0].kind == "code" or (toks[0].kind == "label" and numbering_of(toks[0].text) is not None):
        return True
    return any(t.kind == "amount" and ("." in t.text or "," in t.text) for t in toks)


def _starts_run(tokens: list[Token]) -> bool:
    """A row line that can open a table: a label or code, and an amount that is a money figure
    (decimals or thousands separators) or several amounts (a page number or a year is not)."""
    amounts = [t.text for t in tokens if t.kind == "amount"]
    if not any(t.kind in ("label", "code") for t in tokens):
        # a row whose label is not printed (a one-row table: the "三公" figures under their header)
        return sum(1 for a in amounts if "." in a) >= 2
    return len(amounts) >= 2 or any("." in a or "," in a for a in amounts)


_ONE_DECIMAL = re.compile(r"-?[\d,]*\.\d")


def _code_not_page(src: SourceText, units: list, j: int, rows: list[Piece]) -> bool:  # type: ignore[type-arg]
    """A lone three-digit line between a complete row and a wrapped name, away from a page's edge
    (no form feed next to it): a department code (``112``) in a narrow cell, not a page number."""
    v = units[j]
    if not (v.text.isdigit() and len(v.text) == 3) or not rows:
        return False
    if "\f" in src.text[max(0, v.start - 1) : v.end + 1]:
        return False
    nxt = next((u for u in units[j + 1 : j + 2] if isinstance(u, Line)), None)
    if nxt is None:
        return False
    nt = tokenize(src, nxt.start, nxt.end)
    return any(t.kind == "amount" for t in rows[-1].tokens) and is_fragment(nt) and nt[0].kind == "label"


def _split_tail(src: SourceText, prev: Piece, v: Line) -> bool:
    """A lone digit under a figure one decimal short (pdfium wraps ``1682.7`` / ``6`` in a narrow
    cell): the figure's last digit, not a page number -- a page number sits at a page's edge, next
    to a form feed.  ``join_split_amounts`` puts the figure back together, with a repair."""
    last = prev.tokens[-1] if prev.tokens else None
    if last is None or last.kind != "amount" or not _ONE_DECIMAL.fullmatch(last.text):
        return False
    if not (v.text.isdigit() and len(v.text) == 1):
        return False
    edge = src.text[max(0, v.start - 1) : v.end + 1]
    return "\f" not in edge


def _title_above(cat: Catalog, units: list) -> str | None:  # type: ignore[type-arg]
    """The kind of the title a few short lines above a table's header (unit, owner and table
    number lines between), if any."""
    for u in reversed(units[-4:]):
        text = getattr(u, "text", None)
        if text is None:
            continue
        found = cat.match_title(text)
        if found is not None:
            return found.kind
        if len(text) > 60:
            return None
    return None


def _grid_of(
    src: SourceText, cat: Catalog, head: list[tuple[str, int, int]], pieces: list[Piece], title_kind: str | None
) -> Grid | None:
    with reading_kind(title_kind):  # aliases a profile limits to some kinds answer for the title's kind
        return _grid_of_kind(src, cat, head, pieces, title_kind)


def _grid_of_kind(
    src: SourceText, cat: Catalog, head: list[tuple[str, int, int]], pieces: list[Piece], title_kind: str | None
) -> Grid | None:
    rows = rows_of(pieces, cat)
    if not rows or (sum(1 for r in rows if r.amounts) < 2 and not head):
        return None
    repairs = join_split_amounts(rows)
    repairs += unglue_page_numbers(src, rows)
    numbered = 0
    kept = []
    for t, a, b in head:
        n = _numbering_width(src, a, b)
        if n:
            numbered = n
        else:
            kept.append((t, a, b))
    head = kept
    header_text = " ".join(t for t, _a, _b in head)
    labels = header_labels(cat, header_text)
    if any((sp := label_spec(cat, lab, "classified")) is not None and sp.role == "line_no" for lab in labels):
        rows = drop_line_numbers(rows)
    two_sided = two_sided_rows(cat, labels, rows)
    layout = "two_sided" if two_sided else "classified"
    kind = title_kind or cat.match_signature(labels)
    if two_sided:
        width = max((len(g[2]) for r in rows for g in r.groups), default=0)
        full = []
        uneven = uneven_sides(cat, layout, labels, rows)
        if uneven is not None:
            n_in = uneven.labels.count("")
            return build_grid(src, cat, layout, head, uneven, rows, two_sided=True, income_width=n_in)
        plan = plan_header(cat, layout, None, labels, width, full)
        vals = plan.values[:width] if plan.values else [None] * width
        plan = HeaderPlan(["项目"], vals + vals, plan.keys[:width] * 2, plan.notes)
        return build_grid(src, cat, layout, head, plan, rows, two_sided=True)
    rows = one_sided(rows, sum(1 for lab in labels if is_code_label(cat, lab, layout)) >= 2)
    labels = one_block(cat, layout, labels)
    if kind is not None and cat.layout_of(kind) in ("project", "procurement", "three_public"):
        layout = cat.layout_of(kind)
    width = max(len(r.amounts) for r in rows)
    if numbered and numbered >= width:
        width = numbered  # the header's column numbers (栏次 1 2 3 ...) count the value columns
    if width == 0:
        return None
    full = [[a.text for a in r.amounts] for r in rows if len(r.amounts) == width]
    plan = plan_header(cat, layout, kind, labels, width, full)
    if _DEBUG:
        print("PLAN", kind, width, labels, plan.keys, full[:1], file=sys.stderr)
    if not any((sp := label_spec(cat, lab, layout)) is not None and sp.role == "name" for lab in plan.labels):
        # the rows' labels need a name column (a header whose only label column is 项目类别 ...)
        plan.labels = [*plan.labels, "项目名称" if layout == "project" else "科目名称"]
    if any(r.code for r in rows) and len(plan.labels) == 1:
        # one label column printed over rows that carry codes: code and name are two columns
        plan.labels = ["科目编码", "科目名称"]
    elif any(r.code for r in rows) and not any(is_code_label(cat, lab, layout) for lab in plan.labels):
        plan.labels = ["科目编码", *plan.labels]
        if len(plan.labels) == 2 and label_spec(cat, plan.labels[1], layout) is None:
            plan.labels[1] = "科目名称"
    grid = build_grid(src, cat, layout, head, plan, rows)
    grid.extra["repairs"] = repairs
    return grid
