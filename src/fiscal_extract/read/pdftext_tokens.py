"""Typed tokens of PDF-library text: a line as code, label, amount, percent and empty-mark tokens.

Gap widths mean nothing in such text (cells are separated by one space or by nothing), so a line
is split by what its words are: ``2010501 行政运行 6,453.03`` is a code, a label and an amount;
``301 08`` is one code printed apart; ``16,474.82一、一般公共服务支出`` an amount glued to a label;
``10,737.6910,737.690.000.00`` four glued amounts.  Every token keeps its source offsets.

Comes in: a :class:`~fiscal_extract.normalize.SourceText` and a line's offsets.  Goes out:
:class:`Token` lists and :class:`TextRow` groups.  May import: ``normalize``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..caching import TEXT_CACHE
from .normalize import SourceText

# ------------------------------------------------------------------------------- tokens

_WORD = re.compile(r"[^\s\u3000]+")
_AMOUNT = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_GLUED_AMOUNTS = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d{2}")
_GLUED_CODE = re.compile(r"(-?\d{1,3}(?:,\d{3})+(?:\.\d{2})?)(\d{3}|\d{5}|\d{7})")
"""A formatted figure (thousands separators, no or two decimals) glued to the next row's code:
``10,000302``, ``1,608.512080504`` (1,608.51 and 2080504)."""
_PERCENT = re.compile(r"-?\d+(?:\.\d+)?%")
_PERCENT_PAGE = re.compile(r"-?\d+(?:\.\d+)?%\d{1,3}")
"""A rate with the page number glued on (``-5.22%10``): one token, the page number cut off where
the line ends a page (``pdftext_grid.unglue_page_numbers``)."""
_CODE = re.compile(r"\d{3}|\d{5}|\d{7}|\d{2}")
_SENTENCE = re.compile(r"[。；;，,：:！？、]\s*\S")
_EMPTY_MARK = re.compile(r"[-—–－/／]{1,2}")
_CJK = re.compile(r"[\u3400-\u9fff]")
_YEAR = re.compile(r"(?:19|20)\d\d")
_YEAR_LABEL = re.compile(r"(?:19|20)\d\d\s*年度?")
"""A row named by its year (``2025 年`` under 年度)."""
_OCR_AMOUNT = re.compile(r"-?\d+[,:]\d{2}|-?\d+\.|-?\d+[,.:]\s\d{1,2}")
_CUT_FIGURE = re.compile(r"-?\d+[,.:]")
_PROJECT_CODE = re.compile(r"\d{6,}[A-Z]\d{3,}|\d{12,}")
_LEAD_CODE = re.compile(r"\d{2}|\d{4}|\d{6}|\d{8}|0\d+")
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]+[)）]|\d+[.、．](?!\d))")


@dataclass(slots=True)
class Token:
    kind: str
    """``code``, ``label``, ``amount``, ``percent`` or ``mark`` (an empty-cell mark such as ``-``)."""
    text: str
    start: int
    end: int
    indent: int = 0


def _split_word(word: str, at: int) -> list[Token]:
    """One whitespace-delimited word as tokens: ``16,474.82一、一般公共服务支出`` is an amount and a
    label; ``10,737.6910,737.690.000.00`` four amounts."""
    glued = _GLUED_CODE.fullmatch(word)
    if _AMOUNT.fullmatch(word) and (glued is None or "." not in word):
        return [Token("amount", word, at, at + len(word))]
    if glued:
        # a whole figure with thousands separators glued to the next row's code ("10,000302")
        cut = glued.end(1)
        return [Token("amount", word[:cut], at, at + cut), Token("amount", word[cut:], at + cut, at + len(word))]
    if _PERCENT.fullmatch(word) or _PERCENT_PAGE.fullmatch(word):
        return [Token("percent", word, at, at + len(word))]
    if _EMPTY_MARK.fullmatch(word):
        return [Token("mark", word, at, at + len(word))]
    if _OCR_AMOUNT.fullmatch(word):
        # a figure as OCR prints it: a comma or colon for the decimal point (0,00), the point
        # ending it (0.): an amount, read (and its repair noted) by ``numbers``
        return [Token("amount", word, at, at + len(word))]
    out: list[Token] = []
    pos = 0
    for m in re.finditer(r"-?\d[\d,.]*\.\d+", word):
        if m.start() > pos:
            out.append(Token("label", word[pos : m.start()], at + pos, at + m.start()))
        chunk = m.group(0)
        glued = _GLUED_AMOUNTS.findall(chunk)
        if glued and "".join(glued) == chunk:
            off = m.start()
            for g in glued:
                out.append(Token("amount", g, at + off, at + off + len(g)))
                off += len(g)
        else:
            out.append(Token("amount", chunk, at + m.start(), at + m.end()))
        pos = m.end()
    if pos < len(word):
        out.append(Token("label", word[pos:], at + pos, at + len(word)))
    return out


def tokenize(src: SourceText, a: int, b: int) -> list[Token]:
    """The typed tokens of one line ``[a, b)``: labels spaced out or wrapped are one token.
    (A line is asked about by several passes: its tokens are worked out once.)"""
    return list(_tokenize(src.folded[a:b], a))


@lru_cache(maxsize=TEXT_CACHE)
def _tokenize(line: str, a: int) -> tuple[Token, ...]:
    return tuple(_tokens_of(line, a))


def _words(line: str) -> list[re.Match[str]]:
    """The line's words; a figure OCR printed with a space after its decimal mark (``8, 27``,
    ``3. 47``) is one word -- no cell ends in a comma or a point."""
    words = list(_WORD.finditer(line))
    if not any(_CUT_FIGURE.fullmatch(w.group(0)) for w in words):
        return words
    out: list[re.Match[str]] = []
    k = 0
    while k < len(words):
        w = words[k]
        if k + 1 < len(words) and _CUT_FIGURE.fullmatch(w.group(0)):
            m = _OCR_AMOUNT.fullmatch(line, w.start(), words[k + 1].end())
            if m is not None:
                out.append(m)
                k += 2
                continue
        out.append(w)
        k += 1
    return out


def _tokens_of(line: str, a: int) -> list[Token]:
    indent = len(line) - len(line.lstrip(" \u3000"))
    raw: list[Token] = []
    prev_end = -1
    for m in _words(line):
        words = _split_word(m.group(0), a + m.start())
        wide = prev_end > indent and m.start() - prev_end >= 2
        if words and wide and len(m.group(0)) >= 2 and len(raw[-1].text) >= 2:
            # a word after a wide gap inside the line (indentation: 政府性基金预算 　　科技成果转化与扩散
            # 28.00) starts a cell of its own; spaced-out characters (收  入  总  计) do not
            words[0].indent = 1
        raw.extend(words)
        prev_end = m.end()
    if raw and raw[0].kind == "amount" and raw[0].text.endswith("."):
        raw[0] = Token("label", raw[0].text, raw[0].start, raw[0].end)  # a numbering: "1. 年度目标"
    # a year opening a line before a name is part of the name (a project name wrapped in a
    # narrow cell: "2026 信" / "访专项" / "经费"), unless it is the year's own row (2026 年 ...)
    if (
        len(raw) >= 2
        and raw[0].kind == "amount"
        and _YEAR.fullmatch(raw[0].text)
        and raw[1].kind == "label"
        and _CJK.match(raw[1].text)
        and not raw[1].text.startswith("年")
    ):
        raw[0] = Token("label", raw[0].text, raw[0].start, raw[0].end, raw[0].indent)
    # a leading run of digit words before a label is the row's code ("301 08", "201 03 50")
    out: list[Token] = []
    k = 0
    digits: list[Token] = []
    while k < len(raw) and raw[k].kind == "amount" and raw[k].text.isdigit() and _CODE.fullmatch(raw[k].text):
        digits.append(raw[k])
        k += 1
    if digits and k < len(raw) and raw[k].kind == "label" and _is_code_parts([d.text for d in digits]):
        out.append(Token("code", "".join(d.text for d in digits), digits[0].start, digits[-1].end))
    else:
        k = 0
    # a long digit word glued onto a label ("2010301行政运行") or a lone code on its own line
    if not out and raw and raw[0].kind == "label":
        m = re.match(r"[\[【]?(\d{3}|\d{5}|\d{7})[\]】]?(?=[\u3400-\u9fff])", raw[0].text)
        if m:
            first = raw[0]
            out.append(Token("code", m.group(1), first.start + m.start(1), first.start + m.end(1)))
            raw[0] = Token("label", first.text[m.end() :], first.start + m.end(), first.end)
    if not out and raw and raw[0].kind == "label":
        # a project code glued onto its name (42130322016R000000100基本工资): digits, maybe a
        # letter, digits -- no figure looks so
        m = _PROJECT_CODE.match(raw[0].text)
        whole = m is not None and m.end() == len(raw[0].text) and len(raw) > 1 and raw[1].kind == "label"
        if m and whole:
            out.append(Token("code", m.group(0), raw[0].start, raw[0].end))
            k = 1
        elif m and len(raw[0].text) > m.end() and _CJK.match(raw[0].text[m.end()]):
            first = raw[0]
            out.append(Token("code", m.group(0), first.start, first.start + m.end()))
            raw[0] = Token("label", first.text[m.end() :], first.start + m.end(), first.end)
    if not out and _lead_code(raw):
        # a code of another length (a unit's 016001, a project's 21 digits) opening a row: an
        # integer before the row's name, its figures after it -- a row's figures never precede
        # its name
        out.append(Token("code", raw[0].text, raw[0].start, raw[0].end))
        k = 1
    if not out and len(raw) == 1 and raw[0].kind == "amount" and re.fullmatch(r"\d{5}|\d{7}", raw[0].text):
        return [Token("code", raw[0].text, raw[0].start, raw[0].end, indent)]
    # a code after a row's amounts starts the next row printed on the same line ("… 4816.14 302
    # 商品和服务支出 440.90", "… 0 204 06 司法 300,000"): digits of a code's length, or a code
    # printed apart, between an amount and a label
    j = max(k, 1)
    while j < len(raw) - 1:
        if raw[j - 1].kind not in ("amount", "mark"):
            j += 1
            continue
        end = j
        while (
            end < len(raw) and raw[end].kind == "amount" and raw[end].text.isdigit() and _CODE.fullmatch(raw[end].text)
        ):
            end += 1
        parts = [t.text for t in raw[j:end]]
        if end > j and end < len(raw) and raw[end].kind == "label" and _is_code_parts(parts):
            code = Token("code", "".join(parts), raw[j].start, raw[end - 1].end)
            raw[j:end] = [code]
        j += 1
    # a second code printed apart between two names (301 03 奖金 505 01 工资福利支出: a row
    # classified twice, its figures wrapped onto the lines below)
    if out and out[0].kind == "code":
        j = max(k, 1) + 1
        while j < len(raw) - 2:
            end = j
            while end < len(raw) and raw[end].kind == "amount" and raw[end].text.isdigit():
                end += 1
            parts = [t.text for t in raw[j:end]]
            if (
                raw[j - 1].kind == "label"
                and end - j >= 2
                and end < len(raw)
                and raw[end].kind == "label"
                and _is_code_parts(parts)
            ):
                raw[j:end] = [Token("code", "".join(parts), raw[j].start, raw[end - 1].end)]
            j += 1
    # a year printed apart from its 年 ("2025 年") is one label: the row's year
    for j in range(len(raw) - 2, k - 1, -1):
        a, b = raw[j], raw[j + 1]
        if a.kind == "amount" and b.text in ("年", "年度") and _YEAR_LABEL.fullmatch(a.text + b.text):
            # (marked as a cell of its own: not part of a label printed before it)
            raw[j : j + 2] = [Token("label", a.text + b.text, a.start, b.end, 1)]
    # consecutive label words are one label (a label spaced out or wrapped inside the cell)
    for t in raw[k:]:
        if t.kind == "label" and out and out[-1].kind == "label" and numbering_of(t.text) is None and not t.indent:
            # (a numbered label -- 二、外交支出 -- starts a cell of its own: the other side of a
            # two-sided table, or the next row)
            prev = out[-1]
            out[-1] = Token("label", prev.text + t.text, prev.start, t.end)
        else:
            out.append(t)
    if out:
        out[0].indent = indent
    return out


def _lead_code(raw: list[Token]) -> bool:
    """The line opens with an integer of a code's width (two to eight digits with a leading zero
    or of four, six or eight digits, or twelve and more: a project code), then a name that is no
    numbered label, then figures with decimals: the integer is the row's code."""
    if len(raw) < 3 or raw[0].kind != "amount" or raw[1].kind != "label":
        return False
    word = raw[0].text
    if not word.isdigit() or not (_LEAD_CODE.fullmatch(word) or len(word) >= 12):
        return False
    if not _CJK.search(raw[1].text) or numbering_of(raw[1].text) is not None:
        return False
    if _YEAR_LABEL.match(word + raw[1].text):
        return False  # the year's own row (2026 年 35.10 ...)
    return any(t.kind == "amount" and "." in t.text for t in raw[2:])


