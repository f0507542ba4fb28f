"""The example profile (profiles/examples/county-ledger.toml) reads a template the built-in catalog
does not know, and every one of its catalog sections is needed: taking any one out loses what
that section teaches."""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from fiscal_extract.catalog import extend
from fiscal_extract.errors import FiscalExtractError
from fiscal_extract.pipeline import extract_source
from fiscal_extract.read.normalize import read_source

from ..conftest import ROOT

EXAMPLE = ROOT / "profiles" / "examples" / "county-ledger.toml"
DOC = ROOT / "profiles" / "examples" / "county-ledger.txt"


def _profile() -> dict[str, Any]:
    return tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))


def _observe(profile: dict[str, Any]) -> dict[str, Any]:
    """What a reader of the record sees: the table's kind, columns, units and rows; the meta; the
    narrative's facts and the summary."""
    try:
        rec = extract_source(read_source(DOC), cat=extend((), profile))
    except FiscalExtractError as exc:
        return {"error": str(exc)}
    t = rec.tables[0] if rec.tables else None
    total = next((r for r in t.rows if r.role == "total"), None) if t else None
    return {
        "kind": t.kind if t else None,
        "keys": sorted({k for r in t.rows for k in r.values}) if t else [],
        "unit": t.unit if t else None,
        "total_row": total.name if total else None,
        "department": rec.meta.department,
        "doc_kind": rec.meta.kind,
        "facts": sorted(f.key for f in rec.narrative.facts),
        "expenditure_total": rec.summary.expenditure_total,
    }


def test_the_example_reads_its_template():
    seen = _observe(_profile())
    assert seen == {
        "kind": "expenditure_overview",
        "keys": ["basic", "project", "total"],
        "unit": "元",
        "total_row": "全部合计",
        "department": "某县水利局",
        "doc_kind": "budget",
        "facts": ["expenditure_total"],
        "expenditure_total": Decimal("1205000"),
    }
    assert "error" in _observe({})  # the built-in catalog alone does not know this is a disclosure


def _sections(profile: dict[str, Any]) -> list[tuple[str, ...]]:
    """Every catalog section of the example, as a path of keys (``("text", "meta", "unit")``)."""
    out: list[tuple[str, ...]] = []
    for file, doc in profile.items():
        if file in ("profile", "match"):
            continue  # the profile's own: a description, and which batch paths it is for
        for name, section in doc.items():
            if isinstance(section, dict) and file in ("text", "tables") and name in ("meta", "kinds", "title"):
                out += [(file, name, key) for key in section]
            else:
                out.append((file, name))
    return out


# what each section, taken out, must cost
LOSS: dict[tuple[str, ...], tuple[str, Any]] = {
    ("tables", "title", "noise"): ("kind", "other"),
    ("tables", "kinds", "expenditure_overview"): ("kind", "other"),
    ("columns", "column"): ("keys", []),
    ("confusables", "chars"): ("keys", ["project", "total"]),
    ("rows", "total"): ("total_row", None),
    ("text", "meta", "budget_words"): ("doc_kind", None),
    ("text", "meta", "unit"): ("unit", "万元"),  # the unit the document's tables are assumed in
    ("text", "meta", "department"): ("department", "填报单位：某县水利局"),  # the whole line, label and all
    ("text", "fact"): ("facts", []),
    ("summary", "source"): ("expenditure_total", None),
}


def _without(profile: dict[str, Any], path: tuple[str, ...]) -> dict[str, Any]:
    import copy

    out = copy.deepcopy(profile)
    node = out
    for key in path[:-1]:
        node = node[key]
    del node[path[-1]]
    return out


def test_every_section_of_the_example_is_tested():
    assert set(_sections(_profile())) == set(LOSS)


@pytest.mark.parametrize("path", sorted(LOSS), ids=lambda p: ".".join(p))
def test_each_section_of_the_example_changes_the_extraction(path: tuple[str, ...]):
    full = _observe(_profile())
    seen = _observe(_without(_profile(), path))
    field_, lost = LOSS[path]
    if "error" in seen:
        pytest.fail(f"without {'.'.join(path)} the document is refused: {seen['error']}")
    assert full[field_] != lost
    assert seen[field_] == lost, (path, seen)


def test_the_example_loads_by_path_and_its_match_section_is_kept_out_of_the_catalog(tmp_path: Path):
    from fiscal_extract.catalog import load

    cat = load((str(EXAMPLE),))
    assert cat.match_title("甲表 开支分项表") is not None
    assert str(EXAMPLE) in cat.sources
