"""Which profiles each document of a mixed archive is read with.

Two ways to say it, usable together:

* a profile map (``batch --profile-map FILE``): a TOML file of ``"glob" = "profile"`` (or a list
  of profiles), tried in the order written; the first glob a document's path matches gives its
  profiles::

      "shenzhen/**" = "shenzhen"              # a name: profiles/shenzhen.toml, FISCAL_PROFILES_DIR
      "*收支公示*" = ["county-ledger.toml"]     # a path: relative to the map file

* profiles that declare their documents (``[match] paths = ["county/**"]``): given with
  ``--profile``, such a profile is used for the documents its globs match only; a profile
  without ``[match]`` is used for every document.

Globs are matched against the document's path relative to the archive, ``/``-separated, with
:func:`fnmatch.fnmatchcase` (``*`` also crosses folders; a glob ending in ``/`` means the
folder's whole tree).
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from fnmatch import fnmatchcase
from pathlib import Path

from ..catalog import load, profile_paths
from ..errors import CatalogError, InputError
from ..options import ExtractOptions
from .manifest import Key


@dataclass(frozen=True)
class ProfileRule:
    """Documents whose path matches one of ``globs`` are read with ``profiles``."""

    globs: tuple[str, ...]
    profiles: tuple[str, ...]
    first: bool = False
    """A profile map's rule: the first matching one of these applies, the others not."""

    def matches(self, rel: str) -> bool:
        return any(fnmatchcase(rel, g + "*" if g.endswith("/") else g) for g in self.globs)


def read_profile_map(path: Path) -> tuple[ProfileRule, ...]:
    """The rules of a profile map file (see the module's docstring); raises :class:`InputError`
    for a missing or malformed file, naming it and the entry."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("missing", f"no such profile map: {path}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError("usage", f"profile map {path} is not valid TOML: {exc}") from None
    rules = []
    for glob, value in data.items():
        names = [value] if isinstance(value, str) else value
        if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
            raise InputError("usage", f"profile map {path}: {glob!r} must name a profile or a list of profiles")
        rules.append(ProfileRule((glob,), tuple(_resolve(n, path.parent) for n in names), first=True))
    return tuple(rules)


def _resolve(name: str, base: Path) -> str:
    """A profile named by path is relative to the map file; a bare name is looked up as usual."""
    if "/" in name or name.endswith(".toml"):
        p = Path(name)
        return str(p if p.is_absolute() else base / p)
    return name


def split_profiles(profiles: Sequence[str]) -> tuple[tuple[str, ...], tuple[ProfileRule, ...]]:
    """``--profile`` values as (profiles for every document, rules of those declaring ``[match]``)."""
    always: list[str] = []
    rules: list[ProfileRule] = []
    for p in profiles:
        globs = profile_paths(p)
        if globs:
            rules.append(ProfileRule(tuple(globs), (p,)))
        else:
            always.append(p)
    return tuple(always), tuple(rules)


def profiles_for(rel: str, always: tuple[str, ...], rules: Sequence[ProfileRule]) -> tuple[str, ...]:
    """The profiles the document at ``rel`` is read with: those for every document, every
    ``[match]`` profile whose globs match, and the first matching rule of a profile map."""
    out = list(always)
    mapped = False
    for r in rules:
        if not r.matches(rel) or (r.first and mapped):
            continue
        mapped = mapped or r.first
        out += [p for p in r.profiles if p not in out]
    return tuple(out)


def check_profiles(always: tuple[str, ...], rules: Sequence[ProfileRule]) -> None:
    """Load every profile a run may use, so a bad one stops the run before any document."""
    load(always)
    for r in rules:
        try:
            load((*always, *r.profiles))
        except CatalogError as exc:
            raise CatalogError(f"{exc} (for documents matching {', '.join(r.globs)})") from None


def plan_profiles(profiles: Sequence[str],
                  rules: Sequence[ProfileRule]) -> tuple[tuple[str, ...], tuple[ProfileRule, ...]]:
    """A run's profiles: those for every document, and the rules (``[match]`` profiles first,
    then a profile map's), every combination loaded once so a bad profile stops the run at once."""
    always, matched = split_profiles(profiles)
    out = (*matched, *rules)
    check_profiles(always, out)
    return always, out


def for_document(key: Key, options: ExtractOptions, rel: str,
                 rules: Sequence[ProfileRule]) -> tuple[Key, ExtractOptions]:
    """The key and options the document at ``rel`` is converted under (its own profiles; the
    catalog version in the key, so a changed profile re-converts the documents read with it)."""
    chosen = profiles_for(rel, key.profiles, rules) if rules else key.profiles
    if chosen == key.profiles:
        return key, options
    return replace(key, catalog=load(chosen).version, profiles=chosen), replace(options, profiles=chosen)
