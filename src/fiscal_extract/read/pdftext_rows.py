"""Table rows from the lines of a run in PDF-library text: row lines and the fragments between them.

A lone code or a label fragment joins the row that completes it (a label wrapped over lines, its
figures on the last); a label with no amounts followed by a numbered or coded row is a row of its
own; a line of amounts only is the rest of the row above, or the figures of the label fragments
printed before it; a trailing run of one-character fragments is the next label cell printed
vertically in a narrow column.  One-sided tables split a line holding two rows.

Comes in: the run's lines as typed tokens.  Goes out: :class:`~.pdftext_tokens.TextRow` rows.
May import: ``catalog``, ``line``, ``normalize``, ``pdftext_tokens``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..catalog import Catalog
from .line import Line
from .normalize import SourceText
from .pdftext_tokens import TextRow, Token, is_row_line, numbering_of, row_groups, tokenize


@dataclass
class Piece:
    start: int
    end: int
    line: int
    tokens: list[Token]


def is_fragment(tokens: list[Token]) -> bool:
    """A line holding only a code or a piece of a wrapped label (no amounts)."""
    if bool(tokens) and all(t.kind in ("code", "label") for t in tokens) and len(tokens) <= 2:
        return True
    # a row classified twice, its figures on the lines below: 301 03 奖金 505 01 工资福利支
    return [t.kind for t in tokens] == ["code", "label", "code", "label"]


def rows_of(pieces: list[Piece], cat: Catalog | None = None) -> list[TextRow]:
    """Table rows from row lines and fragments: a lone code or a label fragment joins the row
    that completes it; a label with no amounts followed by a numbered or coded row, or by a
    total / subtotal row (当年收入小计, 收入合计), is a row of its own (a row whose cells are all
    empty)."""
    rows: list[TextRow] = []
    pend: list[Token] = []
    pend_start = pend_line = 0

    def flush_pending() -> None:
        nonlocal pend
        if pend:
            code = next((t for t in pend if t.kind == "code"), None)
            labs = [t for t in pend if t.kind == "label"]
            if len(labs) >= 2 and all(numbering_of(t.text) for t in labs):
                # two numbered labels with no amounts: both sides of a two-sided row, both empty
                groups: list[tuple[Token | None, Token | None, list[Token]]] = [(None, t, []) for t in labs]
                rows.append(TextRow(None, labs[0], [], pend_line, pend_start, pend[-1].end, pend[0].indent, groups))
            else:
                label = Token("label", "".join(t.text for t in labs), labs[0].start, labs[-1].end) if labs else None
                rows.append(TextRow(code, label, [], pend_line, pend_start, pend[-1].end, pend[0].indent))
            pend = []

    for n, p in enumerate(pieces):
        toks = p.tokens
        if not pend and _lone_unit_code(pieces, n):
            toks = [Token("code", toks[0].text, toks[0].start, toks[0].end, toks[0].indent)]
        if is_fragment(toks):
            starts = toks[0].kind == "code" or numbering_of(toks[0].text) is not None
            if pend and starts and not _second_pair(pend, toks):
                flush_pending()
            if not pend:
                pend_start, pend_line = p.start, p.line
            pend.extend(toks)
            continue
        if not pend and rows and all(t.kind in ("amount", "mark", "percent") for t in toks):
            # a line of amounts only: the rest of the row above (pdfium prints a row's figures --
            # even one figure's last digit -- on lines of their own)
            last = rows[-1]
            last.amounts.extend(toks)
            if last.groups:
                c, lab, amts = last.groups[-1]
                last.groups[-1] = (c, lab, [*amts, *toks])
            last.end = p.end
            continue
        groups = row_groups(toks)
        first_code, first_label, first_amts = groups[0]
        if pend:
            has_code = any(t.kind == "code" for t in pend)
            starts_new = first_code is not None or (
                first_label is not None
                and (
                    numbering_of(first_label.text) is not None
                    or (cat is not None and cat.row_label(first_label.text)[0] is not None)
                )
            )
            if starts_new and not (has_code and first_code is None):
                flush_pending()
            else:
                codes = [i for i, t in enumerate(pend) if t.kind == "code"]
                more: list[Token] = []
                if len(codes) == 2 and first_code is None:
                    # a row classified twice: its second code and name, wrapped, are the more
                    tail = [t for t in pend[codes[1] + 1 :] if t.kind == "label"]
                    tail += [first_label] if first_label else []
                    more = [pend[codes[1]]]
                    if tail:
                        more.append(Token("label", "".join(t.text for t in tail), tail[0].start, tail[-1].end))
                    pend, first_label = pend[: codes[1]], None
                code = first_code or next((t for t in pend if t.kind == "code"), None)
                labs = [t for t in pend if t.kind == "label"] + ([first_label] if first_label else [])
                labs, aside = _vertical_tail(labs)
                label = Token("label", "".join(t.text for t in labs), labs[0].start, labs[-1].end) if labs else None
                groups[0] = (code, label, first_amts)
                start, line, indent = pend_start, pend_line, pend[0].indent
                pend = []
                new_rows = _split_groups(groups, line, start, p.end, indent)
                new_rows[0].aside = aside
                new_rows[0].more = more
                rows.extend(new_rows)
                continue
        rows.extend(_split_groups(groups, p.line, p.start, p.end, toks[0].indent))
    flush_pending()
    return rows


def _second_pair(pend: list[Token], toks: list[Token]) -> bool:
    """A code fragment that is the second classification of the pending row (301 99 其他工资福利支
    / 出 / 505 99 其他对事业 / 单位补助 1.6): the pending row has one code and a name, and the new
    code is of another tree (neither extends the other) and of the same width -- a child row's
    code extends its parent's."""
    codes = [t for t in pend if t.kind == "code"]
    if len(codes) != 1 or not any(t.kind == "label" for t in pend) or toks[0].kind != "code":
        return False
    a, b = codes[0].text, toks[0].text
    return len(a) == len(b) and a[:3] != b[:3]


