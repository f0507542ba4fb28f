"""Equations within one table (checks/within.py): row identities, totals, 类/款/项, groups, of-which
figures, the column of an economic class, a note saying the table is empty."""

from __future__ import annotations

from decimal import Decimal as D

from fiscal_extract.models import Table

from .factories import expenditure, projects, record, results, row, statuses, three_public


def test_row_identity_pass_and_fail():
    assert statuses(record(expenditure()), "row.total_eq_basic_plus_project") == {"pass"}
    bad = record(expenditure(total="100.0", basic="60.0", project="45.0"))
    fails = [c for c in results(bad, "row.total_eq_basic_plus_project") if c.status == "fail"]
    assert fails and fails[0].expected == D("105.0") and fails[0].actual == D("100.0") and fails[0].cause == "source"


def test_total_row_and_parent_children():
    t = expenditure()
    assert statuses(record(t), "table.total_eq_top_rows") == {"pass"}
    assert statuses(record(t), "table.parent_eq_children") == {"pass"}
    t2 = expenditure()
    t2.rows[2].values["total"] = D("90.0")  # 款 no longer adds up to its 类
    assert "fail" in statuses(record(t2), "table.parent_eq_children")
    t3 = expenditure()
    t3.rows[0].values["total"] = D("110.0")
    assert "fail" in statuses(record(t3), "table.total_eq_top_rows")


def test_a_percent_column_is_never_summed():
    """A class's 增减(%) is not the sum of its rows' (corpus 11 prints 201 at -60.86 % over rows of
    +4.88 %, +1009.71 % ...): no column sum is written for a key of ``unsummed_keys``."""
    t = expenditure()
    for r, pct in zip(t.rows, ("-55.76", "-60.86", "4.88"), strict=True):
        r.values["change_percent"] = D(pct)
        r.values["change_amount"] = D("1.0")
    rec = record(t)
    summed = [c for c in results(rec, "table.parent_eq_children") + results(rec, "table.total_eq_top_rows")]
    refs = {ref.rsplit(".", 1)[-1] for c in summed for ref in c.refs}
    assert "change_amount" in refs  # an amount column is still summed (and this one holds: 1 = 1)
    assert "change_percent" not in refs
    assert all(c.status == "pass" for c in summed)


def test_three_public_identities():
    assert statuses(record(three_public()), "row.three_public") == {"pass"}
    assert "fail" in statuses(record(three_public(operation="4.0")), "row.three_public_vehicles")
    assert "fail" in statuses(record(three_public(total="6.0")), "row.three_public_total")


def test_project_groups_and_total():
    assert statuses(record(projects()), "table.group_eq_items") == {"pass"}
    assert statuses(record(projects()), "table.total_eq_top_rows") == {"pass"}
    assert "fail" in statuses(record(projects(group="230.0")), "table.group_eq_items")


def test_economic_class_column_rule():
    t = Table(
        kind="general_budget_basic_expenditure",
        title="基本支出表",
        rows=[
            row("合计", role="total", level=0, n=1, total="2.0", personnel="1.0", public="1.0"),
            row("基本工资", code="30101", level=2, n=2, total="1.0", personnel="1.0", public=None),
            row("办公费", code="30201", level=2, n=3, total="1.0", personnel=None, public="1.0"),
        ],
    )
    assert statuses(record(t), "table.economic_class_column") == set()
    t.rows[1].values.update(personnel=None, public=D("1.0"))
    t.rows[0].values.update(personnel=D("0.0"), public=D("2.0"))
    assert "fail" in statuses(record(t), "table.economic_class_column")


def test_of_which_row_never_exceeds_its_whole():
    t = expenditure()
    t.rows.insert(2, row("其中：人员支出", category="of_which", level=2, n=4, total="30.0"))
    assert statuses(record(t), "table.of_which_le_whole") == {"pass"}
    t.rows[2].values["total"] = D("130.0")
    fails = [c for c in results(record(t), "table.of_which_le_whole") if c.status == "fail"]
    assert fails and fails[0].cause == "source"


def test_a_note_saying_the_table_is_empty_under_printed_figures():
    t = projects()
    assert results(record(t), "table.note_vs_figures") == []
    t.notes = ["注：本表无数据"]
    assert statuses(record(t), "table.note_vs_figures") == {"fail"}
    t.rows[0].values["total"] = D("0")
    assert results(record(t), "table.note_vs_figures") == []