def _is_code_parts(parts: list[str]) -> bool:
    joined = "".join(parts)
    if len(parts) == 1:
        return len(joined) in (3, 5, 7)
    return len(parts[0]) == 3 and all(len(p) == 2 for p in parts[1:]) and len(parts) <= 3


# ------------------------------------------------------------------------------- rows


@dataclass
class TextRow:
    """One table row as printed: code, label and the amounts after them (each with offsets)."""

    code: Token | None = None
    label: Token | None = None
    amounts: list[Token] = field(default_factory=list)
    line: int = 0
    start: int = 0
    end: int = 0
    indent: int = 0
    groups: list[tuple[Token | None, Token | None, list[Token]]] = field(default_factory=list)
    """Two-sided tables: each (code, label, amounts) group of the line, left to right."""
    aside: Token | None = None
    """A second label printed after the row's label (a narrow cell's vertical text): the label
    column after the name's, where the header has one."""
    more: list[Token] = field(default_factory=list)
    """A second code and name printed before the amounts (a table classifying each row twice:
    部门预算 and 政府预算 economic classification), for the header's second code / name columns."""


def is_row_line(tokens: list[Token]) -> bool:
    """A line that prints a table row: ends in amounts (or empty marks), and its labels are no
    sentence."""
    if not tokens:
        return False
    if _trailing_text(tokens):
        tokens = tokens[:-1]  # a text cell printed after the row's figures (绩效目标 ...)
    if tokens[-1].kind not in ("amount", "mark", "percent"):
        # a two-sided row whose right-hand cell is empty: amounts, then a numbered label
        last = tokens[-1]
        if not (
            last.kind == "label"
            and numbering_of(last.text) is not None
            and len(tokens) >= 2
            and tokens[-2].kind in ("amount", "mark")
        ):
            return False
    labels = [t for t in tokens if t.kind == "label"]
    if any(_SENTENCE.search(t.text) and len(t.text) > 24 for t in labels):
        return False
    if any("万元" in t.text or "元，" in t.text for t in labels):
        return False
    return sum(1 for t in tokens if t.kind in ("amount", "mark")) >= 1


