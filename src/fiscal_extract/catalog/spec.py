"""The catalog's types: table kinds, labels, scopes, row identities, title matches, and the
:class:`Catalog` that answers every lookup the extractor makes (titles, aliases, codes, confusables)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

from rapidfuzz import fuzz, process

from ..caching import TEXT_CACHE
from ..fold import fold

DATA_FILES = (
    "tables.toml",
    "columns.toml",
    "rows.toml",
    "codes.toml",
    "confusables.toml",
    "text.toml",
    "identities.toml",
    "perf.toml",
    "summary.toml",
    "checks.toml",
)

_READING_KIND: ContextVar[str | None] = ContextVar("reading_kind", default=None)
"""The kind of the table being read, for aliases a profile limits to some kinds (``kinds``)."""


@contextmanager
def reading_kind(kind: str | None) -> Iterator[None]:
    """Within it, alias lookups answer for a table of ``kind``: an alias limited to other kinds
    (``kinds = [...]`` on a ``[[column]]`` entry) names nothing; outside any table it names nothing either."""
    token = _READING_KIND.set(kind)
    try:
        yield
    finally:
        _READING_KIND.reset(token)


def current_kind() -> str | None:
    return _READING_KIND.get()


_QUOTES = str.maketrans("", "", "“”\"'‘’「」『』《》`")
_NUMBERING = re.compile(
    r"^(?:[#>\-*·•\s]+)?"
    r"(?:第[一二三四五六七八九十]+部分\s*)?"
    r"(?:(?:[(（]?[一二三四五六七八九十廿]{1,3}[)）、.．,，])|(?:[(（]\d{1,2}[)）])|(?:\d{1,2}[、．](?!\d))|(?:\d{1,2}\.(?!\d)))\s*"
)
SEPARATORS = re.compile(r"[\s\u3000]+")


_SENTENCE = re.compile(r"[，。；;！？、]|详见|如下|附件")
"""What a title never holds: running text that names a table."""

@dataclass(frozen=True)
class KindSpec:
    kind: str
    layout: str
    titles: tuple[str, ...]
    signature: tuple[str, ...]
    title_endings: tuple[str, ...] = ()
    """Titles made of a free name and one of these ("信息化运行维护" + "绩效目标表"): one form a project."""
    other_signatures: tuple[tuple[str, ...], ...] = ()
    """More sets of header words that identify the kind (another template's header), each alone."""


@dataclass(frozen=True)
class LabelSpec:
    role: str
    key: str | None
    layouts: frozenset[str] | None
    label: str
    match: str = "within"
    """How the alias meets a header cell: ``whole`` (the whole cell, after normalisation),
    ``fuzzy`` (also a close spelling) or ``within`` (also inside a longer cell)."""
    kinds: frozenset[str] | None = None
    """The table kinds the alias names a column of (``None``: every kind of its layouts)."""


@dataclass(frozen=True)
class ScopeSpec:
    prefix: str | None
    side: str | None
    label_scope: bool
    layouts: frozenset[str] | None
    label: str
    paired: bool = False
    """A scope that prefixes keys only beside another paired scope (预算数 | 决算数); printed
    alone it is a banner over the columns (2026年预算数)."""


@dataclass(frozen=True)
class Identity:
    """lhs = sum(rhs) within one row of the given table kinds."""

    id: str
    kinds: frozenset[str]
    lhs: str
    rhs: tuple[str, ...]
    min_terms: int
    message: str
    repeat: str | None = None
    """The part a header names with the group's own label printed again among its parts
    (因公出国(境)费 {小计 | 因公出国(境)费 | 科研因公出国(境)费用}: the ordinary part)."""
    terms: tuple[tuple[int, str], ...] = field(init=False, repr=False, compare=False)
    """``rhs`` read once: (sign, key) per term ("-key" -> (-1, "key"))."""

    def __post_init__(self) -> None:
        terms = tuple((-1 if r.startswith("-") else 1, r.lstrip("-")) for r in self.rhs)
        object.__setattr__(self, "terms", terms)


@dataclass(frozen=True)
class TitleMatch:
    kind: str
    title: str
    score: float


@dataclass(eq=False)
class Catalog:
    kinds: dict[str, KindSpec]
    labels: dict[str, list[LabelSpec]]
    scopes: dict[str, list[ScopeSpec]]
    subtotal_words: frozenset[str]
    row_total: frozenset[str]
    row_subtotal: frozenset[str]
    of_which_prefixes: tuple[str, ...]
    row_categories: dict[str, str]
    codes: dict[str, dict[str, str]]
    functional_aliases: dict[str, str]
    confusables: dict[int, str]
    empty_notes: tuple[str, ...]
    note_prefixes: tuple[str, ...]
    text: dict[str, Any]
    identities: list[Identity]
    version: str
    perf_columns: dict[str, str] = field(default_factory=dict)
    perf_matrix: dict[str, Any] = field(default_factory=dict)
    perf_words: dict[str, list[str]] = field(default_factory=dict)
    perf_parents: dict[str, str] = field(default_factory=dict)
    """Level-2 indicator name -> the level-1 name it belongs to (the national indicator framework)."""
    summary_sources: list[dict[str, Any]] = field(default_factory=list)
    repeat_prefix: dict[str, str] = field(default_factory=dict)
    outer_prefix: dict[str, str] = field(default_factory=dict)
    """Per layout: the prefix of a total printed outside a group that has its own total (合计 over
    "三公"经费 {小计 ...} | 会议费 | 培训费: the outer one is ``grand_total``)."""
    unsummed_keys: frozenset[str] = frozenset()
    """Value keys whose column is never summed (ratios, prices): no column-sum identity is written for them."""
    often_empty: dict[str, list[str]] = field(default_factory=dict)
    """Per layout: value keys most often left empty, which a tie the arithmetic cannot break
    leaves empty first (a notice says so)."""
    repeat_key: dict[str, str] = field(default_factory=dict)
    """A value key printed a second time in one header -> the second column's key (before
    ``repeat_prefix``): 增减额 twice in the central template is the change net of capital investment."""
    templates: dict[str, list[str]] = field(default_factory=dict)
    key_help: dict[str, str] = field(default_factory=dict)
    """One line per canonical value key (columns.toml ``[key_help]``): what the key means."""
    checks: dict[str, Any] = field(default_factory=dict)
    three_public_prefixes: tuple[str, ...] = ("actual_", "")
    title_noise: tuple[re.Pattern[str], ...] = ()
    """Patterns removed from a printed title before it is looked up (tables.toml ``[title] noise``)."""
    group_total_words: frozenset[str] = frozenset()
    """Words printed under a group label for the group's own column (小计)."""
    banner_words: frozenset[str] = frozenset()
    """Header words that name no column of their own (功能分类科目 over 科目编码 / 科目名称)."""
    kind_systems: dict[str, str] = field(default_factory=dict)
    """Table kind -> the code system its rows are classified by (codes.toml ``[kind_systems]``)."""
    sources: tuple[str, ...] = ()
    _title_index: dict[str, str] = field(default_factory=dict, repr=False)
    _norm_cache: dict[str, str] = field(default_factory=dict, repr=False)
    _identities_by_kind: dict[str, tuple[Identity, ...]] = field(default_factory=dict, repr=False)
    _memo: dict[str, dict[Any, Any]] = field(default_factory=dict, repr=False)

    def memo(self, name: str, limit: int = TEXT_CACHE) -> dict[Any, Any]:
        """A lookup cache tied to this catalog (label -> answer), filled as labels are met.

        The catalog is not changed once built, so its answers for a label never go stale; each
        cache is emptied when it reaches ``limit`` entries (bounded memory in a long batch).
        """
        cache = self._memo.get(name)
        if cache is None or len(cache) >= limit:
            cache = self._memo[name] = {}
        return cache

    # ---------------------------------------------------------------- normalisation

    def norm(self, label: str) -> str:
        """Normalise a header / row label for lookup (never used for output)."""
        cache = self._norm_cache
        hit = cache.get(label)
        if hit is None:
            hit = self._norm(label)
            if len(cache) < TEXT_CACHE:
                cache[label] = hit
        return hit

    def _norm(self, label: str) -> str:
        s = fold(label)
        s = _NUMBERING.sub("", s, count=1)
        s = SEPARATORS.sub("", s).translate(_QUOTES)
        s = s.replace("：", ":").replace("（", "(").replace("）", ")")
        return s.translate(self.confusables)

    def norm_title(self, text: str) -> str:
        s = fold(text).strip()
        s = s.lstrip("#>*- ").strip()
        for pat in self.title_noise:
            s = pat.sub("", s)
        return self.norm(s)

    # ---------------------------------------------------------------- tables

    def match_title(self, text: str) -> TitleMatch | None:
        """The table kind a printed title names, exactly or fuzzily (``None`` if neither)."""
        if len(text) > 60:
            return None
        cache = self.memo("title_key")  # a document asks about each of its short lines
        key = cache.get(text)
        if key is None:
            key = cache[text] = self.norm_title(text)
        if len(key) < 3 or len(key) > 40:
            return None
        return self._match_title_norm(key)

    @lru_cache(maxsize=4096)  # noqa: B019 - the catalog lives as long as the process
    def _match_title_norm(self, key: str) -> TitleMatch | None:
        kind = self._title_index.get(key)
        if kind:
            return TitleMatch(kind, key, 100.0)
        if not key.endswith("表"):
            return None
        best = process.extractOne(key, list(self._title_index), scorer=fuzz.ratio, score_cutoff=86)
        if best:
            return TitleMatch(self._title_index[best[0]], key, float(best[1]))
        for ending, kind in self._title_endings:
            if key.endswith(ending) and len(key) - len(ending) <= 24 and not _SENTENCE.search(key):
                return TitleMatch(kind, key, 85.0)
        return None

    @cached_property
    def _title_endings(self) -> tuple[tuple[str, str], ...]:
        """``(normalised ending, kind)``, longest first."""
        pairs = [(self.norm(e), spec.kind) for spec in self.kinds.values() for e in spec.title_endings]
        return tuple(sorted(pairs, key=lambda p: -len(p[0])))

    def match_signature(self, labels: Iterable[str]) -> str | None:
        """The kind whose signature words all appear among normalised header labels."""
        joined = "|".join(self.norm(x) for x in labels if x)
        best: tuple[int, str] | None = None
        for kind, words, score in self._signatures:
            if (best is None or score > best[0]) and all(w in joined for w in words):
                best = (score, kind)
        return best[1] if best else None

    @cached_property
    def _signatures(self) -> list[tuple[str, tuple[str, ...], int]]:
        """``(kind, normalised signature words, score)`` of each kind with a signature."""
        return [
            (spec.kind, tuple(self.norm(w) for w in sig), sum(len(w) for w in sig))
            for spec in self.kinds.values()
            for sig in (spec.signature, *spec.other_signatures)
            if sig
        ]

    def kind_candidates(self, title: str | None, labels: Iterable[str], n: int = 3) -> list[tuple[str, list[str]]]:
        """The table kinds a printed title and header words could name, best first, each with its
        evidence ("title 83% like 部门支出总体情况表", "header has 基本支出、项目支出 (2 of 3 signature
        words)"): what tells apart tables whose header rows are the same."""
        key = self.norm_title(title) if title else ""
        joined = "|".join(self.norm(x) for x in labels if x)
        scored: list[tuple[float, str, list[str]]] = []
        for kind, spec in self.kinds.items():
            evidence: list[str] = []
            score = 0.0
            if key and spec.titles:
                best = process.extractOne(key, [self.norm_title(t) for t in spec.titles], scorer=fuzz.ratio)
                if best is not None and best[1] >= 50:
                    score += best[1]
                    evidence.append(f"title {best[1]:.0f}% like {spec.titles[best[2]]}")
            words = [w for w in spec.signature if self.norm(w) in joined]
            if words:
                score += 100 * len(words) / len(spec.signature)
                n_sig = len(spec.signature)
                evidence.append(f"header has {'、'.join(words)} ({len(words)} of {n_sig} signature words)")
            if evidence:
                scored.append((score, kind, evidence))
        scored.sort(key=lambda x: -x[0])
        return [(kind, ev) for _, kind, ev in scored[:n]]

    def layout_of(self, kind: str) -> str:
        spec = self.kinds.get(kind)
        return spec.layout if spec else "classified"

    # ---------------------------------------------------------------- columns

    def is_subtotal(self, label: str) -> bool:
        return self.norm(label) in self.subtotal_words

    def scope(self, label: str, layout: str) -> ScopeSpec | None:
        cache = self.memo("scope")
        key = (label, layout)
        if key in cache:
            return cache[key]
        found = None
        for spec in self.scopes.get(self.norm(label), ()):
            if spec.layouts is None or layout in spec.layouts:
                found = spec
                break
        cache[key] = found
        return found

    @cached_property
    def kind_limited(self) -> bool:
        """Whether some alias names columns of some table kinds only (lookups then depend on the kind read)."""
        return any(s.kinds is not None for specs in self.labels.values() for s in specs)

    def lookup_kind(self) -> str | None:
        """The kind a cached lookup depends on: the table's being read, where some alias is limited to kinds."""
        return _READING_KIND.get() if self.kind_limited else None

    def column(self, label: str, layout: str) -> LabelSpec | None:
        """Role and key of a header label in a layout (exact, then fuzzy)."""
        cache = self.memo("column")
        key = (label, layout, self.lookup_kind())
        if key not in cache:
            cache[key] = self._column(self.norm(label), layout, key[2])
        return cache[key]

    @lru_cache(maxsize=8192)  # noqa: B019
    def _column(self, n: str, layout: str, _kind: str | None = None) -> LabelSpec | None:
        if not n:
            return None
        hit = self._pick(self.labels.get(n, ()), layout)
        if hit or len(n) < 3:
            return hit
        loose = self._loose_labels
        choices = [k for k, specs in loose.items() if len(k) >= 3 and self._pick(specs, layout)]
        best = process.extractOne(n, choices, scorer=fuzz.ratio, score_cutoff=78)
        if best:
            return self._pick(loose[best[0]], layout)
        return None

    @cached_property
    def _loose_labels(self) -> dict[str, list[LabelSpec]]:
        """The aliases that may match a close spelling (``match`` fuzzy or within)."""
        out = {k: [s for s in specs if s.match != "whole"] for k, specs in self.labels.items()}
        return {k: v for k, v in out.items() if v}

    @cached_property
    def _within_labels(self) -> dict[str, list[LabelSpec]]:
        """The aliases that may match inside a longer cell (``match = "within"``)."""
        out = {k: [s for s in specs if s.match == "within"] for k, specs in self.labels.items() if len(k) >= 4}
        return {k: v for k, v in out.items() if v}

    def column_within(self, label: str, layout: str) -> LabelSpec | None:
        """The one value label printed inside a longer, garbled label; ``None`` if none or several."""
        cache = self.memo("column_within")
        key = (label, layout, self.lookup_kind())
        if key not in cache:
            cache[key] = self._column_within(self.norm(label), layout)
        return cache[key]

    def _column_within(self, n: str, layout: str) -> LabelSpec | None:
        found = {
            a: spec
            for a, specs in self._within_labels.items()
            if a in n and (spec := self._pick(specs, layout)) is not None and spec.role == "value"
        }
        outer = [a for a in found if not any(a != b and a in b for b in found)]
        keys = {found[a].key for a in outer}
        return found[outer[0]] if len(keys) == 1 else None

    @staticmethod
    def _pick(specs: Sequence[LabelSpec], layout: str) -> LabelSpec | None:
        generic = None
        for s in specs:
            if s.kinds is not None and _READING_KIND.get() not in s.kinds:
                continue
            if s.layouts is not None and layout in s.layouts:
                return s
            if s.layouts is None and generic is None:
                generic = s
        return generic

    # ---------------------------------------------------------------- rows and codes

    def identities_for(self, kind: str) -> list[Identity]:
        by_kind = self._identities_by_kind
        if kind not in by_kind:
            by_kind[kind] = tuple(i for i in self.identities if kind in i.kinds)
        return list(by_kind[kind])

    def row_label(self, name: str) -> tuple[str | None, str | None]:
        """``(role, category)`` a row label implies: total / subtotal words, carryover rows."""
        cache = self.memo("row_label")
        hit = cache.get(name)
        if hit is None:
            n = self.norm(name).rstrip(":")  # 总计： is 总计
            role = "total" if n in self.row_total else ("subtotal" if n in self.row_subtotal else None)
            hit = cache[name] = (role, self.row_categories.get(n))
        return hit

    def is_of_which(self, name: str) -> bool:
        cache = self.memo("is_of_which")
        hit = cache.get(name)
        if hit is None:
            s = fold(name).strip().replace("：", ":")
            hit = cache[name] = any(s.startswith(p.replace("：", ":")) for p in self.of_which_prefixes)
        return hit

    def code_system(self, code: str) -> str | None:
        """``functional`` / ``economic`` / ``gov_economic`` for a valid classification code."""
        if not code.isdigit() or len(code) not in (3, 5, 7):
            return None
        head = code[:3]
        if head in self.codes["functional"]:
            return "functional"
        if len(code) <= 5 and head in self.codes["economic"]:
            return "economic"
        if len(code) <= 5 and head in self.codes["gov_economic"]:
            return "gov_economic"
        return None

    def function_code(self, name: str) -> str | None:
        """The functional class code a narrative name refers to ("一般公共服务" -> "201")."""
        return self.functional_aliases.get(self.norm(name))

    def is_empty_note(self, text: str) -> bool:
        s = self.norm(text)
        return any(p in s for p in self._empty_notes_norm)

    @cached_property
    def _empty_notes_norm(self) -> tuple[str, ...]:
        return tuple(self.norm(p) for p in self.empty_notes)

    def is_note(self, text: str) -> bool:
        return fold(text).strip().startswith(self.note_prefixes)
