"""The cause of a failure (checks/causes.py): extraction, source or unknown."""

from __future__ import annotations

from decimal import Decimal as D

from fiscal_extract.checks.causes import implicated, readings
from fiscal_extract.checks.terms import Term
from fiscal_extract.models import Repair

from .factories import expenditure, record, results, span


def test_cause_extraction_for_repaired_and_ocr_confusion():
    # a figure read through a repair that could be read differently: the failure is ours
    t = expenditure(total="100.0", basic="60.0", project="40.0")
    t.rows[1].values["project"] = D("48.0")  # 40 printed as 48: a 0/8 confusion
    c = next(x for x in results(record(t), "row.total_eq_basic_plus_project") if x.status == "fail")
    assert c.cause == "extraction" and "OCR confusion" in c.message
    # a failing figure read through a repair that has another reading which balances the row
    t2 = expenditure(total="440.0", basic="40.0", project="400.0", wages="30.0", goods="10.0")
    t2.rows[1].values["project"] = D("4.00")  # printed "4,00": a decimal comma, or 400?
    rep = Repair(span=span(2), original="4,00", value=D("4.00"), reason="comma read as decimal point", kind="number")
    rec = record(t2, repairs=[rep])
    c2 = next(x for x in results(rec, "row.total_eq_basic_plus_project") if x.status == "fail")
    assert c2.cause == "extraction" and "4,00" in c2.message
    # a repair that no reading can make balance does not excuse the document
    t3 = expenditure()
    t3.rows[1].values["project"] = D("30.0")
    rep3 = Repair(span=span(2), original="3, 0", value=D("30.0"), reason="comma read as decimal point", kind="number")
    c3 = [x for x in results(record(t3, repairs=[rep3]), "row.total_eq_basic_plus_project") if x.status == "fail"]
    assert c3 and c3[0].cause == "source"


def test_cause_source_when_printed_figures_disagree():
    t = expenditure(total="100.0", basic="60.0", project="25.0")
    c = next(x for x in results(record(t), "row.total_eq_basic_plus_project") if x.status == "fail")
    assert c.cause == "source"


def test_readings_of_a_damaged_print_put_the_point_anywhere():
    assert readings("4,00") == {D("400"), D("4.00"), D("40.0")}
    assert readings("-") == set()


def test_implicated_names_the_figure_a_different_reading_would_fix():
    plain = Term(D("4.00"), "r", 2)
    assert implicated(plain, D("400"), D("0.5")) is None  # not repaired: nothing to re-read
    repaired = plain._replace(flags=("repaired",), printed="4,00")
    assert "could also be read as 400" in implicated(repaired, D("400"), D("0.5"))
    assert implicated(plain._replace(flags=("llm",)), D("1"), D("0")) == "read by the model"
