"""The grid of a table read from PDF-library text, and the figure repairs such text needs.

:func:`build_grid` lays a table's rows out under its rebuilt header: the label columns, then the
amounts from the left (a row printing fewer amounts than the table has columns is ``packed``:
the tables stage places them by arithmetic).  :func:`join_split_amounts` puts back a figure a
narrow cell wrapped (``1682.7 6``); :func:`unglue_page_numbers` cuts a page number glued onto a
page's last figure (``5.5116``).  Each repair keeps what was printed.

Comes in: :class:`~.pdftext_tokens.TextRow` rows and a :class:`~.pdftext_header.HeaderPlan`.
Goes out: a :class:`~.grid.Grid` of format ``"pdftext"``.  May import: ``catalog``, ``grid``,
``normalize`` and the two pdftext modules below it.
"""

from __future__ import annotations

import os
import re
from collections import Counter

from ..catalog import Catalog
from .grid import Cell, Grid, GridRow
from .normalize import SourceText
from .pdftext_header import HeaderPlan
from .pdftext_labels import is_code_label, label_spec
from .pdftext_tokens import TextRow, Token

# ------------------------------------------------------------------------------- grid


def make_cell(src: SourceText, t: Token | None, at: int) -> Cell:
    if t is None:
        return Cell("", "", at, at)
    return Cell(t.text, src.text[t.start : t.end] if t.kind != "label" else t.text, t.start, t.end)


