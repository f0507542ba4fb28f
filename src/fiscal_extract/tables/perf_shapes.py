"""How a row of a performance table is read, by its shape: the kinds of text its cells hold (flags)
under one header, worked out once per shape (indicator rows, list rows).

Pure functions of (cell kinds, header); :mod:`.perf_words` memoises them per catalog."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Header:
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




FILLED = 1
"""Any text (an empty cell is 0)."""
TARGET = 2
"""Reads as a target value ("≥95%", "按时完成", "100")."""
L1 = 4
"""A level-1 indicator name (产出指标 …)."""
L2 = 8
"""A level-2 indicator name (数量指标 …)."""
LABEL = 16
"""Real text, not OCR debris (header.is_label_text)."""
NUMBER = 32
"""A figure (numbers.parse_number)."""
PLACE = 64
"""An empty slot of the form: "指标2：", "……"."""
HEADER = 128
"""A label of the performance headers (a field's label or a matrix group)."""
DASH = 256
"""An empty mark ("-"), which fits any column of a list."""
FIGURE = 512
"""A figure, maybe a percentage."""
PERCENT = 1024
"""A percentage ("0.0%", "52.42 %")."""
FILLER = PLACE | L1 | L2
"""A placeholder or a level-1 / level-2 name: no indicator of its own."""


_LEVELS = ("level1", "level2", "level3")


@dataclass(frozen=True)
class Reading:
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


def indicator_reading(kinds: tuple[int, ...], h: Header) -> Reading | None:
    plan = _plan(kinds, h)
    if plan is None:
        return None
    best = dict(plan)
    i1, i2 = best.get("level1"), best.get("level2")
    if i1 is not None and i2 is None and not kinds[i1] & L1 and kinds[i1] & L2:
        # a level-2 name printed in the level-1 column (the level-1 name is above, or in the header)
        best["level2"] = i1
        del best["level1"]
    levels = tuple((f, best[f]) for f in ("level1", "level2") if f in best and kinds[best[f]] & LABEL)
    others = [(f, i) for f, i in best.items() if f not in _LEVELS]
    return Reading(
        levels=levels,
        new_level1=any(f == "level1" for f, _ in levels) and "level2" not in best,
        level3=best["level3"],
        empty=bool(kinds[best["level3"]] & PLACE) and not others,
        values=tuple((f[6:], i) for f, i in others if f.startswith("value:")),
        texts=tuple((f, i) for f, i in others if not f.startswith("value:")),
    )


def _plan(kinds: tuple[int, ...], h: Header) -> dict[str, int] | None:
    """Which cell holds which field: as printed if that reads as an indicator, else the best of
    the row shifted by a column or two, or its cells packed from level 3 (or 2, or 1) on.

    ``kinds`` are the row's cell kinds (:meth:`Words.kind`); a plan maps a field to a cell index
    (a shift left of the first column indexes from the row's end, as Python does)."""
    n = len(kinds)

    def at(shift: int) -> dict[str, int]:
        return {f: i + shift for i, f in h.fields.items() if -n <= i + shift < n and kinds[i + shift]}

    best = at(0)
    top = _score(best, kinds)
    t, i3 = best.get("target"), best.get("level3")
    if t is not None and i3 is not None and kinds[t] & LABEL and not kinds[t] & TARGET and kinds[i3] & LABEL:
        top += 1  # as printed, a text the target vocabulary does not know ("便民免费寄递") is a qualitative target
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
    if k & (TARGET | L1):
        s -= 3
    elif k & LABEL:
        s += 2
    i = plan.get("target")
    if i is not None:
        s += 2 if kinds[i] & TARGET else -1
    i = plan.get("level1")
    if i is not None:
        k = kinds[i]
        s += 1 if k & L1 else (-0.5 if k & L2 else -2)
    i = plan.get("level2")
    if i is not None:
        k = kinds[i]
        s += 1 if k & L2 else (-2 if k & TARGET else -0.5)
    for f in ("value:weight", "value:score"):
        i = plan.get(f)
        if i is not None:
            s += 0.5 if kinds[i] & NUMBER else -1
    return s + 0.01 * len(plan)


def _list_shift(kinds: tuple[int, ...], h: Header) -> int:
    """A list row printed a column off its header (a row label in an extra leading cell)."""
    n = len(kinds)

    def fit(shift: int) -> int:
        score = 0
        for i, as_name in h.list_checks:
            j = i + shift
            k = kinds[j] if -n <= j < n else 0  # a shift left past a short row's first cell: nothing there
            if not k or k & DASH:
                continue  # an empty mark fits any column
            if as_name:
                score += 1 if k & LABEL and not k & FIGURE else -1
            else:
                score += 1 if k & FIGURE else -1
        return score

    return max((0, 1, -1, 2, -2), key=lambda s: (fit(s), -abs(s)))


@dataclass(frozen=True)
class ListReading:
    """How a list row of one shape (its cell kinds, under one header) is read: cell indices."""

    values: tuple[tuple[str, int], ...]
    """(value key, cell) in column order."""
    name: int | None
    """The name (or task) cell."""
    texts: tuple[tuple[str, int, bool], ...]
    """(text field, cell, whether its name is cleaned) in column order."""


def _packed(kinds: tuple[int, ...], h: Header, shift: int) -> dict[int, int] | None:
    """Header column -> row cell for a row of figures that no one shift fits (a header printed over
    two lines with different offsets) but whose figures, in order, are as many as the header's figure
    columns: the figures packed in order.  ``None`` when the shift fits, or the counts differ."""
    fig_fields = [i for i, f in sorted(h.fields.items()) if f.startswith("value:") or f == "rate"]
    fig_cells = [j for j, k in enumerate(kinds) if k & (FIGURE | DASH)]
    if not fig_fields or len(fig_cells) != len(fig_fields):
        return None
    if all(j - shift in h.fields and (j - shift) in fig_fields for j in fig_cells):
        return None
    return dict(zip(fig_fields, fig_cells, strict=True))


def _funds_packed(kinds: tuple[int, ...], h: Header, order: tuple[str, ...]) -> list[tuple[str, int]] | None:
    """Header column -> row cell for a row of the funds block (年初预算数 … 执行率 … 得分), read in the
    block's own order anchored on its one percentage: the cells after it are the fields after the rate,
    the cells before it the fields just before the rate (a row that prints fewer figures than the block
    has columns leaves the first ones out; a column whose label the header lost is still the block's).
    ``None`` for any other row."""
    if "rate" not in order or "value:full_year_budget" not in h.names:
        return None
    cells = [j for j, k in enumerate(kinds) if k & (FIGURE | DASH)]
    pct = [n for n, j in enumerate(cells) if kinds[j] & PERCENT]
    if len(pct) != 1:
        return None
    r = order.index("rate")
    before, after = cells[: pct[0]], cells[pct[0] + 1 :]
    if len(before) > r or len(after) > len(order) - r - 1:
        return None
    fields = [*order[r - len(before) : r], "rate", *order[r + 1 : r + 1 + len(after)]]
    return list(zip(fields, [*before, cells[pct[0]], *after], strict=True))


def list_reading(kinds: tuple[int, ...], h: Header, funds_order: tuple[str, ...] = ()) -> ListReading:
    funds = _funds_packed(kinds, h, funds_order) if funds_order else None
    if funds is not None:
        return ListReading(
            tuple((f[6:], j) for f, j in funds if f.startswith("value:")),
            None,
            tuple((f, j, False) for f, j in funds if not f.startswith("value:")),
        )
    shift = _list_shift(kinds, h)
    packed = _packed(kinds, h, shift)
    n = len(kinds)
    values: list[tuple[str, int]] = []
    name = None
    texts: list[tuple[str, int, bool]] = []
    for i, f in h.fields.items():
        j = i + shift
        if packed is not None:
            if i not in packed:
                continue
            j = packed[i]
        if j >= n or not kinds[j]:
            continue
        if f.startswith("value:"):
            values.append((f[6:], j))
        elif f in ("name", "task"):
            name = j
        else:
            texts.append((f, j, f != "seq"))
    return ListReading(tuple(values), name, tuple(texts))
