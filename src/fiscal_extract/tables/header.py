"""Understand multi-row table headers and map columns to canonical keys.

A label printed once above several columns covers them up to the next label in its row,
but never beyond the label above it (so "项" under "科目编码" does not swallow the columns
to its right).  Each column gets the path of labels covering it, top to bottom; the lowest
label names the column, the labels above give its scope ("本年收入" -> ``current_``), and a
subtotal word ("小计") takes the key of the label it sits under.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from ..caching import TEXT_CACHE
from ..catalog import Catalog
from ..read.grid import Cell, GridRow
from ..read.numbers import parse_number

_CJK = re.compile(r"[\u4e00-\u9fff]")
_PERCENT = re.compile(r"-?\d+(?:\.\d+)?%")
_CHAPTER = re.compile(r"^(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）])")


@dataclass
class Col:
    index: int
    path: tuple[str, ...]
    role: str | None = None
    key: str | None = None
    side: str | None = None
    label: str = ""
    guessed: bool = False
    """A subtotal under a group label the catalog cannot name, read as a total by default."""

    @property
    def is_value(self) -> bool:
        return self.role == "value"


def is_numbering_row(row: GridRow) -> bool:
    """A row of column numbers ("栏次 1 2 3", "1 2 3 ... 14"): information, not labels."""
    texts = [c.text for _, c in row.nonempty()]
    if not texts:
        return False
    if texts[0].replace(" ", "") in ("栏次", "栏 次"):
        return True
    nums = [t for t in texts if t.isdecimal() and len(t) <= 3]  # "²³" are digits, not numbers
    if len(nums) >= 3 and len(nums) >= len(texts) - 1:
        seq = [int(t) for t in nums]
        return seq[0] in (0, 1, 2) and all(b == a + 1 for a, b in pairwise(seq))
    return False


def _covers(rows: list[GridRow], width: int) -> list[list[tuple[str, int, int]]]:
    covers: list[list[tuple[str, int, int]]] = []
    starts_above: list[int] = []  # sorted
    end_above: list[int] = [width] * width  # where the label above each column ends
    for r, row in enumerate(rows):
        cells = row.cells
        positions = [i for i, c in enumerate(cells[:width]) if c.text]
        leaf_row = r == len(rows) - 1 and r > 0
        segs = []
        for k, c in enumerate(positions):
            end = positions[k + 1] if k + 1 < len(positions) else width
            if leaf_row:
                end = c + 1  # the lowest header row names single columns
            # never beyond a label that starts in a row above, nor beyond the label above
            j = bisect_right(starts_above, c)
            if j < len(starts_above):
                end = min(end, starts_above[j])
            if r > 0:
                end = min(end, end_above[c])
            segs.append((cells[c].raw, c, end))
        covers.append(segs)
        starts_above = sorted(starts_above + positions)
        end_above = [width] * width
        for _label, a, b in segs:
            end_above[a:b] = [b] * (b - a)
    return covers


class Columns(list[Col]):
    """The columns of a table part; ``garbled`` when the header maps two columns to one key
    that no scope explains (its rows are misaligned beyond repair)."""

    garbled: bool = False


def build_columns(cat: Catalog, header: list[GridRow], layout: str, width: int) -> Columns:
    """One :class:`Col` per grid column, with its label path, role and canonical key.

    The answer depends only on the header's cell texts, the layout and the width, and tables of
    one form print the same header in document after document: it is cached on the catalog, and
    each call gets its own copies (a table parser may still set a column's side).
    """
    key = (tuple([tuple([(c.text, c.raw) for c in r.cells]) for r in header]), layout, width, cat.lookup_kind())
    cache = cat.memo("header.columns", 4096)
    built = cache.get(key)
    if built is None:
        built = cache[key] = _build_columns(cat, header, layout, width)
    out = Columns(Col(c.index, c.path, c.role, c.key, c.side, c.label, c.guessed) for c in built)
    out.garbled = built.garbled
    return out


def _build_columns(cat: Catalog, header: list[GridRow], layout: str, width: int) -> Columns:
    label_rows = [r for r in header if not is_numbering_row(r)]
    cols = _columns(cat, label_rows, layout, width, {})
    moved = _realign_scopes(cat, label_rows, layout, cols)
    if moved:
        cols = _columns(cat, label_rows, layout, width, moved)
    out = Columns(cols)
    named = {(c.key, c.side) for c in cols if c.role == "value" and not c.guessed}
    for c in cols:
        if c.guessed and (c.key, c.side) in named:
            c.role = c.key = None  # it would repeat a named column's key: left unmapped
    keys = [c.key for c in cols if c.role == "value" and c.key]
    out.garbled = len(keys) != len(set(keys))
    # "合计" and "小计" both read under one garbled banner: the 合计 is the table's total
    by_key: dict[str, list[Col]] = {}
    for c in cols:
        if c.role == "value" and c.key:
            by_key.setdefault(c.key, []).append(c)
    used = set(by_key)
    for key, group in by_key.items():
        if len(group) < 2:
            continue
        for c in group:
            if cat.norm(c.label) in ("合计", "总计") and key != "total" and "total" not in used:
                c.key = "total"
                used.add("total")
    prefix = cat.repeat_prefix.get(layout)
    if prefix:
        seen: set[str] = set()
        for c in cols:
            if c.role != "value" or not c.key:
                continue
            if c.key in seen and c.key in cat.repeat_key and cat.repeat_key[c.key] not in seen:
                c.key = cat.repeat_key[c.key]
            elif c.key in seen and c.key != "total" and prefix + c.key not in seen:
                c.key = prefix + c.key
            seen.add(c.key)
    return out


def _realign_scopes(cat: Catalog, rows: list[GridRow], layout: str, cols: list[Col]) -> dict[tuple[int, int], int]:
    """Scope labels ("本年收入" | "上年结转结余") printed a column or two off their group.

    When a header yields the same value key twice, its scope banner is misplaced: each scope
    label is moved onto the nearest subtotal word ("小计"/"合计") of the lowest header row,
    in order -- that is where a scope group starts.
    """
    keys = [c.key for c in cols if c.role == "value" and c.key]
    if len(keys) == len(set(keys)) or len(rows) < 2:
        return {}
    leaf = rows[-1]
    subtotals = [i for i, c in enumerate(leaf.cells) if c.text and cat.is_subtotal(c.text)]
    moves: dict[tuple[int, int], int] = {}
    for r, row in enumerate(rows[:-1]):
        scopes = [
            i
            for i, c in enumerate(row.cells)
            if c.text and (sc := cat.scope(c.text, layout)) is not None and sc.prefix is not None and not sc.label_scope
        ]
        if not scopes or not subtotals:
            continue
        last = -1
        for i in scopes:
            cands = [p for p in subtotals if p > last and abs(p - i) <= 2]
            if not cands:
                return {}
            p = min(cands, key=lambda q: abs(q - i))
            if p != i:
                moves[(r, i)] = p
            last = p
    return moves


def _columns(
    cat: Catalog, label_rows: list[GridRow], layout: str, width: int, moves: dict[tuple[int, int], int]
) -> list[Col]:
    if moves:
        label_rows = [_moved(row, r, moves) for r, row in enumerate(label_rows)]
    # the label covering each column in each header row (a row's segments do not overlap)
    by_row: list[list[str | None]] = []
    for segs in _covers(label_rows, width):
        at: list[str | None] = [None] * width
        for label, a, b in segs:
            at[a:b] = [label] * (b - a)
        by_row.append(at)
    cols = []
    for c in range(width):
        path = [label for at in by_row if (label := at[c]) is not None]
        col = Col(c, tuple(path), label=path[-1] if path else "")
        _resolve(cat, col, layout)
        cols.append(col)
    return cols


def _moved(row: GridRow, r: int, moves: dict[tuple[int, int], int]) -> GridRow:
    cells = list(row.cells)
    for (rr, i), p in moves.items():
        if rr != r:
            continue
        while len(cells) <= p:
            cells.append(Cell("", "", row.end, row.end))
        label = cells[i]
        cells[i] = Cell("", "", label.start, label.start)
        cells[p] = label
    return GridRow(cells, row.line, row.start, row.end)


def _resolve(cat: Catalog, col: Col, layout: str) -> None:
    """Side, role and key of a column from its label path (cached per path on the catalog: the
    same header words recur in every table of a kind)."""
    if not col.path:
        return
    cache = cat.memo("header.resolve")
    key = (col.path, layout, cat.lookup_kind())
    found = cache.get(key)
    if found is None:
        found = cache[key] = _resolved(cat, col.path, layout)
    col.side, col.role, col.key, col.guessed = found


Resolved = tuple[str | None, str | None, str | None, bool]
"""``(side, role, key, guessed)`` of a column."""


def _resolved(cat: Catalog, path: tuple[str, ...], layout: str) -> Resolved:
    side = None
    gov = False
    for anc in path[:-1]:
        sc = cat.scope(anc, layout)
        if sc is None:
            continue
        if sc.side:
            side = sc.side
        if sc.label_scope:
            gov = sc.prefix == "gov_"
    leaf = path[-1]
    if cat.is_subtotal(leaf) and not (layout == "two_sided" and len(path) == 1):
        key = "total"
        prefix = ""
        found = False
        guessed = False
        for depth in range(len(path) - 2, -1, -1):
            anc = path[depth]
            sc = cat.scope(anc, layout)
            if sc is not None and sc.prefix is not None and not sc.label_scope:
                key, prefix, found = "total", sc.prefix, True
                break
            spec = cat.column(anc, layout)
            if spec is None or spec.role != "value":
                spec = cat.column_within(anc, layout)
            if spec is not None and spec.role == "value":
                key, prefix, found = spec.key or "total", _prefix(cat, path[:depth], layout), True
                break
        if not found:
            key, prefix = "total", _prefix(cat, path[:-1], layout)
            guessed = len(path) > 1
        return side, "value", prefix + key, guessed
    spec = cat.column(leaf, layout)
    if spec is not None and spec.role in ("code_part", "code", "name", "unit_code"):
        # a label-column word under a figure's label: the header rows are misaligned here,
        # and the figure's label (above) is the one that belongs to this column
        for depth in range(len(path) - 2, -1, -1):
            anc_spec = cat.column(path[depth], layout)
            if anc_spec is not None and anc_spec.role == "value" and cat.scope(path[depth], layout) is None:
                return side, "value", _prefix(cat, path[:depth], layout) + (anc_spec.key or "total"), False
    if spec is None:
        sc = cat.scope(leaf, layout)
        if sc is not None and sc.prefix is not None and not sc.label_scope:
            return side, "value", sc.prefix + "total", False
        return side, None, None, False
    if spec.role == "value":
        return side, "value", _prefix(cat, path[:-1], layout) + (spec.key or "total"), False
    if spec.role in ("code", "code_part", "name") and gov:
        if spec.role == "code_part":
            return side, "gov_code_part", "gov_code", False
        return side, "text", "gov_code" if spec.role != "name" else "gov_name", False
    return side, spec.role, spec.key, False


def _prefix(cat: Catalog, ancestors: tuple[str, ...], layout: str) -> str:
    for anc in reversed(ancestors):
        sc = cat.scope(anc, layout)
        if sc is not None and sc.prefix is not None and not sc.label_scope:
            return sc.prefix
    return ""


# ----------------------------------------------------------------------------- row kinds


def looks_like_header(cat: Catalog, row: GridRow, layout: str) -> bool:
    """A row of column labels the catalog knows (a header repeated on a later page)."""
    known = 0
    for _, c in row.nonempty():
        if cat.column(c.text, layout) is not None or cat.scope(c.text, layout) is not None or cat.is_subtotal(c.text):
            known += 1
        elif parse_number(c.text) is not None:
            return False
    return known >= 1


@lru_cache(maxsize=TEXT_CACHE)
def is_label_text(text: str) -> bool:
    """Real text (a name), as opposed to OCR debris such as "•", "ė." or a stray digit.

    Cached: the same cell texts are asked about by every row pass of a table."""
    return (bool(_CJK.search(text)) and len(text) >= 2) or (
        len(text) >= 4 and not parse_number(text) and not _PERCENT.fullmatch(text)
    )


def is_data_row(cat: Catalog, row: GridRow) -> bool:
    """A row that carries figures (or a total label) rather than header labels."""
    if is_numbering_row(row):
        return False
    ints = 0
    ne = row.nonempty()
    if ne:
        n = cat.norm(ne[0][1].text)
        if (n in cat.row_total or n in cat.row_subtotal) and not any(is_label_text(c.text) for _, c in ne[1:]):
            return True
    decimals = 0
    labels = 0
    for _, c in ne:
        t = c.text
        p = parse_number(t)
        if p is None:
            labels += is_label_text(t)
            continue
        if p.decimals > 0 or "," in t:
            decimals += 1
        elif not p.trailing_point:
            ints += 1
    if labels >= 3 and labels > decimals + ints:
        return False
    if decimals or ints >= 2:
        return True
    if ne:
        first = ne[0][1].text
        if first.isdigit() and cat.code_system(first) and len(ne) >= 2:
            return True
        if _CHAPTER.match(first):
            return True
    return False


FINANCIAL = ("two_sided", "classified", "three_public", "project", "procurement")


def unknown_labels(cat: Catalog, rows: list[GridRow], layout: str | None = None) -> list[str]:
    """Header labels the catalog cannot name in ``layout`` (in any financial layout if None):
    not a column alias, not a scope, not a subtotal word, not a number."""
    layouts = (layout,) if layout else FINANCIAL
    out: list[str] = []
    for r in rows:
        if is_numbering_row(r):
            continue
        for c in r.cells:
            t = c.text.strip()
            if not t or t in out or parse_number(t) is not None or cat.is_subtotal(t) or not _CJK.search(t):
                continue
            if any(cat.column(t, lay) is not None or cat.scope(t, lay) is not None for lay in layouts):
                continue
            out.append(t)
    return out
