"""Equations across tables (checks/across.py): the same figure, class or code in several tables."""

from __future__ import annotations

from decimal import Decimal as D

from fiscal_extract.models import Table

from .factories import expenditure, record, row, statuses, two_sided


def test_cross_table_and_skip_when_a_table_is_absent():
    basic = Table(
        kind="general_budget_basic_expenditure",
        title="基本支出表",
        rows=[row("合计", role="total", level=0, n=9, total="60.0", personnel="50.0", public="10.0")],
    )
    gbe = expenditure()
    gbe.kind = "general_budget_expenditure"
    assert statuses(record(gbe, basic), "cross.basic_expenditure") == {"pass"}
    basic.rows[0].values["total"] = D("61.0")
    assert "fail" in statuses(record(gbe, basic), "cross.basic_expenditure")
    assert statuses(record(gbe), "cross.basic_expenditure") == {"skip"}  # never silently passed


def test_the_same_code_agrees_between_two_tables_that_cover_the_same_money():
    gbe = expenditure()
    gbe.kind = "general_budget_expenditure"
    assert statuses(record(expenditure(), gbe), "cross.row_general_budget") == {"pass"}
    gbe.rows[2].values["basic"] = D("59.0")
    gbe.rows[2].values["project"] = D("41.0")
    assert "fail" in statuses(record(expenditure(), gbe), "cross.row_general_budget")


def test_a_functional_class_agrees_between_the_overview_and_the_expenditure_table():
    overview = two_sided(income_total="100.0", exp_item="100.0")
    overview.rows[4].name = "一、一般公共服务支出"
    assert statuses(record(overview, expenditure()), "cross.class_overview") == {"pass"}
    overview.rows[4].values["total"] = D("90.0")
    assert "fail" in statuses(record(overview, expenditure()), "cross.class_overview")