def build_grid(
    src: SourceText,
    cat: Catalog,
    layout: str,
    header: list[tuple[str, int, int]],
    plan: HeaderPlan,
    rows: list[TextRow],
    two_sided: bool = False,
    income_width: int | None = None,
) -> Grid:
    """The grid of a table: one header row of the planned labels, then its rows (label columns,
    then amounts from the left; rows with fewer amounts than columns are ``packed``)."""
    hs = header[0][1] if header else (rows[0].start if rows else 0)
    he = header[-1][2] if header else hs
    head_line = src.line_of(hs)
    grid_rows: list[GridRow] = []
    packed: set[int] = set()
    if not header and not any(plan.keys):
        pass  # a table continued on a page with no header: its rows follow the first part's header
    elif two_sided:
        nv = len(plan.values) // 2 if income_width is None else income_width
        side_cells = []
        for side, n in (("收入", nv), ("支出", len(plan.values) - nv)):
            side_cells.append(Cell(side, side, hs, he))
            side_cells.extend(Cell("", "", he, he) for _ in range(n))
        grid_rows.append(GridRow(side_cells, head_line, hs, he))
        labs = ["项目", *[v or "" for v in plan.values[:nv]], "项目", *[v or "" for v in plan.values[nv:]]]
        grid_rows.append(GridRow([Cell(x, x, hs, he) for x in labs], head_line, hs, he))
    else:
        labs = [*plan.labels, *[_label_for(cat, layout, v, k) for v, k in zip(plan.values, plan.keys, strict=True)]]
        grid_rows.append(GridRow([Cell(x, x, hs, he) for x in labs], head_line, hs, he))
    nlab = len(plan.labels)
    nval = len(plan.values)
    code_at = next((i for i, lab in enumerate(plan.labels) if is_code_label(cat, lab, layout)), None)
    name_at = next(
        (
            i
            for i, lab in enumerate(plan.labels)
            if (sp := label_spec(cat, lab, layout)) is not None and sp.role == "name"
        ),
        0 if code_at != 0 or len(plan.labels) < 2 else 1,
    )
    # a project table's unit column printed just before the name (单位名称 | 项目名称)
    text_at = (
        name_at - 1
        if layout == "project"
        and name_at >= 1
        and (sp := label_spec(cat, plan.labels[name_at - 1], layout)) is not None
        and sp.role == "text"
        else None
    )
    # ... or a unit column printed after it (项目名称 | 项目单位): its last word where that word
    # repeats over rows (one unit's projects), not a piece of one name
    after_at = (
        name_at + 1
        if layout == "project"
        and name_at + 1 < len(plan.labels)
        and (sp := label_spec(cat, plan.labels[name_at + 1], layout)) is not None
        and sp.role == "text"
        else None
    )
    # ... and a category column before the name (类型 | 项目名称 | 项目单位): the words of the row's label
    # split where the category and the unit repeat over rows
    cat_at = (
        name_at - 1
        if layout == "project"
        and name_at >= 1
        and (sp := label_spec(cat, plan.labels[name_at - 1], layout)) is not None
        and sp.role == "category"
        else None
    )
    splits = _project_splits(cat, src, rows, after_at is not None) if cat_at is not None else {}
    tails: dict[int, tuple[Token, Token]] = {}
    if after_at is not None:
        cuts = {id(r): c for r in rows if r.label is not None and r.aside is None and (c := _last_word(src, r.label))}
        seen = [c[1].text for c in cuts.values()]
        tails = {k: c for k, c in cuts.items() if len(c[1].text) >= 2 and seen.count(c[1].text) >= 2}
    last_no: list[tuple[str, int] | None] = [None, None]
    for r in rows:
        cells: list[Cell] = []
        if two_sided:
            nv_in = nval // 2 if income_width is None else income_width
            sides: list[tuple[Token | None, Token | None, list[Token]] | None] = [None, None]
            groups = r.groups or [(r.code, r.label, r.amounts)]
            if len(groups) >= 2:
                sides = [groups[0], groups[1]]
            else:
                sides[_numbered_side(last_no, groups[0][1])] = groups[0]
            for k, g in enumerate(sides):
                if g is not None and (no := _ordinal(g[1])) is not None:
                    last_no[k] = no
            for g, nv in zip(sides, (nv_in, nval - nv_in), strict=True):
                if g is None:
                    cells.append(Cell("", "", r.end, r.end))
                    cells.extend(Cell("", "", r.end, r.end) for _ in range(nv))
                    continue
                _code, lab, amts = g
                cells.append(make_cell(src, lab, r.start))
                for i in range(nv):
                    cells.append(make_cell(src, amts[i] if i < len(amts) else None, r.end))
                if len(amts) < nv:
                    packed.add(-1)
        else:
            lead = [Cell("", "", r.start, r.start) for _ in range(nlab)]
            if nlab:
                if code_at is not None and r.code is not None:
                    lead[code_at] = make_cell(src, r.code, r.start)
                    if r.label is not None:
                        lead[name_at] = make_cell(src, r.label, r.start)
                elif r.code is not None and r.label is not None:
                    joined = Token("label", r.code.text + " " + r.label.text, r.code.start, r.label.end)
                    lead[name_at] = make_cell(src, joined, r.start)
                elif text_at is not None and r.label is not None and (cut := _last_word(src, r.label)) is not None:
                    # a text cell (单位名称) printed before the name: the name is the last word
                    lead[text_at] = make_cell(src, cut[0], r.start)
                    lead[name_at] = make_cell(src, cut[1], r.start)
                elif cat_at is not None and id(r) in splits:
                    category, name, unit = splits[id(r)]
                    lead[cat_at] = make_cell(src, category, r.start)
                    lead[name_at] = make_cell(src, name, r.start)
                    if after_at is not None:
                        lead[after_at] = make_cell(src, unit, r.start)
                elif after_at is not None and id(r) in tails:
                    lead[name_at] = make_cell(src, tails[id(r)][0], r.start)
                    lead[after_at] = make_cell(src, tails[id(r)][1], r.start)
                else:
                    lead[name_at] = make_cell(src, r.label or r.code, r.start)
                if r.aside is not None:
                    # a second label cell: the label column after the name's, else the name's
                    if name_at + 1 < nlab and not lead[name_at + 1].text:
                        lead[name_at + 1] = make_cell(src, r.aside, r.start)
                    else:
                        base = lead[name_at]
                        lead[name_at] = Cell(base.text + r.aside.text, base.raw + r.aside.text, base.start, r.aside.end)
            if r.more and code_at is not None:
                _second_pair(cat, layout, plan.labels, code_at, r, lead, src)
            cells.extend(lead)
            amts = r.amounts
            for i in range(nval):
                cells.append(make_cell(src, amts[i] if i < len(amts) else None, r.end))
            if len(amts) < nval:
                packed.add(-1)
        grid_rows.append(GridRow(cells, r.line, r.start, r.end))
        if -1 in packed:
            packed.discard(-1)
            packed.add(id(grid_rows[-1]))
    start = hs if header else (rows[0].start if rows else 0)
    end = rows[-1].end if rows else he
    grid = Grid(grid_rows, "pdftext", start, end, src.line_of(start), src.line_of(max(start, end - 1)))
    grid.extra["packed"] = frozenset(packed)
    grid.extra["header_rows"] = 2 if two_sided else 1
    if not two_sided and header and any(plan.keys):
        grid.extra["keys"] = list(plan.keys)  # the columns as planned, not as a re-reading names them
    grid.extra["notes"] = list(plan.notes)
    return grid


