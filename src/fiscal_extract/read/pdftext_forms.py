"""Performance forms (绩效目标表 / 绩效自评表) in the text PDF libraries make of a published PDF.

A form is a ruled sheet: a few labelled lines (项目名称, the funds by source), a goal paragraph,
then the indicator rows under 一级指标 / 二级指标 / 三级指标 / 指标值 / 分值.  PDF-library text
prints it one visual line at a time with the cells joined by a space: merged level cells print
their name once, often one character a line (产 / 出 / 指 / 标) or wrapped (满意度 / 指标); a
header label wraps (分值权 / 重); a target carries its unit after a space (≥330 台（套）).
Gap widths say nothing, so the lines are read as a stream of **typed tokens**: level names
(the catalog's level-1 names and level-2 suffixes, fragments joined when together they make one),
targets (an operator, a figure, a percentage, a known qualitative word) with their unit, the
weight (the integer that ends a line), and the indicator name (the text between).

Out: the form as a :class:`~.grid.Grid` of format ``"pdftext"`` whose rows are what a ruled
rendering would give -- ``项目名称 | name``, ``label | amount …`` for the funds lines, the header
row, one row per indicator -- so the performance parser reads it as it reads any other grid.
A line the reader cannot place is left out of the grid and counted in ``grid.extra["notes"]``.

May import ``normalize``, ``grid``, ``line``, ``catalog``, :mod:`.pdftext_tokens` and :mod:`.pdftext_form_rows`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..catalog import Catalog
from ..fold import fold
from .grid import Cell, Grid, GridRow
from .line import Line
from .normalize import SourceText
from .pdftext_form_rows import Tok as _Tok
from .pdftext_form_rows import actual_tail, before_heading, form_tokens, lead_rows, list_rows, unglued
from .pdftext_goals import goal_header, read_goal_list

PERF_LAYOUT = "performance"
MAX_FORM_LINES = 400
"""A form longer than this is no form (a run-away region is cut here)."""

_OPERATOR = re.compile(r"^(?:[≥≤<>=＝＜＞≈]|>=|<=|大于|小于|不低于|不高于|不少于|不超过|达到)")
_FIGURE = re.compile(r"^[\d,.]+%?$|^\d[\d,.]*[%‰]?[^\d\s]{0,6}$")
_WEIGHT = re.compile(r"^\d{1,3}(?:\.\d)?$")
"""A weight or a score: a small figure, at most one decimal (``30.00`` is an amount)."""
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_UNIT = re.compile(r"^[^\d\s，。；;:：]{1,6}$")
_PAREN_NUMBER = re.compile(r"^[（(]\s*\d+\s*[)）]$")
_CJK_WORD = re.compile(r"[\u4e00-\u9fff]+")
_SCORE = re.compile(r"^\d{1,3}(?:\.\d{1,2})?$")
_CLAUSE = re.compile(r"[，。；;！？]")
_FUNDS_LINE = re.compile(r"^(?P<label>[^\d\s]{2,24}?)\s*[:：]?\s*(?P<amount>-?[\d,]+(?:\.\d+)?|[-—–])$")


@dataclass(frozen=True)
class _Vocab:
    labels: tuple[str, ...]
    """Header labels of indicator tables, longest first (normalised)."""
    fields: dict[str, str]
    level1: frozenset[str]
    level2: frozenset[str]
    """Level-2 names of the national indicator framework."""
    level2_endings: tuple[str, ...]
    """How a level-2 name this reader trusts ends (perf.toml ``level2_text_endings``)."""
    level_heads: dict[str, tuple[str, ...]]
    """The header labels of the indicator levels (一级指标 …), by field."""
    target_words: frozenset[str]
    project_labels: frozenset[str]
    funds_words: tuple[str, ...]
    label_set: frozenset[str]
    """Every performance header label (normalised)."""
    sections: frozenset[str]
    """Names of a form's parts (perf.toml ``sections``, normalised)."""
    score_totals: frozenset[str]
    level2_suffixes: tuple[str, ...]


