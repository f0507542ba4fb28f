"""Label columns: header cells over a table's row labels that the catalog cannot name.

A project table printing ``类型 | 项目名称 | 项目单位`` before its figures reads its figures right
with only 项目名称 known, but every row's name then swallows the unit printed after it (or is the
unit alone, where the name wrapped over lines): the names no longer tell the projects apart, and a
project's line cannot be found again in the performance tables.  Onboarding asks about such
cells too.

* **Which cells**: the header cells of a table's label area (left of its first column of
  figures) that the catalog cannot name and that do not head figures.  Taken from the header row
  the reader printed (so a header printed one character per line, which the PDF-text reader
  rebuilds, counts as its cell).
* **Candidates**: the catalog's label aliases (code, name, text, category ... roles) usable in the
  table's layout and not already naming another cell of that header, ranked by closeness
  (rapidfuzz); an alias the catalog gives for the table's own layout ranks above a generic one.
* **The judge**: each candidate is read in turn on top of what is accepted.  It is kept when the
  rows' names tell more rows apart than without it -- or as many, with fewer of them carrying a
  budget unit's name glued before their own (the document's department and the unit rows of its
  tables: 杭州市气象局气象业务建设 is a unit and a project) -- and no more checks fail (the checks involving
  the table's figures, across tables too: a project's line is checked against the performance
  tables by name).  Of several, most rows told apart wins, then the checks, then closeness; two
  the arithmetic and the names cannot tell apart (and whose closeness is about the same) leave the
  question ``ambiguous``, with nothing written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from rapidfuzz import process

from ..catalog import Catalog
from ..fold import fold
from ..llm.hybrid import merge_profiles, table_checks
from ..models import Disclosure
from ..read.grid import Grid
from ..read.normalize import SourceText
from ..read.numbers import parse_number
from ..read.pdftext_labels import _LABEL_ROLES, header_labels, label_spec
from ..read.segment import segment
from ..tables.header import build_columns
from ..tables.parse import split_part
from .candidates import _label_score
from .judge import Option, Question

MIN_SCORE = 40.0
"""A label alias this close to a printed cell is a candidate (the arithmetic and the row names judge)."""
LAYOUT_BONUS = 10.0
"""An alias the catalog gives for the table's own layout (项目单位 for projects) is the likelier
reading than a generic one (计量单位) of the same closeness."""
CLOSE_TIE = 5.0
LIMIT = 3
_CJK = re.compile(r"[\u4e00-\u9fff]")


def label_cells(src: SourceText, cat: Catalog, start: int, layout: str) -> list[str]:
    """The header cells of the table block starting at ``start`` over its row labels that the
    catalog cannot name and that do not head figures."""
    block = next((b for b in segment(src, cat).tables if b.start == start), None)
    if block is None or not block.parts:
        return []
    part = split_part(cat, block.parts[0], None, layout)
    if not part.header:
        return []
    width = max(len(r.cells) for r in part.header + part.data)
    cols = build_columns(cat, part.header, layout, width)
    first_value = next((c.index for c in cols if c.role == "value"), None)
    if first_value is None:
        return []
    out: list[str] = _text_label_words(src, cat, block.parts[0], layout) if block.parts[0].fmt == "pdftext" else []
    for c in cols[:first_value]:
        if c.role is not None or not c.path:
            continue
        printed = c.path[-1].strip()
        cells = [r.cells[c.index].text for r in part.data if c.index < len(r.cells) and r.cells[c.index].text]
        if not _CJK.search(printed) or sum(parse_number(x) is not None for x in cells) > len(cells) // 2:
            continue
        if cat.scope(printed, layout) is not None or cat.norm(printed) in cat.banner_words:
            continue
        out.append(printed)
    return list(dict.fromkeys(out))


def _text_label_words(src: SourceText, cat: Catalog, grid: Grid, layout: str) -> list[str]:
    """PDF text: the header words printed before its first label of figures that the catalog
    cannot name (the reader's plan keeps only the label columns it knows).  A cell printed in a
    narrow column one character per line (类 / 型, 项 目 / 单 / 位) is one word: a run of
    single characters is joined."""
    if not grid.rows or not grid.rows[0].cells:
        return []
    head = grid.rows[0]
    # a banner line over the figure columns printed above the label cells (财政拨款收入 over
    # 一般公共预算 ...) is no label cell, and the cells printed after it are still to be seen
    lines = [ln for ln in src.text[head.start:head.end].split("\n")
             if not (ln.split() and all(_heads_figures(cat, p, layout) for w in ln.split()
                                        for p in header_labels(cat, w)))]
    out: list[str] = []
    for word in vertical_words("\n".join(lines)):
        pieces = header_labels(cat, word)
        if any(_heads_figures(cat, p, layout) for p in pieces):
            break
        n = cat.norm(word)
        if label_spec(cat, word, layout) is None and n not in cat.banner_words and len(n) >= 2 \
                and not all(label_spec(cat, p, layout) is not None for p in pieces) and _CJK.search(word):
            out.append(word)
    return out


def vertical_words(text: str) -> list[str]:
    """Whitespace-separated words, runs of single CJK characters joined (a cell printed down a
    narrow column, one character per line)."""
    out: list[str] = []
    run: list[str] = []
    for w in [*text.split(), ""]:
        if len(w) == 1 and _CJK.match(w):
            run.append(w)
            continue
        if run:
            out.append("".join(run))
            run = []
        if w:
            out.append(w)
    return out


def _heads_figures(cat: Catalog, word: str, layout: str) -> bool:
    spec = label_spec(cat, word, layout)
    n = cat.norm(word)
    return (spec is not None and spec.role == "value") or cat.scope(word, layout) is not None \
        or n in cat.group_total_words


def label_candidates(cat: Catalog, label: str, layout: str, taken: set[tuple[str, str | None]]
                     ) -> list[tuple[str, str | None, float, str]]:
    """``(role, key, score, alias)`` of the label aliases closest to a printed cell, best first."""
    choices: dict[str, tuple[str, str | None, bool]] = {}
    for alias, specs in cat.labels.items():
        spec = cat._pick(specs, layout)
        if spec is not None and spec.role in _LABEL_ROLES and (spec.role, spec.key) not in taken:
            choices[alias] = (spec.role, spec.key, spec.layouts is not None)
    best: dict[tuple[str, str | None], tuple[float, str]] = {}
    for alias, score, _ in process.extract(cat.norm(label), list(choices), scorer=_label_score, limit=40):
        role, key, own = choices[alias]
        s = score + (LAYOUT_BONUS if own else 0.0)
        if score >= MIN_SCORE and s > best.get((role, key), (-1.0, ""))[0]:
            best[(role, key)] = (s, alias)
    ranked = sorted(best.items(), key=lambda kv: -kv[1][0])[:LIMIT]
    return [(role, key, round(s, 1), alias) for (role, key), (s, alias) in ranked]


def label_questions(srcs: list[SourceText | None], records: list[Disclosure], cat: Catalog) -> list[Question]:
    """One question per printed label cell (and layout) the catalog cannot name, over the tables printing it."""
    asked: dict[tuple[str, str], Question] = {}
    where: dict[tuple[str, str], set[tuple[int, int]]] = {}
    for d, (src, rec) in enumerate(zip(srcs, records, strict=True)):
        for t in rec.tables if src is not None else []:
            if t.kind == "other" or t.span is None:
                continue
            layout = cat.layout_of(t.kind)
            cells = label_cells(src, cat, t.span.start, layout) if src is not None else []
            if not cells:
                continue
            taken = _taken(cat, src, t.span.start, layout) if src is not None else set()
            for cell in cells:
                where.setdefault((cell, layout), set()).add((d, t.span.start))
                if (cell, layout) in asked:
                    continue
                opts = [Option(f"{role} {key or ''} (like {alias!r})".replace("  ", " "),
                               {"kinds": {}, "column": [{"labels": [cell], "role": role,
                                                         **({"key": key} if key else {}), "layouts": [layout]}]},
                               None, score) for role, key, score, alias in label_candidates(cat, cell, layout, taken)]
                if opts:
                    asked[(cell, layout)] = Question("label", cell, _locator(where[(cell, layout)]), opts)
    return list(asked.values())


def _taken(cat: Catalog, src: SourceText, start: int, layout: str) -> set[tuple[str, str | None]]:
    """The label roles (and keys) the table's header already names."""
    block = next((b for b in segment(src, cat).tables if b.start == start), None)
    if block is None:
        return set()
    part = split_part(cat, block.parts[0], None, layout)
    width = max((len(r.cells) for r in part.header + part.data), default=0)
    return {(c.role, c.key) for c in build_columns(cat, part.header, layout, width) if c.role in _LABEL_ROLES}


def _locator(where: set[tuple[int, int]]) -> Callable[[int, Disclosure], list[int]]:
    def locate(d: int, rec: Disclosure) -> list[int]:
        return [i for i, t in enumerate(rec.tables) if t.span is not None and (d, t.span.start) in where]
    return locate


def _told_apart(records: list[Disclosure], q: Question) -> tuple[int, int, int, int]:
    """(distinct row names among rows with figures, checks passing, checks failing, names that
    carry a budget unit's name glued before their own) of the question's tables."""
    names = passed = failed = glued = 0
    for d, rec in enumerate(records):
        units = _unit_names(rec)
        for ti in q.locate(d, rec):
            t = rec.tables[ti]
            named = {r.name for r in t.rows if r.name and any(v is not None for v in r.values.values())}
            names += len(named)
            glued += sum(1 for n in named if any(fold_name(n).startswith(u) and len(n) > len(u) for u in units))
            ok, bad = table_checks(rec, ti)
            passed, failed = passed + ok, failed + bad
    return names, passed, failed, glued


def _unit_names(rec: Disclosure) -> set[str]:
    """The document's budget units as it names them: its department and the unit rows of its
    tables (收入总表's 杭州市气象局, 杭州市气象服务中心 ...)."""
    out = {fold_name(r.name) for t in rec.tables for r in t.rows if r.role == "unit" and len(r.name) >= 4}
    if rec.meta.department and len(rec.meta.department) >= 4:
        out.add(fold_name(rec.meta.department))
    return out


def fold_name(name: str) -> str:
    return re.sub(r"\s+", "", fold(name))


def settle_labels(questions: list[Question], read: Callable[[dict[str, Any]], list[Disclosure]],
                  accepted: dict[str, Any]) -> dict[str, Any]:
    """Judge the label questions one after another (each on top of the answers kept before it:
    two cells of one table must not take credit for each other); returns the profile with the kept answers."""
    prof = accepted
    base_records = read(prof)
    for q in questions:
        base = _told_apart(base_records, q)
        tried: list[tuple[Option, tuple[int, int, int, int], list[Disclosure]]] = []
        for o in q.options:
            records = read(merge_profiles([prof, o.fragment]))
            got = _told_apart(records, q)
            o.passed, o.failed = got[1], got[2]
            o.figures = got[0]
            if got[0] < base[0] or (got[0] == base[0] and got[3] >= base[3]):
                o.verdict, o.why = "rejected", (f"its rows' names tell {got[0]} rows apart ({base[0]} without it), "
                                                f"{got[3]} of them with a budget unit's name glued on ({base[3]})")
            elif got[2] > base[2] or got[1] - 2 * got[2] < base[1] - 2 * base[2]:
                o.verdict, o.why = "rejected", (f"checks fail under it ({got[1]} pass / {got[2]} fail against "
                                                f"{base[1]} / {base[2]} without it)")
            else:
                o.verdict = "tested"
                o.why = (f"its rows' names tell {got[0]} rows apart ({base[0]} without it), {got[3]} with a "
                         f"budget unit's name glued on ({base[3]}); {got[1]} checks pass / {got[2]} fail")
                tried.append((o, got, records))
        if not tried:
            q.status = "rejected"
            continue
        tried.sort(key=lambda x: (x[1][0], -x[1][3], x[1][1] - 2 * x[1][2], x[0].score), reverse=True)
        best, got, records = tried[0]
        ties = [o for o, g, _ in tried[1:] if (g[0], -g[3], g[1] - 2 * g[2]) == (got[0], -got[3], got[1] - 2 * got[2])
                and best.score - o.score < CLOSE_TIE]
        if ties:
            for o in (best, *ties):
                o.verdict = "tied"
                o.why += "; as good under " + ", ".join(x.label for x in (best, *ties) if x is not o)
            q.status = "ambiguous"
            continue
        for o, _, _ in tried[1:]:
            o.verdict, o.why = "rejected", f"{o.why}; fewer rows told apart or less close than {best.label}"
        best.verdict, q.chosen, q.status = "accepted", best, "accepted"
        prof, base_records = merge_profiles([prof, best.fragment]), records
    return prof
