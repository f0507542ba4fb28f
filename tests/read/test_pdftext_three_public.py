"""The "三公" table in PDF-library text: rows named by their year, budget / actual pairs per item,
groups over their own subtotal, and the figures other templates print beside the three items.
The snippets are copied from the corpus texts (eval/corpus/text)."""

from __future__ import annotations

from decimal import Decimal

from fiscal_extract.models import Table
from fiscal_extract.pipeline import extract_bytes
from fiscal_extract.read.normalize import from_bytes
from fiscal_extract.read.pdftext_tokens import tokenize


def _tokens(line: str) -> list[tuple[str, str]]:
    src = from_bytes(line.encode("utf-8"))
    return [(t.kind, t.text) for t in tokenize(src, 0, len(src.text))]


def _three_public(text: str) -> Table:
    # a form feed before and after: text as a PDF library makes it
    doc = "2026年部门预算\n\f" + text + "\f\n"
    rec = extract_bytes(doc.encode("utf-8"))
    return next(t for t in rec.tables if t.kind == "three_public")


def test_a_year_printed_apart_from_its_nian_is_one_label_of_its_own() -> None:
    assert _tokens("深圳市审计局 2025 年 40.31 0.00")[:2] == [("label", "深圳市审计局"), ("label", "2025年")]
    assert _tokens("2026 年 35.10 0.00")[0] == ("label", "2026年")
    # a year among a row's amounts is still an amount
    assert _tokens("合计 2025 40.31")[1] == ("amount", "2025")


SHENZHEN = """表 9
财政拨款“三公”经费支出表
部门名称：深圳市审计局 单位：万元
公务用车购置及运行维护费
总计 因公出国(境)费 公务接待费
小计 公务用车购置费 公务用车运行维护费预算单位 年度
一般公共预
算
政府性基金
预算
国有资本经
营预算
"""
SHENZHEN += "一般公共预\n算\n政府性基金\n预算\n国有资本经\n营预算\n" * 5
SHENZHEN += (
    "深圳市审计局 2025 年 40.31 0.00 0.00 0.80 0.00 0.00 3.51 0.00 0.00 36.00 0.00 0.00 "
    "30.00 0.00 0.00 6.00 0.00 0.00\n"
    "2026 年 35.10 0.00 0.00 28.00 0.00 0.00 3.50 0.00 0.00 3.60 0.00 0.00 0.00 0.00 0.00 3.60 0.00 0.00\n"
    "增减变化金额 -5.21 0.00 0.00 27.20 0.00 0.00 -0.01 0.00 0.00 -32.40 0.00 0.00 -30.00 0.00 0.00 -2.40 0.00 0.00\n"
    "注：本套报表金额单位转换时可能存在尾数误差。\n"
)


def test_rows_named_by_year_each_keep_their_figures() -> None:
    table = _three_public(SHENZHEN)
    rows = {r.name: r.values for r in table.rows}
    assert rows["2025年"]["total"] == Decimal("40.31") and rows["2025年"]["vehicle_purchase"] == Decimal("30.00")
    assert rows["2026年"]["overseas_travel"] == Decimal("28.00")
    assert rows["2026年"]["vehicle_operation"] == Decimal("3.60")
    assert rows["增减变化金额"]["reception"] == Decimal("-0.01")


PUTUO_FINAL = """财政拨款“三公”经费支出决算表
单位：万元
财政拨款“三公”经费
合计 因公出国 （境）费
公务用车购置及运行维护费
公务接待费 小计 公务用车 购置费 公务用车 运行维护费
预算数 决算数 预算数 决算数 预算数 决算数 预算数 决算数 预算数 决算数 预算数 决算数
2.85 0.39 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 2.85 0.39
注：本表反映部门本年度“三公”经费支出预决算情况。
"""