@lru_cache(maxsize=8)
def _vocab(cat: Catalog) -> _Vocab:
    w = cat.perf_words
    norm = cat.norm
    fields = dict(cat.perf_columns)
    return _Vocab(
        labels=tuple(sorted(fields, key=len, reverse=True)),
        fields=fields,
        level1=frozenset(norm(x) for x in w.get("level1", [])),
        level2=frozenset(norm(x) for x in cat.perf_parents),
        level2_endings=tuple(w.get("level2_text_endings", [])),
        level_heads={f: tuple(lbl for lbl, g in fields.items() if g == f) for f in ("level1", "level2", "level3")},
        target_words=frozenset(norm(x) for x in w.get("target_words", [])),
        project_labels=frozenset(norm(x) for x, f in fields.items() if f == "name"),
        funds_words=tuple(norm(x) for x in [*w.get("funds_lines", []), *w.get("funds_totals", [])]),
        label_set=frozenset(norm(x) for x in fields),
        sections=frozenset(norm(x) for x in w.get("sections", [])),
        score_totals=frozenset(norm(x) for x in w.get("score_totals", [])),
        level2_suffixes=tuple(w.get("level2_lead_endings", [])),
    )


def perf_kinds(cat: Catalog) -> frozenset[str]:
    return frozenset(k for k in cat.kinds if cat.layout_of(k) == PERF_LAYOUT)


def find_forms(src: SourceText, cat: Catalog, units: list) -> list:  # type: ignore[type-arg]
    """Replace the lines of each performance form among ``units`` (``Line`` objects, grids and
    ``None`` for blank lines) by its grid; the form's title line stays for the segmenter."""
    kinds = perf_kinds(cat)
    out: list = []
    i, n = 0, len(units)
    while i < n:
        u = units[i]
        title = cat.match_title(u.text) if isinstance(u, Line) and len(u.text) <= 80 else None
        headed = title is None and isinstance(u, Line) and _is_indicator_header(_vocab(cat), u.text)
        if isinstance(u, Line) and (title is None or title.kind in kinds) and goal_header(cat, u.text):
            i = read_goal_list(src, cat, units, i, out)
            continue
        if headed:
            j = i  # a form whose title was not found (glued onto the line above): from its header on
        elif title is not None and title.kind in kinds:
            out.append(u)
            i += 1
            j = i
        else:
            out.append(u)
            i += 1
            continue
        lines: list[Line] = []
        while j < n and len(lines) < MAX_FORM_LINES:
            v = units[j]
            if v is not None and not isinstance(v, Line):
                break
            if isinstance(v, Line):
                if cat.match_title(v.text) is not None and len(v.text) <= 80:
                    break
                lines.append(v)
            j += 1
        grid = form_grid(src, cat, lines)
        listed, used = ([], 0) if grid is not None or headed else list_rows(src, lines, cat.norm, _vocab(cat).label_set)
        if grid is not None:
            out.append(grid)
            i = j
        elif listed:
            # a list of projects under a performance title (项目支出绩效自评汇总表): one row a line
            start, end = lines[0].start, lines[used - 1].end
            out.append(Grid(listed, "pdftext", start, end, src.line_of(start), src.line_of(max(start, end - 1))))
            i = units.index(lines[used - 1], i) + 1
        elif headed:
            out.append(u)  # a header line that starts no form
            i += 1
    return out


def _is_indicator_header(v: _Vocab, text: str) -> bool:
    """A line naming the first and the third indicator level (一级指标 … 三级指标): a form's header."""
    t = text.replace(" ", "")
    return all(any(lbl in t for lbl in v.level_heads[f]) for f in ("level1", "level3"))


def form_grid(src: SourceText, cat: Catalog, lines: list[Line]) -> Grid | None:
    """The grid of one form's lines (``None``: no indicator header among them)."""
    v = _vocab(cat)
    toks = form_tokens(src, lines)
    head = _header(cat, v, toks)
    if head is None:
        return None
    h0, h1, fields = head
    before = [ln for k, ln in enumerate(lines) if k < toks[h0].line]
    rows = lead_rows(src, before, cat.norm, v.label_set, v.sections, lambda ln: _lead_row(src, cat, v, ln))
    width = len(fields)
    a, b = toks[h0].start, toks[h1 - 1].end
    rows.append(GridRow([_cell(label, a, b) for label, _ in fields], src.line_of(a), a, b))
    order = [f for _, f in fields]
    indicators, dropped = _indicators(src.text, cat, v, toks[h1:], order)
    for cells in indicators:
        a = min(c.start for c in cells if c.text)
        b = max(c.end for c in cells if c.text)
        rows.append(GridRow(cells + [_cell("", b, b)] * (width - len(cells)), src.line_of(a), a, b))
    if not indicators or not _reads_as_rows(cat, v, indicators, order):
        return None
    start, end = lines[0].start, lines[-1].end
    # the grid ends at the last line read: what follows (a note, the next section) stays text
    last = max(r.end for r in rows)
    end = next((ln.end for ln in lines if ln.start <= last <= ln.end), end)
    grid = Grid(rows, "pdftext", start, end, src.line_of(start), src.line_of(max(start, end - 1)))
    grid.extra["form"] = True
    if dropped:
        grid.extra["notes"] = [f"performance form: {dropped} line fragment(s) between the indicators not placed"]
    return grid


