"""Every check on the samples (checks/run.py): the findings the documents really contain, and changed
figures caught."""

from __future__ import annotations

import random

from ..conftest import extracted
from .factories import CAT

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
    # self-evaluated projects execute 89.85 of 115.98; 3.96% for 12.79/322.37; 87.80 vs 87.7;
    # the department's 执行率 10.99% of 分值 10 is 1.10, printed 得分 1.22
    "004": {"cross.self_evaluated_projects", "narrative.share", "narrative.figure", "perf.rate_score"},
}


def test_samples_have_no_extraction_failures_and_their_source_findings(sample_id):
    checks = extracted(sample_id).checks
    fails = [c for c in checks if c.status == "fail"]
    assert not [c for c in fails if c.cause != "source"], [c.message for c in fails if c.cause != "source"]
    assert {c.id for c in fails} == SOURCE_FINDINGS[sample_id]


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