def _project_splits(
    cat: Catalog, src: SourceText, rows: list[TextRow], unit_after: bool
) -> dict[int, tuple[Token | None, Token, Token | None]]:
    """Project rows printed ``类型 项目名称 项目单位`` as one label: (category, name, unit) by the
    label's printed words -- the longest run of first words that is a word the catalog knows
    (其他运转类, itself maybe wrapped: "特定目 / 标类"), the
    longest run of last words that repeats (a unit's name, itself maybe wrapped: "登封市政务服务和大
    数据管理局"), the name between.  Rows with a code (the unit's own rows) and rows whose words do
    not rebuild their label are left out."""
    words: dict[int, list[tuple[str, int, int]]] = {}
    for r in rows:
        if r.label is None or r.code is not None or r.aside is not None:
            continue
        printed = src.folded[r.label.start : r.label.end]
        ws = [(m.group(), r.label.start + m.start(), r.label.start + m.end()) for m in re.finditer(r"\S+", printed)]
        if len(ws) >= 2 and "".join(w for w, _a, _b in ws) == r.label.text.replace(" ", ""):
            words[id(r)] = ws
    ends = Counter("".join(w for w, _a, _b in ws[-k:]) for ws in words.values() for k in range(1, len(ws)))
    out: dict[int, tuple[Token | None, Token, Token | None]] = {}
    for key, ws in words.items():
        head = max((k for k in range(1, len(ws)) if cat.labels.get(cat.norm("".join(w for w, _a, _b in ws[:k])))),
                   default=0)  # fmt: skip
        tail = 0
        for k in range(1, len(ws) - head) if unit_after else ():
            if ends["".join(w for w, _a, _b in ws[-k:])] >= 2:
                tail = k
        if not head and not tail:
            continue
        mid = ws[head : len(ws) - tail]
        out[key] = (_joined(ws[:head]), _joined(mid), _joined(ws[len(ws) - tail :]))  # type: ignore[assignment]
    return out


def _joined(ws: list[tuple[str, int, int]]) -> Token | None:
    return Token("label", "".join(w for w, _a, _b in ws), ws[0][1], ws[-1][2]) if ws else None


def _last_word(src: SourceText, label: Token) -> tuple[Token, Token] | None:
    """A label as (what precedes its last printed word, that word) -- two cells printed with a
    space between them -- or ``None`` when it was printed as one word."""
    printed = src.folded[label.start : label.end]
    cut = max(printed.rfind(" "), printed.rfind("\u3000"), printed.rfind("\n"))
    tail = printed[cut + 1 :].strip()
    head = printed[:cut].strip()
    if cut < 0 or not tail or not head or not label.text.endswith(tail):
        return None
    head_text = label.text[: len(label.text) - len(tail)]
    return (
        Token("label", head_text, label.start, label.start + cut),
        Token("label", tail, label.start + cut + 1, label.end),
    )


def _second_pair(
    cat: Catalog, layout: str, labels: list[str], code_at: int, r: TextRow, lead: list[Cell], src: SourceText
) -> None:
    """A row's second code and name into the header's second code column and the column after it."""
    at = next((i for i in range(code_at + 1, len(labels)) if is_code_label(cat, labels[i], layout)), None)
    if at is None:
        return
    for k, tok in enumerate(r.more[:2]):
        if at + k < len(lead):
            lead[at + k] = make_cell(src, tok, r.start)


_DEBUG = bool(os.environ.get("FISCAL_DEBUG_PDFTEXT"))


UNNAMED = "(未命名栏)"
"""The header text of a value column no header label names (its figures are reported unmapped)."""


def _label_for(cat: Catalog, layout: str, printed: str | None, key: str | None) -> str:
    """The header text of a value column: as printed where the catalog reads it as the planned
    key, else the catalog's own label for that key (the plan, not a re-reading, names it)."""
    if key is None:
        # no label names it: it must not take the label to its left
        return printed if printed is not None else UNNAMED
    spec = label_spec(cat, printed, layout) if printed is not None else None
    if printed is not None and spec is not None and spec.role == "value" and spec.key == key:
        return printed
    for specs in cat.labels.values():
        for sp in specs:
            if sp.role == "value" and sp.key == key and (sp.layouts is None or layout in sp.layouts):
                return sp.label
    return printed if printed is not None else UNNAMED


_EXPENDITURE_WORDS = ("支出", "结转下年", "年末结转", "结余")


_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}
_ORDINAL = re.compile(r"^\s*(?:([一二三四五六七八九十]+)、|[(（]([一二三四五六七八九十]+)[)）]|(\d+)[.、．])")


def _ordinal(label: Token | None) -> tuple[str, int] | None:
    """A numbered label's numbering style (``一、``, ``(一)``, ``1.``) and its number."""
    m = _ORDINAL.match(label.text) if label is not None else None
    if m is None:
        return None
    if m.group(3):
        return ".", int(m.group(3))
    word = m.group(1) or m.group(2)
    tens, _sep, units = word.rpartition("十")
    if "十" in word:
        n = (_CN_DIGITS.get(tens, 0) if tens else 1) * 10 + (_CN_DIGITS.get(units, 0) if units else 0)
    elif len(word) == 1:
        n = _CN_DIGITS[word]
    else:
        return None
    return ("、" if m.group(1) else "()"), n