def _reads_as_rows(cat: Catalog, v: _Vocab, rows: list[list[Cell]], order: list[str]) -> bool:
    """The indicator rows make sense as rows: most have a name that is no target and, where the
    header has a weight column, their weight.  Text printed column by column (pdfminer: all the
    names, then all the targets) does not, and is left to its own reader."""
    c3 = order.index("level3") if "level3" in order else None
    cw = next((k for k, f in enumerate(order) if f.startswith("value:")), None)
    good = 0
    for cells in rows:
        name = cells[c3].text if c3 is not None else ""
        if not name or _is_target_start(cat, v, name):
            continue
        if cw is not None and not cells[cw].text:
            continue
        good += 1
    return good * 10 >= len(rows) * 7


def _cell(text: str, a: int, b: int) -> Cell:
    t = text.strip()
    return Cell(fold(t), t, a, b) if t else Cell("", "", a, a)


def _header(cat: Catalog, v: _Vocab, toks: list[_Tok]) -> tuple[int, int, list[tuple[str, str]]] | None:
    """The indicator header: token range [h0, h1) and its labels with their fields, in order.
    Its labels may be wrapped over lines and glued: the tokens are read as one string."""
    norm = cat.norm
    for h0, t in enumerate(toks):
        head = norm(t.text)[:2]
        if len(head) < 2 or not any(lbl.startswith(head) for labels in v.level_heads.values() for lbl in labels):
            continue
        text = ""
        found: list[tuple[str, str]] = []
        h1 = h0
        for k in range(h0, min(h0 + 16, len(toks))):
            piece = norm(toks[k].text)
            if _PAREN_NUMBER.match(toks[k].text) and found:
                h1 = k + 1  # "（90）" under 分值: the form's total weight, the header's last word
                break
            trial = text + piece
            labels, rest = _labels_in(v, trial)
            wraps = (bool(rest) and len(piece) <= 3 and any(lbl.startswith(rest) for lbl in v.labels)
                     and not any(x.startswith(rest) for x in v.level1)) or _completed(v, trial, labels, toks, k)
            if sum(len(x) for x, _ in labels) <= sum(len(x) for x, _ in found) and not wraps:
                break  # neither a label nor a wrapped label's first part ("分值权" / "重")
            text, h1 = trial, k + 1
            if sum(len(x) for x, _ in labels) > sum(len(x) for x, _ in found):
                found = labels
        fields = [(lbl, v.fields[lbl]) for lbl in dict.fromkeys(lbl for lbl, _ in found)]
        names = {f for _, f in fields}
        if {"level1", "level3"} <= names or {"level2", "level3", "target"} <= names:
            seen: set[str] = set()
            out = [(lbl, f) for lbl, f in fields if not (f in seen or seen.add(f))]  # type: ignore[func-returns-value]
            return h0, h1, out
    return None


def _completed(v: _Vocab, trial: str, labels: list[tuple[str, str]], toks: list[_Tok], k: int) -> bool:
    """The next token completes a label ``trial`` ends with the first part of ("年度指标 值", "得 分")."""
    if k + 1 >= len(toks) or len(toks[k + 1].text) > 3:
        return False
    more, _ = _labels_in(v, trial + toks[k + 1].text)
    return sum(len(x) for x, _ in more) > sum(len(x) for x, _ in labels)


def _labels_in(v: _Vocab, text: str) -> tuple[list[tuple[str, str]], str]:
    """The header labels ``text`` is made of, read greedily from the left, and what is left over
    after the last one (a label not yet complete)."""
    found: list[tuple[str, str]] = []
    p, last = 0, 0
    while p < len(text):
        hit = next((lbl for lbl in v.labels if text.startswith(lbl, p)), None)
        if hit is None:
            p += 1
            continue
        found.append((hit, v.fields[hit]))
        p += len(hit)
        last = p
    return found, text[last:]


