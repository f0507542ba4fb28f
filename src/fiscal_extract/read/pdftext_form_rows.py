"""The rows of a performance form that are not indicators, and the self-evaluation indicator's tail.

A self-evaluation form (绩效自评表) prints, above its indicator header, labelled blocks of figures
under header lines of their own::

    实施单位 分值 执行率 得分
    年初预算数 全年预算数 全年执行数 分值 执行率 得分 存在问题和改进措施
    (万元) 年度资金总额: 90.9 90.9 0 10 0.0% 0.00
    财政拨款 90.9 90.9 0 - 0.0% -
    情况说明 分值(20) 得分 存在问题和改进措施
    资金管理
    情况 安排科学性 按照部门预算编制和资金管理的要求，…… 5 5

PDF-library text prints each ruled row as one line, cells joined by a space, a merged row label
wrapped onto the lines of the first rows it spans (资金管理 / 情况).  :func:`lead_rows` turns such
lines into grid rows a ruled rendering would give: a header line (mostly the catalog's
performance header labels) as its labels, and each line ending in figures under it as its labels
and figures, a long description kept as one cell; a short label alone on its line is joined to the
next line's first word when together they make a section name (perf.toml ``sections``).  Other
lines (names, goals, contact lines) are left to :func:`~.pdftext_forms._lead_row` or out.

:func:`actual_tail` reads the end of a self-evaluation indicator line -- target, actual value,
the figures (分值, 得分) and what follows them (偏差度 …) -- from the right.  The form's tokens
(:class:`Tok`, :func:`form_tokens`; a page number glued after a page's last cell, ``0.00- 30 -``,
left out) and the split of a weight glued to what follows it live here too.

May import ``grid``, ``fold``, ``line``, ``normalize``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from ..fold import fold
from .grid import Cell, GridRow
from .line import Line
from .normalize import SourceText

_FIGURE = re.compile(r"^(?:[-—–]|-?[\d,]+(?:\.\d+)?%?)$")
"""A figure of a funds or scored row: an amount, a percentage, or a dash for an empty cell."""
_WEIGHT = re.compile(r"^(?:\d{1,3}(?:\.\d)?|[-—–])$")
"""分值 / 得分: a small figure (or a dash)."""
_SCORE_FIGURE = re.compile(r"^(?:\d{1,3}(?:\.\d{1,2})?|[-—–])$")
"""得分: a small figure with up to two decimals (4.75), or a dash."""
_PAREN = re.compile(r"^[(（]\d+[)）]$")
_CJK_SHORT = re.compile(r"^[\u4e00-\u9fff]{1,6}$")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_AMOUNT = re.compile(r"^-?[\d,]+\.\d+$")
"""An amount with its decimals (a bare integer ending a line is too often a count or a year)."""
_SENTENCE = re.compile(r"[，。；;！？]")
_CONTINUES = re.compile(r"^[^\s]{0,12}[、，,；;。]")
"""A line starting inside a sentence (a description's wrapped remnant)."""
_PAGE_NO = re.compile(r"^[-—–]?\s*\d{1,3}\s*[-—–]?$")
_GLUED_PAGE_NO = re.compile(r"(?<=\d)[-—–]\s*\d{1,3}\s*[-—–]\s*$")
_DESCRIPTION = 20
"""A label longer than this is a description: the words after it on its line continue it."""


def _cell(text: str, a: int, b: int) -> Cell:
    t = text.strip()
    return Cell(fold(t), t, a, b) if t else Cell("", "", a, a)


def _words(src: SourceText, ln: Line) -> list[tuple[str, int, int]]:
    """The line's words; a percent sign printed apart from its figure ("52.42 %") joins it."""
    out: list[tuple[str, int, int]] = []
    for w in _raw_words(src, ln):
        if w[0] == "%" and out and re.fullmatch(r"-?[\d,.]+", out[-1][0]):
            out[-1] = (out[-1][0] + "%", out[-1][1], w[2])
        else:
            out.append(w)
    return out


def _raw_words(src: SourceText, ln: Line) -> list[tuple[str, int, int]]:
    return [
        (m.group(), ln.start + m.start(), ln.start + m.end())
        for m in re.finditer(r"[^\s\f]+", src.text[ln.start : ln.end])
    ]


def lead_rows(
    src: SourceText,
    lines: Sequence[Line],
    norm: Callable[[str], str],
    labels: Collection[str],
    sections: Collection[str],
    other: Callable[[Line], GridRow | None],
) -> list[GridRow]:
    """Grid rows of the lines above a form's indicator header (see the module doc).  ``labels``
    are the normalised performance header labels, ``sections`` the normalised section names;
    ``other`` reads a line none of these rules reads (``项目名称 name``, ``label amount``)."""
    rows: list[GridRow] = []
    ordered = sorted(labels, key=len, reverse=True)
    under_header = False
    pending: tuple[str, int, int] | None = None
    carry: list[tuple[str, int, int]] = []
    k = 0
    while k < len(lines):
        ln = lines[k]
        k += 1
        words = _words(src, ln)
        own = other(ln)
        if own is not None:
            rows.append(own)
            pending = None
            continue
        if not words:
            continue
        found = _labels(norm("".join(w for w, _a, _b in words)), ordered)
        if found and len(found) < 2 and len(words) <= 3:
            # a header wrapped over short lines, a label or two a line (pdfium: "情况说" / "明" / "分值" /
            # "(20) 得分 存在问题和改" / "进措施"): the lines read together
            more = k
            while more < len(lines) and more - k < 5 and 0 < len(_words(src, lines[more])) <= 4:
                joined = [*words, *(w for x in lines[k : more + 1] for w in _words(src, x))]
                if any(_FIGURE.match(w) and not _PAREN.match(w) for w, _a, _b in joined):
                    break
                text = norm("".join(w for w, _a, _b in joined))
                if len(_labels(text, ordered)) >= 3 and sum(map(len, _labels(text, ordered))) * 2 >= len(text):
                    words, found, k = joined, _labels(text, ordered), more + 1
                    break
                more += 1
        if len(found) >= 2 and sum(map(len, found)) * 2 >= len(norm("".join(w for w, _a, _b in words))):
            # a header line, its labels maybe wrapped in their cells ("年初预算 数", "得 分")
            a, b = words[0][1], words[-1][2]
            lead = [_cell(*words[0])] if norm(words[0][0]) in sections else []  # "资金管理情况 情况说明 分值 …"
            rows.append(_row([*lead, *(_cell(lbl, a, b) for lbl in found)], ln))
            under_header, pending, carry = True, None, []
            continue
        figs = 0
        while figs < len(words) and _FIGURE.match(words[-1 - figs][0]):
            figs += 1
        if under_header and figs >= 2 and figs < len(words):
            head = words[: len(words) - figs]
            if carry and (len(head) == 1 or _CONTINUES.search(head[0][0])):
                head = carry + head  # a description wrapped onto this line ("…设置绩效目" / "标、开展绩效监控 5 5")
            if pending is not None and norm(pending[0] + head[0][0]) in sections:
                head = [(pending[0] + head[0][0], pending[1], head[0][2]), *head[1:]]
            cells: list[Cell] = []
            for w, a, b in head:
                if cells and len(cells[-1].raw) > _DESCRIPTION:
                    last = cells[-1]
                    cells[-1] = _cell(last.raw + w, last.start, b)  # a description wrapped in its cell
                else:
                    cells.append(_cell(w, a, b))
            cells += [_cell(w, a, b) for w, a, b in words[len(words) - figs :]]
            rows.append(_row(cells, ln))
            pending, carry = None, []
            continue
        sentence = any(_SENTENCE.search(w) for w, _a, _b in words)
        if figs == 1 and len(words) >= 2 and _AMOUNT.match(words[-1][0]) and not sentence:
            # "预算情况 部门预算总额（万元） 524.78", "2、资金结构：（1）基本支出 189.78": a labelled amount
            rows.append(_row([_cell(w, a, b) for w, a, b in words], ln))
            pending, carry = None, []
            continue
        carry = words if under_header and not figs and any(len(w) > _DESCRIPTION for w, _a, _b in words) else []
        pending = words[0] if len(words) == 1 and _CJK_SHORT.match(words[0][0]) else pending if carry else None
    return rows


def _labels(text: str, ordered: Sequence[str]) -> list[str]:
    """The labels ``text`` holds, read greedily from the left (longest label first)."""
    found: list[str] = []
    p = 0
    while p < len(text):
        hit = next((lbl for lbl in ordered if text.startswith(lbl, p)), None)
        if hit is None:
            p += 1
            continue
        found.append(hit)
        p += len(hit)
    return found


def _row(cells: list[Cell], ln: Line) -> GridRow:
    return GridRow(cells, ln.no, cells[0].start, cells[-1].end)


def actual_tail(texts: Sequence[str], figures: int, trailing: int, name_target: bool) -> tuple[int, int] | None:
    """Where the figures start and how many tokens before them are the target, for a line's
    tokens ``texts`` from its target on, under a header with an actual-value column: ``(p, t)``
    -- ``texts[:t]`` the target, ``texts[t:p]`` the actual value, ``texts[p : p + figures]``
    the figures (分值 an integer or one decimal, 得分 up to two), the rest (at most ``trailing``
    tokens) the text columns after them.  ``t`` is 0 when the first token is already the actual
    value and the target was read as part of the name (only when ``name_target``).  Of the splits
    that fit, one whose actual value is no bare small figure (a weight read as the actual) wins,
    then the one with a one-token actual value.  ``None`` when no split fits."""

    def tail_fits(rest: Sequence[str]) -> bool:
        # at most one token a column; the last column (a reason) may hold several words
        return len(rest) <= trailing or (trailing > 0 and all(_CJK.search(x) for x in rest[trailing - 1 :]))

    def figures_fit(xs: Sequence[str]) -> bool:
        return bool(xs) and bool(_WEIGHT.match(xs[0])) and all(_SCORE_FIGURE.match(x) for x in xs[1:])

    fits = [
        p
        for p in range(1 if name_target else 2, len(texts) - figures + 1)
        if figures_fit(texts[p : p + figures]) and tail_fits(texts[p + figures :])
    ]
    if not fits:
        return None
    p = min(fits, key=lambda p: (bool(_WEIGHT.match(texts[p - 1])) and p > 1, p != 2, p))
    return p, p - 1


@dataclass
class Tok:
    text: str
    start: int
    end: int
    line: int
    """The index of the line in the form (tokens of one line share it)."""


def form_tokens(src: SourceText, lines: list[Line]) -> list[Tok]:
    """The tokens of the form's lines; a form feed inside a line starts a new one (the next
    page), and a page number alone on its piece next to a form feed is page furniture, left out
    (a weight alone on its line, as pdfium prints it, is not)."""
    out: list[Tok] = []
    k = 0
    for ln in lines:
        pos = ln.start
        pieces = src.text[ln.start : ln.end].split("\f")
        for p, piece in enumerate(pieces):
            size = len(piece)
            if p < len(pieces) - 1 or src.text[ln.end : ln.end + 1] == "\f":
                glued = _GLUED_PAGE_NO.search(piece)
                piece = (
                    piece[: glued.start()] if glued else piece
                )  # "0.00- 30 -": the page number printed after the cell
            found = [Tok(m.group(), pos + m.start(), pos + m.end(), k) for m in re.finditer(r"\S+", piece)]
            at_edge = (p > 0 or src.text[ln.start - 1 : ln.start] == "\f") or (
                p < len(pieces) - 1 or src.text[ln.end : ln.end + 1] == "\f"
            )
            if not (found and _PAGE_NO.match(piece.strip()) and at_edge):  # "30", "- 56 -"
                out += found
            pos += size + 1
            k += 1
    return out


def before_heading(toks: list[Tok], j: int) -> Tok | None:
    """A weight with the next section's heading glued after it ("10第三部分"): the weight."""
    t = toks[j]
    m = re.match(r"(\d{1,3})(?=[\u4e00-\u9fff])", t.text)
    last = j + 1 >= len(toks) or toks[j + 1].line != t.line
    if m is None or not last:
        return None
    return Tok(m.group(1), t.start, t.start + len(m.group(1)), t.line)


def unglued(text: str, toks: list[Tok], j: int) -> Tok | None:
    """The weight of a page's last line with the page number glued on ("1030": 10 on page 30):
    the only split into a weight of at most 100 and a page number without a leading zero, when a
    form feed follows; else ``None``."""
    t = toks[j]
    last = j + 1 >= len(toks) or toks[j + 1].line != t.line
    nxt = toks[j + 1].start if j + 1 < len(toks) else len(text)
    if not (last and t.text.isdigit() and 3 < len(t.text) <= 6 and "\f" in text[t.end : nxt + 1]):
        return None
    splits = [k for k in range(1, 4) if int(t.text[:k]) <= 100 and t.text[k] != "0"]
    if len(splits) != 1:
        return None
    k = splits[0]
    return Tok(t.text[:k], t.start, t.start + k, t.line)




def list_rows(
    src: SourceText, lines: Sequence[Line], norm: Callable[[str], str], labels: Collection[str]
) -> tuple[list[GridRow], int]:
    """A performance list (项目支出绩效自评汇总表: 序号 | 项目名称 | figures … | 是否… | 评价形式) in PDF
    text: its header (wrapped over lines, labels glued or cut: the catalog's labels read from the
    joined text), then its rows, each starting with its number (1, 2, 3 …) and a name, the name
    up to the first figure -- a row may wrap over lines (pdfium: the number, the name's pieces and
    the figures a line each).  The rows and how many lines they took; ``([], 0)`` when the lines
    are no such list."""
    ordered = sorted(labels, key=len, reverse=True)
    words = [_words(src, ln) for ln in lines]
    first = next((k for k in range(min(30, len(lines))) if _row_start(words, k, 1)), None)
    if not first:
        return [], 0
    head = norm("".join(w for ws in words[:first] for w, _a, _b in ws))
    found = _labels(head, ordered)
    if len(found) < 3 or sum(map(len, found)) * 3 < len(head) * 2:
        return [], 0
    a, b = lines[0].start, lines[first - 1].end
    rows = [GridRow([_cell(lbl, a, b) for lbl in found], lines[0].no, a, b)]
    k, seq = first, 1
    while k < len(lines) and _row_start(words, k, seq):
        toks = list(words[k])
        k += 1
        while k < len(lines) and not _row_start(words, k, seq + 1) and not _has_figure(toks[2:]):
            toks += words[k]  # the row wraps: its name's pieces, then its figures
            k += 1
        text = next((i for i in range(1, len(toks)) if not _FIGURE.match(toks[i][0])), len(toks))
        fig = next((i for i in range(text + 1, len(toks)) if _FIGURE.match(toks[i][0])), len(toks))
        name = ("".join(w for w, _a, _b in toks[1:fig]), toks[1][1], toks[fig - 1][2])
        rows.append(GridRow([_cell(*toks[0]), _cell(*name), *(_cell(*w) for w in toks[fig:])], lines[k - 1].no,
                            toks[0][1], toks[-1][2]))  # fmt: skip
        seq += 1
    return rows, k


def _has_figure(toks: Sequence[tuple[str, int, int]]) -> bool:
    return any(_FIGURE.match(w) for w, _a, _b in toks)


def _row_start(words: Sequence[Sequence[tuple[str, int, int]]], k: int, seq: int) -> bool:
    """Line ``k`` starts list row ``seq``: the number, then a name within the next two words
    (maybe on the next line; a name may start with a year: "2023 大数据律师费")."""
    if not words[k] or words[k][0][0] != str(seq):
        return False
    after = [w for w, _a, _b in words[k][1:]] + [w for w, _a, _b in (words[k + 1] if k + 1 < len(words) else [])]
    return any(not _FIGURE.match(w) for w in after[:2])
