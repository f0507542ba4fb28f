"""The catalog: table kinds, title and column-header aliases, row labels and code lists.

All of it is data (``catalog/data/*.toml``); this module only loads, normalises and looks up.
Onboarding profiles are more TOML files of the same shape, merged on top of the defaults.
Nothing here imports the extraction or LLM code.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from ..caching import TEXT_CACHE
from ..errors import CatalogError
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

_QUOTES = str.maketrans("", "", "“”\"'‘’「」『』《》`")
_NUMBERING = re.compile(
    r"^(?:[#>\-*·•\s]+)?"
    r"(?:第[一二三四五六七八九十]+部分\s*)?"
    r"(?:(?:[(（]?[一二三四五六七八九十廿]{1,3}[)）、.．,，])|(?:[(（]\d{1,2}[)）])|(?:\d{1,2}[、．](?!\d))|(?:\d{1,2}\.(?!\d)))\s*"
)
_TITLE_NOISE = [
    re.compile(r"^(?:附件[:：]?|附表\s*\d+(?:-\d+)?|表\s*\d+(?:-\d+)?)\s*"),
    re.compile(r"^20\d\d\s*年度?\s*"),
    re.compile(r"[(（]\s*20\d\d\s*年度?\s*[)）]"),
    re.compile(r"公开\s*\d+\s*表"),
    re.compile(r"\s*[(（]?单位[:：].*$"),
]
SEPARATORS = re.compile(r"[\s\u3000]+")


@dataclass(frozen=True)
class KindSpec:
    kind: str
    layout: str
    titles: tuple[str, ...]
    signature: tuple[str, ...]


@dataclass(frozen=True)
class LabelSpec:
    role: str
    key: str | None
    layouts: frozenset[str] | None
    label: str


@dataclass(frozen=True)
class ScopeSpec:
    prefix: str | None
    side: str | None
    label_scope: bool
    layouts: frozenset[str] | None
    label: str


@dataclass(frozen=True)
class Identity:
    """lhs = sum(rhs) within one row of the given table kinds."""

    id: str
    kinds: frozenset[str]
    lhs: str
    rhs: tuple[str, ...]
    min_terms: int
    message: str
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
    summary_sources: list[dict[str, Any]] = field(default_factory=list)
    repeat_prefix: dict[str, str] = field(default_factory=dict)
    templates: dict[str, list[str]] = field(default_factory=dict)
    checks: dict[str, Any] = field(default_factory=dict)
    three_public_prefixes: tuple[str, ...] = ("actual_", "")
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
        for pat in _TITLE_NOISE:
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
        return None

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
            (spec.kind, tuple(self.norm(w) for w in spec.signature), sum(len(w) for w in spec.signature))
            for spec in self.kinds.values()
            if spec.signature
        ]

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

    def column(self, label: str, layout: str) -> LabelSpec | None:
        """Role and key of a header label in a layout (exact, then fuzzy)."""
        cache = self.memo("column")
        key = (label, layout)
        if key not in cache:
            cache[key] = self._column(self.norm(label), layout)
        return cache[key]

    @lru_cache(maxsize=8192)  # noqa: B019
    def _column(self, n: str, layout: str) -> LabelSpec | None:
        if not n:
            return None
        hit = self._pick(self.labels.get(n, ()), layout)
        if hit or len(n) < 3:
            return hit
        choices = [k for k, specs in self.labels.items() if len(k) >= 3 and self._pick(specs, layout)]
        best = process.extractOne(n, choices, scorer=fuzz.ratio, score_cutoff=78)
        if best:
            return self._pick(self.labels[best[0]], layout)
        return None

    def column_within(self, label: str, layout: str) -> LabelSpec | None:
        """The one value label printed inside a longer, garbled label; ``None`` if none or several."""
        cache = self.memo("column_within")
        key = (label, layout)
        if key not in cache:
            cache[key] = self._column_within(self.norm(label), layout)
        return cache[key]

    def _column_within(self, n: str, layout: str) -> LabelSpec | None:
        found = {
            a: spec
            for a, specs in self.labels.items()
            if len(a) >= 4 and a in n and (spec := self._pick(specs, layout)) is not None and spec.role == "value"
        }
        outer = [a for a in found if not any(a != b and a in b for b in found)]
        keys = {found[a].key for a in outer}
        return found[outer[0]] if len(keys) == 1 else None

    @staticmethod
    def _pick(specs: Sequence[LabelSpec], layout: str) -> LabelSpec | None:
        generic = None
        for s in specs:
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
            n = self.norm(name)
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


def _layouts(v: Any) -> frozenset[str] | None:
    return frozenset(v) if v else None


def build(docs: dict[str, list[dict[str, Any]]], version: str, sources: tuple[str, ...] = ()) -> Catalog:
    """Assemble a catalog from parsed data documents (defaults first, profiles after)."""
    conf: dict[int, str] = {}
    for d in docs.get("confusables.toml", []):
        for a, b in d.get("chars", {}).items():
            conf[ord(a)] = b
    cat = Catalog(
        kinds={},
        labels={},
        scopes={},
        subtotal_words=frozenset(),
        row_total=frozenset(),
        row_subtotal=frozenset(),
        of_which_prefixes=(),
        row_categories={},
        codes={},
        functional_aliases={},
        confusables=conf,
        empty_notes=(),
        note_prefixes=(),
        text={},
        identities=[],
        version=version,
        sources=sources,
    )
    empty: list[str] = []
    notes: list[str] = []
    for d in docs.get("tables.toml", []):
        for kind, spec in d.get("kinds", {}).items():
            old = cat.kinds.get(kind)
            titles = tuple(spec.get("titles", ())) + (old.titles if old else ())
            cat.kinds[kind] = KindSpec(
                kind,
                spec.get("layout", old.layout if old else "classified"),
                titles,
                tuple(spec.get("signature", old.signature if old else ())),
            )
        empty += d.get("empty", {}).get("notes", [])
        notes += d.get("notes", {}).get("prefixes", [])
    cat.empty_notes = tuple(empty)
    cat.note_prefixes = tuple(notes)
    for spec in cat.kinds.values():
        for t in spec.titles:
            cat._title_index.setdefault(cat.norm_title(t), spec.kind)
    subtotal: set[str] = set()
    for d in docs.get("columns.toml", []):
        subtotal |= {cat.norm(w) for w in d.get("subtotal_words", [])}
        cat.repeat_prefix.update(d.get("repeat_prefix", {}))
        cat.templates.update(d.get("template", {}))
        for sc in d.get("scope", []):
            for label in sc["labels"]:
                cat.scopes.setdefault(cat.norm(label), []).insert(
                    0,
                    ScopeSpec(
                        sc.get("prefix"),
                        sc.get("side"),
                        bool(sc.get("label_scope")),
                        _layouts(sc.get("layouts")),
                        label,
                    ),
                )
        for col in d.get("column", []):
            role = col.get("role")
            if role not in {"value", "code", "code_part", "unit_code", "name", "text", "category", "line_no", "skip"}:
                raise CatalogError(f"unknown column role {role!r} in columns catalog")
            if role in ("value", "text") and not col.get("key"):
                raise CatalogError(f"column alias {col.get('labels')} needs a key")
            for label in col["labels"]:
                # later documents (profiles) take precedence
                cat.labels.setdefault(cat.norm(label), []).insert(
                    0, LabelSpec(role, col.get("key"), _layouts(col.get("layouts")), label)
                )
    cat.subtotal_words = frozenset(subtotal)
    total: set[str] = set()
    sub: set[str] = set()
    ofw: list[str] = []
    for d in docs.get("rows.toml", []):
        total |= {cat.norm(w) for w in d.get("total", [])}
        sub |= {cat.norm(w) for w in d.get("subtotal", [])}
        ofw += d.get("of_which_prefixes", [])
        for catg, words in d.get("categories", {}).items():
            for w in words:
                cat.row_categories[cat.norm(w)] = catg
    cat.row_total, cat.row_subtotal, cat.of_which_prefixes = frozenset(total), frozenset(sub - total), tuple(ofw)
    codes: dict[str, dict[str, str]] = {"functional": {}, "economic": {}, "gov_economic": {}}
    for d in docs.get("codes.toml", []):
        for system in codes:
            codes[system].update({str(k): v for k, v in d.get(system, {}).items()})
        for code, names in d.get("functional_aliases", {}).items():
            for n in names:
                cat.functional_aliases[cat.norm(n)] = str(code)
    for code, name in codes["functional"].items():
        cat.functional_aliases.setdefault(cat.norm(name), code)
        cat.functional_aliases.setdefault(cat.norm(name.removesuffix("支出")), code)
    cat.codes = codes
    for d in docs.get("checks.toml", []):
        for k, v in d.items():
            if isinstance(v, list):
                cat.checks[k] = cat.checks.get(k, []) + v
            elif isinstance(v, dict):
                cat.checks.setdefault(k, {}).update(v)
    for d in docs.get("summary.toml", []):
        cat.summary_sources += d.get("source", [])
        for tp in d.get("three_public", []):
            cat.three_public_prefixes = tuple(tp.get("prefixes", cat.three_public_prefixes))
    for d in docs.get("perf.toml", []):
        for k, v in d.get("columns", {}).items():
            cat.perf_columns[cat.norm(k)] = v
        if "matrix" in d:
            cat.perf_matrix = d["matrix"]
        for k, v in d.get("words", {}).items():
            cat.perf_words[k] = list(v) + cat.perf_words.get(k, [])
    for d in docs.get("identities.toml", []):
        for it in d.get("identity", []):
            for prefix in it.get("prefixes", [""]):
                cat.identities.append(
                    Identity(
                        it["id"] + (f"[{prefix.rstrip('_')}]" if prefix else ""),
                        frozenset(it["kinds"]),
                        prefix + it["lhs"],
                        tuple(prefix + r for r in it["rhs"]),
                        int(it.get("min_terms", 2)),
                        it.get("message", ""),
                    )
                )
    for d in docs.get("text.toml", []):
        for k, v in d.items():
            if isinstance(v, list) and isinstance(cat.text.get(k), list):
                cat.text[k] = v + cat.text[k]
            else:
                cat.text[k] = v
    return cat


def load(profiles: Sequence[str | Path] = ()) -> Catalog:
    """The default catalog, with onboarding profiles (TOML files) merged on top."""
    names = tuple(str(p) for p in profiles)
    return _load(names, tuple(_mtime(profile_path(p)) for p in names))


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


def profile_path(name: str | Path) -> Path:
    """A profile file: a path as given, else ``NAME`` looked up as ``<dir>/NAME.toml`` in
    ``FISCAL_PROFILES_DIR`` and ``./profiles`` (where ``fiscal-extract onboard`` writes)."""
    path = Path(name)
    if path.exists() or path.suffix:
        return path
    dirs = [Path(d) for d in os.environ.get("FISCAL_PROFILES_DIR", "").split(os.pathsep) if d] + [Path("profiles")]
    for d in dirs:
        if (d / f"{name}.toml").exists():
            return d / f"{name}.toml"
    return path


def extend(profiles: Sequence[str | Path], extra: dict[str, Any]) -> Catalog:
    """The catalog of ``profiles`` plus one more profile given as data (not cached)."""
    raw = json.dumps(extra, sort_keys=True, ensure_ascii=False).encode()
    return _build(tuple(str(p) for p in profiles), [(extra, raw)])


@lru_cache(maxsize=16)
def _load(profiles: tuple[str, ...], stamps: tuple[int, ...] = ()) -> Catalog:
    """``stamps``: the profiles' modification times, so an edited profile is read again."""
    return _build(profiles, [])


