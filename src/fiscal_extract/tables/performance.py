"""Performance tables: target tables (绩效目标表) and self-evaluation tables (绩效自评表).

The rows that matter are indicators: level-1 / level-2 names (filled down), the level-3 name
and its target (and, in self-evaluations, the actual value and score).  OCR often drops the
empty level-1/level-2 cells of a row, so each indicator row is fitted to the header in the
alignment that reads most like an indicator (names where names belong, a target-like value
where the target belongs).  Amount rows (预算情况, 项目资金) keep their figures.

How a row is read depends only on what kind of text each of its cells holds (a level name, a
target, a figure, an empty slot ...) and on the header: each cell text's kind is worked out once
(memoised per catalog, across documents) and so is the reading of each row shape under each
header (:class:`Words`); a row is then read by copying its cells where the reading says.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from ..catalog import Catalog
from ..models import Table
from ..read.grid import Cell, GridRow
from ..read.numbers import parse_number
from ..read.segment import TableBlock, _is_meta_row
from .draft import Ctx, Draft, VCell, clean_name
from .header import is_label_text
from .perf_forms import unplaced_notices
from .perf_shapes import FILLER, L1, L2, LABEL, NUMBER, TARGET, Header, ListReading
from .perf_words import Words, header_of, words_of
from .rows import finish_rows


def parse_performance(block: TableBlock, kind: str, title: str, unit: str | None, ctx: Ctx) -> Table:
    rows = [r for g in block.parts for r in g.rows]
    words = words_of(ctx.cat)
    kind_of = words.kind
    norm = ctx.cat.norm
    plain = _plain_labels(ctx.cat)
    drafts: list[Draft] = []
    header: Header | None = None
    fill: dict[str, str] = {}
    project: Draft | None = None
    section = ""
    header_end = -1
    k = 0
    while k < len(rows):
        row = rows[k]
        ne = row.nonempty()
        if not ne or (k < 3 and header is None and len(ne) <= 2 and _is_meta_row(ctx.cat, row)):
            k += 1
            continue
        kinds = tuple([kind_of[c.text] for c in row.cells])
        h, n = header_of(ctx, rows, k, ne, words) if words.has_header_word[kinds] else (None, 0)
        if h is not None:
            if header is not None and header_end == k and not header.matrix and not h.matrix:
                # a header printed over two lines, each naming some columns ("分值 | 执行率 | 得分" above
                # "年初预算数 | 全年预算数 | 全年执行数"): one header
                both = dict(header.fields)
                if not both.keys() & h.fields.keys():
                    both.update(h.fields)
                    h = words.headers[tuple(sorted(both.items()))]
            header, k = h, k + n
            header_end = k
            fill = {}
            for i, c in ne:
                if i not in h.fields and kinds[i] & L1:
                    fill["level1"] = clean_name(c.raw)  # "成本指标 | 一级指标 | 二级指标 …"
                elif i not in h.fields and _is_section(ctx, c.text):
                    fill["section"] = clean_name(c.raw)  # "资金管理情况 | 情况说明 | 分值(20) …"
            continue
        if norm(ne[0][1].text) == "总分":
            drafts.append(_score_row(row, ne))
        elif header is not None and header.matrix:
            project = _matrix_row(ctx, row, header, words, drafts, project)
        elif header is not None and header.indicators:
            d = _indicator_row(row, ne, kinds, header, words, fill)
            if d is SKIP:
                pass
            elif d is not None:
                drafts.append(d)
            elif _label_row(row, ne, kinds, drafts, section, norm, plain):
                header = None
        elif header is not None and header.tasks and (_is_section(ctx, ne[0][1].text) or _has_number(ne)):
            # a new section ("预算情况 | 部门预算总额 | | 524.78") ends the task list
            header = None
            section = _label_row(row, ne, kinds, drafts, section, norm, plain) or section
        elif header is not None and header.listing:
            d = _list_row(ctx, row, ne, kinds, header, words, fill)
            if d is not None:
                drafts.append(d)
        else:
            section = _label_row(row, ne, kinds, drafts, section, norm, plain) or section
        k += 1
    _fill_up_levels(drafts)
    table_rows = finish_rows(drafts, kind, ctx, title or kind, styled_figures=False)
    table = Table(kind=kind, title=title, unit=unit, columns=[], rows=table_rows)  # type: ignore[arg-type]
    unplaced_notices(table, block, ctx)
    return table


def _fill_up_levels(drafts: list[Draft]) -> None:
    """A merged level cell prints its name mid-block (vertically centred): indicators that have
    no level-1 (level-2) name after filling down -- the first of a form or of a continuation page,
    or a level-2 block whose name is printed on a later line -- belong to the next indicator's.
    A level-2 name is taken only within the same (printed) level-1 name."""
    rows = [d for d in drafts if d.role == "indicator"]
    for f in ("level1", "level2"):
        run: list[Draft] = []
        for d in rows:
            if f not in d.texts:
                run.append(d)
                continue
            for x in run:
                if f == "level1" or (x.texts.get("level1") or None) == d.texts.get("level1", False):
                    x.texts[f] = d.texts[f]
            run = []


def _score_row(row: GridRow, ne: list[tuple[int, Cell]]) -> Draft:
    """ "总分 | 100 | 87.7": the table's total score (weight and score)."""
    d = Draft(row=row, role="total", level=0, name=clean_name(ne[0][1].raw))
    nums = [c for _, c in ne[1:] if parse_number(c.text) is not None]
    for key, c in zip(("weight", "score"), nums, strict=False):
        d.vcells.append(VCell(key, c))
    return d


