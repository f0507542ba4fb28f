"""The arithmetic checks: one passing and one failing case for every kind of check, the causes
they give, and the disagreements the sample documents really contain."""

from __future__ import annotations

import random
from decimal import Decimal as D

import pytest

from fiscal_extract.catalog import load
from fiscal_extract.checks.run import run_checks
from fiscal_extract.models import Change, Disclosure, Meta, NarrativeFact, Repair, Row, Source, Span, Table

from .conftest import extracted

CAT = load()


def span(n: int) -> Span:
    return Span(start=n * 10, end=n * 10 + 4, line=n + 1)


def row(name="", code=None, role="item", level=None, side=None, category=None, n=0, **values) -> Row:
    vals = {k: (D(v) if v is not None else None) for k, v in values.items()}
    return Row(
        name=name,
        code=code,
        role=role,
        level=level,
        side=side,
        category=category,
        values=vals,
        span=span(n),
        cells={k: span(n) for k, v in vals.items() if v is not None},
    )


def record(*tables: Table, facts: list[NarrativeFact] | None = None, repairs: list[Repair] | None = None) -> Disclosure:
    rec = Disclosure(
        source=Source(path="t.txt", sha256="0", chars=0),
        meta=Meta(unit="万元"),
        tables=list(tables),
        repairs=repairs or [],
    )
    if facts:
        rec.narrative.facts = facts
    from fiscal_extract.text.summary import build_summary

    rec.summary = build_summary(rec.tables, CAT, "万元")
    return rec


def results(rec: Disclosure, check_id: str) -> list:
    return [c for c in run_checks(rec, CAT) if c.id.startswith(check_id)]


def statuses(rec: Disclosure, check_id: str) -> set[str]:
    return {c.status for c in results(rec, check_id)}


def expenditure(total="100.0", basic="60.0", project="40.0", wages="50.0", goods="10.0") -> Table:
    return Table(
        kind="expenditure_overview",
        title="部门支出总体情况表",
        rows=[
            row(
                "合计",
                role="total",
                level=0,
                n=1,
                total=total,
                basic=basic,
                project=project,
                personnel_wages=wages,
                public_goods=goods,
            ),
            row(
                "一般公共服务支出",
                code="201",
                level=1,
                n=2,
                total=total,
                basic=basic,
                project=project,
                personnel_wages=wages,
                public_goods=goods,
            ),
            row(
                "行政运行",
                code="20103",
                level=2,
                n=3,
                total=total,
                basic=basic,
                project=project,
                personnel_wages=wages,
                public_goods=goods,
            ),
        ],
    )


def test_row_identity_pass_and_fail():
    assert statuses(record(expenditure()), "row.total_eq_basic_plus_project") == {"pass"}
    bad = record(expenditure(total="100.0", basic="60.0", project="45.0"))
    fails = [c for c in results(bad, "row.total_eq_basic_plus_project") if c.status == "fail"]
    assert fails and fails[0].expected == D("105.0") and fails[0].actual == D("100.0") and fails[0].cause == "source"


def test_rounding_is_tolerated_but_not_more():
    ok = record(expenditure(total="100.1", basic="60.0", project="40.0"))  # one unit: rounding
    assert statuses(ok, "row.total_eq_basic_plus_project") == {"pass"}
    bad = record(expenditure(total="100.3", basic="60.0", project="40.0"))
    assert "fail" in statuses(bad, "row.total_eq_basic_plus_project")


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


def two_sided(income_total="10.0", exp_item="10.0") -> Table:
    return Table(
        kind="income_expenditure_overview",
        title="部门收支总体情况表",
        rows=[
            row("一、一般公共预算", level=1, side="income", n=1, total="10.0"),
            row("本年收入合计", role="subtotal", level=0, side="income", n=2, total="10.0"),
            row("上年结转结余", level=1, side="income", category="carryover", n=3, total=None),
            row("收入总计", role="total", level=0, side="income", n=4, total=income_total),
            row("一、一般公共服务", level=1, side="expenditure", n=5, total=exp_item),
            row("本年支出合计", role="subtotal", level=0, side="expenditure", n=6, total="10.0"),
            row("支出总计", role="total", level=0, side="expenditure", n=7, total="10.0"),
        ],
    )


def test_two_sided_checks():
    good = record(two_sided())
    for cid in ("two_sided.subtotal_eq_items", "two_sided.total_eq_parts", "two_sided.income_eq_expenditure"):
        assert statuses(good, cid) == {"pass"}, cid
    assert "fail" in statuses(record(two_sided(exp_item="12.0")), "two_sided.subtotal_eq_items")
    bad_total = record(two_sided(income_total="11.0"))
    assert "fail" in statuses(bad_total, "two_sided.total_eq_parts")
    assert "fail" in statuses(bad_total, "two_sided.income_eq_expenditure")


def three_public(total="5.0", vehicles="5.0", operation="5.0") -> Table:
    return Table(
        kind="three_public",
        title="三公",
        rows=[
            row(
                n=1,
                total=total,
                overseas_travel="0",
                vehicle_total=vehicles,
                vehicle_purchase="0",
                vehicle_operation=operation,
                reception="0",
            )
        ],
    )


