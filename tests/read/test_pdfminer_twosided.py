"""pdfminer's text of a two-sided overview (收入 | 支出): the figures of its items cannot be paired
with them, but the two sides' totals confirm each other, and a side's subtotal is confirmed by
total = subtotal + carry-overs; anything else is left null with a notice."""

from __future__ import annotations

from decimal import Decimal

from fiscal_extract.pipeline import extract_bytes

# items of both sides as paragraphs, their figures in runs that no longer say whose they are
OVERVIEW = """2024年部门预算

\f收支总表

单位：万元

收入

支出

项目

预算数

项目

预算数

一、财政拨款收入

二、事业收入

300.00  一、一般公共服务支出

二、教育支出

120.00

180.00

本年收入合计

{sub_in}

上年结转结余

本年支出合计

结转下年

{total_in_label}

300.00

支出总计

{total_out}

- 1 -
"""


def _overview(sub_in: str = "300.00", total_in_label: str = "收入总计", total_out: str = "300.00"):  # type: ignore[no-untyped-def]
    text = OVERVIEW.format(sub_in=sub_in, total_in_label=total_in_label, total_out=total_out)
    rec = extract_bytes(text.encode("utf-8"))
    return rec, next(t for t in rec.tables if t.kind == "income_expenditure_overview")


def test_the_totals_both_sides_print_alike_and_a_confirmed_subtotal_are_read() -> None:
    rec, table = _overview()
    rows = {(r.side, r.name): r.values.get("total") for r in table.rows}
    assert rows[("income", "收入总计")] == Decimal("300.00")
    assert rows[("expenditure", "支出总计")] == Decimal("300.00")
    assert rows[("income", "本年收入合计")] == Decimal("300.00")  # 300 = 300 + an empty carry-over
    # 本年支出合计 prints no figure of its own: not guessed from the total
    assert rows[("expenditure", "本年支出合计")] is None
    assert ("income", "一、财政拨款收入") not in rows  # the items' figures are not paired by position
    assert rec.summary.income_total == Decimal("300.00")
    assert rec.summary.current_year_income == Decimal("300.00")
    assert rec.summary.current_year_expenditure is None
    assert any("本年支出合计" in n.message and "not confirmed" in n.message for n in rec.notices)


def test_a_subtotal_the_total_does_not_confirm_is_left_null() -> None:
    rec, table = _overview(sub_in="280.00")
    rows = {(r.side, r.name): r.values.get("total") for r in table.rows}
    assert rows[("income", "本年收入合计")] is None
    assert rows[("income", "收入总计")] == Decimal("300.00")
    # the side prints a carry-over row: its total is not this year's income either
    assert rec.summary.current_year_income is None
    assert any("本年收入合计" in n.message and "not confirmed" in n.message for n in rec.notices)


def test_totals_that_do_not_balance_are_not_read() -> None:
    rec, _table = _overview(total_out="310.00")
    assert rec.summary.income_total is None
    assert rec.summary.expenditure_total is None