def _is_section(ctx: Ctx, text: str) -> bool:
    return ctx.cat.norm(text) in _sections(ctx.cat)


@lru_cache(maxsize=8)
def _sections(cat: Catalog) -> frozenset[str]:
    return frozenset(cat.norm(w) for w in cat.perf_words.get("sections", []))


def _has_number(ne: list[tuple[int, Cell]]) -> bool:
    return any(parse_number(c.text) is not None for _, c in ne)


SKIP = Draft()
"""What an indicator line returns when it is part of the form but not an indicator (a level name
on a line of its own, an empty "指标2：" line)."""

def _list_row(
    ctx: Ctx,
    row: GridRow,
    ne: list[tuple[int, Cell]],
    kinds: tuple[int, ...],
    h: Header,
    w: Words,
    fill: dict[str, str],
) -> Draft | None:
    r = w.list_readings[kinds, h.key]
    cells = row.cells
    d = Draft(row=row)
    nums = [i for i, _ in ne if kinds[i] & NUMBER]
    lead = w.clean[ne[0][1].raw]
    part = lead if _is_section(ctx, lead) else fill.get("section")
    if part in ctx.cat.perf_words.get("score_sections", []) and len(nums) == 2:
        # a scored item of the form (资金管理情况 | 安排科学性 | 说明 | 5 | 5): its two figures are its
        # 分值 and 得分, whatever header is above (some print none of their own)
        r = ListReading((("weight", nums[0]), ("score", nums[1])), None, ())
    for key, j in r.values:
        d.vcells.append(VCell(key, cells[j]))
    if r.name is not None:
        d.name = w.clean[cells[r.name].raw]
    for f, j, cleaned in r.texts:
        d.texts[f] = w.clean[cells[j].raw] if cleaned else cells[j].text
    if not d.name:
        used = {j for _, j in r.values} | {j for _, j, _ in r.texts}
        first_figure = min((j for _, j in r.values), default=len(cells))
        free = [(i, w.clean[c.raw]) for i, c in ne if kinds[i] & LABEL and not kinds[i] & NUMBER and i not in used]
        labels = [x for i, x in free if i < first_figure] or [x for _, x in free]
        if not labels:
            return None
        # a part's label leading the row ("资金管理情况 | 安排科学性 …", "项目资金(万元) | 年度资金总额:")
        # names the part, not the row; the rows below it belong to it until the next header
        if len(labels) > 1 and _is_section(ctx, labels[0]):
            fill["section"] = labels.pop(0)
            name = labels[0]
        else:
            # figures: the row's name is the label nearest them ("部门总体资金情 | 收入构成 | 其他资金 | 0"),
            # not a description printed beside it ("拨付合规性 | 严格按照国库集中支付制度…")
            short = [x for x in labels if len(x) <= _NAME_CHARS]
            name = short[-1] if r.values and short else labels[0]
        d.name = _TRAILING_COLON.sub("", name)
        if ctx.cat.row_label(d.name)[0] or d.name.startswith("总分") or _is_funds_total(ctx, d.name):
            d.role = "total"
    section = fill.get("section")
    if section and section in ctx.cat.perf_words.get("level1_sections", []):
        d.texts["level1"] = section
    if h.tasks:
        d.role = "task"
    return d


