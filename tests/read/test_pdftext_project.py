"""Project tables in PDF-library text: labels wrapped above their figures, a text cell (绩效目标)
printed between rows or after a row's figures, the header printed again on the next page, a row's
category, name and unit printed as one label; and a basic-expenditure row placed by its economic class."""

from __future__ import annotations

from decimal import Decimal

import pytest

from fiscal_extract.pipeline import extract_bytes

HEAD = (
    "支出项目类别（资金使用单\n位） 总计\n财政拨款\n财政专\n户拨款\n其他资\n"
    "金 绩效目标 合计 一般公共预 算 政府性基金 预算 国有资本经 营预算\n"
)
HEAD_PDFIUM = (
    "支出项目类别（资金使用单\n位） 总计\n财政拨款 财政专\n户拨款\n其他资\n金\n"
    "绩效目标 合计 一般公共预\n算\n政府性基金\n预算\n国有资本经\n营预算\n"
)


def _doc(head: str) -> str:
    return (
        "2026年部门预算\n\f部门预算项目支出及其他支出预算表\n单位名称：某某局 单位：万元\n"
        + head
        + "合计 160.00 110.00 110.00 0.00 0.00 0.00 50.00\n"
        "某某局 160.00 110.00 110.00 0.00 0.00 0.00 50.00\n"
        "\u3000\u3000机构运行辅助经费 60.00 60.00 60.00 0.00 0.00 0.00 0.00\n"
        "1.达到项目预期的经济和社会效益，及时监测好全市社\n"
        "会消费品市场发展情况做好统计工作，提高统计数据质量。\n"
        "\u3000\u3000某某市采购经理人指数\n"
        "调查编制工作经费 50.00 0.00 0.00 0.00 0.00 0.00 50.00\n"
        "通过开展采购经理人指数调查编制工作，完善统\n"
        "计指标体系，提高经济运行走势研判的可靠性。\n"
        "- 19 -\f" + head + "\u3000\u3000某某市第四次全国农业\n"
        "普查经费 40.00 40.00 40.00 0.00 0.00 0.00 0.00\n"
        "通过第四次全国农业普查项目，全面调查摸清我市各类\n"
        "农业普查对象的基本情况。\n"
        "\u3000\u3000其他运行经费 10.00 10.00 10.00 0.00 0.00 0.00 0.00 "
        "通过完成各项后勤服务，为本单位统计监测 工作提供后勤支持。\n"
        "注：无。\n"
    )


@pytest.mark.parametrize("head", [HEAD, HEAD_PDFIUM], ids=["pypdf", "pdfium"])
def test_wrapped_labels_text_cells_and_a_repeated_header_make_one_project_table(head: str) -> None:
    rec = extract_bytes(_doc(head).encode("utf-8"))
    table = next(t for t in rec.tables if t.kind == "project_expenditure")
    rows = {r.name: r.values for r in table.rows}
    assert list(rows) == [
        "合计", "某某局", "机构运行辅助经费", "某某市采购经理人指数调查编制工作经费",
        "某某市第四次全国农业普查经费", "其他运行经费",
    ]  # fmt: skip
    assert rows["某某市采购经理人指数调查编制工作经费"]["other_funds"] == Decimal("50.00")
    assert rows["某某市第四次全国农业普查经费"]["fiscal"] == Decimal("40.00")
    assert rows["其他运行经费"]["gpb"] == Decimal("10.00")


VERTICAL = (
    "2026年部门预算\n\f项目支出表(预算表 9)\n预算单位：某某局 单位：万元\n"
    "类\n型\n项目名称 项 目\n单\n位\n合计\n本年财政拨款 财政拨款结转 财政专\n户管理\n资金\n单位资金一级项\n目\n"
    "二级项\n目\n一般公共预\n算\n政府性基金预\n算\n国有资本经营预\n算\n一般公共预\n算\n政府性基金预\n算\n"
    "国有资本经\n营预算\n"
    + "".join(ch + "\n" for ch in "部门特定目标类项目")
    + "46.00 46.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00\n"
    "综合\n管理 46.00 46.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00\n"
    "2026 信\n访专项\n经费\n"
    + "".join(ch + "\n" for ch in "某某市某某局")
    + "30.00 30.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00\n"
    "信访局\n临聘人\n员经费\n"
    + "".join(ch + "\n" for ch in "某某市某某局")
    + "16.00 16.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00\n"
    "注：无。\n"
)