def _vertical_tail(labs: list[Token]) -> tuple[list[Token], Token | None]:
    """A row's label pieces, less a trailing run of three or more one-character pieces after a
    longer one: the next label cell printed vertically in a narrow column (项目单位 长/春/市/...)."""
    n = 0
    while n < len(labs) and len(labs[-1 - n].text) == 1:
        n += 1
    if n < 3 or n == len(labs):
        return labs, None
    tail = labs[-n:]
    return labs[:-n], Token("label", "".join(t.text for t in tail), tail[0].start, tail[-1].end)


def _split_groups(
    groups: list[tuple[Token | None, Token | None, list[Token]]], line: int, start: int, end: int, indent: int
) -> list[TextRow]:
    """One text row per line; its groups are kept for two-sided tables (and split into rows later
    when the table is one-sided and the second group has a code: two rows on one line)."""
    code, label, amts = groups[0]
    row = TextRow(code, label, list(amts), line, start, end, indent, list(groups))
    return [row]


def _lone_code(amts: list[Token]) -> bool:
    """Bare integers of a code's shape: ``50102``, or a code printed apart (``505 01``)."""
    parts = [a.text for a in amts]
    if not parts or not all(p.isdigit() for p in parts):
        return False
    if len(parts) == 1:
        return len(parts[0]) in (3, 5, 7)
    return len(parts) <= 3 and len(parts[0]) == 3 and all(len(p) == 2 for p in parts[1:])


def one_sided(rows: list[TextRow], pairs: bool = False) -> list[TextRow]:
    """Rows of an ordinary table: a line holding two rows (a second code or label after the
    amounts) is two rows; a label glued after the last amounts (the next title) is dropped.
    Under a header with two code columns (``pairs``), a code and name with no amounts followed
    by a second code and name is one row classified twice, not an empty row."""
    out: list[TextRow] = []
    for r in rows:
        if len(r.groups) <= 1:
            out.append(r)
            continue
        (c1, l1, a1), (c2, l2, a2) = r.groups[0], r.groups[1]
        if pairs and c1 is not None and c2 is None and l2 is not None and _lone_code(a1):
            # the second code read as a figure: 30112 其他社会保障缴费 50102 社会保障缴费 0.3 0.3
            c2, a1 = Token("code", "".join(a.text for a in a1), a1[0].start, a1[-1].end), []
        if pairs and not a1 and c1 is not None and c2 is not None:
            more = [t for t in (c2, l2) if t is not None]
            end = (a2[-1] if a2 else more[-1]).end
            out.append(TextRow(c1, l1, list(a2), r.line, r.start, end, r.indent, more=more))
            continue
        first = True
        for code, label, amts in r.groups:
            if not amts and not first:
                continue  # trailing text after the amounts: not this table's
            start = (code or label or amts[0]).start
            end = amts[-1].end if amts else (label or code).end  # type: ignore[union-attr]
            out.append(TextRow(code, label, list(amts), r.line, start if not first else r.start, end, r.indent))
            first = False
    return out


def _lone_unit_code(pieces: list[Piece], n: int) -> bool:
    """A line holding only a department or unit code (``112``, ``112001``) between a complete row
    and the label of the next row wrapped over the lines below (a narrow code cell beside a
    wrapped name): the next row's code, not a figure of the row above -- a row's figures follow
    its label, they never precede the next row's."""
    toks = pieces[n].tokens
    if n == 0 or n + 1 >= len(pieces) or len(toks) != 1 or toks[0].kind != "amount":
        return False
    if not re.fullmatch(r"\d{3}|\d{6}", toks[0].text):
        return False
    prev, nxt = pieces[n - 1].tokens, pieces[n + 1].tokens
    return any(t.kind == "amount" for t in prev) and is_fragment(nxt) and nxt[0].kind == "label"


def empty_rows_above(src: SourceText, out: list, k: int, heads: set[str]) -> int:  # type: ignore[type-arg]
    """How many lines above a run are numbered rows, their cells empty or whole figures (三十一、债务
    还本支出 / 三十二、债务付息支出 0), right under a header printed again: the first rows of a table's
    next page, not text."""
    m = k
    while m > 0 and isinstance(out[m - 1], Line):
        pt = tokenize(src, out[m - 1].start, out[m - 1].end)
        if not (
            (is_fragment(pt) or is_row_line(pt)) and pt[0].kind == "label" and numbering_of(pt[0].text) is not None
        ):
            break
        m -= 1
    if m == k or m == 0 or not isinstance(out[m - 1], Line) or out[m - 1].text not in heads:
        return 0
    return k - m
