"""Cut a page that a PDF library printed as one spaced line into the lines of its tables.

pdfium writes some pages as a single line: the previous table's header, the next title, the
owner and unit labels, the header, and every row, each cell separated by one space --
``…小计 基本支出 项目支出项目支出表(预算表 9) 预算单位：某局 单位：万元 类型 项目名称 … 营预算
部门特定目标类项目 474.56 474.56 0.00 … 综合管理 474.56 …``.  The row order survives (a row's
label, then its amounts), so the line is cut where a run of amounts ends and a label begins, before
the owner and unit labels and before a title the catalog knows, and between the header and the
first row's label (the last word before the first amounts).  The pieces are ordinary lines for
:mod:`fiscal_extract.read.pdftext`.

Only a long line with many money figures and a unit label is cut: narrative paragraphs never are.

Comes in: the scanned units.  Goes out: the same units with such lines cut.  May import:
``catalog``, ``normalize``, ``line``.
"""

from __future__ import annotations

import re

from ..catalog import Catalog
from .line import Line, cut_line
from .normalize import SourceText

_AMOUNT = r"-?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d{2}"
_RUN = re.compile(rf"(?<![\d.,])(?:{_AMOUNT}[ \u3000]*)+")
_META = re.compile(r"(?:部门名称|单位名称|预算单位|编制部门|编制单位|金额单位|单位)[:：]")
_UNIT_END = re.compile(r"(?:单位|金额单位)[:：]\s*(?:万元|元|千元)")

MIN_LENGTH = 300
MIN_AMOUNTS = 12


def cut_one_line_pages(src: SourceText, cat: Catalog, units: list) -> list:  # type: ignore[type-arg]
    out: list = []
    for u in units:
        if (
            isinstance(u, Line)
            and len(u.text) >= MIN_LENGTH
            and _UNIT_END.search(u.text)
            and len(re.findall(_AMOUNT, u.text)) >= MIN_AMOUNTS
            and " " in u.text
        ):
            out.extend(_cut(src, cat, u))
        else:
            out.append(u)
    return out


def _cut(src: SourceText, cat: Catalog, u: Line) -> list[Line]:
    a, b = u.start, u.end
    text = src.folded[a:b]
    cuts: set[int] = set()
    runs = list(_RUN.finditer(text))
    for m in runs:
        if m.end() < len(text):
            cuts.add(m.end())  # a row's amounts end: the next row's label (or a title) starts
    for m in _META.finditer(text):
        cuts.add(m.start())
        start = max((c for c in cuts if c < m.start()), default=0)
        title = _title_before(cat, text, start, m.start())
        if title is not None:
            cuts.add(title)
    for m in _UNIT_END.finditer(text):
        cuts.add(m.end())
        # the header runs to the first amounts after the unit label; its last word is the first
        # row's label
        run = next((r for r in runs if r.start() > m.end()), None)
        if run is not None:
            head = text[m.end() : run.start()].rstrip()
            sp = max(head.rfind(" "), head.rfind("\u3000"))
            if sp > 0:
                cuts.add(m.end() + sp + 1)
    return cut_line(a, text, u.no, cuts)


def _title_before(cat: Catalog, text: str, start: int, end: int) -> int | None:
    """Where a title the catalog knows begins in ``text[start:end]`` (it runs to ``end``)."""
    seg = text[start:end].rstrip()
    for i in range(max(0, len(seg) - 60), len(seg) - 2):
        if cat.match_title(seg[i:]) is not None:
            return start + i
    return None
