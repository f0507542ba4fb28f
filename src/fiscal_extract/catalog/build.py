"""Building a :class:`~.spec.Catalog` from parsed TOML documents (the defaults, then each profile)."""

from __future__ import annotations

import re
from typing import Any

from ..errors import CatalogError
from .profile import COLUMN_ROLES
from .spec import Catalog, Identity, KindSpec, LabelSpec, ScopeSpec


def _layouts(v: Any) -> frozenset[str] | None:
    return frozenset(v) if v else None


def merge(old: Any, new: Any) -> Any:
    """``new`` (a later document: a profile) over ``old``: tables merged key by key, lists
    put in front (a profile's patterns and alternatives are tried first), anything else replaced."""
    if isinstance(old, dict) and isinstance(new, dict):
        out = dict(old)
        for k, v in new.items():
            out[k] = merge(old.get(k), v)
        return out
    if isinstance(old, list) and isinstance(new, list):
        return list(new) + [x for x in old if x not in new]
    return new


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
    noise: list[str] = []
    notes: list[str] = []
    for d in docs.get("tables.toml", []):
        noise += d.get("title", {}).get("noise", [])
        for kind, spec in d.get("kinds", {}).items():
            old = cat.kinds.get(kind)
            titles = tuple(spec.get("titles", ())) + (old.titles if old else ())
            cat.kinds[kind] = KindSpec(
                kind,
                spec.get("layout", old.layout if old else "classified"),
                titles,
                tuple(spec.get("signature", old.signature if old else ())),
                tuple(spec.get("title_endings", ())) + (old.title_endings if old else ()),
                tuple(tuple(x) for x in spec.get("other_signatures", ())) + (old.other_signatures if old else ()),
            )
        empty += d.get("empty", {}).get("notes", [])
        notes += d.get("notes", {}).get("prefixes", [])
    cat.empty_notes = tuple(empty)
    try:
        cat.title_noise = tuple(re.compile(p) for p in dict.fromkeys(noise))
    except re.error as e:
        raise CatalogError(f"a title noise pattern does not compile: {e}") from e
    cat.note_prefixes = tuple(notes)
    for spec in cat.kinds.values():
        for t in spec.titles:
            cat._title_index.setdefault(cat.norm_title(t), spec.kind)
    subtotal: set[str] = set()
    for d in docs.get("columns.toml", []):
        subtotal |= {cat.norm(w) for w in d.get("subtotal_words", [])}
        cat.banner_words = cat.banner_words | {cat.norm(w) for w in d.get("banner_words", [])}
        cat.group_total_words = cat.group_total_words | {cat.norm(w) for w in d.get("group_total_words", [])}
        cat.repeat_prefix.update(d.get("repeat_prefix", {}))
        cat.outer_prefix.update(d.get("outer_prefix", {}))
        cat.often_empty.update(d.get("often_empty", {}))
        cat.unsummed_keys = cat.unsummed_keys | frozenset(d.get("unsummed_keys", []))
        cat.repeat_key.update(d.get("repeat_key", {}))
        cat.templates.update(d.get("template", {}))
        cat.key_help.update(d.get("key_help", {}))
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
                        bool(sc.get("paired")),
                    ),
                )
        default_match = d.get("match", "whole")  # a profile's aliases match whole cells unless it says otherwise
        for col in d.get("column", []):
            role = col.get("role")
            if role not in COLUMN_ROLES:
                raise CatalogError(f"unknown column role {role!r} in columns catalog")
            if role in ("value", "text") and not col.get("key"):
                raise CatalogError(f"column alias {col.get('labels')} needs a key")
            for label in col["labels"]:
                # later documents (profiles) take precedence
                cat.labels.setdefault(cat.norm(label), []).insert(
                    0, LabelSpec(role, col.get("key"), _layouts(col.get("layouts")), label,
                                 col.get("match", default_match), _layouts(col.get("kinds"))),
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
        cat.kind_systems.update(d.get("kind_systems", {}))
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
                cat.checks[k] = merge(cat.checks.get(k, {}), v)
    for d in docs.get("summary.toml", []):
        cat.summary_sources = d.get("source", []) + cat.summary_sources  # a profile's sources are tried first
        for tp in d.get("three_public", []):
            cat.three_public_prefixes = tuple(tp.get("prefixes", cat.three_public_prefixes))
    for d in docs.get("perf.toml", []):
        for k, v in d.get("columns", {}).items():
            cat.perf_columns[cat.norm(k)] = v
        if "matrix" in d:
            cat.perf_matrix = merge(cat.perf_matrix, d["matrix"])
        for k, v in d.get("parents", {}).items():
            cat.perf_parents[cat.norm(k)] = v
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
                        prefix + it["repeat"] if it.get("repeat") else None,
                    )
                )
    for d in docs.get("text.toml", []):
        for k, v in d.items():
            cat.text[k] = merge(cat.text.get(k), v)
    return cat