_TRAILING_COLON = re.compile(r"[:：]$")
_NAME_CHARS = 20
"""A row label longer than this is a description printed beside the name, not the name."""


def _is_funds_total(ctx: Ctx, name: str) -> bool:
    return ctx.cat.norm(name) in _funds_totals(ctx.cat)


@lru_cache(maxsize=8)
def _plain_labels(cat: Catalog) -> frozenset[str]:
    """Labels whose digits are no figure (a telephone number): kept as text."""
    return frozenset(cat.norm(w) for w in cat.perf_words.get("not_figures", []))


@lru_cache(maxsize=8)
def _funds_totals(cat: Catalog) -> frozenset[str]:
    return frozenset(cat.norm(w) for w in cat.perf_words.get("funds_totals", []))


def _label_row(
    row: GridRow, ne: list[tuple[int, Cell]], kinds: tuple[int, ...], drafts: list[Draft], section: str,
    norm: Callable[[str], str], plain: frozenset[str],
) -> str | None:
    """A row outside any header: "年度履职目标 | text", "预算情况 | 部门预算总额 | | 524.78"."""
    labels = [(i, c) for i, c in ne if kinds[i] & LABEL and not kinds[i] & NUMBER]
    nums = [(i, c) for i, c in ne if kinds[i] & NUMBER]
    if not labels and not nums:
        return None
    if nums and any(norm(c.text) in plain for i, c in labels if i < nums[0][0]):
        nums = []  # "联系电话 | 153357 | 78885": digits that are no figure, kept as the row's text
        labels = [(i, c) for i, c in ne if i >= labels[0][0]]
    if nums and labels:
        # figures: name = the last label before the first figure; earlier labels are the section
        first_num = nums[0][0]
        before = [c for i, c in labels if i < first_num]
        d = Draft(row=row)
        if before:
            d.name = clean_name(before[-1].raw)
            if len(before) > 1 and before[-2].text.rstrip().endswith((":", "：")):
                # a lead-in printed in a cell of its own ("1、资金来源： | （1）政府预算资金"): one name
                d.name = clean_name(before[-2].raw) + d.name
                before = before[:-1]
            if len(before) > 1:
                section = clean_name("".join(c.raw for c in before[:-1]))
        else:
            d.name = clean_name(labels[0][1].raw)
        if section:
            d.texts["section"] = section
        keys = ["amount", "amount_2", "amount_3", "amount_4", "amount_5", "amount_6"]
        for key, (_, c) in zip(keys, nums, strict=False):
            d.vcells.append(VCell(key, c))
        if d.name.startswith("总分"):
            d.role = "total"
        drafts.append(d)
        return section
    first = clean_name(labels[0][1].raw) if labels else ""
    rest = [c for _, c in ne if c is not (labels[0][1] if labels else None)]
    d = Draft(row=row, name=first)
    if rest:
        d.texts["content"] = clean_name(" ".join(c.raw for c in rest))
    drafts.append(d)
    return first if len(first) <= 8 and not rest else section


