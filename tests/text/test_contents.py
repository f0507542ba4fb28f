"""A table the document names but the reader could not read is reported, never silently left out."""

from __future__ import annotations

from fiscal_extract.pipeline import extract_bytes

DOC = """2024年某某局部门预算
目录
一、部门收支总体情况表........3
二、一般公共预算支出情况表........5
一般公共预算支出情况表
单位：万元
科目编码 科目名称 合计 基本支出 项目支出
合计 30.00 20.00 10.00
201 一般公共服务支出 30.00 20.00 10.00
"""


def test_a_listed_table_that_was_not_read_gives_a_notice() -> None:
    rec = extract_bytes(DOC.encode("utf-8"))
    unread = [n for n in rec.notices if n.code == "table_not_read"]
    assert [n.message.split(" (")[0] for n in unread] == ["the document names the table 一、部门收支总体情况表"]
    assert "income_expenditure_overview" in unread[0].message
    # the table that was read is not reported
    assert not any("general_budget_expenditure" in n.message for n in unread)


def test_check_says_figures_are_missing_instead_of_all_clear(tmp_path) -> None:
    from fiscal_extract.options import ExtractOptions
    from fiscal_extract.report.check_text import check_summary
    from fiscal_extract.report.findings import check_file

    doc = tmp_path / "doc.txt"
    doc.write_text(DOC, encoding="utf-8")
    text = check_summary(check_file(doc, ExtractOptions()))
    assert "NOT READ: 1" in text
    assert "部门收支总体情况表" in text
