"""Small records to check: tables of each kind built row by row, and the checks' verdicts on them."""

from __future__ import annotations

from decimal import Decimal as D

from fiscal_extract.catalog import load
from fiscal_extract.checks.run import run_checks
from fiscal_extract.models import Disclosure, Meta, NarrativeFact, Repair, Row, Source, Span, Table

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
