"""The catalog: table kinds, title and column-header aliases, row labels and code lists.

All of it is data (``catalog/data/*.toml``); this package only loads, normalises and looks up.
Onboarding profiles are more TOML files of the same shape, merged on top of the defaults.

In: the TOML files of ``data/`` and of onboarding profiles.  Out: a :class:`Catalog` (``spec``),
built by ``build`` and loaded, cached per profile set, by ``load``.  May import only the base
modules (``errors``, ``fold``, ``caching``): nothing of the extraction stages or the LLM code.
This ``__init__`` is the package's API: the rest of the code imports from ``fiscal_extract.catalog``.
"""

from __future__ import annotations

from .build import build
from .load import data_docs, extend, load, profile_path, profile_paths, value_keys
from .spec import Catalog, Identity, KindSpec, LabelSpec, ScopeSpec, TitleMatch, current_kind, reading_kind

__all__ = [
    "Catalog",
    "Identity",
    "KindSpec",
    "LabelSpec",
    "ScopeSpec",
    "TitleMatch",
    "build",
    "current_kind",
    "data_docs",
    "extend",
    "load",
    "profile_path",
    "profile_paths",
    "reading_kind",
    "value_keys",
]
