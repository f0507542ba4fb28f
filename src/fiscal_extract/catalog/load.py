"""Loading the catalog: the packaged data files, onboarding profiles on top, cached per profile set."""

from __future__ import annotations

import copy
import hashlib
import json
import os
import tomllib
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import CatalogError
from .build import build
from .profile import docs_of, match_paths
from .spec import DATA_FILES, Catalog


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


def profile_paths(name: str | Path) -> list[str]:
    """The archive paths (globs) a profile declares itself for (``[match] paths``); [] if none.

    Raises :class:`CatalogError` when the profile is missing or not valid TOML."""
    path = profile_path(name)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CatalogError(f"no such profile: {name}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CatalogError(f"profile {name} is not valid TOML: {exc}") from None
    return match_paths(data, str(name))


def extend(profiles: Sequence[str | Path], extra: dict[str, Any],
           base: dict[str, list[dict[str, Any]]] | None = None) -> Catalog:
    """The catalog of ``profiles`` plus one more profile given as data (not cached).  ``base``
    replaces the packaged data files (parsed, as :func:`data_docs` gives them): a reduced catalog
    to onboard against, in tests and benches."""
    raw = json.dumps(extra, sort_keys=True, ensure_ascii=False).encode()
    return _build(tuple(str(p) for p in profiles), [(extra, raw)], base)


def data_docs() -> dict[str, list[dict[str, Any]]]:
    """The packaged data files, parsed: ``{file name: [document]}`` (a fresh copy the caller owns)."""
    docs: dict[str, list[dict[str, Any]]] = {}
    for name in DATA_FILES:
        try:
            data = resources.files("fiscal_extract.catalog").joinpath("data", name).read_bytes()
        except FileNotFoundError:
            continue
        try:
            docs.setdefault(name, []).append(tomllib.loads(data.decode("utf-8")))
        except tomllib.TOMLDecodeError as exc:
            raise CatalogError(f"catalog file {name} is not valid TOML: {exc}") from None
    return docs


@lru_cache(maxsize=16)
def _load(profiles: tuple[str, ...], stamps: tuple[int, ...] = ()) -> Catalog:
    """``stamps``: the profiles' modification times, so an edited profile is read again."""
    return _build(profiles, [])


def _build(profiles: tuple[str, ...], extra: list[tuple[dict[str, Any], bytes]],
           base: dict[str, list[dict[str, Any]]] | None = None) -> Catalog:
    docs: dict[str, list[dict[str, Any]]] = {}
    h = hashlib.sha256()
    if base is not None:
        docs = copy.deepcopy(base)
        h.update(b"base\0" + json.dumps(base, sort_keys=True, ensure_ascii=False, default=str).encode())
    for name in DATA_FILES if base is None else ():
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
    packaged = docs.get("tables.toml", [{}])[0].get("kinds", {})
    layouts = {spec.get("layout", "classified") for spec in packaged.values()}
    names = [*profiles, *(["(given as data)"] * len(extra))]
    for (prof, raw), name in zip(loaded + extra, names, strict=True):
        h.update(b"profile\0" + raw)
        # a profile holds sections of any data file: [tables.kinds.*], [[columns.column]], [text.meta]...
        for file, doc in docs_of(prof, name).items():
            _check_kinds(doc, file, name, set(packaged), layouts)
            docs.setdefault(file, []).append(doc)
    return build(docs, h.hexdigest()[:16], tuple(profiles))


def _check_kinds(doc: dict[str, Any], file: str, source: str, kinds: set[str], layouts: set[str]) -> None:
    """A profile names the table kinds the output knows (a template maps onto them) and their layouts."""
    if file != "tables.toml":
        return
    for kind, spec in doc.get("kinds", {}).items():
        if kind not in kinds:
            raise CatalogError(f"profile {source}: unknown table kind {kind!r} in [tables.kinds] "
                               f"(known: {', '.join(sorted(kinds))})")
        if "layout" in spec and spec["layout"] not in layouts:
            raise CatalogError(f"profile {source}: [tables.kinds.{kind}] layout {spec['layout']!r} "
                               f"(known: {', '.join(sorted(layouts))})")



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
