"""Two-sided overview tables in PDF-library text: both sides on one line with one side's cell
empty, a row whose cells are all empty before a subtotal row, and the summary figures they give."""

from __future__ import annotations

from decimal import Decimal

from fiscal_extract.catalog import load
from fiscal_extract.models import Row, Table
from fiscal_extract.pipeline import extract_bytes
from fiscal_extract.read.normalize import from_bytes
from fiscal_extract.read.pdftext_tokens import row_groups, tokenize
from fiscal_extract.text.summary import build_summary


def _groups(line: str) -> list[tuple[str | None, list[str]]]:
    src = from_bytes(line.encode("utf-8"))
    groups = row_groups(tokenize(src, 0, len(src.text)))
    return [(lab.text if lab else None, [a.text for a in amts]) for _c, lab, amts in groups]


def test_a_wide_gap_between_labels_starts_the_other_sides_cell() -> None:
    assert _groups("\u3000\u3000政府性基金预算 \u3000\u3000科技成果转化与扩散 28.00") == [
        ("政府性基金预算", []),
        ("科技成果转化与扩散", ["28.00"]),
    ]
    assert _groups("上年结转资金   结转下年资金") == [("上年结转资金", []), ("结转下年资金", [])]


def test_spaced_out_characters_stay_one_label() -> None:
    assert _groups("收  入  总  计 5,876.67 支  出  总  计 5,876.67") == [
        ("收入总计", ["5,876.67"]),
        ("支出总计", ["5,876.67"]),
    ]


DOC = """2024年部门预算
收支预算总表
单位：万元
收入 支出
项目 预算数 项目 预算数
一、财政拨款 100.00 一、一般公共服务支出 60.00
二、事业收入 二、教育支出 40.00
三、其他收入
本年收入小计 100.00 本年支出小计 100.00
上年结转   结转下年
收入总计 100.00 支出总计 100.00
\f"""


def test_an_empty_row_before_a_subtotal_row_stays_a_row_of_its_own() -> None:
    rec = extract_bytes(DOC.encode("utf-8"))
    table = next(t for t in rec.tables if t.kind == "income_expenditure_overview")
    names = [r.name for r in table.rows]
    assert "三、其他收入" in names
    sub = next(r for r in table.rows if r.name == "本年收入小计")
    assert sub.role == "subtotal" and sub.side == "income"
    assert rec.summary.current_year_income == Decimal("100.00")
    assert rec.summary.current_year_expenditure == Decimal("100.00")
    assert rec.summary.income_total == Decimal("100.00")


def test_a_table_whose_one_row_has_no_name_gives_its_totals() -> None:
    cat = load()
    row = Row(name="", role="item", values={"total": Decimal(30), "basic": Decimal(20), "project": Decimal(10)})
    table = Table(kind="expenditure_overview", title="支出预算总表", rows=[row])
    s = build_summary([table], cat, "万元")
    assert s.basic_expenditure == Decimal(20) and s.project_expenditure == Decimal(10)
    # two such rows: neither is the table's total
    two = Table(kind="expenditure_overview", title="支出预算总表", rows=[row, row.model_copy()])
    assert build_summary([two], cat, "万元").basic_expenditure is None


UNEVEN = """财政拨款收支总体情况表
部门名称：某某中心 单位：万元
收入 支出
项目 金额 项目 合计
一般公共预算
政府性基金 国有资本经营预算
小计 其中：财政拨款
一、本年收入 524.8 一、本年支出 524.8 524.8 500.8
（一）一般公共预算拨款 524.8 （一）一般公共服务支出 483.0 483.0 459.0
其中：财政拨款 500.8 （二）外交支出
二、上年结转 （八）社会保障和就业支出 18.4 18.4 18.4
（十）卫生健康支出 9.5 9.5 9.5
（二十一）住房保障支出 13.8 13.8 13.8
收入合计 524.8 支出合计 524.8 524.8 500.8
"""


def test_the_sides_of_a_two_sided_table_may_print_different_columns() -> None:
    """收入 prints one column (金额), 支出 five (合计 | 一般公共预算: 小计, 其中：财政拨款 | 政府性基金 …),
    the group's parts on the header row below every other label."""
    rec = extract_bytes(UNEVEN.encode("utf-8"), "uneven.pypdf.txt")
    (table,) = [t for t in rec.tables if t.kind == "fiscal_grant_overview"]
    income = {r.name: r.values.get("total") for r in table.rows if r.side == "income"}
    assert income["一、本年收入"] == Decimal("524.8") and income["其中：财政拨款"] == Decimal("500.8")
    spent = {r.name: {k: float(v) for k, v in r.values.items() if v is not None}
             for r in table.rows if r.side == "expenditure"}  # fmt: skip
    assert spent["(一)一般公共服务支出"] == {"total": 483.0, "gpb": 483.0, "gpb_fiscal": 459.0}
    assert spent["支出合计"] == {"total": 524.8, "gpb": 524.8, "gpb_fiscal": 500.8}
