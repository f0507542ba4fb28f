"""Split a table that pdfminer glued onto one line into lines of its own.

Some PDFs put a whole table into one text box: pdfminer then prints title, unit, header and every
row on one line with no separator at all --
``…单位：万元预算单位科目编码科目名称支出总计基本支出项目支出深圳市审计局  10,737.699,206.231,531.45201一般…``.
The row order survives (code, name, then the row's amounts), so the line is cut where a row's run
of amounts ends and the next code or label begins; the title, the owner / unit labels, the header
(the longest run of catalog header words) and the notes and page number at the end are cut apart
too.  The pieces are ordinary lines for :mod:`fiscal_extract.pdftext`, whose typed tokens read
glued amounts (``10,737.699,206.23``) one by one.

Only a line with several runs of glued amounts (a figure printed straight after another) is cut:
narrative sentences ("10,737.69万元，较…") never are.

Comes in: the scanned units.  Goes out: the same units with glued table lines cut into lines.
May import: ``normalize``, ``catalog``, ``line``, ``pdftext_labels``.
"""

from __future__ import annotations

import re

from ..catalog import Catalog
from .line import cut_line
from .normalize import SourceText
from .pdftext_labels import _vocabulary, header_labels

_AMOUNT = r"-?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d{2}"
_RUN = re.compile(rf"(?:{_AMOUNT})+")
_GLUED_PAIR = re.compile(rf"{_AMOUNT}(?={_AMOUNT})")
_META = re.compile(r"(?:部门名称|单位名称|预算单位|编制部门|编制单位|金额单位|单位)[:：]")
_UNIT_END = re.compile(r"(?:单位|金额单位)[:：]\s*(?:万元|元|千元)")
_TAIL = re.compile(r"注\s*[:：]|[-—–]\s*\d{1,3}\s*[-—–]\s*$")

_ROW_CODE = re.compile(r"(?<![\d.,])(?:\d{7}|\d{5}|\d{3})(?=[\u4e00-\u9fff])")

MIN_GLUED = 3
"""Figures printed straight after another a line needs to be read as a glued table."""


def unglue(src: SourceText, cat: Catalog, units: list, line_type: type) -> list:  # type: ignore[type-arg]
    out: list = []
    for u in units:
        if isinstance(u, line_type) and len(_GLUED_PAIR.findall(u.text)) >= MIN_GLUED:  # type: ignore[attr-defined]
            out.extend(_cut(src, cat, u, line_type))
        else:
            out.append(u)
    return out


def _cut(src: SourceText, cat: Catalog, u: object, line_type: type) -> list:  # type: ignore[type-arg]
    a, b, no = u.start, u.end, u.no  # type: ignore[attr-defined]
    text = src.folded[a:b]
    cuts: set[int] = set()
    runs = list(_RUN.finditer(text))
    for m in runs:
        cuts.add(m.end())  # a row's amounts end: the next row's code or label starts
    first = runs[0].start() if runs else len(text)
    head = text[:first]
    # the title, the owner and unit labels, the header and the first row's label
    for m in _META.finditer(head):
        cuts.add(m.start())
    for m in _UNIT_END.finditer(head):
        cuts.add(m.end())
    last_meta = max((m.end() for m in _UNIT_END.finditer(head)), default=0)
    label_at = _first_row_label(cat, head, last_meta)
    if label_at is not None:
        cuts.add(label_at)
    for m in _TAIL.finditer(text):
        cuts.add(m.start())
    return cut_line(a, text, no, cuts, line_type)


def _first_row_label(cat: Catalog, head: str, start: int) -> int | None:
    """Where the header words end in ``head[start:]`` (the first row's label follows them)."""
    vocab, _ = _vocabulary(cat)
    rest = head[start:]
    code = _ROW_CODE.search(rest)
    if code is not None and code.start() > 0:
        return start + code.start()  # the first row's code
    pos = 0
    last_known = None
    for piece in header_labels(cat, rest):
        at = rest.find(piece, pos)
        if at < 0:
            break
        pos = at + len(piece)
        if cat.norm(piece) in vocab:
            last_known = pos
    if last_known is None or last_known >= len(rest.rstrip()):
        return None
    return start + last_known