def test_budget_and_actual_under_each_item_are_prefixed_pairs() -> None:
    row = _three_public(PUTUO_FINAL).rows[0].values
    assert row["budget_total"] == Decimal("2.85") and row["actual_total"] == Decimal("0.39")
    assert row["budget_reception"] == Decimal("2.85") and row["actual_reception"] == Decimal("0.39")
    assert row["actual_overseas_travel"] == Decimal("0.00")
    assert "fiscal" not in row and "total" not in row


CENTRAL = """财政拨款预算“三公”经费支出表
单位：万元
2026 年预算数
合计 因公出国（境）费
公务用车购置及运行费
公务接待费
小计 公务用车 购置费 公务用车 运行费
112.61 68.50 38.60 38.60 5.51
"""


def test_a_lone_budget_label_is_a_banner_and_the_dropped_cell_is_the_often_empty_purchase() -> None:
    table = _three_public(CENTRAL)
    row = table.rows[0].values
    assert row["total"] == Decimal("112.61") and row["overseas_travel"] == Decimal("68.50")
    assert row["vehicle_total"] == Decimal("38.60") and row["vehicle_operation"] == Decimal("38.60")
    assert row.get("vehicle_purchase") is None and row["reception"] == Decimal("5.51")
    assert not any(k.startswith("budget_") for k in row)


JIANGSU_PDFIUM = """“三公”经费、会议费、培训费支出预算表
部门名称： 江苏省人民检察院 单位：万元
合计
“三公”经费
会议费 培训费
小计
因公出
国（境）
费
公务用车购置及运行维护费
公务接
小计 待费 公务用车购
置费
公务用车运
行维护费
1276.7 418.26 80 237 237 101.26 158.44 700
公开 10 表
"""


def test_the_outer_total_beside_meeting_and_training_is_the_grand_total() -> None:
    row = _three_public(JIANGSU_PDFIUM).rows[0].values
    assert row["grand_total"] == Decimal("1276.7") and row["total"] == Decimal("418.26")
    assert row["overseas_travel"] == Decimal("80") and row["vehicle_total"] == Decimal("237")
    assert row["vehicle_operation"] == Decimal("237") and row.get("vehicle_purchase") is None
    assert row["reception"] == Decimal("101.26")
    assert row["meeting_fee"] == Decimal("158.44") and row["training_fee"] == Decimal("700")


WANLI = """2025年部门“三公”经费和机关运行经费预算表
编制部门：上海市普陀区人民政府万里街道办事处 单位:万元
“三公”经费预算数
机关运行经费预算
数合计 因公出国(境)费 公务接待费 公务用车购置及运行费
小计 购置费 运行费
37.91 0 1.35 36.56 15 21.56 464.64
"""


def test_a_group_label_over_its_own_total_and_a_column_printed_beside_it() -> None:
    row = _three_public(WANLI).rows[0].values
    assert row["total"] == Decimal("37.91") and row["overseas_travel"] == Decimal("0")
    assert row["reception"] == Decimal("1.35") and row["vehicle_total"] == Decimal("36.56")
    assert row["vehicle_purchase"] == Decimal("15") and row["vehicle_operation"] == Decimal("21.56")
    assert row["operating_costs"] == Decimal("464.64")


HANGZHOU = """表7：2026年市级部门一般公共预算“三公”经费预算表
部门名称：杭州市气象局 单位：万元
公务用车购置及运行费
单位名称 “三公”经 费合计 因公出国 (境)费用 小计 公务用车 购置费 公务用车 运行维护 费 公务接 待费
** 1 2 3 4 5 6
合计 24.02 18.00 18.00 6.02
杭州市气象局 13.13 7.20 7.20 5.93
注：不含教学科研人员学术交流因公出国（境）费用。21
"""


