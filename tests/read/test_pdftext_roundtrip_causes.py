"""What the round trip (bench/roundtrip.py) lost in PDF-library text, each read by general means:
codes of other widths, OCR's figures, a two-sided table's lone rows placed by their numbering, a
table's next page opened by whole figures or empty numbered rows under its repeated header, and a
row classified twice whose figures wrapped below its names."""

from __future__ import annotations

from decimal import Decimal

from fiscal_extract.catalog import load
from fiscal_extract.models import Table
from fiscal_extract.pipeline import extract_bytes
from fiscal_extract.read.normalize import from_bytes
from fiscal_extract.read.pdftext_tokens import tokenize
from fiscal_extract.read.segment import segment


def _tokens(line: str) -> list[tuple[str, str]]:
    src = from_bytes(line.encode("utf-8"))
    return [(t.kind, t.text) for t in tokenize(src, 0, len(src.text))]


def test_codes_of_other_widths_open_a_row() -> None:
    assert _tokens("016001 曾都区政务服务中心 447.48 447.48")[0] == ("code", "016001")
    assert _tokens("1101 基本工资 23.57 23.57")[0] == ("code", "1101")
    assert _tokens("42130322016R000000100 基本工资 单位本级 23.57")[:2] == [
        ("code", "42130322016R000000100"),
        ("label", "基本工资单位本级"),
    ]
    glued = _tokens("42130322016R000000100基本工资 23.57")
    assert glued[:2] == [("code", "42130322016R000000100"), ("label", "基本工资")]
    assert _tokens("410185240000000052177 2024年午餐补助 90.0 90.0")[0] == ("code", "410185240000000052177")
    # a year's own row, a year opening a name, a figure with no name after it: no code
    assert _tokens("2026 年 35.10 0.00")[0] == ("label", "2026年")
    assert _tokens("2024 信访 3.00")[0] == ("label", "2024信访")
    assert _tokens("16 23.57") == [("amount", "16"), ("amount", "23.57")]


def test_figures_as_ocr_prints_them_are_amounts() -> None:
    assert _tokens("住房公积金 8, 27 0,00 0:00 0.") == [
        ("label", "住房公积金"),
        ("amount", "8, 27"),
        ("amount", "0,00"),
        ("amount", "0:00"),
        ("amount", "0."),
    ]
    assert _tokens("1. 年度目标") == [("label", "1.年度目标")]  # a numbering, not a figure


def test_a_second_code_printed_apart_between_two_names() -> None:
    assert _tokens("301 03 奖金 505 01 工资福利支") == [
        ("code", "30103"),
        ("label", "奖金"),
        ("code", "50501"),
        ("label", "工资福利支"),
    ]


TWO_SIDED = """收支总表
单位：万元
收入 支出
项目 金额 项目 金额
一、一般公共预算 100.0 一、一般公共服务 90.0
其中：财政拨款 100.0 二、外交 0
三、教育 10.0
四、科学技术 0
五、国有资本经营预算 0
\f收入 支出
项目 金额 项目 金额
六、债务还本支出
七、债务付息支出 0
本年收入合计 100.0 本年支出合计 100.0
收入总计 100.0 支出总计 100.0
\f"""


def _table(text: str, kind: str) -> Table:
    rec = extract_bytes(text.encode("utf-8"))
    return next(t for t in rec.tables if t.kind == kind)


def test_a_lone_row_is_on_the_side_whose_numbering_it_continues() -> None:
    table = _table(TWO_SIDED, "income_expenditure_overview")
    sides = {r.name: r.side for r in table.rows}
    # 三、教育 continues the expenditure side's 二、 (the income side ended at 一、); so does
    # 五、国有资本经营预算, which its words alone would read as income
    assert sides["三、教育"] == "expenditure"
    assert sides["五、国有资本经营预算"] == "expenditure"


def test_the_next_page_under_a_repeated_header_is_read() -> None:
    table = _table(TWO_SIDED, "income_expenditure_overview")
    rows = {r.name: r for r in table.rows}
    assert "六、债务还本支出" in rows and rows["六、债务还本支出"].side == "expenditure"
    assert rows["七、债务付息支出"].values["total"] == Decimal("0")
    assert rows["本年支出合计"].values["total"] == Decimal("100.0")


ECONOMIC = """支出经济分类汇总表
单位：万元
部门预算经济分类 政府预算经济分类 总计 一般公共预算 政府性基金
科目编码 科目名称 科目编码 科目名称
合计 60.0 60.0 0
301 03 奖金 505 01 工资福利支
出
12.4 12.4 0
301 99 其他工资福利支
出
505 99 其他对事业
单位补助 47.6 47.6 0
\f"""


def test_a_row_classified_twice_keeps_its_figures_when_they_wrap_below() -> None:
    src = from_bytes(ECONOMIC.encode("utf-8"))
    grid = segment(src, load()).tables[0].parts[0]
    rows = {r.cells[0].text: [c.text for c in r.cells[1:]] for r in grid.rows if r.cells[0].text}
    assert rows["30103"] == ["奖金", "12.4", "12.4", "0"]
    assert rows["30199"] == ["其他工资福利支出", "47.6", "47.6", "0"]
    assert "50599" not in rows  # the second classification, not a row of its own
