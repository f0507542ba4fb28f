"""Performance tables: target tables (绩效目标表) and self-evaluation tables (绩效自评表).

The rows that matter are indicators: level-1 / level-2 names (filled down), the level-3 name
and its target (and, in self-evaluations, the actual value and score).  OCR often drops the
empty level-1/level-2 cells of a row, so each indicator row is fitted to the header in the
alignment that reads most like an indicator (names where names belong, a target-like value
where the target belongs).  Amount rows (预算情况, 项目资金) keep their figures.

How a row is read depends only on what kind of text each of its cells holds (a level name, a
target, a figure, an empty slot ...) and on the header: each cell text's kind is worked out once
(memoised per catalog, across documents) and so is the reading of each row shape under each
header (:class:`_Words`); a row is then read by copying its cells where the reading says.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TypeVar

from ..caching import TEXT_CACHE
from ..catalog import Catalog
from ..models import Table
from ..read.grid import Cell, GridRow
from ..read.numbers import parse_number
from ..read.segment import TableBlock, _is_meta_row
from .draft import Ctx, Draft, VCell, clean_name
from .header import is_label_text
from .rows import finish_rows

_NUMERICISH = re.compile(r"^[\d.,%\s]+$")
_DIGIT_FIRST = re.compile(r"^\d")
_K = TypeVar("_K", bound=Hashable)
_V = TypeVar("_V")


@dataclass
class _Header:
    fields: dict[int, str]
    matrix: list[tuple[str, int, int]] = field(default_factory=list)  # (group, name col, value col)
    amounts: dict[int, str] = field(default_factory=dict)
    # what the rows under this header look up again and again, computed once
    names: frozenset[str] = field(init=False)
    order: list[str] = field(init=False)
    """The fields in column order."""
    key: tuple[tuple[int, str], ...] = field(init=False)
    """The fields as a hashable key."""
    list_checks: list[tuple[int, int]] = field(init=False)
    """(column, 0 for a figure field / 1 for a name field): what a list row is fitted against."""
    indicators: bool = field(init=False)
    """The header of an indicator table (a 三级指标 column)."""
    tasks: bool = field(init=False)
    """The header of a task list."""
    listing: bool = field(init=False)
    """The header of a list: tasks, names or figures."""

    def __post_init__(self) -> None:
        self.names = frozenset(self.fields.values())
        self.indicators = "level3" in self.names
        self.tasks = "task" in self.names
        self.listing = self.tasks or "name" in self.names or any(f.startswith("value:") for f in self.names)
        self.key = tuple(self.fields.items())
        self.order = [f for _, f in sorted(self.key)]
        self.list_checks = [
            (i, 0 if f.startswith("value:") or f == "rate" else 1)
            for i, f in self.fields.items()
            if f.startswith("value:") or f in ("rate", "name", "task", "level3")
        ]

    def col(self, name: str) -> int | None:
        for i, f in self.fields.items():
            if f == name:
                return i
        return None




class _Memo(dict[_K, _V]):
    """One test, memoised: ``memo[text]`` computes a text's answer once."""

    __slots__ = ("test",)

    def __init__(self, test: Callable[[_K], _V]) -> None:
        super().__init__()
        self.test = test

    def __missing__(self, key: _K) -> _V:
        hit = self.test(key)
        if len(self) < TEXT_CACHE:
            self[key] = hit
        return hit


# What a cell's text is, as bits (see _Words.kind): how a row is read depends on these only.
_FILLED = 1
"""Any text (an empty cell is 0)."""
_TARGET = 2
"""Reads as a target value ("≥95%", "按时完成", "100")."""
_L1 = 4
"""A level-1 indicator name (产出指标 …)."""
_L2 = 8
"""A level-2 indicator name (数量指标 …)."""
_LABEL = 16
"""Real text, not OCR debris (header.is_label_text)."""
_NUMBER = 32
"""A figure (numbers.parse_number)."""
_PLACE = 64
"""An empty slot of the form: "指标2：", "……"."""
_HEADER = 128
"""A label of the performance headers (a field's label or a matrix group)."""
_DASH = 256
"""An empty mark ("-"), which fits any column of a list."""
_FIGURE = 512
"""A figure, maybe a percentage."""
_FILLER = _PLACE | _L1 | _L2
"""A placeholder or a level-1 / level-2 name: no indicator of its own."""


