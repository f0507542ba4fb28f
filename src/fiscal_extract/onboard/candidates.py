"""Candidates for what the catalog does not know, from the document and the catalog alone.

* **Titles**: every short line that reads as a table title (a contents entry with its dot leaders
  dropped, or a title over a table) and that the catalog does not know exactly.  The contents list
  is the list of tables to expect.
* **Kinds** for a title: the catalog's kinds ranked by how close the title is to their known
  titles (rapidfuzz), joined by the kind the table's header words suggest (signature) and, for a
  table printing classification codes, the kinds whose tables print that code system.
* **Column keys** for a header label the catalog cannot name: the catalog's aliases of the
  table's layout ranked by closeness (rapidfuzz), the label's own words first.

Nothing here decides: :mod:`.judge` tries each candidate and keeps the one whose identities hold.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from ..catalog import Catalog
from ..models import Disclosure, Table
from ..read.normalize import SourceText
from ..read.segment import Segments

_LEADER = re.compile(r"[\s.…·．_-]{2,}\d{0,4}\s*$|\s+\d{1,4}\s*$")
_TITLE_END = re.compile(r"表(?:\([^()]{1,12}\))?$")
_ITEM_NO = re.compile(r"^\s*\d{1,2}\s*[.．、]\s*")
KIND_WORDS = ("预算", "决算", "支出", "收入", "收支", "经费", "拨款", "采购", "项目", "绩效", "经济分类")
"""Words one of which a table title of a budget disclosure prints (the others are headings)."""

MIN_TITLE_SCORE = 60.0
"""A kind is a candidate for a title only when the title is at least this close to one of its titles."""
MIN_LABEL_SCORE = 75.0
AMOUNT_SCORE = 50.0
"""Every unnamed column of figures may be the table's amount (``total``): the last candidate."""


@dataclass
class KindCandidate:
    kind: str
    score: float
    """Closeness of the title to the kind's known titles, 0-100."""
    evidence: list[str] = field(default_factory=list)
    origin: str = "rules"
    """``rules`` (fuzzy matching, header words, codes) or ``model``."""


@dataclass
class TitleCandidate:
    key: str
    """The title as the catalog compares it (normalised, numbering and years removed)."""
    printed: str
    lines: list[int] = field(default_factory=list)
    in_contents: bool = False
    current: str | None = None
    """The kind the catalog reads this title as today (a fuzzy match), if any."""
    kinds: list[KindCandidate] = field(default_factory=list)


def title_lines(src: SourceText, seg: Segments, cat: Catalog) -> list[TitleCandidate]:
    """Every distinct table title the document prints that the catalog does not know exactly,
    in the order first printed.  A title printed with a dot leader and a page number is a contents
    entry."""
    found: dict[str, TitleCandidate] = {}
    text = src.folded
    for no, (start, end) in enumerate(src.lines(), start=1):
        if end - start > 90:
            continue
        raw = text[start:end].strip()
        core = _LEADER.sub("", raw).strip()
        contents = core != raw and bool(re.search(r"[.…·．_]{2,}|\s\d{1,4}$", raw))
        key = _title_key(cat, core)
        if key is None:
            continue
        cand = found.get(key)
        if cand is None:
            match = cat.match_title(core)
            exact = cat.match_title(key)
            if (match is not None and match.score >= 100) or (exact is not None and exact.score >= 100):
                continue  # known exactly
            cand = found[key] = TitleCandidate(key, core, current=match.kind if match else None)
        cand.lines.append(no)
        cand.in_contents = cand.in_contents or contents
    return list(found.values())


def _title_key(cat: Catalog, text: str) -> str | None:
    if not text or len(text) > 60 or any(ord(ch) < 32 for ch in text):
        return None
    key = title_key(cat, text)
    if not (4 <= len(key) <= 40) or not _TITLE_END.search(key):
        return None
    if not any(w in key for w in KIND_WORDS) or re.search(r"\d\.\d|\d{4}|,\d{3}|[。；;，,：:]", key):
        return None
    return key


def title_key(cat: Catalog, text: str) -> str:
    """A printed title as the catalog compares it, its numbering and year peeled off however they
    are stacked (``1. 2025年部门…``)."""
    key = cat.norm_title(_ITEM_NO.sub("", text))
    for _ in range(3):
        again = cat.norm_title(key)
        if again == key:
            break
        key = again
    return key


def kind_candidates(cat: Catalog, key: str, limit: int = 3) -> list[KindCandidate]:
    """The kinds whose known titles are closest to a title, best first (at most ``limit``)."""
    index = cat.memo("onboard_titles")
    if not index:
        for spec in cat.kinds.values():
            for t in spec.titles:
                index.setdefault(cat.norm_title(t), spec.kind)
    best: dict[str, tuple[float, str]] = {}
    for known, score, _ in process.extract(key, list(index), scorer=_title_score, limit=40):
        kind = index[known]
        if score >= MIN_TITLE_SCORE and (kind not in best or score > best[kind][0]):
            best[kind] = (score, known)
    ranked = sorted(best.items(), key=lambda kv: -kv[1][0])[:limit]
    return [KindCandidate(kind, round(s, 1), [f"title close to {known!r} ({s:.0f})"]) for kind, (s, known) in ranked]