def _build(profiles: tuple[str, ...], extra: list[tuple[dict[str, Any], bytes]]) -> Catalog:
    docs: dict[str, list[dict[str, Any]]] = {}
    h = hashlib.sha256()
    for name in DATA_FILES:
        try:
            data = resources.files("fiscal_extract.catalog").joinpath("data", name).read_bytes()
        except FileNotFoundError:
            continue
        h.update(name.encode() + b"\0" + data)
        try:
            docs.setdefault(name, []).append(tomllib.loads(data.decode("utf-8")))
        except tomllib.TOMLDecodeError as exc:
            raise CatalogError(f"catalog file {name} is not valid TOML: {exc}") from None
    loaded: list[tuple[dict[str, Any], bytes]] = []
    for p in profiles:
        path = profile_path(p)
        try:
            raw = path.read_bytes()
            loaded.append((tomllib.loads(raw.decode("utf-8")), raw))
        except FileNotFoundError:
            raise CatalogError(f"no such profile: {p}") from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise CatalogError(f"profile {p} is not valid TOML: {exc}") from None
    for prof, raw in loaded + extra:
        h.update(b"profile\0" + raw)
        # a profile holds sections of any data file: [kinds.*], [[column]], [[scope]], [chars]...
        docs.setdefault("tables.toml", []).append({"kinds": prof.get("kinds", {})})
        docs.setdefault("columns.toml", []).append(
            {
                "column": prof.get("column", []),
                "scope": prof.get("scope", []),
                "subtotal_words": prof.get("subtotal_words", []),
            }
        )
        docs.setdefault("confusables.toml", []).append({"chars": prof.get("chars", {})})
        docs.setdefault("rows.toml", []).append(prof.get("rows", {}))
    return build(docs, h.hexdigest()[:16], tuple(profiles))


def value_keys(cat: Catalog, layout: str) -> list[str]:
    """Every canonical value key a table of a layout can have (scoped keys included)."""
    base = sorted({spec.key for specs in cat.labels.values() for spec in specs
                   if spec.role == "value" and spec.key and (spec.layouts is None or layout in spec.layouts)})
    keys = set(base)
    for specs in cat.scopes.values():
        for sc in specs:
            if sc.prefix and not sc.label_scope and (sc.layouts is None or layout in sc.layouts):
                keys.add(sc.prefix + "total")
                keys.update(sc.prefix + k for k in base if k != "total")
    for field_ in cat.perf_columns.values():
        if layout == "performance" and field_.startswith("value:"):
            keys.add(field_[6:])
    if layout == "performance":
        keys.update({"amount", "total", "gov_funds", "special_account", "unit_funds"})
    return sorted(keys)