def test_rows_printing_dropped_cells_are_placed_with_the_total_first() -> None:
    rec = extract_bytes(("2026年部门预算\n\f" + HANGZHOU + "\f\n").encode("utf-8"))
    table = next(t for t in rec.tables if t.kind == "three_public")
    rows = {r.name: r.values for r in table.rows}
    assert rows["合计"]["total"] == Decimal("24.02") and rows["合计"]["vehicle_operation"] == Decimal("18.00")
    assert rows["杭州市气象局"]["reception"] == Decimal("5.93") and rows["杭州市气象局"].get("vehicle_purchase") is None
    assert any(r.kind == "placement" and "most often empty" in r.reason for r in rec.repairs)


GUANGZHOU = """表8
财政拨款安排的行政经费及“三公”经费预算表
项目 合计 一般公共预算 政府性基金预算 国有资本经营预算
行政经费 839.21 839.21 0.00 0.00
“三公”经费 19.86 19.86 0.00 0.00
　　其中：（一）因公出国（境）支出 5.00 5.00 0.00 0.00
　　　　　（二）公务用车购置及运行维护支出 6.70 6.70 0.00 0.00
　　　　　　　　1.公务用车购置费 0.00 0.00 0.00 0.00
　　　　　　　　2.公务用车运行维护费 6.70 6.70 0.00 0.00
　　　　　（三）公务接待费支出 8.16 8.16 0.00 0.00
注：无。
"""


def test_a_three_public_table_with_items_as_rows_is_found_by_its_title() -> None:
    rows = {r.name: r.values for r in _three_public(GUANGZHOU).rows}
    assert rows["“三公”经费"]["total"] == Decimal("19.86") and rows["行政经费"]["gpb"] == Decimal("839.21")


CHANGCHUN = (
    """本年一般公共预算“三公”经费支出表(预算表 7)
预算单位：长春市信访局 单位：万元
“三
公”
经费
合计
当年预算 上年结转结余
小计
因公出国（境）费 公务用车购置及运行费
公务
接待
费
小计
因公出国（境）费 公务用车购置及运行费
公务接待费
"""
    "小计 因公出国 （境）费 科研因公出 国（境）费 用 小计 公务 用车 购置 费 公务 用车 运行 费 "
    "小计 因公出 国 （境） 费 科研因公 出国 （境）费 用 小计 公务 用车 购置 费 公务 用车 运行 费\n"
    """7.61 7.61 0.00 0.00 0.00 6.75 0.00 6.75 0.86 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00
说明：
"""
)


def test_a_group_whose_own_label_is_printed_again_among_its_parts_under_two_scopes() -> None:
    row = _three_public(CHANGCHUN).rows[0].values
    assert row["total"] == Decimal("7.61") and row["current_total"] == Decimal("7.61")
    assert row["overseas_travel"] == Decimal("0.00") and row["overseas_travel_research"] == Decimal("0.00")
    assert "overseas_travel_regular" in row
    assert row["vehicle_total"] == Decimal("6.75") and row["vehicle_operation"] == Decimal("6.75")
    assert row["reception"] == Decimal("0.86") and row["carryover_reception"] == Decimal("0.00")
    assert row["carryover_overseas_travel_regular"] == Decimal("0.00")


def _record(text: str):  # type: ignore[no-untyped-def]
    return extract_bytes(("2026年部门预算\n\f" + text + "\f\n").encode("utf-8"))


def test_the_summary_reads_the_latest_year_of_rows_named_by_year() -> None:
    tp = _record(SHENZHEN).summary.three_public
    assert tp.total == Decimal("35.10") and tp.overseas_travel == Decimal("28.00")
    assert tp.vehicle_purchase == Decimal("0.00")


def test_the_summary_reads_items_printed_as_rows() -> None:
    s = _record(GUANGZHOU).summary
    assert s.three_public.total == Decimal("19.86") and s.three_public.overseas_travel == Decimal("5.00")
    assert s.three_public.reception == Decimal("8.16")
    assert s.operating_costs == Decimal("839.21")


def test_the_summary_reads_operating_costs_printed_beside_the_three_public_figures() -> None:
    s = _record(WANLI).summary
    assert s.operating_costs == Decimal("464.64") and s.three_public.vehicle_purchase == Decimal("15")