class _Words:
    """What the cells of performance tables are, memoised per text (the same words recur in every
    table, and in every document), and how rows of a given shape are read.  One per catalog (see
    :func:`_words`)."""

    def __init__(self, cat: Catalog) -> None:
        w = cat.perf_words
        norm = cat.norm
        self.norm = norm
        self.level1 = {norm(x) for x in w.get("level1", [])}
        self.l2_suffix = tuple(w.get("level2_suffixes", []))
        self.target_prefixes = tuple(w.get("target_prefixes", []))
        self.target_words = {norm(x) for x in w.get("target_words", [])}
        self.known = _known_labels(cat)
        groups = _groups(cat)
        self.kind: _Memo[str, int] = _Memo(self._kind)
        """The tests a cell's text passes, as bits (0: an empty cell)."""
        self.clean: _Memo[str, str] = _Memo(clean_name)
        """A printed name cleaned (level names and targets recur)."""
        self.field: _Memo[str, str | None] = _Memo(lambda t: _perf_field(cat, t))
        """The field a header label names."""
        self.is_group: _Memo[str, bool] = _Memo(lambda t: norm(t) in groups)
        """A group label of the budget project-target matrix header (成本指标 …)."""
        self.is_level3_label: _Memo[str, bool] = _Memo(lambda t: cat.perf_columns.get(norm(t)) == "level3")
        self.has_header_word: _Memo[tuple[int, ...], bool] = _Memo(lambda kinds: any(k & _HEADER for k in kinds))
        """Whether a row (its cell kinds) has a header label in it."""
        self.headers: _Memo[tuple[tuple[int, str], ...], _Header] = _Memo(lambda items: _Header(dict(items)))
        """Headers by their fields (a header is never changed once made)."""
        self.readings: _Memo[tuple[tuple[int, ...], tuple[tuple[int, str], ...]], _Reading | None] = _Memo(
            lambda key: _indicator_reading(key[0], self.headers[key[1]])
        )
        """How indicator rows are read, by the row's cell kinds and the header's fields."""
        self.list_readings: _Memo[tuple[tuple[int, ...], tuple[tuple[int, str], ...]], _ListReading] = _Memo(
            lambda key: _list_reading(key[0], self.headers[key[1]])
        )
        """How list rows are read, by the row's cell kinds and the header's fields."""

    def _kind(self, t: str) -> int:
        if not t:
            return 0
        n = self.norm(t)
        k = _FILLED
        target = self._is_target(n)
        if target:
            k |= _TARGET
        if n in self.level1:
            k |= _L1
        if len(n) <= 12 and n.endswith(self.l2_suffix) and not target:
            k |= _L2
        if is_label_text(t):
            k |= _LABEL
        number = parse_number(t) is not None
        if number:
            k |= _NUMBER
        if _PLACEHOLDER.match(n):
            k |= _PLACE
        if n in self.known or (")" in n and _SUFFIX.sub("", n) in self.known):
            k |= _HEADER
        if t in ("-", "—", "－", "--"):
            k |= _DASH
        if number if not t.endswith("%") else parse_number(t.rstrip("%")) is not None:
            k |= _FIGURE
        return k

    def _is_target(self, n: str) -> bool:
        """``n``: the normalised text."""
        if not n:
            return False
        if n.startswith(self.target_prefixes) or n.endswith("%") or _NUMERICISH.match(n):
            return True
        if _DIGIT_FIRST.match(n) and len(n) <= 16:
            return True
        return n in self.target_words or (len(n) <= 4 and any(n.endswith(x) for x in ("提升", "提高", "及时", "满意")))


@lru_cache(maxsize=8)
def _words(cat: Catalog) -> _Words:
    return _Words(cat)


_SUFFIX = re.compile(r"\([^()]*\)$")
_PLACEHOLDER = re.compile(r"^(?:指标\d*[:：]?|\.+|…+)$")


def _perf_field(cat: Catalog, text: str) -> str | None:
    """The field a performance-table header label names ("全年预算数 (A)" is 全年预算数)."""
    n = cat.norm(text)
    return cat.perf_columns.get(n) or cat.perf_columns.get(_SUFFIX.sub("", n))


@lru_cache(maxsize=8)
def _known_labels(cat: Catalog) -> frozenset[str]:
    groups = {cat.norm(g) for g in cat.perf_matrix.get("groups", [])}
    return frozenset(cat.perf_columns) | groups


@lru_cache(maxsize=8)
def _groups(cat: Catalog) -> frozenset[str]:
    return frozenset(cat.norm(g) for g in cat.perf_matrix.get("groups", []))