def test_labels_printed_one_character_a_line_above_their_figures() -> None:
    """A narrow column prints its cell vertically, one character a line, before the row's figures:
    the type row's label is the row's, not the header's; the project unit is a cell of its own;
    a year opening a wrapped name is part of it."""
    rec = extract_bytes(VERTICAL.encode("utf-8"))
    table = next(t for t in rec.tables if t.kind == "project_expenditure")
    rows = {r.name: r for r in table.rows}
    assert list(rows) == ["部门特定目标类项目", "综合管理", "2026信访专项经费", "信访局临聘人员经费"]
    assert rows["2026信访专项经费"].texts.get("unit_name") == "某某市某某局"
    assert rows["2026信访专项经费"].values["gpb"] == Decimal("30.00")
    assert rows["信访局临聘人员经费"].values["carryover_gpb"] == Decimal("0.00")


UNIT_AND_NAME = (
    "2026年部门预算\n\f表10：2026年市级部门项目支出预算表\n部门名称：某某局 单位：万元\n"
    "财政拨款收入\n单位名称 项目名称 总计\n一般公共预算 政府性基金 国有资本 经营预算\n财政专户\n管理资金 单位资金\n"
    "** ** 1 2 3 4 5 6\n"
    "合计 300.00 250.00 50.00\n"
    "某某局 气象业务建设 200.00 150.00 50.00\n"
    "某某局 气象设施维护 100.00 100.00\n"
    "注：无。\n"
)


def test_a_unit_cell_before_the_name_and_a_total_under_a_banner_printed_above_it() -> None:
    """单位名称 | 项目名称 printed as two words; 财政拨款收入 printed above the row-spanning 总计 (the
    total is still the first column); figures the arithmetic cannot place are null, with notices."""
    rec = extract_bytes(UNIT_AND_NAME.encode("utf-8"))
    table = next(t for t in rec.tables if t.kind == "project_expenditure")
    rows = {r.name: r for r in table.rows}
    assert list(rows) == ["合计", "气象业务建设", "气象设施维护"]
    assert rows["气象业务建设"].texts.get("unit_name") == "某某局"
    assert rows["气象业务建设"].values["total"] == Decimal("200.00")
    assert rows["合计"].values["total"] == Decimal("300.00")
    assert rows["合计"].values.get("gpb") is None  # 250.00 may be any of five sources
    assert any(n.code == "unplaced_figures" and "气象业务建设" in n.message for n in rec.notices)


ONE_LINE = (
    "2026年部门预算\n\f说明：本表无数据。本年政府性基金预算支出表(预算表 8) 预算单位：某某局 单位：万元 科目编码 "
    "功能分类科目名称 小计 基本支出 项目支出\f项目支出表(预算表 9) 预算单位：某某局 单位：万元 类型 项目名称 项目单位 "
    "合计 本年财政拨款 财政拨款结转 财政专 户管理 资金 单位资金 一级项目 二级项目 一般公共预 算 政府性基金预 算 "
    "国有资本经营预 算 一般公共预 算 政府性基金预 算 国有资本经 营预算 部门特定目标类项目 46.00 46.00 0.00 0.00 0.00 "
    "0.00 0.00 0.00 0.00 综合管理 46.00 46.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 2026 信 访专项 经费 某某市某某局 "
    "30.00 30.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 信访局 临聘人 员经费 某某市某某局 16.00 16.00 0.00 0.00 0.00 "
    "0.00 0.00 0.00 0.00国有资本经营预算支出明细表(预算表 10)\n"
)


def test_a_page_printed_as_one_spaced_line_is_cut_into_its_table() -> None:
    """pdfium prints some pages as one line (title, owner, header and rows, a space between cells):
    cut where amounts end and a label begins, before the owner label and a known title."""
    rec = extract_bytes(ONE_LINE.encode("utf-8"))
    table = next(t for t in rec.tables if t.kind == "project_expenditure")
    rows = {r.name: r for r in table.rows}
    assert list(rows) == ["部门特定目标类项目", "综合管理", "2026信访专项经费", "信访局临聘人员经费"]
    assert rows["2026信访专项经费"].texts.get("unit_name") == "某某市某某局"
    assert rows["2026信访专项经费"].values["total"] == Decimal("30.00")
    assert rows["信访局临聘人员经费"].values["gpb"] == Decimal("16.00")


