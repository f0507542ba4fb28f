"""The shapes a printed table gives its rows in PDF-library text, decided before the grid is
built: line-number (行次) columns that are no figures, a header repeating one block of columns
side by side (one block read), a two-sided (收入 | 支出) table and the columns of each side.

May import: ``catalog``, :mod:`pdftext_header`, :mod:`pdftext_labels`, :mod:`pdftext_tokens`.
"""

from __future__ import annotations

import re

from ..catalog import Catalog
from .pdftext_header import HeaderPlan, plan_header
from .pdftext_labels import is_code_label, label_spec
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


def uneven_sides(cat: Catalog, layout: str, labels: list[str], rows: list[TextRow]) -> HeaderPlan | None:
    """A two-sided table whose sides print different columns (收入: 项目 | 金额; 支出: 项目 | 合计 |
    一般公共预算 …): each side's header planned on its own, over the widest row of its side.  ``None``
    when the header does not name each side's columns apart (two name labels) or both name as
    many.
    The plan's ``labels`` hold one empty string per income column (its width, for the grid)."""
    specs = [label_spec(cat, lab, layout) for lab in labels]
    names = [i for i, sp in enumerate(specs) if sp is not None and sp.role == "name"]
    if len(names) != 2:
        return None
    sides = labels[names[0] + 1 : names[1]], labels[names[1] + 1 :]
    counts = [sum(1 for lab in s if (sp := label_spec(cat, lab, layout)) is not None and sp.role == "value")
              for s in sides]  # fmt: skip
    pairs = [r.groups for r in rows if len(r.groups) >= 2]
    widths = [max((len(g[0][2]) for g in pairs), default=0), max((len(g[-1][2]) for g in pairs), default=0)]
    if counts[0] == counts[1] or not all(counts) or not all(widths):
        return None
    plans = [plan_header(cat, layout, None, ["项目", *s], w, []) for s, w in zip(sides, widths, strict=True)]
    return HeaderPlan([""] * len(plans[0].values), plans[0].values + plans[1].values, plans[0].keys + plans[1].keys,
                      plans[0].notes + plans[1].notes)  # fmt: skip