def _header_of(
    ctx: Ctx, rows: list[GridRow], k: int, ne: list[tuple[int, Cell]], w: _Words
) -> tuple[_Header | None, int]:
    """A header starting at row k (one or two rows), and how many rows it spans (``ne``: the
    row's non-empty cells, one of them a header label)."""
    fields = {}
    for i, c in ne:
        f = w.field[c.text]
        if f:
            fields[i] = f
    level3 = [i for i, f in fields.items() if f == "level3"]
    if len(level3) >= 2:
        return _matrix_header(ctx, rows, k), 1
    if len(fields) >= 2:
        return w.headers[tuple(fields.items())], 1
    # the matrix header's upper rows: 资金总额 / 成本指标 labels, the 三级指标 row below them
    if any(w.is_group[c.text] for _, c in ne):
        for j in range(k + 1, min(k + 3, len(rows))):
            lv3 = [c for c in rows[j].cells if w.is_level3_label[c.text]]
            if len(lv3) >= 2:
                return _matrix_header(ctx, rows, k, j), j - k + 1
    return None, 0


def _matrix_header(ctx: Ctx, rows: list[GridRow], k: int, leaf: int | None = None) -> _Header:
    cat = ctx.cat
    leaf = k if leaf is None else leaf
    groups_order = [cat.norm(g) for g in cat.perf_matrix.get("groups", [])]
    amounts_map = {cat.norm(a): key for a, key in cat.perf_matrix.get("amounts", {}).items()}
    # group labels and amount labels may sit on any row from k - 2 to leaf
    group_at: list[tuple[int, str]] = []
    amounts: dict[int, str] = {}
    for r in rows[max(0, k - 2) : leaf + 1]:
        for i, c in enumerate(r.cells):
            n = cat.norm(c.text)
            if n in groups_order:
                group_at.append((i, cat.perf_matrix["groups"][groups_order.index(n)]))
            elif n in amounts_map:
                amounts[i] = amounts_map[n]
    pairs = []
    names = [i for i, c in enumerate(rows[leaf].cells) if cat.perf_columns.get(cat.norm(c.text)) == "level3"]
    for idx, i in enumerate(names):
        group = ""
        for gi, g in sorted(group_at):
            if gi <= i:
                group = g
        if not group and idx < len(cat.perf_matrix.get("groups", [])):
            group = cat.perf_matrix["groups"][idx]
        pairs.append((group, i, i + 1))
    fields = {0: "code", 1: "name"}
    return _Header(fields, pairs, amounts)


def parse_performance(block: TableBlock, kind: str, title: str, unit: str | None, ctx: Ctx) -> Table:
    rows = [r for g in block.parts for r in g.rows]
    words = _words(ctx.cat)
    kind_of = words.kind
    norm = ctx.cat.norm
    drafts: list[Draft] = []
    header: _Header | None = None
    fill: dict[str, str] = {}
    project: Draft | None = None
    section = ""
    k = 0
    while k < len(rows):
        row = rows[k]
        ne = row.nonempty()
        if not ne or (k < 3 and header is None and len(ne) <= 2 and _is_meta_row(ctx.cat, row)):
            k += 1
            continue
        kinds = tuple([kind_of[c.text] for c in row.cells])
        h, n = _header_of(ctx, rows, k, ne, words) if words.has_header_word[kinds] else (None, 0)
        if h is not None:
            header, k = h, k + n
            fill = {}
            for i, c in ne:
                if i not in h.fields and kinds[i] & _L1:
                    fill["level1"] = clean_name(c.raw)  # "成本指标 | 一级指标 | 二级指标 …"
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
            elif _label_row(row, ne, kinds, drafts, section):
                header = None
        elif header is not None and header.tasks and (_is_section(ctx, ne[0][1].text) or _has_number(ne)):
            # a new section ("预算情况 | 部门预算总额 | | 524.78") ends the task list
            header = None
            section = _label_row(row, ne, kinds, drafts, section) or section
        elif header is not None and header.listing:
            d = _list_row(ctx, row, ne, kinds, header, words)
            if d is not None:
                drafts.append(d)
        else:
            section = _label_row(row, ne, kinds, drafts, section) or section
        k += 1
    table_rows = finish_rows(drafts, kind, ctx, title or kind, styled_figures=False)
    return Table(kind=kind, title=title, unit=unit, columns=[], rows=table_rows)  # type: ignore[arg-type]


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

_LEVELS = ("level1", "level2", "level3")


