"""Reading a profile: a TOML file that carries sections of any catalog data file.

A profile names each section after the data file it extends, without ``.toml``::

    [tables.kinds.income_overview]      # tables.toml  [kinds.income_overview]
    [[columns.column]]                  # columns.toml [[column]]
    [text.meta]                         # text.toml    [meta]
    [[summary.source]]                  # summary.toml [[source]]

The short forms older profiles use (``[kinds.X]``, ``[[column]]``, ``[[scope]]``,
``subtotal_words``, ``[chars]``) still read as the same sections.  ``[profile]`` (a description)
and ``[match]`` (the archive paths a batch run gives this profile) are the profile's own.

Every section and key is checked against :data:`SECTIONS`: an unknown one is an error naming the
profile file and the key, never silently ignored.  ``docs_of`` returns the profile as one document
per data file, in the shape ``build`` reads.
"""

from __future__ import annotations

from typing import Any

from ..errors import CatalogError

OPEN = "*"
"""A table whose keys are names the profile chooses (table kinds, codes, characters...)."""

# data file -> section -> what it holds:
#   "list" / "str" / "table"   a value of that type (a table's keys are open)
#   {"keys": {...}}            a table of these keys only
#   {"items": {...}}           an array of tables, each with these keys only
#   {"open": {...}}            a table of tables whose names are open and whose keys are these
SECTIONS: dict[str, dict[str, Any]] = {
    "tables": {
        "title": {"keys": {"noise"}},
        "kinds": {"open": {"titles", "layout", "signature", "other_signatures", "title_endings"}},
        "empty": {"keys": {"notes"}},
        "notes": {"keys": {"prefixes"}},
    },
    "columns": {
        "match": "str",
        "subtotal_words": "list",
        "group_total_words": "list",
        "banner_words": "list",
        "repeat_prefix": "table",
        "outer_prefix": "table",
        "often_empty": "table",
        "unsummed_keys": "list",
        "repeat_key": "table",
        "template": "table",
        "scope": {"items": {"labels", "prefix", "side", "label_scope", "layouts", "paired"}},
        "column": {"items": {"labels", "role", "key", "layouts", "match", "kinds"}},
        "key_help": "table",
    },
    "rows": {
        "total": "list",
        "subtotal": "list",
        "of_which_prefixes": "list",
        "categories": "table",
    },
    "codes": {
        "functional": "table",
        "functional_aliases": "table",
        "economic": "table",
        "gov_economic": "table",
        "kind_systems": "table",
    },
    "confusables": {"chars": "table"},
    "text": {
        "macros": "table",
        "meta": {"keys": {"department", "narrative_unit", "unit", "year", "final_words", "budget_words", "region"}},
        "fact": {"items": {"pattern", "also"}},
        "change": {"items": {"pattern"}},
        "change_subjects": "table",
        "after": {"keys": {"share", "change", "flat", "previous"}},
    },
    "identities": {
        "identity": {"items": {"id", "kinds", "lhs", "rhs", "min_terms", "message", "prefixes", "repeat"}},
    },
    "perf": {
        "columns": "table",
        "matrix": {"keys": {"amounts", "groups", "group_words"}},
        "parents": "table",
        "words": "table",
    },
    "summary": {
        "source": {"items": {"field", "kind", "side", "role", "key", "category", "code", "name", "requires", "pick",
                               "absent_category"}},
        "three_public": {"items": {"kind", "prefixes"}},
    },
    "checks": {
        "kinds": "table",
        "perf_difference": {"items": {"whole", "less", "equals"}},
        "of_which_columns": "table",
        "column_rule": {"items": {"kinds", "prefixes", "empty", "label"}},
        "cross": {"items": {"id", "message", "a", "b"}},
        "classes": {"items": {"id", "message", "a", "b", "when_missing"}},
        "rows": {"items": {"id", "message", "a", "b", "keys"}},
        "narrative": {"keys": {"figures", "share_base"}},
        "side_names": "table",
        "wording": "table",
    },
}

SHORT_FORMS = {
    "kinds": ("tables", "kinds"),
    "column": ("columns", "column"),
    "scope": ("columns", "scope"),
    "subtotal_words": ("columns", "subtotal_words"),
    "chars": ("confusables", "chars"),
}
"""Top-level sections of older profiles and the data-file section each one is."""

COLUMN_ROLES = frozenset({"value", "code", "code_part", "unit_code", "name", "text", "category", "line_no", "skip"})
"""What a column alias may say a column is (``role``); ``value`` and ``text`` need a ``key``."""

OWN = {"profile": {"name", "description"}, "match": {"paths"}}
"""The profile's own sections (not catalog data): a description, and the paths it is for."""

MATCH_KINDS = ("whole", "fuzzy", "within")
"""How a column alias matches a header cell: ``whole`` the whole cell after normalisation (a
profile's default), ``fuzzy`` also a close spelling of it, ``within`` also printed inside a longer
cell (the packaged aliases' default, ``columns.toml`` ``match``)."""


def _type_name(v: Any) -> str:
    return {dict: "a table", list: "a list", str: "a string"}.get(type(v), type(v).__name__)