def test_a_year_opening_a_wrapped_name_is_part_of_it_not_a_figure() -> None:
    from fiscal_extract.read.normalize import from_bytes
    from fiscal_extract.read.pdftext_tokens import tokenize

    def kinds(line: str) -> list[tuple[str, str]]:
        src = from_bytes(line.encode("utf-8"))
        return [(t.kind, t.text) for t in tokenize(src, 0, len(src.text))]

    assert kinds("2026 信") == [("label", "2026信")]
    assert kinds("2026 驻 京经费 30.00")[0] == ("label", "2026驻京经费")
    assert kinds("2026 年 35.10 0.00")[:2] == [("label", "2026年"), ("amount", "35.10")]  # the year's own row


def test_a_name_wrapped_over_several_lines_above_its_figures_after_a_text_cell() -> None:
    doc = _doc(HEAD).replace(
        "\u3000\u3000某某市采购经理人指数\n调查编制工作经费 50.00",
        "\u3000\u3000某某市内外经贸发展专\n项资金（配套省级促进开放型\n经济发展水平提升事项）\n50.00",
    )
    rec = extract_bytes(doc.encode("utf-8"))
    table = next(t for t in rec.tables if t.kind == "project_expenditure")
    rows = {r.name: r.values for r in table.rows}
    name = "某某市内外经贸发展专项资金(配套省级促进开放型经济发展水平提升事项)"
    assert name in rows and rows[name]["other_funds"] == Decimal("50.00")
    assert rows["机构运行辅助经费"]["total"] == Decimal("60.00")


CATEGORY_UNIT = """2024年项目支出表
部门名称：某某局 单位：万元
类型 项目名称 项目单位 合计
本年拨款 财政拨款结转结余
财政专户管
理资金
单位资
金一般公共
预算
政府性基金
预算
国有资本经
营预算
一般公共
预算
政府性基金
预算
国有资本经
营预算
合计 220.0 220.0
029001 登封市政务服务和大数据管理局 220.0 220.0
特定目
标类 2024年午餐补助 登封市政务服务和大 数据管理局 90.0 90.0
特定目
标类 2024年取暖费 登封市政务服务和大 数据管理局 29.0 29.0
其他运
转类 2024年劳务费 登封市政务服务和大 数据管理局 101.0 101.0
"""


def test_project_rows_printed_category_name_unit_as_one_label_are_split() -> None:
    """类型 | 项目名称 | 项目单位 printed as one label ("特定目" / "标类 2024年午餐补助 登封市政务服务和大
    数据管理局 90.0 90.0"): the category is a word the catalog knows, the unit the words that repeat."""
    rec = extract_bytes(CATEGORY_UNIT.encode("utf-8"), "project.pypdf.txt")
    (table,) = [t for t in rec.tables if t.kind == "project_expenditure"]
    got = {r.name: (r.texts.get("unit_name"), r.values.get("total")) for r in table.rows if r.values.get("total")}
    unit = "登封市政务服务和大数据管理局"
    assert got["2024年午餐补助"] == (unit, Decimal("90.0"))
    assert got["2024年取暖费"] == (unit, Decimal("29.0"))
    assert got["2024年劳务费"] == (unit, Decimal("101.0"))  # 其他运转类, printed once


BASIC_BY_CLASS = """一般公共预算基本支出表
部门名称：某某中心 单位：万元
部门预算支出经济分类科目 政府预算支出经济分类科目编码 本年一般公共预算基本支出
科目编码 科目名称 科目编码 科目名称 合计 人员经费 公用经费
合计 20.0 10.0 10.0
30101 基本工资 50501 工资福利支出 10.0 10.0
30211 差旅费 50502 商品和服务支出 10.0 10.0
"""


def test_a_packed_row_is_placed_where_its_economic_class_allows() -> None:
    """The arithmetic fits 基本工资 under 人员经费 or under 公用经费; a 301 row never fills 公用经费
    (checks.toml column_rule), a 302 row never 人员经费: each is placed, not left null."""
    rec = extract_bytes(BASIC_BY_CLASS.encode("utf-8"), "basic.pypdf.txt")
    (table,) = [t for t in rec.tables if t.kind == "general_budget_basic_expenditure"]
    got = {r.name: {k: float(v) for k, v in r.values.items() if v is not None} for r in table.rows}
    assert got["基本工资"] == {"total": 10.0, "personnel": 10.0}
    assert got["差旅费"] == {"total": 10.0, "public": 10.0}
