"""Where the summary reads its figures (summary.toml): totals printed with a colon, the totals of
a basic-expenditure table printed in two groups, and a two-sided overview with no carry-over."""

from __future__ import annotations

from decimal import Decimal

from fiscal_extract.catalog import load
from fiscal_extract.models import Row, Table
from fiscal_extract.text.summary import build_summary


def test_a_total_printed_with_a_colon_is_the_total() -> None:
    cat = load()
    assert cat.row_label("总计：")[0] == "total"
    assert cat.row_label("人员经费合计") == ("total", "personnel")
    assert cat.row_label("公用经费合计") == ("total", "public")


def _two_sided(*rows: Row) -> Table:
    return Table(kind="income_expenditure_overview", title="部门财务收支预算总表", rows=list(rows))


def test_a_side_with_no_carry_over_gives_this_years_money() -> None:
    cat = load()
    table = _two_sided(
        Row(name="一、财政拨款收入", side="income", values={"total": Decimal(100)}),
        Row(name="收入总计", side="income", role="total", values={"total": Decimal(100)}),
        Row(name="一、一般公共服务支出", side="expenditure", values={"total": Decimal(100)}),
        Row(name="支出总计", side="expenditure", role="total", values={"total": Decimal(100)}),
    )
    s = build_summary([table], cat, "万元")
    assert s.current_year_income == Decimal(100) and s.current_year_expenditure == Decimal(100)


def test_a_side_with_a_carry_over_row_does_not() -> None:
    cat = load()
    table = _two_sided(
        Row(name="一、财政拨款收入", side="income", values={"total": Decimal(90)}),
        Row(name="上年结转", side="income", category="carryover", values={"total": Decimal(10)}),
        Row(name="收入总计", side="income", role="total", values={"total": Decimal(100)}),
        Row(name="一、一般公共服务支出", side="expenditure", values={"total": Decimal(90)}),
        Row(name="结转下年", side="expenditure", category="carryover_end", values={"total": Decimal(10)}),
        Row(name="支出总计", side="expenditure", role="total", values={"total": Decimal(100)}),
    )
    s = build_summary([table], cat, "万元")
    assert s.income_total == Decimal(100)
    assert s.current_year_income is None and s.current_year_expenditure is None


def test_operating_costs_printed_in_the_three_public_table() -> None:
    cat = load()
    row = Row(name="", role="total", values={"total": Decimal("37.91"), "operating_costs": Decimal("464.64")})
    table = Table(kind="three_public", title="2025年部门“三公”经费和机关运行经费预算表", rows=[row])
    s = build_summary([table], cat, "万元")
    assert s.operating_costs == Decimal("464.64")
    assert s.refs["operating_costs"].key == "operating_costs"
