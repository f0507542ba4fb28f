"""Checks of performance tables (checks/performance.py): one passing and one failing form per check,
and the mutation rate over the samples' performance figures (bench/perf_mutation.py measures more)."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from fiscal_extract.models import Row, Table

from ..conftest import extracted
from .factories import CAT, record, row, statuses


def _rated(r: Row, rate: str) -> Row:
    r.texts["rate"] = rate
    return r


def form(
    executed="45",
    rate="50.0%",
    rate_score="5.00",
    total_score="70.00",
    weight_1="30",
    score_1="25",
    sources=("60", "30"),
    title="项目支出绩效自评表",
) -> Table:
    rows = [
        row("项目名称", n=1),
        _rated(
            row("年度资金总额", role="total", n=2, initial_budget="90", full_year_budget="90", executed=executed,
                weight="10", score=rate_score),
            rate,
        ),
        row("财政拨款", n=3, initial_budget=sources[0], full_year_budget=sources[0], executed="45"),
        row("单位资金", n=4, initial_budget=sources[1], full_year_budget=sources[1], executed="0"),
        row("安排科学性", n=5, weight="20", score="20"),
        row("建设模块数量", role="indicator", n=6, weight=weight_1, score=score_1),
        row("群众满意度", role="indicator", n=7, weight="40", score="20"),
        row("总分", role="total", n=8, weight="100", score=total_score),
    ]
    rows[0].texts["content"] = "平台建设"
    return Table(kind="performance_projects", title=title, rows=rows)


def test_a_consistent_form_passes_every_performance_check():
    rec = record(form())
    for check in ("perf.rate", "perf.rate_score", "perf.score_le_weight", "perf.total_score", "perf.total_weight",
                  "perf.funds_total"):
        assert statuses(rec, check) == {"pass"}, check


@pytest.mark.parametrize(
    ("change", "check"),
    [
        ({"executed": "54"}, "perf.rate"),  # 54 / 90 is 60%, printed 50.0%
        ({"rate": "5.0%"}, "perf.rate"),
        ({"rate_score": "6.00"}, "perf.rate_score"),  # 10 × 50% is 5
        ({"score_1": "35", "total_score": "80.00"}, "perf.score_le_weight"),
        ({"total_score": "75.00"}, "perf.total_score"),
        ({"weight_1": "35"}, "perf.total_weight"),
        ({"sources": ("60", "20")}, "perf.funds_total"),
    ],
)
def test_a_changed_figure_fails_its_check(change, check):
    assert "fail" in statuses(record(form(**change)), check)


def test_a_form_without_its_first_page_skips_the_total():
    t = form()
    t.rows = t.rows[5:]  # indicators and 总分 only: the funds and 资金管理情况 rows were not printed
    assert statuses(record(t), "perf.total_score") == {"skip"}


def test_the_summary_line_agrees_with_the_form():
    summary = Table(
        kind="performance_projects",
        title="项目支出绩效自评汇总表",
        rows=[row("平台建设", n=20, full_year_budget="90", executed="45", score="70")],
    )
    assert statuses(record(summary, form()), "perf.summary_line") == {"pass"}
    summary.rows[0].values["executed"] = summary.rows[0].values["full_year_budget"]
    assert "fail" in statuses(record(summary, form()), "perf.summary_line")


def test_budget_block_and_its_sources():
    def block(structure: str) -> Table:
        return Table(
            kind="performance_department",
            title="部门整体绩效目标表",
            rows=[
                row("部门预算总额（万元）", n=1, amount="524.78"),
                row("1、资金来源：（1）政府预算资金", n=2, amount="524.78"),
                row("（2）财政专户管理资金", n=3, amount=None),
                row("2、资金结构：（1）基本支出", n=4, amount="189.78"),
                row("（2）项目支出", n=5, amount=structure),
            ],
        )

    assert statuses(record(block("335.00")), "perf.funds_total") == {"pass"}
    assert "fail" in statuses(record(block("353.00")), "perf.funds_total")


def test_project_amount_against_the_project_table():
    projects = Table(kind="project_expenditure", title="项目支出表", rows=[row("平台建设", code="P1", n=1, total="90")])
    matrix = Table(
        kind="performance_projects", title="项目绩效目标表", rows=[row("平台建设", code="P1", n=3, total="90")]
    )
    assert statuses(record(projects, matrix), "perf.project_amount") == {"pass"}
    matrix.rows[0].values["total"] = matrix.rows[0].values["total"] + 1
    assert "fail" in statuses(record(projects, matrix), "perf.project_amount")


def test_performance_figures_changed_at_random_are_caught():
    """Mutation rate on sample 004's self-evaluations (the bench runs every sample, more trials)."""
    from bench.perf_mutation import run

    rec = extracted("004").model_copy(deep=True)
    rng = random.Random(5)
    missed: Counter[str] = Counter()
    caught = run(rec, CAT, 60, rng, missed)
    assert caught / 60 >= 0.9, missed.most_common(10)
