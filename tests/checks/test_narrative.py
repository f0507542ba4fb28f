"""Narrative against tables (checks/narrative.py)."""

from __future__ import annotations

from decimal import Decimal as D

from fiscal_extract.models import Change

from .factories import expenditure, fact, record, statuses, two_sided


def test_narrative_figure_share_and_change():
    t = expenditure()
    overview = two_sided(income_total="100.0")
    overview.rows[1].values["total"] = D("100.0")
    overview.rows[0].values["total"] = D("100.0")
    for r in overview.rows[4:]:
        r.values["total"] = D("100.0")
    facts = [
        fact("income_total", "100", 0, change=Change(direction="increase", amount=D("20"), percent=D("25"))),
        fact("current_year_expenditure", "100", 1),
        fact("basic_expenditure", "60", 2, share="60"),
    ]
    rec = record(t, overview, facts=facts)
    assert statuses(rec, "narrative.figure") == {"pass"}
    assert statuses(rec, "narrative.share") == {"pass"}
    assert statuses(rec, "narrative.change") == {"pass"}
    bad = [
        fact("income_total", "100", 0, change=Change(direction="increase", amount=D("20"), percent=D("20"))),
        fact("current_year_expenditure", "100", 1),
        fact("basic_expenditure", "70", 2, share="60"),
    ]
    rec2 = record(t, overview, facts=bad)
    assert "fail" in statuses(rec2, "narrative.change")  # 20 on 80 is 25%, not 20%
    assert "fail" in statuses(rec2, "narrative.share")
    assert "fail" in statuses(rec2, "narrative.figure")