def _lead_row(src: SourceText, cat: Catalog, v: _Vocab, ln: Line) -> GridRow | None:
    """A labelled line above the header: ``项目名称 name`` or a funds line ``label amount``."""
    text = src.text[ln.start : ln.end]
    stripped = text.strip()
    off = ln.start + (len(text) - len(text.lstrip()))
    head, _, rest = stripped.partition(" ")
    if cat.norm(head) in v.project_labels and rest.strip():
        a = off + len(head) + (len(rest) - len(rest.lstrip())) + 1
        return GridRow([_cell(head, off, off + len(head)), _cell(rest, a, off + len(stripped))], ln.no, off,
                       off + len(stripped))  # fmt: skip
    m = _FUNDS_LINE.match(stripped)
    if m is None or _CLAUSE.search(stripped):
        return None
    label = m.group("label")
    if not any(w in cat.norm(label) for w in v.funds_words):
        return None
    a = off + m.start("amount")
    return GridRow([_cell(label, off, off + m.end("label")), _cell(m.group("amount"), a, off + m.end("amount"))],
                   ln.no, off, off + m.end())  # fmt: skip


def _level(cat: Catalog, v: _Vocab, text: str) -> str | None:
    """A level name: a catalog level-1 name, a level-2 name of the national framework, or a name
    ending as perf.toml's ``level2_text_endings`` say (其他 level-2 endings -- 满意度, 效益 -- end
    indicator names too often here, where no column says which cell a word is in)."""
    n = cat.norm(text)
    if n in v.level1:
        return "level1"
    if 2 < len(n) <= 12 and (n in v.level2 or n.endswith(v.level2_endings)):
        return "level2"
    return None


def _is_target_start(cat: Catalog, v: _Vocab, text: str) -> bool:
    n = cat.norm(text)
    return bool(_OPERATOR.match(n) or _FIGURE.match(n) or n in v.target_words)


