"""A header label printed in tables of two kinds, whose naming holds in one and fails in the
other, is written with ``kinds``: the naming never reaches the table where it fails."""

from __future__ import annotations

from pathlib import Path

from fiscal_extract.catalog import data_docs, extend
from fiscal_extract.onboard.engine import onboard_samples
from fiscal_extract.onboard.run import profile_toml
from fiscal_extract.options import ExtractOptions
from fiscal_extract.pipeline import extract_source
from fiscal_extract.read.normalize import read_source

_HEAD = "科目编码\t科目名称\t合计\t运转经费\t项目支出\n"
_ROWS = [(f"2010{i:02d}", f"事务{i}", 10 * i + 5, 10 * i, 5) for i in range(1, 13)]


def _doc() -> str:
    total = sum(r[2] for r in _ROWS), sum(r[3] for r in _ROWS), sum(r[4] for r in _ROWS)
    one = "".join(f"{c}\t{n}\t{t}.00\t{a}.00\t{b}.00\n" for c, n, t, a, b in _ROWS)
    first = f"一、支出总表\n\n单位：万元\n\n{_HEAD}\t合计\t{total[0]}.00\t{total[1]}.00\t{total[2]}.00\n{one}\n"
    # here 运转经费 is no part of the total: read as basic, total = basic + project fails
    second = f"二、一般公共预算支出表\n\n单位：万元\n\n{_HEAD}\t合计\t{total[0]}.00\t7.00\t{total[2]}.00\n\n"
    return "某某局2026年部门预算\n\n" + first + second


def test_a_naming_failing_in_one_kind_is_limited_to_the_others(tmp_path: Path):
    doc = tmp_path / "two_kinds.txt"
    doc.write_text(_doc(), encoding="utf-8")
    base = data_docs()
    # a whole-cell alias close to the printed label: the catalog does not read 运转经费, onboarding proposes basic
    base["columns.toml"].append({"column": [{"labels": ["运转经费支出"], "role": "value", "key": "basic"}]})
    res = onboard_samples([doc], base=base)
    alias = next(c for c in res.profile["column"] if c["labels"] == ["运转经费"])
    assert (alias["key"], alias.get("kinds")) == ("basic", ["expenditure_overview"])
    assert 'kinds = ["expenditure_overview"]' in profile_toml(res.profile, "t", None, [doc])
    rec = extract_source(read_source(doc), ExtractOptions(), cat=extend((), res.profile, base))
    basic = {t.kind: t.rows[0].values.get("basic") for t in rec.tables}
    assert basic["expenditure_overview"] == sum(r[3] for r in _ROWS)
    assert basic["general_budget_expenditure"] is None