def test_three_public_identities():
    assert statuses(record(three_public()), "row.three_public") == {"pass"}
    assert "fail" in statuses(record(three_public(operation="4.0")), "row.three_public_vehicles")
    assert "fail" in statuses(record(three_public(total="6.0")), "row.three_public_total")


def projects(group="30.0") -> Table:
    return Table(
        kind="project_expenditure",
        title="项目支出表",
        rows=[
            row("合计", role="total", level=0, n=1, total="30.0"),
            row("其他运转类", code="22", role="subtotal", n=2, total=group),
            row("项目甲", code="421300000000Y0001", n=3, total="10.0"),
            row("项目乙", code="421300000000Y0002", n=4, total="20.0"),
        ],
    )


def test_project_groups_and_total():
    assert statuses(record(projects()), "table.group_eq_items") == {"pass"}
    assert statuses(record(projects()), "table.total_eq_top_rows") == {"pass"}
    assert "fail" in statuses(record(projects(group="230.0")), "table.group_eq_items")


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


def fact(key, value, n, share=None, change=None, unit="万元") -> NarrativeFact:
    return NarrativeFact(
        key=key,
        subject=key,
        value=D(value),
        unit=unit,
        share=D(share) if share else None,
        change=change,
        span=span(50 + n),
    )


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


# ---------------------------------------------------------------------------- the samples

SOURCE_FINDINGS = {
    # 30199 其他工资福利支出 1.6 sits in 公用经费: personnel 172.5 vs wages 174.1 etc.
    "000": {
        "table.economic_class_column",
        "cross.basic_personnel_parts",
        "cross.basic_public_parts",
        "narrative.figure",
    },
    # 185 on 1080.6 is 17.1%, printed 14.6%; 372/1265.6 is 29.4%, printed 29.6%; 30239 in 人员经费
    "001": {"narrative.change", "narrative.share", "table.economic_class_column"},
    # the procurement note says no data, the table prints 3.3
    "002": {"table.note_vs_figures"},
    # 其他运转类 277.00 but its projects add up to 77.00 (the 200 政府购买服务 line is missing)
    "003": {"table.group_eq_items", "table.total_eq_top_rows"},
    # self-evaluated projects execute 89.85 of 115.98; 3.96% for 12.79/322.37; 87.80 vs 87.7
    "004": {"cross.self_evaluated_projects", "narrative.share", "narrative.figure"},
}


def test_samples_have_no_extraction_failures_and_their_source_findings(sample_id):
    checks = extracted(sample_id).checks
    fails = [c for c in checks if c.status == "fail"]
    assert not [c for c in fails if c.cause != "source"], [c.message for c in fails if c.cause != "source"]
    assert {c.id for c in fails} == SOURCE_FINDINGS[sample_id]


def test_003_cut_short_figures_are_completed():
    rec = extracted("003")
    done = {(r.original.replace(" ", ""), str(r.value)) for r in rec.repairs if r.kind == "completed"}
    assert ("8.2", "8.27") in done and ("0.1", "0.14") in done
    assert rec.summary.three_public.reception == D("0.14")


def test_changed_figures_are_caught():
    """Sensitivity, on two documents with a fixed seed (bench/check_sensitivity.py measures all)."""
    from bench.check_sensitivity import FINANCIAL, failing, mutate

    rng = random.Random(11)
    caught = total = 0
    for doc in ("000", "002"):
        rec = extracted(doc).model_copy(deep=True)
        base = failing(rec, CAT)
        cells = [
            (ti, ri, k)
            for ti, t in enumerate(rec.tables)
            if t.kind in FINANCIAL
            for ri, r in enumerate(t.rows)
            for k, v in r.values.items()
            if v is not None
        ]
        for _ in range(60):
            ti, ri, k = rng.choice(cells)
            r = rec.tables[ti].rows[ri]
            old = r.values[k]
            r.values[k] = mutate(old, rng)
            caught += bool(failing(rec, CAT) - base)
            total += 1
            r.values[k] = old
    assert caught / total >= 0.9, f"{caught}/{total}"


@pytest.mark.parametrize("flag", ["--json", "--strict", ""])
def test_check_cli(tmp_path, flag):
    import json
    import subprocess
    import sys

    from fiscal_extract import jsonio

    from .conftest import sample

    rec = extracted("001").model_copy(deep=True)
    # spoil a realigned row: its failure must be blamed on extraction
    t = next(t for t in rec.tables if t.kind == "expenditure_overview")
    t.rows[0].values["project"] = D("800.0")
    p = tmp_path / "r.json"
    p.write_text(jsonio.dumps(rec), encoding="utf-8")
    args = [sys.executable, "-m", "fiscal_extract.cli", "check", str(p)] + ([flag] if flag else [])
    out = subprocess.run(args, capture_output=True, text=True, timeout=120)
    if flag == "--strict":
        assert out.returncode == 1
    else:
        assert out.returncode == 0, out.stderr
    if flag == "--json":
        checks = json.loads(out.stdout)
        assert any(c["status"] == "fail" and c["cause"] == "extraction" for c in checks)
    elif not flag:
        assert "FAIL [extraction]" in out.stdout and "line" in out.stdout
    text = subprocess.run(
        [sys.executable, "-m", "fiscal_extract.cli", "check", str(sample("002"))],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "FAIL [source] table.note_vs_figures" in text.stdout
