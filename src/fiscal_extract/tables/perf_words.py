"""The vocabulary of performance tables: what kind of text each cell holds (a level name, a target,
a figure, an empty slot ...), memoised per catalog across documents, and the header of a table."""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable
from functools import lru_cache
from typing import TypeVar

from ..caching import TEXT_CACHE
from ..catalog import Catalog
from ..read.grid import Cell, GridRow
from ..read.numbers import parse_number
from .draft import Ctx, clean_name
from .header import is_label_text
from .perf_shapes import (
    DASH,
    FIGURE,
    FILLED,
    HEADER,
    L1,
    L2,
    LABEL,
    NUMBER,
    PERCENT,
    PLACE,
    TARGET,
    Header,
    ListReading,
    Reading,
    indicator_reading,
    list_reading,
)

_NUMERICISH = re.compile(r"^[\d.,%\s]+$")
_DIGIT_FIRST = re.compile(r"^\d")
_K = TypeVar("_K", bound=Hashable)
_V = TypeVar("_V")


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


# What a cell's text is, as bits (see Words.kind): how a row is read depends on these only.


class Words:
    """What the cells of performance tables are, memoised per text (the same words recur in every
    table, and in every document), and how rows of a given shape are read.  One per catalog (see
    :func:`words_of`)."""

    def __init__(self, cat: Catalog) -> None:
        w = cat.perf_words
        norm = cat.norm
        self.norm = norm
        self.level1 = {norm(x) for x in w.get("level1", [])}
        self.l2_suffix = tuple(w.get("level2_suffixes", []))
        self.target_prefixes = tuple(w.get("target_prefixes", []))
        self.target_words = {norm(x) for x in w.get("target_words", [])}
        self.known = _known_labels(cat)
        self.parents = cat.perf_parents
        funds_order = tuple(w.get("funds_order", []))
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
        self.has_header_word: _Memo[tuple[int, ...], bool] = _Memo(lambda kinds: any(k & HEADER for k in kinds))
        """Whether a row (its cell kinds) has a header label in it."""
        self.headers: _Memo[tuple[tuple[int, str], ...], Header] = _Memo(lambda items: Header(dict(items)))
        """Headers by their fields (a header is never changed once made)."""
        self.readings: _Memo[tuple[tuple[int, ...], tuple[tuple[int, str], ...]], Reading | None] = _Memo(
            lambda key: indicator_reading(key[0], self.headers[key[1]])
        )
        """How indicator rows are read, by the row's cell kinds and the header's fields."""
        self.list_readings: _Memo[tuple[tuple[int, ...], tuple[tuple[int, str], ...]], ListReading] = _Memo(
            lambda key: list_reading(key[0], self.headers[key[1]], funds_order)
        )
        """How list rows are read, by the row's cell kinds and the header's fields."""

    def _kind(self, t: str) -> int:
        if not t:
            return 0
        n = self.norm(t)
        k = FILLED
        target = self._is_target(n)
        if target:
            k |= TARGET
        if n in self.level1:
            k |= L1
        if len(n) <= 12 and n.endswith(self.l2_suffix) and not target:
            k |= L2
        if is_label_text(t):
            k |= LABEL
        number = parse_number(t) is not None
        if number:
            k |= NUMBER
        if _PLACEHOLDER.match(n):
            k |= PLACE
        if n in self.known or (")" in n and _SUFFIX.sub("", n) in self.known):
            k |= HEADER
        if t in ("-", "—", "－", "--"):
            k |= DASH
        if number if not t.endswith("%") else parse_number(t.rstrip("%")) is not None:
            k |= FIGURE
            if t.endswith("%"):
                k |= PERCENT
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
def words_of(cat: Catalog) -> Words:
    return Words(cat)


_SUFFIX = re.compile(r"\([^()]*\)$")
_YEAR = re.compile(r"^(?:19|20)\d\d年")
_PLACEHOLDER = re.compile(r"^(?:指标\d*[:：]?|\.+|…+)$")


def _perf_field(cat: Catalog, text: str) -> str | None:
    """The field a performance-table header label names ("全年预算数 (A)" is 全年预算数)."""
    n = _YEAR.sub("", cat.norm(text).replace(" ", ""))
    return cat.perf_columns.get(n) or cat.perf_columns.get(_SUFFIX.sub("", n))


@lru_cache(maxsize=8)
def _known_labels(cat: Catalog) -> frozenset[str]:
    groups = {cat.norm(g) for g in cat.perf_matrix.get("groups", [])}
    return frozenset(cat.perf_columns) | groups


@lru_cache(maxsize=8)
def _groups(cat: Catalog) -> frozenset[str]:
    return frozenset(cat.norm(g) for g in cat.perf_matrix.get("groups", []))


def header_of(
    ctx: Ctx, rows: list[GridRow], k: int, ne: list[tuple[int, Cell]], w: Words
) -> tuple[Header | None, int]:
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


def _matrix_header(ctx: Ctx, rows: list[GridRow], k: int, leaf: int | None = None) -> Header:
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
    return Header(fields, pairs, amounts)
