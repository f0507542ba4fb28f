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
