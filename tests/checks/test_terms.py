"""Terms and tolerance (checks/terms.py): the slack a check allows comes from the printed precision."""

from __future__ import annotations

from decimal import Decimal as D

from fiscal_extract.checks.terms import Equation, Term, decimals_of

from .factories import expenditure, record, statuses


def test_rounding_is_tolerated_but_not_more():
    ok = record(expenditure(total="100.1", basic="60.0", project="40.0"))  # one unit: rounding
    assert statuses(ok, "row.total_eq_basic_plus_project") == {"pass"}
    bad = record(expenditure(total="100.3", basic="60.0", project="40.0"))
    assert "fail" in statuses(bad, "row.total_eq_basic_plus_project")


def test_decimals_are_read_from_the_printed_form():
    assert [decimals_of(D(s)) for s in ("12", "12.5", "0.00", "8.27", "1E+3", "5E-7")] == [0, 1, 2, 2, 0, 7]


def _t(value: str) -> Term:
    return Term(D(value), "r", decimals_of(D(value)))


def test_tolerance_half_a_unit_per_figure_capped_and_exact_for_a_figure_printed_twice():
    assert Equation("x", "", [(1, _t("524.8")), (-1, _t("524.8"))]).tolerance == 0
    assert Equation("x", "", [(1, _t("524.8")), (-1, _t("524.78"))]).tolerance == D("0.05")
    three = Equation("x", "", [(1, _t("10.0")), (-1, _t("6.0")), (-1, _t("4.0"))])
    assert three.tolerance == D("0.1") and three.holds()  # under ten figures: at most one unit of 0.1
    many = Equation("x", "", [(1, _t("100.0"))] + [(-1, _t("10.0"))] * 10)
    assert many.tolerance == D("0.2")  # eleven figures: two units
    mixed = Equation("x", "", [(1, _t("3")), (-1, _t("1.25")), (-1, _t("1.75"))])
    assert mixed.tolerance == D("0.51")  # half a unit each: 0.5 + 0.005 + 0.005
    zeros = Equation("x", "", [(1, _t("1.0")), (-1, _t("1.0")), (-1, _t("0.00"))])
    assert zeros.tolerance == 0  # a zero carries no rounding


def test_of_which_relation_holds_below_its_whole_only():
    assert Equation("x", "", [(1, _t("3.0")), (-1, _t("5.0"))], relation="le").holds()
    assert not Equation("x", "", [(1, _t("6.0")), (-1, _t("5.0"))], relation="le").holds()
