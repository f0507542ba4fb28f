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