def _indicators(
    src_text: str, cat: Catalog, v: _Vocab, toks: list[_Tok], order: list[str]
) -> tuple[list[list[Cell]], int]:
    """Indicator rows as cells in the header's ``order`` (level1, level2, level3, target, weight …),
    and how many fragments could not be placed."""
    rows: list[list[Cell]] = []
    name: list[_Tok] = []
    levels: dict[str, list[_Tok]] = {}
    dropped = 0
    i, n = 0, len(toks)
    col = {f: k for k, f in enumerate(order)}
    number_fields = [f for f in order if f.startswith("value:")]
    after_level = False

    last_value = max((k for k, f in enumerate(order) if f.startswith("value:")), default=len(order))
    after_values = [f for f in order[last_value + 1 :] if not f.startswith("value:")]

    def emit(target: list[_Tok], figures: list[_Tok], more: tuple[tuple[str, list[_Tok]], ...] = ()) -> None:
        at = (target or figures)[0].start
        cells = [_cell("", at, at) for _ in order]
        named = name
        if (len(name) >= 2 and name[0].line == name[1].line and not name[1].text.startswith(name[0].text)
                and _level2_lead(cat, v, name[0])):  # (not a name followed by its explanation: "X X")
            levels["level2"], named = [name[0]], name[1:]  # "预算和财务管理 预算编制完整性 完整"
        given = any(f == "note" for f, _ in more)
        own, note = _name_and_note(named) if "note" in col and not given else (named, [])
        for f, span in (*levels.items(), ("level3", own), ("note", note), ("target", target), *more):
            if f in col and span:
                cells[col[f]] = _cell("".join(x.text for x in span), span[0].start, span[-1].end)
        for f, x in zip(number_fields, figures, strict=False):
            cells[col[f]] = _cell(x.text, x.start, x.end)
        rows.append(cells)

    while i < n:
        t = toks[i]
        if ("。" in t.text and ("note" not in col or len(t.text) > 30)) or len(t.text) > 60:
            break  # running text: the form has ended (an explanation column wraps its sentences short)
        # a level name, maybe printed a fragment a line (产 / 出 / 指 / 标, 满意度 / 指标)
        hit = None if (_continues(toks, i) and not after_level) else _level_at(cat, v, toks, i)
        if hit is not None:
            f, j = hit
            if name and f == "level1":
                # text before a level-1 name that no target closed: the project's own cells (its
                # name, amount and goal, printed before its first indicator), not an indicator
                dropped += len(name)
                name = []
            if f == "level1":
                levels = {"level1": toks[i:j]}
            else:
                levels = {**{k: x for k, x in levels.items() if k == "level1"}, "level2": toks[i:j]}
            i, after_level = j, f == "level1"  # one level-2 name a row: what follows it is the name
            continue
        after_level = False
        if not name and not _continues(toks, i) and cat.norm(t.text) in v.score_totals:
            j = i + 1  # "总分 100 82.95": the form's total weight and score, under no level
            while j < n and toks[j].line == t.line and _SCORE.match(toks[j].text):
                j += 1
            if j > i + 1 and (j >= n or toks[j].line != t.line):
                levels, name = {}, [t]
                emit([], toks[i + 1 : j])
                name, i = [], j
                continue
        if (number_fields and _ends_line(toks, i) and len(name) >= 2 and name[-1].line == t.line
                and name[-2].line == t.line):
            # "接访环境 明显改善 10": a qualitative target the vocabulary does not know, before the weight
            target = [name.pop()]
            figures, j2 = _figures(src_text, toks, i, len(number_fields))
            emit(target, figures)
            name, i = [], j2
            continue
        year = _YEAR.match(t.text) and i + 1 < n and toks[i + 1].text.startswith("年")
        if name and "actual" in col and number_fields and not year and _is_target_start(cat, v, t.text):
            # a self-evaluation line: target, actual value, 分值 得分, then 偏差度 … -- read from its end
            end = i
            while end < n and toks[end].line == t.line:
                end += 1
            in_name = len(name) >= 2 and name[-1].line == t.line
            fit = actual_tail([x.text for x in toks[i:end]], len(number_fields), len(after_values), in_name)
            if fit is not None:
                p, tl = fit
                target = toks[i : i + tl] if tl else [name.pop()]  # a target the name swallowed ("2023年12月31日前")
                figs = toks[i + p : i + p + len(number_fields)]
                tail = toks[i + p + len(number_fields) : end]
                k = len(after_values)
                spans = [[x] for x in tail] if len(tail) <= k else [*([x] for x in tail[: k - 1]), tail[k - 1 :]]
                rest = tuple(zip(after_values, spans, strict=False))  # a reason of several words: the last
                emit(target, figs, (("actual", toks[i + tl : i + p]), *rest))
                name, i = [], end
                continue
        if name and _is_target_start(cat, v, t.text) and not year:
            # the target, its unit after a space, then the figures that end the line
            j = i + 1
            word = cat.norm(t.text) in v.target_words  # a qualitative target (相关, 科学) takes no unit
            while (j < n and toks[j].line == t.line and not _ends_line(toks, j) and _UNIT.match(toks[j].text)
                   and not word):
                j += 1
            while j < n and toks[j].line != toks[j - 1].line and _is_unit_line(cat, v, toks, j):
                j += 1  # ">=100" / "百分比 20", "<=17 万" / "元" / "20": the unit wrapped onto lines below
            figures, j2 = _figures(src_text, toks, j, len(number_fields))
            note: tuple[tuple[str, list[_Tok]], ...] = ()
            after = "note" in col and col["note"] > col["target"]
            if not number_fields and after and j2 < n and toks[j2].line == t.line:
                k = j2  # "相关 相关": the target, then its explanation (指标值说明) in the column after it
                while k < n and toks[k].line == t.line:
                    k += 1
                note, j2 = (("note", toks[j2:k]),), k
            known = _OPERATOR.match(cat.norm(t.text)) or word
            if (j2 >= n or toks[j2].line != t.line) and (known or figures or not number_fields):
                # a bare figure is a target only with the weight after it ("720000 册 8"), never
                # a project's amount or a year starting a wrapped name ("2026年信")
                emit(toks[i:j], figures, note)
                name, i = [], j2
                continue
        if _CLAUSE.search(t.text) and "level3" not in col:
            dropped += 1
        else:
            name.append(t)
        i += 1
    dropped += len(name)
    return rows, dropped


