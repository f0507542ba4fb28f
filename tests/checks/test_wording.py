"""A failed check is said in the document's terms, and one discrepancy is one finding (checks/wording.py,
checks/discrepancy.py, report/check_text.py)."""

from __future__ import annotations

from decimal import Decimal as D

from fiscal_extract.checks.run import equations, run_checks
from fiscal_extract.models import Change
from fiscal_extract.report.check_text import check_summary
from fiscal_extract.report.findings import report

from .factories import CAT, expenditure, fact, record, results


def _fails(rec, check_id):
    return [c for c in results(rec, check_id) if c.status == "fail"]


def test_a_stated_share_is_said_as_the_narrative_says_it():
    t = expenditure(total="1274.4", basic="374.7", project="899.7", wages="300.0", goods="74.7")
    rec = record(t, facts=[fact("current_year_expenditure", "1274.4", 1), fact("basic_expenditure", "374.7", 2,
                                                                                share="29.6")])
    [c] = _fails(rec, "narrative.share")
    assert "the narrative says basic_expenditure is 29.6 % of current_year_expenditure" in c.message
    assert "the figures give 374.7 / 1,274.4 = 29.4 %" in c.message
    # never the scaled, internal equation (374.7 × 100 = 29.6 × 1274.4)
    assert "37470" not in c.message and "× 100" not in c.message and "37722" not in c.message


def test_a_year_on_year_change_is_said_with_last_years_figure():
    facts = [fact("current_year_expenditure", "100", 0,
                  change=Change(direction="increase", amount=D("20"), percent=D("20")))]
    rec = record(expenditure(), facts=facts)
    [c] = [c for c in _fails(rec, "narrative.change") if "percent" in c.message]
    assert "the narrative says current_year_expenditure rose by 20, 20 %, to 100; from 80 that is 25.0 %" in (
        c.message), c.message
    assert "2000" not in c.message


def _total_printed(total: str):
    """The expenditure table with its 合计 row's total misprinted (its class rows say 100.0)."""
    t = expenditure()
    t.rows[0].values["total"] = D(total)
    return t


def test_a_sum_names_its_whole_and_parts_by_their_printed_names():
    rec = record(_total_printed("101.0"))
    [c] = [c for c in _fails(rec, "row.") if "基本支出" in c.message]
    assert "in 部门支出总体情况表, row 合计: 合计 is 101.0, but its parts add up to 100.0" in c.message, c.message
    assert "基本支出 60.0 + 项目支出 40.0" in c.message and "off by 1.0" in c.message
    assert "(off by -1.0)" not in c.message and "101.0 = 60.0 + 40.0" not in c.message


def test_one_wrong_figure_is_one_finding_with_its_consequences():
    # 合计 printed 101.0 where its parts (基本 + 项目) and its class rows say 100.0: two checks fail,
    # one discrepancy
    rec = record(_total_printed("101.0"), facts=[fact("current_year_expenditure", "100.0", 1)])
    eqs = equations(rec, CAT)
    rec.checks = run_checks(rec, CAT, eqs)
    rep = report(rec, eqs)
    fails = [c for c in rec.checks if c.status == "fail"]
    assert len(fails) >= 2
    [g] = rep.groups
    assert len(g.findings) == len(fails) and g.needed == D("100.0") and g.figure.value == D("101.0")
    assert rep.discrepancies == 1
    text = check_summary(rep)
    assert text.count("\nFAIL [source] one discrepancy") == 1 and text.count("\nFAIL ") == 1, text
    assert f"one discrepancy, {len(fails)} failed checks: 部门支出总体情况表 / 合计 / 合计 is 101.0" in text
    assert "is 101.0 (line 2); 100.0 would make every one of them hold" in text
    assert all(f"{c.id}: {c.message}" in text for c in fails)


def test_unrelated_failures_stay_apart():
    rec = record(_total_printed("101.0"), facts=[fact("basic_expenditure", "61.0", 1)])
    eqs = equations(rec, CAT)
    rec.checks = run_checks(rec, CAT, eqs)
    rep = report(rec, eqs)
    grouped = {id(f) for g in rep.groups for f in g.findings}
    assert any(id(f) not in grouped for f in rep.findings)  # the narrative's 61.0 is its own discrepancy
    assert rep.discrepancies == len(rep.findings) - sum(len(g.findings) for g in rep.groups) + len(rep.groups)


def test_wording_of_an_18_digit_figure_against_a_tiny_base():
    # the share is worked out exactly however long it is (the default context's 28 digits would raise)
    rec = record(expenditure(total="0.01", basic="0.01", project="0.00", wages="0.01", goods="0.00"),
                 facts=[fact("current_year_expenditure", "0.01", 1),
                        fact("basic_expenditure", "9" * 16 + ".99", 2, share="29.6")])
    [c] = _fails(rec, "narrative.share")
    assert "= 99999999999999999900000.0 %" in c.message or "9,999,999,999,999,999.99 / 0.01" in c.message


def test_the_review_page_says_the_discrepancy_once_per_check_and_no_scaled_figures():
    from fiscal_extract.read.normalize import from_bytes
    from fiscal_extract.report.review import build_review
    from fiscal_extract.report.review_html import review_html

    rec = record(_total_printed("101.0"), facts=[fact("current_year_expenditure", "100.0", 1)])
    eqs = equations(rec, CAT)
    rec.checks = run_checks(rec, CAT, eqs)
    rep = report(rec, eqs)
    page = build_review(rep, from_bytes(b"x" * 2000, "t.txt"))
    views = [cv for g in page.groups for cv in g.checks]
    assert len(views) == 2 and all("one discrepancy, 2 failed checks" in cv.discrepancy for cv in views)
    html = review_html(page)
    assert html.count("one discrepancy, 2 failed checks") == 2 and "expected <b>" not in html