def _check_keys(where: str, got: dict[str, Any], allowed: set[str], source: str) -> None:
    unknown = sorted(set(got) - allowed)
    if unknown:
        raise CatalogError(
            f"profile {source}: unknown key {unknown[0]!r} in {where} (known: {', '.join(sorted(allowed))})"
        )


def _check_section(file: str, name: str, value: Any, shape: Any, source: str) -> None:
    where = f"[{file}.{name}]"
    want = {"list": list, "str": str, "table": dict}.get(shape) if isinstance(shape, str) else None
    if want is not None:
        if not isinstance(value, want):
            raise CatalogError(f"profile {source}: {file}.{name} must be {_type_name(want())}, not {_type_name(value)}")
        return
    if "items" in shape:
        if not isinstance(value, list) or not all(isinstance(x, dict) for x in value):
            raise CatalogError(f"profile {source}: {file}.{name} must be an array of tables, [[{file}.{name}]]")
        for i, item in enumerate(value, 1):
            _check_keys(f"[[{file}.{name}]] #{i}", item, shape["items"], source)
        return
    if not isinstance(value, dict):
        raise CatalogError(f"profile {source}: {where} must be a table, not {_type_name(value)}")
    if "keys" in shape:
        _check_keys(where, value, shape["keys"], source)
        return
    for sub, item in value.items():
        if not isinstance(item, dict):
            raise CatalogError(f"profile {source}: [{file}.{name}.{sub}] must be a table, not {_type_name(item)}")
        _check_keys(f"[{file}.{name}.{sub}]", item, shape["open"], source)


def docs_of(profile: dict[str, Any], source: str) -> dict[str, dict[str, Any]]:
    """The profile as one document per data file (``"columns.toml": {...}``), checked.

    Raises :class:`CatalogError` naming ``source`` and the key for an unknown section or key, a
    value of the wrong type, or a short form given twice (also under its data file's name).
    """
    out: dict[str, dict[str, Any]] = {}
    for top, value in profile.items():
        if top in OWN:
            if not isinstance(value, dict):
                raise CatalogError(f"profile {source}: [{top}] must be a table")
            _check_keys(f"[{top}]", value, OWN[top], source)
            if top == "match":
                match_paths(profile, source)
            continue
        if top in SHORT_FORMS:
            file, name = SHORT_FORMS[top]
            doc = out.setdefault(file + ".toml", {})
            if name in doc or name in profile.get(file, {}):
                raise CatalogError(f"profile {source}: {top} is given twice (as {top} and as {file}.{name})")
            _check_section(file, name, value, SECTIONS[file][name], source)
            doc[name] = value
            continue
        if top not in SECTIONS:
            known = ", ".join([*SECTIONS, *OWN, *SHORT_FORMS])
            raise CatalogError(f"profile {source}: unknown section [{top}] (known: {known})")
        if not isinstance(value, dict):
            raise CatalogError(f"profile {source}: [{top}] must be a table of {top}.toml's sections")
        doc = out.setdefault(top + ".toml", {})
        for name, section in value.items():
            shape = SECTIONS[top].get(name)
            if shape is None:
                raise CatalogError(
                    f"profile {source}: unknown key {name!r} in [{top}] ({top}.toml has: {', '.join(SECTIONS[top])})"
                )
            _check_section(top, name, section, shape, source)
            doc[name] = section
    match = out.get("columns.toml", {}).get("match")
    if match is not None and match not in MATCH_KINDS:
        raise CatalogError(f"profile {source}: columns.match = {match!r} (choose {', '.join(MATCH_KINDS)})")
    for i, col in enumerate(out.get("columns.toml", {}).get("column", []), 1):
        if not isinstance(col.get("labels"), list) or not col["labels"]:
            raise CatalogError(f"profile {source}: [[columns.column]] #{i} needs labels = [\"...\"]")
        if col.get("role") not in COLUMN_ROLES:
            raise CatalogError(f"profile {source}: [[columns.column]] #{i} ({col['labels'][0]}): role "
                               f"{col.get('role')!r} (choose {', '.join(sorted(COLUMN_ROLES))})")
        if col["role"] in ("value", "text") and not col.get("key"):
            raise CatalogError(f"profile {source}: [[columns.column]] #{i} ({col['labels'][0]}): "
                               f"role {col['role']!r} needs a key")
        if col.get("match", "whole") not in MATCH_KINDS:
            raise CatalogError(
                f"profile {source}: [[columns.column]] #{i}: match = {col['match']!r} (choose {', '.join(MATCH_KINDS)})"
            )
    return out


def match_paths(profile: dict[str, Any], source: str = "(given as data)") -> list[str]:
    """The glob patterns of a profile's ``[match] paths`` (archive paths a batch run gives it)."""
    match = profile.get("match", {})
    paths = match.get("paths", []) if isinstance(match, dict) else None
    if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
        raise CatalogError(f"profile {source}: [match] paths must be a list of globs, e.g. paths = [\"county/**\"]")
    return list(paths)
