"""Onboarding writes the owner, unit and kind lines a new template prints in words the catalog does
not know into the profile's ``[text.meta]``, and the written profile reads them back."""

from __future__ import annotations

from pathlib import Path

from fiscal_extract.catalog import extend, load
from fiscal_extract.onboard.coverage import coverage
from fiscal_extract.onboard.engine import onboard_samples
from fiscal_extract.onboard.run import write_profile
from fiscal_extract.options import ExtractOptions
from fiscal_extract.pipeline import extract_source
from fiscal_extract.read.normalize import read_source

_TABLE = ("{title}\n\n编报单位：某某县水务局\n数额：元\n\n科目编码\t科目名称\t合计\t{a}\t{b}\n"
          "\t合计\t1500000.00\t{x}\t{y}\n201\t一般公共服务支出\t1500000.00\t{x}\t{y}\n\n")
DOC = "2026年财务预算公示\n\n" + _TABLE.format(
    title="一、支出总表", a="基本支出", b="项目支出", x="1000000.00", y="500000.00") + _TABLE.format(
    title="二、收入总表", a="一般公共预算拨款收入", b="事业收入", x="1500000.00", y="0.00")


def test_onboarding_writes_the_department_unit_and_kind_lines(tmp_path: Path):
    doc = tmp_path / "county_water.txt"
    doc.write_text(DOC, encoding="utf-8")
    src = read_source(doc)
    before = extract_source(src, ExtractOptions(), cat=load())
    # the built-in patterns miss all three (the department is a guess, the unit the default)
    assert before.meta.department != "某某县水务局" and before.meta.kind is None
    assert all(t.unit != "元" for t in before.tables)

    res = onboard_samples([doc])
    meta = res.profile["text"]["meta"]
    assert meta["budget_words"] == ["财务预算"]
    assert any("编报单位" in p for p in meta["department"]) and any("数额" in p for p in meta["unit"])
    assert {q["printed"].split(":")[0] for q in coverage(res)["questions"] if q["what"] == "meta"
            and q["status"] == "accepted"} == {"department", "unit", "kind"}

    path = write_profile(res, "county_water", tmp_path, None, [doc])
    assert "[text.meta]" in path.read_text(encoding="utf-8")
    after = extract_source(src, ExtractOptions(), cat=load((str(path),)))
    assert (after.meta.department, after.meta.kind) == ("某某县水务局", "budget")
    assert all(t.unit == "元" for t in after.tables)


def test_a_line_the_catalog_reads_already_is_not_proposed(tmp_path: Path):
    doc = tmp_path / "known.txt"
    doc.write_text(DOC.replace("编报单位", "预算单位").replace("数额", "单位"), encoding="utf-8")
    res = onboard_samples([doc])
    asked = {q.text.split(":")[0] for q in res.questions if q.what == "meta"}
    assert "department" not in asked and "unit" not in asked
    assert extend((), res.profile).text["meta"]["unit"] == load().text["meta"]["unit"]