@dataclass(frozen=True)
class _Reading:
    """How an indicator row of one shape (its cell kinds, under one header) is read: cell indices."""

    levels: tuple[tuple[str, int], ...]
    """The level-1 / level-2 names the row prints (they fill down to the lines below)."""
    new_level1: bool
    """A level-1 name and no level-2 name: the level-2 name above no longer applies."""
    level3: int
    empty: bool
    """An empty "指标2：" line of the form: no indicator."""
    values: tuple[tuple[str, int], ...]
    """(value key, cell) in column order."""
    texts: tuple[tuple[str, int], ...]
    """(text field, cell) in column order."""


def _indicator_reading(kinds: tuple[int, ...], h: _Header) -> _Reading | None:
    plan = _plan(kinds, h)
    if plan is None:
        return None
    best = dict(plan)
    i1, i2 = best.get("level1"), best.get("level2")
    if i1 is not None and i2 is None and not kinds[i1] & _L1 and kinds[i1] & _L2:
        # a level-2 name printed in the level-1 column (the level-1 name is above, or in the header)
        best["level2"] = i1
        del best["level1"]
    levels = tuple((f, best[f]) for f in ("level1", "level2") if f in best and kinds[best[f]] & _LABEL)
    others = [(f, i) for f, i in best.items() if f not in _LEVELS]
    return _Reading(
        levels=levels,
        new_level1=any(f == "level1" for f, _ in levels) and "level2" not in best,
        level3=best["level3"],
        empty=bool(kinds[best["level3"]] & _PLACE) and not others,
        values=tuple((f[6:], i) for f, i in others if f.startswith("value:")),
        texts=tuple((f, i) for f, i in others if not f.startswith("value:")),
    )


def _indicator_row(
    row: GridRow,
    ne: list[tuple[int, Cell]],
    kinds: tuple[int, ...],
    h: _Header,
    w: _Words,
    fill: dict[str, str],
) -> Draft | None:
    """Fit a row to the indicator header in the alignment that reads best (``None``: not an
    indicator line at all; ``SKIP``: a line of the form with no indicator on it)."""
    if not h.indicators:
        return None
    cells = row.cells
    if len(ne) == 1:
        i, only = ne[0]
        if kinds[i] & _L2 and not kinds[i] & _TARGET:
            # a level-2 label on a row of its own (its indicators follow)
            fill["level2"] = w.clean[only.raw]
            return SKIP
        if kinds[i] & _L1:
            fill["level1"] = w.clean[only.raw]
            fill.pop("level2", None)
            return SKIP
    if all(k & _FILLER for k in kinds if k):
        for i, c in ne:  # level names and empty placeholders only: keep the names for the lines below
            if kinds[i] & _L1:
                fill["level1"] = w.clean[c.raw]
                fill.pop("level2", None)
            elif kinds[i] & _L2:
                fill["level2"] = w.clean[c.raw]
        return SKIP
    r = w.readings[kinds, h.key]
    if r is None:
        return None
    for f, i in r.levels:
        fill[f] = w.clean[cells[i].raw]
    if r.new_level1:
        fill.pop("level2", None)
    if r.empty:
        return SKIP
    d = Draft(row=row, role="indicator")
    for f in ("level1", "level2"):
        if f in fill:
            d.texts[f] = fill[f]
    d.name = w.clean[cells[r.level3].raw]
    for key, i in r.values:
        d.vcells.append(VCell(key, cells[i]))
    for f, i in r.texts:
        c = cells[i]
        d.texts[f] = w.clean[c.raw]
        d.text_cells[f] = c
    return d


def _plan(kinds: tuple[int, ...], h: _Header) -> dict[str, int] | None:
    """Which cell holds which field: as printed if that reads as an indicator, else the best of
    the row shifted by a column or two, or its cells packed from level 3 (or 2, or 1) on.

    ``kinds`` are the row's cell kinds (:meth:`_Words.kind`); a plan maps a field to a cell index
    (a shift left of the first column indexes from the row's end, as Python does)."""
    n = len(kinds)

    def at(shift: int) -> dict[str, int]:
        return {f: i + shift for i, f in h.fields.items() if i + shift < n and kinds[i + shift]}

    best = at(0)
    top = _score(best, kinds)
    if top < 4:
        candidates = [at(shift) for shift in (-1, 1, -2, 2)]
        filled = [i for i, k in enumerate(kinds) if k]
        order = h.order
        for start in ("level3", "level2", "level1"):
            if start in order:
                fields = order[order.index(start) :]
                candidates.append(dict(zip(fields, filled, strict=False)))
        for plan in candidates:  # the first of the best-scoring plans, the printed one first
            s = _score(plan, kinds)
            if s > top:
                best, top = plan, s
    if top < 2 or "level3" not in best:
        return None
    return best


