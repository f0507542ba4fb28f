"""Header words whole: what the catalog reads a sample's header cells and item names by, offered
as aliases of their own, so that every rendering's reader finds them in its vocabulary.

A reader of one rendering may read a header cell the catalog does not know by a shorter alias
inside it (“三公”经费预算数 by 三公经费), by its cell wrapped onto the next line (机关运行经费预算 / 数),
or not at all when it names no figures (科目代码 over the codes): the pypdf table still reads.
Another rendering prints the same cell as a paragraph of its own (pdfminer), and its reader needs
the cell among the catalog's header words to place the table.  So the profile learns the cells
whole, with the key or role the catalog reads them as (or its closest label alias):

* a one-word header cell the catalog's words cut in pieces, that the catalog names whole by an
  alias inside it;
* a known label followed by a fragment of one or two characters the catalog does not know (the
  cell wrapped), that the catalog names joined with the label's key;
* a header cell naming no figures that no catalog word names: the closest aliases of the code
  columns (科目代码 ~ 科目编码);
* the item names of a "三公" table printing its items as rows (行政经费 | 合计 | 一般公共预算 ...):
  there the items are the layout's column words, and a name the catalog cannot name is asked
  with the layout's closest value aliases.

Each is a :class:`~.judge.Question` judged like every column naming (the samples read again, the
table's checks across tables).

Comes in: the samples' records under the settled titles.  Goes out: questions.
"""

from __future__ import annotations

import re
from typing import Any

from rapidfuzz import process

from ..catalog import Catalog
from ..models import Disclosure, Table
from ..read.normalize import SourceText
from ..read.pdftext_labels import _vocabulary, header_labels
from .candidates import MIN_LABEL_SCORE, _label_score, alias_candidates
from .judge import COLUMN_PASS_RATE, Option, Question

WHOLE_SCORE = 90.0
"""The closeness a whole cell counts as when the catalog reads it already by an alias inside it."""
FRAGMENT = 2
"""A wrapped cell's last piece is at most this many characters."""
MIN_ITEMS = 2
"""A "三公" table prints its items as rows when at least this many row names are the layout's items."""
CODE_ROLES = ("code", "code_part", "unit_code")
"""The label roles a header cell over no figures is offered (the codes: the readers place the
classification by its header word)."""
_OF_WHICH = re.compile(r"^\s*其中\s*[:：]?\s*")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def word_questions(sources: list[SourceText | None], records: list[Disclosure], cat: Catalog,
                   asked: set[str]) -> list[Question]:
    """The questions of the header words and item names of every table read with a kind."""
    out: dict[tuple[str, str], Question] = {}
    for d, (src, rec) in enumerate(zip(sources, records, strict=True)):
        if src is None:
            continue
        for t in rec.tables:
            if t.kind == "other" or t.span is None or not t.rows:
                continue
            layout = cat.layout_of(t.kind)
            found = _item_names(cat, t, layout) if layout == "three_public" else []
            found += _header_words(cat, layout, _header_text(src, t))
            for text, opts in found:
                if text in asked or (text, layout) in out or not opts:
                    continue
                q = Question("column", text, _at(d, t.span.start), [
                    Option(f"{role} {key or ''} (like {alias!r})".replace("  ", " "), {"kinds": {}, "column": [
                        {"labels": [text], "role": role, **({"key": key} if key else {}), "layouts": [layout]}]},
                        None, score) for role, key, score, alias in opts])
                q.across, q.pass_rate = True, COLUMN_PASS_RATE
                out[(text, layout)] = q
    return list(out.values())


Candidates = list[tuple[str, str | None, float, str]]
"""``(role, key, score, alias)`` best first."""


