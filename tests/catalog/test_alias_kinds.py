"""An alias in a profile can be limited to table kinds (``kinds = [...]`` on a ``[[column]]``
entry): it names the column in tables of those kinds and nothing in the others, however the
lookups are cached."""

from __future__ import annotations

from pathlib import Path

import pytest

from fiscal_extract.catalog import extend
from fiscal_extract.errors import CatalogError
from fiscal_extract.options import ExtractOptions
from fiscal_extract.pipeline import extract_source
from fiscal_extract.read.normalize import read_source

_TABLE = ("{title}\n\n单位：万元\n\n科目编码\t科目名称\t合计\t运转经费\t项目支出\n"
          "\t合计\t150.00\t100.00\t50.00\n201\t一般公共服务支出\t150.00\t100.00\t50.00\n\n")
DOC = "某某局2026年部门预算\n\n" + _TABLE.format(title="一、支出总表") + _TABLE.format(
    title="二、一般公共预算支出表")
ALIAS = {"labels": ["运转经费"], "role": "value", "key": "basic"}


def _basic(tmp_path: Path, alias: dict) -> dict[str, object]:
    doc = tmp_path / "doc.txt"
    doc.write_text(DOC, encoding="utf-8")
    rec = extract_source(read_source(doc), ExtractOptions(), cat=extend((), {"column": [alias]}))
    return {t.kind: t.rows[0].values.get("basic") for t in rec.tables}


def test_an_alias_without_kinds_names_the_column_in_every_table(tmp_path: Path):
    got = _basic(tmp_path, ALIAS)
    assert got == {"expenditure_overview": 100, "general_budget_expenditure": 100}


def test_an_alias_limited_to_a_kind_names_nothing_in_the_other_tables(tmp_path: Path):
    got = _basic(tmp_path, {**ALIAS, "kinds": ["expenditure_overview"]})
    assert got["expenditure_overview"] == 100
    assert got["general_budget_expenditure"] is None


def test_kinds_must_be_a_list_of_known_kinds_in_a_profile():
    with pytest.raises(CatalogError, match="unknown key"):
        extend((), {"column": [{**ALIAS, "kind": ["expenditure_overview"]}]})
