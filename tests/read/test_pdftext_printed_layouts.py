"""PDF-library text of layouts the round trip (tests/roundtrip.py) showed the reader losing: a
row classified twice (部门预算 and 政府预算 economic codes), a unit code in a narrow cell beside
a name wrapped over lines, a wide header wrapped a few characters to a line."""

from __future__ import annotations

from decimal import Decimal

import pytest

from fiscal_extract.pipeline import extract_bytes

TWICE = """2024年部门预算
一般公共预算基本支出表
单位：万元
部门预算支出经济分类科目 政府预算支出经济分类科目编码 本年一般公共预算基本支出
科目编码 科目名称 科目编码 科目名称 合计 人员经费 公用经费
合计 30.0 20.0 10.0
30101 基本工资 50101 工资奖金津补贴 20.0 20.0
30201 办公费 50201 办公经费 10.0 10.0
\f"""
APART = TWICE.replace("50101", "501 01").replace("50201", "502 01")


@pytest.mark.parametrize("doc", [TWICE, APART], ids=["joined", "printed-apart"])
def test_a_row_classified_twice_is_one_row_not_an_empty_row_and_a_nameless_one(doc: str) -> None:
    rec = extract_bytes(doc.encode("utf-8"))
    table = next(t for t in rec.tables if t.kind == "general_budget_basic_expenditure")
    items = [r for r in table.rows if r.role != "total"]
    assert [(r.code, r.name) for r in items] == [("30101", "基本工资"), ("30201", "办公费")]
    assert items[0].values["total"] == Decimal("20.0") and items[1].values["total"] == Decimal("10.0")
    # the second code is not read as a figure
    assert all(v is None or v < 100 for r in items for v in r.values.values())


UNIT_CODES = """2024年部门预算
部门支出总体情况表
单位：万元
单位代码 单位名称 合计 基本支出 项目支出
合计 30.0 20.0 10.0
112
平顶山市石
龙区政务大
数据中心
30.0 20.0 10.0
112001
平顶山市石
龙区政务大
数据中心本级
30.0 20.0 10.0
\f"""


def test_a_unit_code_above_a_wrapped_name_starts_the_next_row() -> None:
    rec = extract_bytes(UNIT_CODES.encode("utf-8"))
    table = next(t for t in rec.tables if t.kind == "expenditure_overview")
    rows = [r for r in table.rows if r.role != "total"]
    # (112 is no page number: no form feed beside it, a row above it, a name below it)
    assert [(r.code, r.name) for r in rows] == [
        ("112", "平顶山市石龙区政务大数据中心"),
        ("112001", "平顶山市石龙区政务大数据中心本级"),
    ]
    for r in rows:  # 112001 is no figure of the row above
        assert r.values["total"] == Decimal("30.0") and Decimal("112001") not in r.values.values()
        assert r.values["basic"] == Decimal("20.0") and r.values["project"] == Decimal("10.0")


INCOME = """2024年部门预算
部门收入总体情况表
部门名称：平顶山高新技术产业开发区行政服务中心 单位：万元
部门代
码 部门名称 总计
本年收入 上年结转结余
合计
一般公共预算
政府
性基
金
国有资
本经营
预算
财政专户
管理资金
收入
事
业
收
入
事业单
位经营
收入
上级
补助
收入
附属单
位上缴
收入
其
他
收
入
合
计
一般
公共
预算
政府
性基
金
国有资
本经营
预算
财政专
户管理
资金
单
位
资
金
小计
其中：
财政拨
款
合计 179.6 179.6 179.6 179.6 0 0 0 0 0 0 0 0 0 0 0 0 0 0
060
平顶山高新技
术 产业开发区
行 政服务中心
179.6 179.6 179.6 179.6 0 0 0 0 0 0 0 0 0 0 0 0 0 0
060001
平顶山高新技
术产业开发区
行 政服务中心
179.6 179.6 179.6 179.6 0 0 0 0 0 0 0 0 0 0 0 0 0 0
注：报表金额单位转换时可能存在四舍五入尾数误差。- 9 -
\f"""