def _item_names(cat: Catalog, t: Table, layout: str) -> list[tuple[str, Candidates]]:
    """Row names of a table printing the layout's items as rows that the catalog cannot name,
    with the layout's closest value aliases (no last resort: an item row is no table's amount)."""
    names = [_OF_WHICH.sub("", cat.norm(r.name)) for r in t.rows if r.name and r.values]
    known = [n for n in names if (s := cat.column(n, layout)) is not None and s.role == "value" and s.key]
    if len(set(known)) < MIN_ITEMS:
        return []
    return [(n, [c for c in alias_candidates(cat, n, layout) if c[2] > MIN_LABEL_SCORE - 1])
            for n in dict.fromkeys(names) if n not in known and _CJK.search(n)]


def _header_text(src: SourceText, t: Table) -> str:
    """The printed text between a table's start and its first row."""
    assert t.span is not None
    first = min((r.span.start for r in t.rows if r.span is not None), default=t.span.start)
    return src.text[t.span.start:first] if first > t.span.start else ""


def _header_words(cat: Catalog, layout: str, header: str) -> list[tuple[str, Candidates]]:
    vocab = _vocabulary(cat)[0]
    out: list[tuple[str, Candidates]] = []
    prev: str | None = None  # the line before, when it is one word the catalog knows
    for line in header.splitlines():
        words = line.split()
        if not words:
            continue
        first = header_labels(cat, words[0])
        if prev is not None and first and len(first[0]) <= FRAGMENT and cat.norm(first[0]) not in vocab:
            out += _joined(cat, layout, prev, first[0])  # 机关运行经费预算 / 数合计
        n = cat.norm(words[0])
        if len(words) == 1 and n not in vocab and 2 <= len(n) <= 20:
            spec = cat.column(words[0], layout) or cat.column_within(words[0], layout)
            if spec is not None and len(first) >= 2 and all(cat.norm(p) in vocab for p in first):
                out.append((n, [(spec.role, spec.key, WHOLE_SCORE, spec.label)]))  # “三公”经费预算数 alone
        for word in words:
            n = cat.norm(word)
            if n not in vocab and _WORD.fullmatch(n) and cat.column(word, layout) is None \
                    and cat.column_within(word, layout) is None and cat.scope(word, layout) is None:
                out.append((n, _label_aliases(cat, n, layout)))  # 科目代码
        prev = n if len(words) == 1 and (n := cat.norm(words[0])) in vocab else None
    return out


_WORD = re.compile(r"[\u4e00-\u9fff]{2,12}")


def _joined(cat: Catalog, layout: str, label: str, fragment: str) -> list[tuple[str, Candidates]]:
    """A label and the fragment its cell wrapped onto, whole -- when the catalog reads the whole
    with the label's own key."""
    whole = cat.norm(label + fragment)
    a, b = cat.column(label, layout), cat.column(whole, layout) or cat.column_within(whole, layout)
    if a is None or b is None or (a.role, a.key) != (b.role, b.key) or whole in cat.labels:
        return []
    return [(whole, [(a.role, a.key, WHOLE_SCORE, a.label)])]


def _label_aliases(cat: Catalog, label: str, layout: str, limit: int = 2) -> Candidates:
    """The code-column aliases of a layout closest to a printed cell (a name or text column is
    read by its cells whatever its header says, and no check can tell a unit's name from a
    project's: those are left to the user)."""
    choices: dict[str, Any] = {}
    for alias, specs in cat.labels.items():
        spec = cat._pick(specs, layout)
        if spec is not None and spec.role in CODE_ROLES:
            choices[alias] = spec
    out: Candidates = []
    seen: set[tuple[str, str | None]] = set()
    for alias, score, _ in process.extract(label, list(choices), scorer=_label_score, limit=10):
        spec = choices[alias]
        if score < MIN_LABEL_SCORE or (spec.role, spec.key) in seen:
            continue
        seen.add((spec.role, spec.key))
        out.append((spec.role, spec.key, round(score, 1), alias))
        if len(out) == limit:
            break
    return out


def _at(d: int, start: int) -> Any:
    def locate(dd: int, rec: Disclosure) -> list[int]:
        return [i for i, t in enumerate(rec.tables) if dd == d and t.span is not None and t.span.start == start]
    return locate