def _matrix_row(
    ctx: Ctx, row: GridRow, h: Header, w: Words, drafts: list[Draft], project: Draft | None
) -> Draft | None:
    """A row of the budget project-target matrix: maybe a project, then indicator pairs."""
    cat = ctx.cat
    cells = row.cells
    ne = row.nonempty()
    first_amount = min(h.amounts) if h.amounts else 2
    code_cell = cells[0] if cells and cells[0].text else None
    name_cell = cells[1] if len(cells) > 1 and cells[1].text else None
    amounts = [
        (i, c)
        for i, c in ne
        if i >= first_amount and parse_number(c.text) is not None and (not h.matrix or i < h.matrix[0][1] + 1)
    ]
    pair_start = (max(i for i, _ in amounts) + 1) if amounts else first_amount
    is_project = code_cell is not None and (code_cell.text.replace(" ", "").isalnum())
    if is_project:
        d = Draft(row=row, code=code_cell.text.replace(" ", ""))  # type: ignore[union-attr]
        d.name = clean_name(name_cell.raw) if name_cell is not None and is_label_text(name_cell.text) else ""
        keys = [h.amounts[i] for i in sorted(h.amounts)] or ["total", "gov_funds", "special_account", "unit_funds"]
        for key, (_, c) in zip(keys, amounts, strict=False):
            d.vcells.append(VCell(key, c))
        unitish = not d.name or len(d.code or "") <= 6
        d.role = "unit" if unitish else "item"
        if unitish and not d.name and name_cell is not None:
            d.name = name_cell.text
        drafts.append(d)
        project = d if d.role == "item" else None
    elif name_cell is not None and not any(i >= pair_start for i, _ in ne if i > 1):
        return project
    # indicator pairs after the amounts, in order
    texts = [(i, c) for i, c in ne if i >= pair_start and i > 1]
    pairs: list[tuple[Cell, Cell | None]] = []
    j = 0
    while j < len(texts):
        name = texts[j][1]
        target = texts[j + 1][1] if j + 1 < len(texts) else None
        if target is not None and not w.kind[target.text] & TARGET and w.kind[name.text] & TARGET:
            name, target = target, name
        pairs.append((name, target))
        j += 2
    groups = list(cat.perf_matrix.get("groups", []))
    group_words = cat.perf_matrix.get("group_words", {})
    free = [g for g in groups if g not in group_words]
    used_free = 0
    full_row = len(pairs) >= len(groups)
    for n, (name, target) in enumerate(pairs):
        group = None
        if full_row:
            group = groups[n] if n < len(groups) else None
        else:
            for g, ws in group_words.items():
                if any(x in name.text for x in ws) or (
                    g == "成本指标" and target is not None and "万元" in target.text
                ):
                    group = g
            if group is None:
                group = free[min(used_free, len(free) - 1)] if free else None
                used_free += 1
        d = Draft(row=row, role="indicator", name=clean_name(name.raw))
        if group:
            d.texts["level1"] = group
        if target is not None:
            d.texts["target"] = clean_name(target.raw)
            d.text_cells["target"] = target
        if project is not None:
            d.texts["project"] = project.name
            if project.code:
                d.texts["project_code"] = project.code
        drafts.append(d)
    return project


