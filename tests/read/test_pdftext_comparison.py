"""PDF-library text of a functional table that prints last year's executed figures and the change
beside this year's budget (the central departments' template): a period printed over the header's
lower row, a block of columns printed twice, rate cells, rows with empty cells dropped."""

from __future__ import annotations

from decimal import Decimal

from fiscal_extract.catalog import load
from fiscal_extract.pipeline import extract_bytes
from fiscal_extract.read.cells import NO_STYLE, Style, read_value
from fiscal_extract.read.pdftext_header import plan_header

# invented figures; the layout as pypdf prints the template (header row by row, wrapped labels)
DOC = """2024年部门预算
部门公开表 5
一般公共预算支出表
单位：万元
功能分类科目 2023 年执行数 2024 年预算数 2024 年预算数比 2023 年执行数 \
2024 年预算数比 2023 年执行数 （扣除中央基建投资）
科目编码 科目名称 执行数
扣除中央基
建投资后执
行数
年初预算数 扣除中央
基建投资
后预算数
增减额 增减(%) 增减额 增减(%)
小计 基本支出 项目支出
201 一般公共服务支出 100.00 80.00 120.00 70.00 50.00 120.00 20.00 20.00% 40.00 50.00%
20101 人大事务 100.00 80.00 120.00 70.00 50.00 120.00 20.00 20.00% 40.00 50.00%
2010101 行政运行 60.00 60.00 70.00 70.00 70.00 10.00 16.67% 10.00 16.67%
2010102 一般行政管理事务 40.00 20.00 50.00 50.00 50.00 10.00 25.00% 30.00 150.00%
210 卫生健康支出 8.00 8.00 -8.00 -100.00% -8.00 -100.00%
21011 行政事业单位医疗 8.00 8.00 -8.00 -100.00% -8.00 -100.00%
合 计 108.00 88.00 120.00 70.00 50.00 120.00 12.00 11.11% 32.00 36.36%5
\f部门公开表 6
"""

KEYS = [
    "prior_year_executed",
    "prior_year_executed_excl_capital",
    "total",
    "basic",
    "project",
    "total_excl_capital",
    "change_amount",
    "change_percent",
    "change_amount_excl_capital",
    "change_percent_excl_capital",
]


def test_a_dated_period_over_the_lower_row_and_a_repeated_block_name_their_columns() -> None:
    cat = load()
    labels = [
        "功能分类科目", "2023", "年", "执行数", "2024", "年", "预算数", "2024", "年", "预算数", "比", "2023", "年",
        "执行数", "(扣除中央基建投资)", "科目编码", "科目名称", "执行数", "扣除中央基建投资后执行数", "年初预算数",
        "扣除中央基建投资后预算数", "增减额", "增减(%)", "增减额", "增减(%)", "小计", "基本支出", "项目支出",
    ]  # fmt: skip
    full = [["100.00", "80.00", "120.00", "70.00", "50.00", "120.00", "20.00", "20.00%", "40.00", "50.00%"]]
    plan = plan_header(cat, "classified", "general_budget_expenditure", labels, 10, full)
    assert plan.keys == KEYS


def test_a_header_whose_value_labels_all_carry_the_year_keeps_them() -> None:
    cat = load()
    # 项目 | 2024 年预算数 | 项目 | 2024 年预算数: the dated label is the column itself
    labels = ["收入", "支出", "项目", "2024", "年", "预算数", "项目", "2024", "年", "预算数"]
    plan = plan_header(cat, "two_sided", "income_expenditure_overview", labels, 2, [])
    assert plan.keys == ["total", "total"]


def test_a_rate_cell_is_read_as_its_number() -> None:
    assert read_value("-60.86%", Style(2, True), True).value == Decimal("-60.86")
    assert read_value("1009.71%", NO_STYLE, True).value == Decimal("1009.71")
    assert read_value("12.3.4%", NO_STYLE, True).dropped


def test_the_comparison_table_is_read_whole() -> None:
    rec = extract_bytes(DOC.encode("utf-8"))
    table = next(t for t in rec.tables if t.kind == "general_budget_expenditure")
    rows = {r.code or r.role: r.values for r in table.rows}
    assert [k for k in KEYS if rows["201"].get(k) is not None] == KEYS
    assert rows["201"]["change_percent_excl_capital"] == Decimal("50.00")
    # empty cells dropped: basic or project by the family's column sums
    assert rows["2010101"]["basic"] == Decimal("70.00") and rows["2010101"].get("project") is None
    assert rows["2010102"]["project"] == Decimal("50.00") and rows["2010102"].get("basic") is None
    assert rows["2010102"]["change_amount_excl_capital"] == Decimal("30.00")
    assert rows["2010102"]["change_percent_excl_capital"] == Decimal("150.00")
    # a row with no budget this year: the four budget columns empty, the change = -executed
    assert rows["210"].get("total") is None and rows["210"].get("total_excl_capital") is None
    assert rows["210"]["prior_year_executed"] == Decimal("8.00")
    assert rows["210"]["change_amount"] == Decimal("-8.00")
    assert rows["210"]["change_percent"] == Decimal("-100.00")
    # the page number glued onto the last rate of the page is cut off, and the repair says so
    assert rows["total"]["change_percent_excl_capital"] == Decimal("36.36")
    assert any("page number 5" in r.reason for r in rec.repairs)


def test_a_total_printed_after_a_group_label_of_the_row_above_is_the_first_column() -> None:
    cat = load()
    # 基本支出 spans 人员支出 | 日常公用支出 in the row above 总计 | 人员支出 | 日常公用支出 | 项目支出 ...;
    # no row prints every column, so no arithmetic can settle the order
    labels = [
        "基本支出", "功能分类科目名称", "总计", "人员支出", "日常公用支出", "项目支出", "事业单位经营支出",
        "上缴上级支出", "对附属单位补助支出",
    ]  # fmt: skip
    plan = plan_header(cat, "classified", "expenditure_overview", labels, 7, [])
    assert plan.keys == [
        "total", "personnel", "public", "project", "business_operating", "to_superior", "to_affiliated",
    ]  # fmt: skip