def _title_score(a: str, b: str, **_: object) -> float:
    """Closeness of a normalised title ``a`` to a known one ``b``: whole-string similarity, helped
    by the longest shared words (a printed 支出预算总表 is the catalog's 支出总表) -- unless ``a`` is
    printed whole within the longer ``b``: the longer title names a narrower table (支出决算表 is
    no 政府性基金预算财政拨款支出决算表), and must not score it over the broader kind."""
    if a in b and a != b:
        return fuzz.ratio(a, b)
    return max(fuzz.ratio(a, b), 0.85 * fuzz.partial_ratio(a, b) if min(len(a), len(b)) >= 5 else 0.0)


def table_evidence(cat: Catalog, table: Table) -> list[KindCandidate]:
    """Kinds a table's own header words and codes suggest."""
    out: list[KindCandidate] = []
    sig = cat.match_signature(c.label for c in table.columns)
    if sig:
        out.append(KindCandidate(sig, 70.0, ["header words match its signature"]))
    systems = {cat.code_system(r.code) for r in table.rows if r.code}
    if "economic" in systems and not any(k.kind == "general_budget_basic_expenditure" for k in out):
        out.append(KindCandidate("general_budget_basic_expenditure", 60.0, ["rows print economic codes"]))
    return out


def merge(*lists: Iterable[KindCandidate]) -> list[KindCandidate]:
    """Candidates of several sources, one per kind (the best score, the evidence united)."""
    out: dict[str, KindCandidate] = {}
    for cands in lists:
        for c in cands:
            have = out.get(c.kind)
            if have is None:
                out[c.kind] = KindCandidate(c.kind, c.score, list(c.evidence), c.origin)
            else:
                have.score = max(have.score, c.score)
                have.evidence += [e for e in c.evidence if e not in have.evidence]
                if c.origin == "model":
                    have.origin = "model" if have.origin == "model" else "rules+model"
    return list(out.values())


# ------------------------------------------------------------------------------- columns

_GLOSS = re.compile(r"\([^()]*\)")


def _label_score(a: str, b: str, **_: object) -> float:
    """Closeness of a printed header label to an alias: whole-string similarity, helped by the
    longest shared words either way (a header cell wraps or abbreviates its label), and by the
    alias without its bracketed gloss (行政经费(机关运行经费) is printed 行政经费 too)."""
    bare = _GLOSS.sub("", b) if "(" in b else ""
    return max(fuzz.ratio(a, b), 0.85 * fuzz.partial_ratio(a, b) if min(len(a), len(b)) >= 5 else 0.0,
               0.9 * fuzz.ratio(a, bare) if len(bare) >= 2 else 0.0)


@dataclass
class LabelCandidate:
    label: str
    """The header label as printed."""
    layout: str
    table: str
    options: list[tuple[str, str | None, float, str]] = field(default_factory=list)
    """``(role, key, score, alias)`` best first."""


_UNMAPPED = re.compile(r"column \d+ '(.+?)' holds figures but the catalog cannot name it")


def unmapped_labels(record: Disclosure, cat: Catalog) -> list[LabelCandidate]:
    """Header labels of figures the catalog cannot name (from the rules' notices), with the
    catalog aliases closest to each."""
    out: dict[tuple[str, str], LabelCandidate] = {}
    for n in record.notices:
        if n.code != "unmapped_column" or n.span is None:
            continue
        m = _UNMAPPED.search(n.message)
        if not m or m.group(1).startswith("("):
            continue
        table = next((t for t in record.tables if t.span and t.span.start <= n.span.start < t.span.end), None)
        if table is None:
            continue
        label = m.group(1).split("/")[-1].strip()
        layout = cat.layout_of(table.kind)
        if (label, layout) in out or not label:
            continue
        out[(label, layout)] = LabelCandidate(label, layout, table.title or table.kind,
                                              alias_candidates(cat, label, layout))
    return list(out.values())


def alias_candidates(cat: Catalog, label: str, layout: str, limit: int = 3, min_score: float = MIN_LABEL_SCORE
                     ) -> list[tuple[str, str | None, float, str]]:
    """The value aliases of a layout closest to a printed label: ``(role, key, score, alias)``."""
    n = cat.norm(label)
    choices: dict[str, tuple[str, str | None]] = {}
    for alias, specs in cat.labels.items():
        spec = cat._pick(specs, layout)
        if spec is not None and spec.role == "value" and spec.key:
            choices[alias] = (spec.role, spec.key)
    out: list[tuple[str, str | None, float, str]] = []
    seen: set[str | None] = set()
    for alias, score, _ in process.extract(n, list(choices), scorer=_label_score, limit=20):
        role, key = choices[alias]
        if score < min_score or key in seen:
            continue
        seen.add(key)
        out.append((role, key, round(score, 1), alias))
        if len(out) == limit:
            break
    if "total" not in seen:
        out.append(("value", "total", AMOUNT_SCORE, "(the table's amount)"))
    return out