def _level2_lead(cat: Catalog, v: _Vocab, tok: _Tok) -> bool:
    """A word leading an indicator's line before its name that ends as a level-2 name does (perf.toml
    ``level2_lead_endings``: 工作目标管理, 履职效益): the level-2 cell, printed on the first line of its rows."""
    n = cat.norm(tok.text)
    return 3 < len(n) <= 12 and n.endswith(v.level2_suffixes) and _level(cat, v, n) is None


def _is_unit_line(cat: Catalog, v: _Vocab, toks: list[_Tok], j: int) -> bool:
    """Token ``j`` starts a line holding a target's unit: the unit alone, or the unit and the
    weight that ends the indicator."""
    t = toks[j]
    if not _UNIT.match(t.text) or len(t.text) > 3 or _level(cat, v, t.text) is not None:
        return False
    rest = [x for x in toks[j + 1 : j + 3] if x.line == t.line]
    return not rest or (len(rest) == 1 and bool(_WEIGHT.match(rest[0].text)))


def _figures(src_text: str, toks: list[_Tok], j: int, most: int) -> tuple[list[_Tok], int]:
    """The figures (weight, score …) from token ``j`` on its line (or alone on the next line, as
    pdfium prints every cell), and the token after them."""
    out: list[_Tok] = []
    if (0 < j < len(toks) and toks[j].line != toks[j - 1].line and _WEIGHT.match(toks[j].text)
            and (j + 1 >= len(toks) or toks[j + 1].line != toks[j].line)):
        return [toks[j]], j + 1
    line = toks[j].line if j < len(toks) else -1
    while j < len(toks) and toks[j].line == line and len(out) < most:
        x = toks[j] if _WEIGHT.match(toks[j].text) else (unglued(src_text, toks, j) or before_heading(toks, j))
        if x is None:
            break
        out.append(x)
        j += 1
    return out, j


def _name_and_note(name: list[_Tok]) -> tuple[list[_Tok], list[_Tok]]:
    """An indicator's name and its explanation (指标解释), printed one after the other: the
    explanation repeats the name (``X X``, each maybe wrapped), or starts after the name's line
    (the name, with a wrapped remnant of two characters at most, is the first token)."""
    text = "".join(t.text for t in name)
    half = len(text) // 2
    if len(text) % 2 == 0 and half and text[:half] == text[half:]:
        acc, k = 0, 0
        while k < len(name) and acc < half:
            acc += len(name[k].text)
            k += 1
        if acc == half:
            return name[:k], name[k:]
    if not name:
        return name, []
    k = 1
    while k < len(name) and len(name[k].text) <= 2 and (name[k].line == name[0].line or _alone(name, k)):
        k += 1  # a wrapped remnant of the name (成本, 性), on its line or on a line of its own
    return name[:k], name[k:]


def _alone(toks: list[_Tok], k: int) -> bool:
    """Token ``k`` is the only one of its line among ``toks``."""
    return (k == 0 or toks[k - 1].line != toks[k].line) and (k + 1 >= len(toks) or toks[k + 1].line != toks[k].line)


def _level_at(cat: Catalog, v: _Vocab, toks: list[_Tok], i: int) -> tuple[str, int] | None:
    """A level name starting at token ``i`` and the token after it: the shortest run of lines
    that makes one (产 / 出 / 指 / 标 a line, 经济成本指 标 on one), extended by a short fragment on the
    next line that completes a longer one (满意度 / 指标)."""
    for j in range(i + 1, min(len(toks), i + 6) + 1):
        if not _CJK_WORD.fullmatch(toks[j - 1].text):
            return None  # a level name's fragments are words: no figure, no punctuation
        f = _level(cat, v, "".join(t.text for t in toks[i:j]))
        if f is None:
            continue
        if j < len(toks) and toks[j].line != toks[j - 1].line and len(toks[j].text) <= 2:
            longer = _level(cat, v, "".join(t.text for t in toks[i : j + 1]))
            if longer is not None:
                return longer, j + 1
        return f, j
    return None


def _continues(toks: list[_Tok], i: int) -> bool:
    """Token ``i`` is on the line of the token before it (part of the name being read)."""
    return i > 0 and toks[i - 1].line == toks[i].line


def _ends_line(toks: list[_Tok], j: int) -> bool:
    """Token ``j`` is the last of its line and a weight (an integer ends an indicator line)."""
    last = j + 1 >= len(toks) or toks[j + 1].line != toks[j].line
    return last and bool(_WEIGHT.match(toks[j].text))