def _trailing_text(tokens: list[Token]) -> bool:
    """A line that ends in a text cell after three or more money figures (a project's 绩效目标
    printed on the row's line)."""
    if len(tokens) < 5 or tokens[-1].kind != "label" or numbering_of(tokens[-1].text) is not None:
        return False
    run = 0
    for t in reversed(tokens[:-1]):
        if t.kind != "amount" or "." not in t.text:
            break
        run += 1
    return run >= 3 and any(t.kind in ("label", "code") for t in tokens[: -1 - run])


def row_groups(tokens: list[Token]) -> list[tuple[Token | None, Token | None, list[Token]]]:
    """A row line as (code, label, amounts) groups: one for an ordinary table, two where a
    line holds both sides of a two-sided table or two rows (pdfium)."""
    groups: list[tuple[Token | None, Token | None, list[Token]]] = []
    code: Token | None = None
    label: Token | None = None
    amounts: list[Token] = []
    for t in tokens:
        if t.kind in ("code", "label") and amounts:
            groups.append((code, label, amounts))
            code, label, amounts = None, None, []
        elif t.kind == "code" and code is not None and label is not None:
            # a second code and name before the figures: the row classified twice
            groups.append((code, label, amounts))
            code, label, amounts = None, None, []
        if t.kind == "code":
            code = t
        elif t.kind == "label" and label is not None and (numbering_of(t.text) is not None or t.indent):
            groups.append((code, label, amounts))
            code, label, amounts = None, t, []
        elif t.kind == "label":
            label = t if label is None else Token("label", label.text + t.text, label.start, t.end)
        else:
            amounts.append(t)
    if code or label or amounts:
        groups.append((code, label, amounts))
    return groups


def has_cjk(s: str) -> bool:
    return bool(_CJK.search(s))


def numbering_of(s: str) -> str | None:
    m = _NUMBERING.match(s)
    return m.group(0) if m else None
