"""Equations of two-sided overviews (checks/two_sided.py)."""

from __future__ import annotations

from decimal import Decimal as D

from .factories import record, row, statuses, two_sided


def test_two_sided_checks():
    good = record(two_sided())
    for cid in ("two_sided.subtotal_eq_items", "two_sided.total_eq_parts", "two_sided.income_eq_expenditure"):
        assert statuses(good, cid) == {"pass"}, cid
    assert "fail" in statuses(record(two_sided(exp_item="12.0")), "two_sided.subtotal_eq_items")
    bad_total = record(two_sided(income_total="11.0"))
    assert "fail" in statuses(bad_total, "two_sided.total_eq_parts")
    assert "fail" in statuses(bad_total, "two_sided.income_eq_expenditure")


def test_numbered_item_equals_its_sub_items():
    t = two_sided()
    t.rows.insert(1, row("（一）基本支出", level=2, side="income", n=8, total="6.0"))
    t.rows.insert(2, row("（二）项目支出", level=2, side="income", n=9, total="4.0"))
    assert statuses(record(t), "two_sided.parent_eq_children") == {"pass"}
    t.rows[2].values["total"] = D("5.0")
    assert "fail" in statuses(record(t), "two_sided.parent_eq_children")
