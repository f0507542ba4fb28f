"""The department comes from labelled lines or the cover, never from a line holding only a year;
the document's unit is the one its narrative speaks in."""

from __future__ import annotations

from fiscal_extract.pipeline import extract_bytes

TABLE = """一般公共预算支出情况表
{owner}
科目编码 科目名称 合计 基本支出 项目支出
合计 30.00 20.00 10.00
201 一般公共服务支出 30.00 20.00 10.00
"""


def _meta(doc: str):
    return extract_bytes(doc.encode("utf-8")).meta


def test_department_from_a_labelled_line_glued_after_the_unit() -> None:
    doc = "2026年\n某市统计局部门预算目 录\n" + TABLE.format(owner="单位：万元单位名称：某市统计局")
    assert _meta(doc).department == "某市统计局"


def test_department_from_编制部门() -> None:
    doc = "封面\n" + TABLE.format(owner="编制部门：某某区人民政府某某街道办事处 单位：万元")
    assert _meta(doc).department == "某某区人民政府某某街道办事处"


def test_department_from_a_cover_wrapped_over_lines_never_a_year() -> None:
    doc = "某某市规划和自然\n资源局\n2024 年度部门决算\n目 录\n" + TABLE.format(owner="单位：万元")
    meta = _meta(doc)
    assert meta.department == "某某市规划和自然资源局"
    assert meta.kind == "final_accounts"


def test_the_document_unit_is_the_narratives() -> None:
    narrative = "".join(f"第{i}项支出{i}.00万元。\n" for i in range(1, 13))
    doc = "2025年某局部门预算\n" + narrative + TABLE.format(owner="单位：元").replace(".00", "")
    rec = extract_bytes(doc.encode("utf-8"))
    assert rec.meta.unit == "万元"
    table = next(t for t in rec.tables if t.kind == "general_budget_expenditure")
    assert table.unit == "元"