def _score(plan: dict[str, int], kinds: tuple[int, ...]) -> float:
    """How much a plan reads like an indicator line."""
    s = 0.0
    i = plan.get("level3")
    if i is None:
        return -10
    k = kinds[i]
    if k & (_TARGET | _L1):
        s -= 3
    elif k & _LABEL:
        s += 2
    i = plan.get("target")
    if i is not None:
        s += 2 if kinds[i] & _TARGET else -1
    i = plan.get("level1")
    if i is not None:
        k = kinds[i]
        s += 1 if k & _L1 else (-0.5 if k & _L2 else -2)
    i = plan.get("level2")
    if i is not None:
        k = kinds[i]
        s += 1 if k & _L2 else (-2 if k & _TARGET else -0.5)
    for f in ("value:weight", "value:score"):
        i = plan.get(f)
        if i is not None:
            s += 0.5 if kinds[i] & _NUMBER else -1
    return s + 0.01 * len(plan)


def _list_shift(kinds: tuple[int, ...], h: _Header) -> int:
    """A list row printed a column off its header (a row label in an extra leading cell)."""
    n = len(kinds)

    def fit(shift: int) -> int:
        score = 0
        for i, as_name in h.list_checks:
            j = i + shift
            k = kinds[j] if j < n else 0
            if not k or k & _DASH:
                continue  # an empty mark fits any column
            if as_name:
                score += 1 if k & _LABEL and not k & _FIGURE else -1
            else:
                score += 1 if k & _FIGURE else -1
        return score

    return max((0, 1, -1), key=lambda s: (fit(s), -abs(s)))


@dataclass(frozen=True)
class _ListReading:
    """How a list row of one shape (its cell kinds, under one header) is read: cell indices."""

    values: tuple[tuple[str, int], ...]
    """(value key, cell) in column order."""
    name: int | None
    """The name (or task) cell."""
    texts: tuple[tuple[str, int, bool], ...]
    """(text field, cell, whether its name is cleaned) in column order."""


def _list_reading(kinds: tuple[int, ...], h: _Header) -> _ListReading:
    shift = _list_shift(kinds, h)
    n = len(kinds)
    values: list[tuple[str, int]] = []
    name = None
    texts: list[tuple[str, int, bool]] = []
    for i, f in h.fields.items():
        j = i + shift
        if j >= n or not kinds[j]:
            continue
        if f.startswith("value:"):
            values.append((f[6:], j))
        elif f in ("name", "task"):
            name = j
        else:
            texts.append((f, j, f != "seq"))
    return _ListReading(tuple(values), name, tuple(texts))


def _list_row(
    ctx: Ctx, row: GridRow, ne: list[tuple[int, Cell]], kinds: tuple[int, ...], h: _Header, w: _Words
) -> Draft | None:
    r = w.list_readings[kinds, h.key]
    cells = row.cells
    d = Draft(row=row)
    for key, j in r.values:
        d.vcells.append(VCell(key, cells[j]))
    if r.name is not None:
        d.name = w.clean[cells[r.name].raw]
    for f, j, cleaned in r.texts:
        d.texts[f] = w.clean[cells[j].raw] if cleaned else cells[j].text
    if not d.name:
        labels = [c for i, c in ne if kinds[i] & _LABEL]
        if not labels:
            return None
        d.name = w.clean[labels[0].raw]
        if ctx.cat.row_label(d.name)[0] or d.name.startswith("总分"):
            d.role = "total"
    if h.tasks:
        d.role = "task"
    return d


def _label_row(
    row: GridRow, ne: list[tuple[int, Cell]], kinds: tuple[int, ...], drafts: list[Draft], section: str
) -> str | None:
    """A row outside any header: "年度履职目标 | text", "预算情况 | 部门预算总额 | | 524.78"."""
    labels = [(i, c) for i, c in ne if kinds[i] & _LABEL and not kinds[i] & _NUMBER]
    nums = [(i, c) for i, c in ne if kinds[i] & _NUMBER]
    if not labels and not nums:
        return None
    if nums and labels:
        # figures: name = the last label before the first figure; earlier labels are the section
        first_num = nums[0][0]
        before = [c for i, c in labels if i < first_num]
        d = Draft(row=row)
        if before:
            d.name = clean_name(before[-1].raw)
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
    ctx: Ctx, row: GridRow, h: _Header, w: _Words, drafts: list[Draft], project: Draft | None
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
        if target is not None and not w.kind[target.text] & _TARGET and w.kind[name.text] & _TARGET:
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
