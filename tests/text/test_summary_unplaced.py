"""A summary figure whose own table prints the row but could not place its figures stays null."""

from __future__ import annotations

from decimal import Decimal

from fiscal_extract.catalog import load
from fiscal_extract.models import Column, Notice, Row, Span, Table
from fiscal_extract.text.summary import build_summary


def _tables(project: Decimal | None) -> list[Table]:
    overview = Table(
        kind="expenditure_overview",
        title="支出预算总表",
        columns=[Column(key="total", label="合计"), Column(key="basic", label="基本支出"),
                 Column(key="project", label="项目支出")],
        rows=[Row(name="合计", role="total", values={"total": Decimal("2500"), "basic": Decimal("368.39"),
                                                    "project": project}, span=Span(start=100, end=140, line=5))],
    )
    general = Table(
        kind="general_budget_expenditure",
        title="一般公共预算支出表",
        columns=[Column(key="total", label="合计"), Column(key="project", label="项目支出")],
        rows=[Row(name="合计", role="total", values={"total": Decimal("2376.39"), "project": Decimal("2008.00")},
                  span=Span(start=300, end=330, line=20))],
    )
    return [overview, general]


def test_an_unplaced_figure_is_not_replaced_by_another_tables_figure():
    cat = load()
    notices = [Notice(code="unplaced_figures", span=Span(start=100, end=140, line=5),
                      message="tables[0] 合计: figures 2131.61 could not be placed")]
    s = build_summary(_tables(None), cat, "万元", notices)
    assert s.project_expenditure is None
    assert [n.code for n in notices][-1] == "summary_unplaced" and "支出预算总表" in notices[-1].message


def test_a_row_with_nothing_unplaced_still_falls_back_and_a_placed_figure_is_taken():
    cat = load()
    assert build_summary(_tables(None), cat, "万元", []).project_expenditure == Decimal("2008.00")
    assert build_summary(_tables(Decimal("2131.61")), cat, "万元", []).project_expenditure == Decimal("2131.61")
