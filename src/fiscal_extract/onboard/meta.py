"""The lines that say whose document it is, in what unit, and whether budget or final accounts.

A new template may print them in words the catalog's ``[text.meta]`` patterns do not know
(``编报单位：某某局``, ``数额：元``, a cover reading ``2026年财务预算公示``).  After the tables are
settled, for every sample whose meta the rules leave unread or read otherwise than these lines say:

* **department**: a ``label：value`` line printed over the tables, whose value repeats over at least
  :data:`MIN_TABLES` tables (the owner of every table) and is not the department read, gives a
  pattern for the label;
* **unit**: a ``label：万元`` (or 元) line over tables read in another unit (or none) gives a
  pattern for the label;
* **kind words**: where the kind is not read, a word of the cover (its first lines) with 预算 or
  决算 in it, not both.

Each is kept only when the samples, read again with it, get the field it is for (the same value
the line prints); a proposal that reads nothing is dropped.  What was kept goes to the profile's
``[text.meta]`` (a profile's patterns are tried before the built-in ones).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from typing import Any

from ..catalog import Catalog
from ..models import Disclosure
from ..read.normalize import SourceText
from ..read.segment import Segments
from .judge import Option, Question

MIN_TABLES = 2
"""A value printed over at least this many tables' ``label：value`` lines is the owner's name."""
_PAIR = re.compile(r"(?:^|(?<=\s))(?P<label>[\u4e00-\u9fff()（）]{2,10})\s*[:：;；]\s*(?P<v>[^\s:：;；]{2,40})")
_UNIT = re.compile(r"(?:^|(?<=[\s(（]))(?P<label>[\u4e00-\u9fff]{1,6})\s*[:：;；]\s*(?P<v>万元|元)(?![\u4e00-\u9fff])")
_KIND = re.compile(r"[\u4e00-\u9fff]{2}(?:预算|决算)|(?:预算|决算)[\u4e00-\u9fff]{2}")
_HEAD_LINES = 12


def _known(cat: Catalog, field: str, text: str) -> bool:
    """Whether one of the catalog's own patterns for ``field`` reads the line (it is no new line)."""
    return any(re.search(p, text) for p in cat.text.get("meta", {}).get(field, []))


def _department_line(cat: Catalog, seg: Segments) -> tuple[str, str] | None:
    """(label, value) of the owner line printed over the most tables, in words the catalog does not know."""
    counts: Counter[tuple[str, str]] = Counter()
    for t in seg.tables:
        seen: set[tuple[str, str]] = set()
        for line in t.meta:
            if _known(cat, "department", line.text):
                return None
            for m in _PAIR.finditer(line.text):
                value = m.group("v")
                if value.endswith(("万元", "元")) or re.search(r"\d", value):
                    continue
                seen.add((m.group("label"), value))
        counts.update(seen)
    best = counts.most_common(1)
    return best[0][0] if best and best[0][1] >= MIN_TABLES else None


def _unit_line(cat: Catalog, seg: Segments) -> tuple[str, str] | None:
    """(label, unit) of the unit line printed over the most tables, in words the catalog does not know."""
    counts: Counter[tuple[str, str]] = Counter()
    for t in seg.tables:
        for line in t.meta:
            if _known(cat, "unit", line.text):
                return None
            counts.update((m.group("label"), m.group("v")) for m in _UNIT.finditer(line.text))
    best = counts.most_common(1)
    return best[0][0] if best else None


def _kind_word(src: SourceText) -> tuple[str, str] | None:
    """(``budget_words`` or ``final_words``, the word) from the cover's first lines."""
    lines = [src.folded[a:b].strip() for a, b in src.lines()]
    head = re.sub(r"\s+", "", "".join([ln for ln in lines if ln][:_HEAD_LINES]))
    for m in _KIND.finditer(head):
        word = m.group()
        if ("预算" in word) != ("决算" in word):
            return ("budget_words" if "预算" in word else "final_words", word)
    return None


def _fragment(section: dict[str, list[str]]) -> dict[str, Any]:
    return {"kinds": {}, "column": [], "text": {"meta": section}}


def meta_questions(cat: Catalog, srcs: list[SourceText], segs: list[Segments], records: list[Disclosure]
                   ) -> list[Question]:
    """One question per meta field the rules leave unread in some sample and a line proposes."""
    out: dict[str, Question] = {}

    def ask(field: str, printed: str, label: str, section: dict[str, list[str]], want: str | None) -> None:
        if field in out:
            return
        opt = Option(label, _fragment(section), None, 80.0, evidence=[f"printed {printed!r}"])
        opt.why = want or ""
        out[field] = Question("meta", f"{field}: {printed}", lambda _d, _r: [], [opt])

    for src, seg, rec in zip(srcs, segs, records, strict=True):
        if (dep := _department_line(cat, seg)) is not None and rec.meta.department != dep[1]:
            label, value = dep
            pat = re.escape(label) + r"\s*[:：;；]\s*(?P<v>[^\s:：;；]{3,40}?)(?=\s|单位\s*[:：]|金额单位|$)"
            ask("department", f"{label}：{value}", f"department line {label}：", {"department": [pat]}, value)
        unit = _unit_line(cat, seg)
        if unit is not None and any(t.unit != unit[1] for t in rec.tables if t.kind != "other"):
            pat = re.escape(unit[0]) + r"\s*[:：;；]\s*(?P<v>万元|元)"
            ask("unit", f"{unit[0]}：{unit[1]}", f"unit line {unit[0]}：", {"unit": [pat]}, unit[1])
        if rec.meta.kind is None and (kw := _kind_word(src)) is not None:
            ask("kind", kw[1], f"{kw[0]} {kw[1]!r}", {kw[0]: [kw[1]]}, None)
    return list(out.values())


def _reads(field: str, want: str | None, before: Disclosure, after: Disclosure) -> bool:
    if field == "department":
        return after.meta.department is not None and (want is None or after.meta.department == want)
    if field == "unit":
        return sum(t.unit == want for t in after.tables) > sum(t.unit == want for t in before.tables)
    return before.meta.kind is None and after.meta.kind is not None


def settle_meta(questions: list[Question], read: Callable[[dict[str, Any]], list[Disclosure]],
                prof: dict[str, Any]) -> dict[str, Any]:
    """Keep each meta proposal under which the samples read the field it is for."""
    if not questions:
        return {}
    before = read(prof)
    kept: dict[str, list[str]] = {}
    for q in questions:
        field = q.text.split(":", 1)[0]
        opt = q.options[0]
        want = opt.why or None
        after = read({**prof, "text": opt.fragment["text"]})
        if any(_reads(field, want, b, a) for b, a in zip(before, after, strict=True)):
            opt.verdict, q.chosen, q.status = "accepted", opt, "accepted"
            opt.why = f"the samples read their {field} with it"
            for k, v in opt.fragment["text"]["meta"].items():
                kept.setdefault(k, []).extend(x for x in v if x not in kept.get(k, []))
        else:
            opt.verdict, q.status = "rejected", "rejected"
            opt.why = f"the samples read no {field} with it"
    return {"meta": kept} if kept else {}
