"""The shapes a printed table gives its rows in PDF-library text, decided before the grid is
built: line-number (行次) columns that are no figures, a header repeating one block of columns
side by side (one block read), a two-sided (收入 | 支出) table.

May import: ``catalog``, :mod:`pdftext_labels`, :mod:`pdftext_tokens`.
"""

from __future__ import annotations

import re

from ..catalog import Catalog
from .pdftext_labels import is_code_label
from .pdftext_tokens import TextRow

_LINE_NO = re.compile(r"\d{1,3}")


def drop_line_numbers(rows: list[TextRow]) -> list[TextRow]:
    """Under a 行次 header, the bare small integer before a group's figures is its line number,
    not a figure (一、一般公共预算财政拨款收入 1 322.37 一、一般公共服务支出 32 279.43) -- when the
    table's figures print decimals; a group holding only its line number is an empty cell."""
    figures = [a.text for r in rows for g in (r.groups or [(r.code, r.label, r.amounts)]) for a in g[2][1:]]
    if not figures or sum(1 for f in figures if "." in f) * 2 < len(figures):
        return rows
    for r in rows:
        groups = []
        for code, label, amts in r.groups or [(r.code, r.label, r.amounts)]:
            if amts and amts[0].kind == "amount" and _LINE_NO.fullmatch(amts[0].text):
                amts = amts[1:]
                if code is None and label is None and all(_LINE_NO.fullmatch(a.text) for a in amts):
                    amts = []  # a line of line numbers only (30 61): both sides empty
            while amts and _LINE_NO.fullmatch(amts[-1].text) and amts[-1].text != "0":
                amts = amts[:-1]  # the line numbers of an empty line below, joined to this row
            if code is None and label is None and not amts:
                continue
            groups.append((code, label, amts))
        if not groups:
            continue
        r.code, r.label, r.amounts = groups[0][0], groups[0][1], list(groups[0][2])
        r.groups = groups if r.groups else []
    return rows


def one_block(cat: Catalog, layout: str, labels: list[str]) -> list[str]:
    """A table printed in blocks side by side (科目代码 科目名称 决算数, three times over, under
    banners such as 人员经费 | 公用经费): each block's rows are rows of their own, so the header is
    one block; the banners above the blocks name no column."""
    codes = [i for i, lab in enumerate(labels) if is_code_label(cat, lab, layout)]
    if len(codes) < 2:
        return labels
    block, rest = labels[codes[0] : codes[1]], labels[codes[0] :]
    n = len(block)
    if n < 2 or len(rest) % n or any(rest[i : i + n] != block for i in range(0, len(rest), n)):
        return labels
    return block


def two_sided_rows(cat: Catalog, labels: list[str], rows: list[TextRow]) -> bool:
    normed = {cat.norm(x) for x in labels}
    if "收入" in normed and "支出" in normed:
        return True
    pairs = sum(1 for r in rows if len(r.groups) == 2 and r.groups[1][1] is not None and r.groups[0][1] is not None)
    return pairs >= 3 and pairs >= len(rows) // 3 and not any(r.code for r in rows)
