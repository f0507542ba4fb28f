"""Leave-one-template-out on the real corpus: a copy of the catalog data with one template's
knowledge taken out, for ``bench/onboard_loto.py`` and ``tests/onboard/test_onboard_rules.py``.

A template is a jurisdiction's kind of document (the corpus has one per jurisdiction, Shanghai
Putuo's budget and final accounts counted apart: their tables differ).  Its knowledge is what the full
catalog uses to read its documents (every rendering):

* every table title its tables and its contents lines match (exactly, or the title a fuzzy match
  lands on), and
* the column aliases its headers are read with that no other template's documents use.

Removed from a copy of ``tables.toml`` / ``columns.toml``, the documents of that template read
as a new format would.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from fiscal_extract.catalog import Catalog, data_docs, extend, load
from fiscal_extract.evaluate.score import evaluate_pair
from fiscal_extract.models import Disclosure
from fiscal_extract.options import ExtractOptions
from fiscal_extract.pipeline import extract_source
from fiscal_extract.read.normalize import read_source
from fiscal_extract.read.segment import segment
from fiscal_extract.text.contents import named_tables

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "eval" / "corpus" / "gold"
TEXT = ROOT / "eval" / "corpus" / "text"

TEMPLATES: dict[str, list[str]] = {
    "jiangsu": ["01", "02"],
    "shenzhen": ["04"],
    "guangzhou": ["05"],
    "wuxi": ["07"],
    "hangzhou": ["08"],
    "changchun": ["10"],
    "central": ["11"],
    "putuo_final": ["14"],
    "putuo_budget": ["15"],
}
"""Template -> the corpus documents (number prefixes) printed in it."""


@dataclass
class Doc:
    prefix: str
    gold: dict[str, Any] | None
    renderings: list[Path]


@cache
def documents(template: str) -> tuple[Doc, ...]:
    out = []
    for prefix in TEMPLATES[template]:
        golds = sorted(GOLD.glob(f"{prefix}_*.json"))
        gold = json.loads(golds[0].read_text(encoding="utf-8")) if golds else None
        texts = sorted(TEXT.glob(f"{prefix}_*.txt"), key=lambda p: ("pypdf", "pdfium", "pdfminer").index(
            p.name.rsplit(".", 2)[-2]))
        out.append(Doc(prefix, gold, texts))
    return tuple(out)


def onboarding_sample(template: str) -> Path:
    """The one document a user would onboard with: the template's first gold document, as pypdf reads it."""
    doc = next(d for d in documents(template) if d.gold is not None)
    return doc.renderings[0]


def extract(path: Path, cat: Catalog) -> Disclosure:
    return extract_source(read_source(path), ExtractOptions(), cat=cat)


@contextmanager
def _recording(hits: set[str]) -> Iterator[None]:
    """Record the alias text of every column label the catalog answers."""
    orig_col, orig_within = Catalog.column, Catalog.column_within

    def column(self: Catalog, label: str, layout: str) -> Any:
        spec = orig_col(self, label, layout)
        if spec is not None:
            hits.add(spec.label)
        return spec

    def column_within(self: Catalog, label: str, layout: str) -> Any:
        spec = orig_within(self, label, layout)
        if spec is not None:
            hits.add(spec.label)
        return spec

    Catalog.column, Catalog.column_within = column, column_within  # type: ignore[method-assign]
    try:
        yield
    finally:
        Catalog.column, Catalog.column_within = orig_col, orig_within  # type: ignore[method-assign]


@cache
def _uses(template: str) -> tuple[frozenset[str], frozenset[str]]:
    """(normalised title keys, alias texts) the full catalog reads a template's documents with."""
    cat = load()
    fresh = extend((), {})  # a catalog of its own: its lookup caches start empty, so every label is asked
    titles: set[str] = set()
    aliases: set[str] = set()
    for doc in documents(template):
        for path in doc.renderings:
            with _recording(aliases):
                rec = extract(path, fresh)
            src = read_source(path)
            printed = [t.title for t in rec.tables if t.kind != "other" and t.title]
            printed += [title for _, title, _, _ in named_tables(segment(src, cat), cat)]
            for title in printed:
                m = cat.match_title(title)
                if m is None:
                    continue
                key = cat.norm_title(title)
                if key not in cat._title_index:
                    from rapidfuzz import fuzz, process

                    best = process.extractOne(key, list(cat._title_index), scorer=fuzz.ratio)
                    key = best[0] if best else key
                titles.add(key)
            fresh = extend((), {})
    return frozenset(titles), frozenset(aliases)


def reduced_docs(template: str) -> dict[str, list[dict[str, Any]]]:
    """The catalog's data files with ``template``'s titles and its own column aliases removed."""
    titles, aliases = _uses(template)
    others: set[str] = set()
    for t in TEMPLATES:
        if t != template:
            others |= _uses(t)[1]
    own = aliases - others - _structural()
    docs = copy.deepcopy(data_docs())
    cat = load()
    for d in docs["tables.toml"]:
        for spec in d.get("kinds", {}).values():
            spec["titles"] = [t for t in spec.get("titles", []) if cat.norm_title(t) not in titles]
    for d in docs["columns.toml"]:
        kept = []
        for col in d.get("column", []):
            labels = [lbl for lbl in col["labels"] if lbl not in own]
            if labels:
                kept.append({**col, "labels": labels})
        d["column"] = kept
    return docs


def removed(template: str) -> dict[str, list[str]]:
    """What :func:`reduced_docs` takes out (for the bench's report)."""
    titles, aliases = _uses(template)
    others: set[str] = set()
    for t in TEMPLATES:
        if t != template:
            others |= _uses(t)[1]
    return {"titles": sorted(titles), "aliases": sorted(aliases - others - _structural())}


def _structural() -> set[str]:
    """Header words the catalog's structure names beyond the alias lists -- the scope labels
    (预算数 / 决算数 pairs, 本年收入 ...): the scope section is kept, and an alias with the same word
    is the same knowledge of every template, not one template's."""
    out: set[str] = set()
    for d in data_docs()["columns.toml"]:
        for sc in d.get("scope", []):
            out.update(sc.get("labels", []))
    return out


def key_figures(template: str, cat: Catalog) -> list[tuple[str, float]]:
    """``(rendering, key-figure share)`` of every gold-labelled rendering of a template under ``cat``."""
    out = []
    for doc in documents(template):
        if doc.gold is None:
            continue
        for path in doc.renderings:
            res = evaluate_pair(path.name, doc.gold, extract(path, cat), cat)
            out.append((path.name.rsplit(".", 2)[-2], _key_share(res)))
    return out


def _key_share(res: Any) -> float:
    right, total = res.key_figures()
    return 100.0 * right / total if total else 100.0
