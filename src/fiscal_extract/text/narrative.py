"""Figures stated in the narrative text, with their shares and year-on-year changes.

The narrative is matched with all whitespace removed (OCR splits words and numbers with
spaces and line breaks); every match is mapped back to exact source offsets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from ..catalog import Catalog
from ..models import Change, Narrative, NarrativeFact, Span, ThreePublic
from ..read.anchored import Anchored
from ..read.normalize import SourceText
from ..read.numbers import too_long
from ..read.segment import Line


@dataclass
class _Compact:
    text: str
    offsets: list[int]

    def span(self, src: SourceText, a: int, b: int) -> Span:
        start = self.offsets[a]
        end = self.offsets[b - 1] + 1 if b > a else start
        return Span(start=start, end=end, line=src.line_of(start))


_NONSPACE = re.compile(r"\S+")
_UNIT = re.compile(r"万元|万|元")
_CLAUSE_END = re.compile(r"[。；;\n]")


def _compact(src: SourceText, lines: list[Line]) -> _Compact:
    parts: list[str] = []
    offs: list[int] = []
    folded = src.folded
    for ln in lines:
        for m in _NONSPACE.finditer(folded, ln.start, ln.end):
            tok = m.group()
            if "*" in tok:
                # markdown emphasis ("**公务用车运行维护费** 0万元") is layout, not text
                keep = [(ch, m.start() + i) for i, ch in enumerate(tok) if ch != "*"]
                parts.append("".join(ch for ch, _ in keep))
                offs.extend(i for _, i in keep)
                continue
            parts.append(tok)
            offs.extend(range(m.start(), m.end()))
        parts.append("\n")
        offs.append(ln.end)
    text = "".join(parts).replace("（", "(").replace("）", ")")
    return _Compact(text, offs)


@dataclass(frozen=True)
class _Patterns:
    facts: list[tuple[Anchored, str | None]]
    changes: list[Anchored]
    subjects: dict[str, str | list[str]]
    share: re.Pattern[str]
    change: re.Pattern[str]
    flat: re.Pattern[str]
    previous: re.Pattern[str]


@lru_cache(maxsize=8)
def _patterns(cat: Catalog) -> _Patterns:
    t = cat.text
    macros = t.get("macros", {})

    def expand(p: str) -> str:
        for k, v in macros.items():
            p = p.replace("{" + k + "}", v)
        return p

    facts = [(Anchored.compile(expand(f["pattern"])), f.get("also")) for f in t.get("fact", [])]
    changes = [Anchored.compile(expand(c["pattern"])) for c in t.get("change", [])]
    after = t.get("after", {})
    return _Patterns(
        facts,
        changes,
        dict(t.get("change_subjects", {})),
        re.compile(expand(after["share"])),
        re.compile(expand(after["change"])),
        re.compile(expand(after["flat"])),
        re.compile(expand(after["previous"])),
    )


def _dec(s: str | None) -> Decimal | None:
    if not s or too_long(s):
        return None
    return Decimal(s.replace(",", ""))


def extract_narrative(src: SourceText, lines: list[Line], cat: Catalog, unit: str | None) -> Narrative:
    comp = _compact(src, lines)
    text = comp.text
    pats = _patterns(cat)
    # (value start) -> (match length, fact list)
    found: dict[int, tuple[int, list[NarrativeFact], int]] = {}
    for pat, also in pats.facts:
        for m in pat.finditer(text):
            facts = []
            for g, v in m.groupdict().items():
                if not g.startswith("v_") or v is None or too_long(v):
                    continue
                key = g[2:]
                a, b = m.span(g)
                subject = text[m.start() : a]
                unit_m = _UNIT.match(text, b)
                fact = NarrativeFact(
                    key=key,
                    subject=m.group("subject") if "subject" in m.groupdict() and m.group("subject") else subject,
                    value=_dec(v),
                    unit="万元" if unit_m and unit_m.group(0).startswith("万") else ("元" if unit_m else None),
                    span=comp.span(src, a, b),
                )
                if key == "function_class":
                    fact.code = cat.function_code(fact.subject)
                facts.append(fact)
                if also and key != also:
                    facts.append(fact.model_copy(update={"key": also}))
            if not facts:
                continue
            start = min(m.span(g)[0] for g in m.groupdict() if g.startswith("v_") and m.group(g) is not None)
            length = m.end() - m.start()
            old = found.get(start)
            if old is None or length > old[0]:
                found[start] = (length, facts, m.end())
    ordered = sorted(found.items())
    starts = [s for s, _ in ordered]
    out: list[NarrativeFact] = []
    for n, (_start, (_len, facts, end)) in enumerate(ordered):
        stop = starts[n + 1] if n + 1 < len(starts) else len(text)
        tail = text[end:stop]
        cut = _CLAUSE_END.search(tail)
        clause = tail[: cut.start()] if cut else tail
        for f in facts:
            ms = pats.share.match(clause)
            if ms:
                f.share = _dec(ms.group("share"))
            mc = pats.change.match(clause)
            if mc:
                f.change = Change(
                    direction="increase" if mc.group("dir") in ("增加", "增长") else "decrease",
                    amount=_dec(mc.group("amount")),
                    percent=_dec(mc.group("percent")),
                    span=comp.span(src, end + mc.start("dir"), end + mc.end()),
                )
            elif pats.flat.match(clause):
                f.change = Change(direction="flat", span=comp.span(src, end, end + len(clause)))
            mp = pats.previous.search(clause) or pats.previous.search(text[max(0, end - 120) : end].rsplit("。", 1)[-1])
            if mp and f.change is not None:
                f.change.previous = _dec(mp.group("previous"))
            out.append(f)
    _attach_changes(src, comp, pats, out)
    return _headline(out, unit)


def _attach_changes(src: SourceText, comp: _Compact, pats: _Patterns, facts: list[NarrativeFact]) -> None:
    """ "收入增加152.1万元，增长40.8%": a change with a subject of its own, for the fact before it."""
    text = comp.text
    for pat in pats.changes:
        for m in pat.finditer(text):
            subj = m.group("subject")
            keys = pats.subjects.get(subj)
            if keys is None:  # the longest known subject inside the statement's subject
                hits = sorted((s for s in pats.subjects if s in subj), key=len, reverse=True)
                keys = pats.subjects[hits[0]] if hits else None
            if keys is None:
                continue
            pos = comp.offsets[m.start()]
            change = Change(
                direction="increase" if m.group("dir") in ("增加", "增长") else "decrease",
                amount=_dec(m.group("amount")),
                percent=_dec(m.group("percent")),
                span=comp.span(src, m.start(), m.end()),
            )
            for key in [keys] if isinstance(keys, str) else keys:
                cands = [
                    f for f in facts if f.key == key and f.span is not None and f.span.start < pos and f.change is None
                ]
                if cands:
                    cands[-1].change = change


def _headline(facts: list[NarrativeFact], unit: str | None) -> Narrative:
    nar = Narrative(facts=facts)
    tp = ThreePublic()
    for f in facts:
        value = f.value
        if value is not None and f.unit == "元" and unit == "万元":
            value = value / Decimal(10000)
        if f.key.startswith("three_public__"):
            k = f.key.split("__", 1)[1]
            if k in ThreePublic.model_fields and getattr(tp, k) is None:
                setattr(tp, k, value)
        elif f.key in Narrative.model_fields and f.key not in ("facts", "three_public") and getattr(nar, f.key) is None:
            setattr(nar, f.key, value)
    nar.three_public = tp
    return nar