def test_a_header_wrapped_over_more_than_fifty_lines_is_still_the_header() -> None:
    # the income table's 20 columns in narrow cells: a few characters of a label to a line
    assert INCOME.count("\n") > 60
    rec = extract_bytes(INCOME.encode("utf-8"))
    table = next(t for t in rec.tables if t.kind == "income_overview")
    assert not any(n.code == "header_rebuilt" and "no header label" in n.message for n in rec.notices)
    assert [r.values.get("total") for r in table.rows] == [Decimal("179.6")] * 3


BLOCKS = """2023年度部门决算
一般公共预算财政拨款基本支出决算明细表
金额单位：万元
人员经费 公用经费
科目代码 科目名称 决算数 科目代码 科目名称 决算数 科目代码 科目名称 决算数
301 工资福利支出 194.28 302 商品和服务支出 9.14 307 债务利息及费用支出 0.00
30101 基本工资 75.79 30201 办公费 4.14 30701 国内债务付息 0.00
30102 津贴补贴 118.49 30207 邮电费 5.00 310 资本性支出 0.00
\f"""


def test_blocks_printed_side_by_side_are_rows_under_one_block_header() -> None:
    # the banners 人员经费 | 公用经费 over the blocks name no column: 决算数 is each row's amount
    rec = extract_bytes(BLOCKS.encode("utf-8"))
    table = next(t for t in rec.tables if t.kind == "general_budget_basic_expenditure")
    rows = {r.code: r.values for r in table.rows}
    assert rows["301"]["total"] == Decimal("194.28") and rows["302"]["total"] == Decimal("9.14")
    assert rows["30207"]["total"] == Decimal("5.00") and rows["310"]["total"] == Decimal("0.00")
    assert all(v.get("personnel") is None for v in rows.values())


def test_budget_and_actual_scopes_alone_on_the_first_header_row() -> None:
    # 预算数 | 决算数 over identical blocks 合计 | 因公出国(境)费 | 公务用车购置及运行维护费 (小计 |
    # 购置费 | 运行维护费) | 公务接待费: the 合计 beside its parts is no banner over the 小计 below
    from fiscal_extract.catalog import load
    from fiscal_extract.read.pdftext_header import plan_header

    block = ["合计", "因公出国(境)费", "公务用车购置及运行维护费", "公务接待费"]
    lowest = ["小计", "公务用车购置费", "公务用车运行维护费"]
    labels = ["预算数", "决算数", *block, *block, *lowest, *lowest]
    plan = plan_header(load(), "three_public", "three_public", labels, 12, [["0.00"] * 12])
    side = ["total", "overseas_travel", "vehicle_total", "vehicle_purchase", "vehicle_operation", "reception"]
    assert plan.keys == [f"budget_{k}" for k in side] + [f"actual_{k}" for k in side]


LINE_NUMBERS = """2023年度部门决算
收入支出决算总表
金额单位：万元
收入 支出
项目
行次
金额 项目
行次
金额
栏次 1 栏次 2
一、一般公共预算财政拨款收入 1 322.37 一、一般公共服务支出 4 300.00
二、其他收入 2 10.45 二、外交支出 5 0.00
3 三、卫生健康支出 6 32.82
7
本年收入合计 8 332.82 本年支出合计 9 332.82
年初结转和结余 10 0.49 年末结转和结余 11 0.49
12 13
总计 14 333.31 总计 15 333.31
\f"""


def test_line_numbers_under_a_line_number_header_are_no_figures() -> None:
    rec = extract_bytes(LINE_NUMBERS.encode("utf-8"))
    table = next(t for t in rec.tables if t.kind == "income_expenditure_overview")
    got = {(r.side, r.name): r.values.get("total") for r in table.rows}
    assert got[("income", "一、一般公共预算财政拨款收入")] == Decimal("322.37")
    assert got[("expenditure", "一、一般公共服务支出")] == Decimal("300.00")
    assert got[("expenditure", "三、卫生健康支出")] == Decimal("32.82")  # its left side empty: only "3"
    assert got[("income", "本年收入合计")] == Decimal("332.82")
    assert got[("expenditure", "年末结转和结余")] == Decimal("0.49")  # not 0.49 | 12 | 13
    assert all(v is None or v.as_tuple().exponent == -2 for v in got.values())  # no line number read