def _numbered_side(last: list[tuple[str, int] | None], label: Token | None) -> int:
    """The side of a two-sided table a lone (label, amounts) group is on: the side whose numbering
    it continues (十一、 after the expenditure side's 十、 while the income side ended at 九、),
    where one side's does more closely; else by its words."""
    no = _ordinal(label)
    if no is not None:
        gaps = [no[1] - s[1] if s is not None and s[0] == no[0] and no[1] > s[1] else None for s in last]
        if gaps[0] is not None and (gaps[1] is None or gaps[0] < gaps[1]):
            return 0
        if gaps[1] is not None and (gaps[0] is None or gaps[1] < gaps[0]):
            return 1
    return _side_of(label)


def _side_of(label: Token | None) -> int:
    """Which side of a two-sided table a lone (label, amounts) group is printed on."""
    if label is None:
        return 1
    t = label.text
    if "收入" in t or "上年结转" in t or "年初结转" in t or ("预算" in t and "支出" not in t):
        return 0
    return 1 if any(w in t for w in _EXPENDITURE_WORDS) else 0


def _decimals(text: str) -> int | None:
    return len(text) - text.index(".") - 1 if "." in text else None


def join_split_amounts(rows: list[TextRow]) -> list[tuple[int, int, str, str, str]]:
    """Put back figures a narrow cell wrapped: ``1682.7 6`` is 1682.76 where the table prints two
    decimals -- a figure one decimal short followed by a lone digit (a figure split at a page edge
    keeps its provenance: the repair says what was printed).  Returns the repairs as
    ``(start, end, printed, read, reason)``."""
    decs: dict[int, int] = {}
    for r in rows:
        for g in r.groups or [(r.code, r.label, r.amounts)]:
            for a in g[2]:
                d = _decimals(a.text)
                if d is not None:
                    decs[d] = decs.get(d, 0) + 1
    if not decs:
        return []
    want = max(decs, key=lambda d: decs[d])
    if want < 1:
        return []
    repairs: list[tuple[int, int, str, str, str]] = []

    def join(amts: list[Token]) -> list[Token]:
        out: list[Token] = []
        i = 0
        while i < len(amts):
            a = amts[i]
            nxt = amts[i + 1] if i + 1 < len(amts) else None
            if (
                nxt is not None
                and a.kind == nxt.kind == "amount"
                and _decimals(a.text) == want - 1
                and nxt.text.isdigit()
                and len(nxt.text) == 1
            ):
                joined = Token("amount", a.text + nxt.text, a.start, nxt.end)
                repairs.append(
                    (a.start, nxt.end, f"{a.text} {nxt.text}", joined.text, "figure split by a space rejoined")
                )
                out.append(joined)
                i += 2
                continue
            out.append(a)
            i += 1
        return out

    for r in rows:
        r.amounts = join(r.amounts)
        r.groups = [(c, lab, join(amts)) for c, lab, amts in r.groups]
    return repairs


def unglue_page_numbers(src: SourceText, rows: list[TextRow]) -> list[tuple[int, int, str, str, str]]:
    """A page number glued onto the last cell of a page (``5.5116`` on page 16 is 5.51): the last
    figure of a line that ends the page, printed with more decimals than the table's figures,
    loses the extra digits, and the repair says so."""
    decs: dict[int, int] = {}
    for r in rows:
        for a in r.amounts:
            d = _decimals(a.text)
            if d is not None:
                decs[d] = decs.get(d, 0) + 1
    if not decs:
        return []
    want = max(decs, key=lambda d: decs[d])
    repairs: list[tuple[int, int, str, str, str]] = []
    for r in rows:
        if not r.amounts:
            continue
        last = r.amounts[-1]
        d = _decimals(last.text)
        after = src.text[last.end : last.end + 3]
        ends_page = "\f" in after or last.end >= len(src.text.rstrip())
        if last.kind == "percent" and not last.text.endswith("%"):
            # a rate with the page number glued on (-5.22%10): only where the line ends a page
            if not ends_page:
                continue
            extra = len(last.text) - last.text.rindex("%") - 1
        elif last.kind == "percent" or d is None or d <= want or want < 1 or not ends_page:
            continue
        else:
            extra = d - want
        if extra > 3:
            continue
        fixed = Token(last.kind, last.text[:-extra], last.start, last.end - extra)
        r.amounts[-1] = fixed
        if r.groups:
            c, lab, amts = r.groups[-1]
            if amts and amts[-1] is last:
                r.groups[-1] = (c, lab, [*amts[:-1], fixed])
        repairs.append(
            (
                last.start,
                last.end,
                last.text,
                fixed.text,
                f"page number {last.text[-extra:]} glued onto the page's last figure removed",
            )
        )
    return repairs