def _indicator_row(
    row: GridRow,
    ne: list[tuple[int, Cell]],
    kinds: tuple[int, ...],
    h: Header,
    w: Words,
    fill: dict[str, str],
) -> Draft | None:
    """Fit a row to the indicator header in the alignment that reads best (``None``: not an
    indicator line at all; ``SKIP``: a line of the form with no indicator on it)."""
    if not h.indicators:
        return None
    cells = row.cells
    if len(ne) == 1:
        i, only = ne[0]
        if kinds[i] & L2 and not kinds[i] & TARGET:
            # a level-2 label on a row of its own (its indicators follow)
            fill["level2"] = w.clean[only.raw]
            return SKIP
        if kinds[i] & L1:
            fill["level1"] = w.clean[only.raw]
            fill.pop("level2", None)
            return SKIP
    if all(k & FILLER for k in kinds if k):
        for i, c in ne:  # level names and empty placeholders only: keep the names for the lines below
            if kinds[i] & L1:
                fill["level1"] = w.clean[c.raw]
                fill.pop("level2", None)
            elif kinds[i] & L2:
                fill["level2"] = w.clean[c.raw]
        return SKIP
    c2 = h.col("level2")
    if c2 is not None and c2 < len(kinds) and kinds[c2] & L2:
        nameless = _nameless_indicator(row, kinds, h, w, fill)
        if nameless is not None:
            return nameless
    r = w.readings[kinds, h.key]
    if r is None:
        return None
    levels = dict(r.levels)
    new_level1 = r.new_level1
    i2 = levels.get("level2")
    if i2 is not None and cells[i2].text == cells[r.level3].text:
        # the level-3 name printed again in the level-2 column (merged cells): the level-2 name is
        # the one in the level-1 column, and the level-1 name is printed elsewhere in its block
        del levels["level2"]
        i1 = levels.pop("level1", None)
        if i1 is not None and kinds[i1] & L2 and not kinds[i1] & L1:
            levels["level2"] = i1
            new_level1 = False
    for f, i in levels.items():
        fill[f] = w.clean[cells[i].raw]
    if new_level1:
        fill.pop("level2", None)
    if r.empty:
        return SKIP
    d = Draft(row=row, role="indicator")
    for f in ("level1", "level2"):
        if f in fill:
            d.texts[f] = fill[f]
    parent = w.parents.get(w.norm(d.texts.get("level2", "")))
    if parent and "level1" in d.texts and d.texts["level1"] != parent:
        d.texts["level1"] = fill["level1"] = parent
    d.name = _own_name(cells[r.level3].raw, d.texts.get("level2"), w)
    for key, i in r.values:
        d.vcells.append(VCell(key, cells[i]))
    for f, i in r.texts:
        c = cells[i]
        d.texts[f] = w.clean[c.raw]
        d.text_cells[f] = c
    return d


def _own_name(raw: str, level2: str | None, w: Words) -> str:
    """The level-3 name, without its level-2 label printed again before it and a space
    ("满意度 数据使用单位对……满意程度" under 满意度: a merged cell's text bleeding into the next)."""
    head, _, rest = raw.strip().partition(" ")
    if level2 and rest.strip() and w.clean[head] == level2:
        return w.clean[rest]
    return w.clean[raw]


def _nameless_indicator(
    row: GridRow, kinds: tuple[int, ...], h: Header, w: Words, fill: dict[str, str]
) -> Draft | None:
    """An indicator printed without its level-3 name ("产出指标 | 数量指标 | | =1套 | 1套 | 10 | 10"):
    its target, figures and level names where the header puts them, its name empty (``None``: not
    such a row)."""
    cells = row.cells
    c3, ct = h.col("level3"), h.col("target")
    if c3 is None or ct is None or max(c3, ct) >= len(cells) or kinds[c3] or not kinds[ct] & TARGET:
        return None
    for f, flag in (("level1", L1), ("level2", L2)):
        j = h.col(f)
        if j is not None and j < len(cells) and kinds[j] & flag:
            fill[f] = w.clean[cells[j].raw]
            if f == "level1":
                fill.pop("level2", None)
    d = Draft(row=row, role="indicator")
    for f in ("level1", "level2"):
        if f in fill:
            d.texts[f] = fill[f]
    for i, f in sorted(h.fields.items()):
        if i >= len(cells) or not kinds[i] or f in ("level1", "level2", "level3"):
            continue
        if f.startswith("value:"):
            d.vcells.append(VCell(f[6:], cells[i]))
        elif f in ("target", "actual"):
            d.texts[f] = w.clean[cells[i].raw]
            d.text_cells[f] = cells[i]
    return d
