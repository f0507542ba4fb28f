"""The evaluation harness reports planted errors and its score drops accordingly."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal as D
from pathlib import Path

import pytest

from fiscal_extract import jsonio
from fiscal_extract.evaluate.run import load_gold
from fiscal_extract.evaluate.score import evaluate_pair
from fiscal_extract.models import Row

from ..conftest import GOLD, ROOT, extracted

GOLD_FILES = sorted(GOLD.glob("*.json"))


def test_gold_exists_for_every_sample_and_records_source_contradictions():
    assert [p.name[:3] for p in GOLD_FILES] == ["000", "001", "002", "003", "004"]
    for p in GOLD_FILES:
        g = load_gold(p)
        assert g["source"]["sha256"] and g["tables"] and g["notes"]
        # gold records the documents' own contradictions as printed
        assert any("SOURCE INCONSISTENCY" in n for n in g["notes"]), p.name


def test_gold_is_in_the_contract_shape():
    from fiscal_extract.models import Disclosure

    for p in GOLD_FILES:
        g = load_gold(p)
        core = {k: v for k, v in g.items() if k in Disclosure.model_fields}
        core["narrative"] = {k: v for k, v in g["narrative"].items() if k != "facts"}
        Disclosure.model_validate(core)


def test_gold_records_the_printed_contradiction_not_a_fix():
    g = load_gold(GOLD / "000_0af22c00480e84fb.json")
    basic = next(t for t in g["tables"] if t["kind"] == "general_budget_basic_expenditure")
    total = next(r for r in basic["rows"] if r["role"] == "total")
    assert total["values"]["personnel"] == D("172.5")  # while the expenditure tables print 174.1
    exp = next(t for t in g["tables"] if t["kind"] == "expenditure_overview")
    assert next(r for r in exp["rows"] if r["role"] == "total")["values"]["personnel_wages"] == D("174.1")


def _score(pred) -> float:
    gold = load_gold(GOLD / "002_830aba0b86e25322.json")
    return evaluate_pair("002", gold, pred)


def test_planted_errors_are_reported_and_lower_the_score():
    clean = extracted("002").model_copy(deep=True)
    base = _score(clean)
    rec = clean.model_copy(deep=True)
    t = next(t for t in rec.tables if t.kind == "expenditure_overview")
    # 1. a changed figure
    r = next(r for r in t.rows if r.code == "2010301")
    r.values["total"] = D("171.3")
    # 2. a missing row
    t.rows = [x for x in t.rows if x.code != "2210201"]
    # 3. an extra row
    t.rows.append(Row(code="2299999", name="其他支出", values={"total": D("9.9")}))
    # 4. a wrong table kind
    g = next(t for t in rec.tables if t.kind == "gov_fund_expenditure")
    g.kind = "state_capital_expenditure"
    res = _score(rec)
    found = {(m.row, m.key) for m in res.mismatches}
    assert ("2010301 行政运行", "total") in found
    assert any(row.startswith("2210201") for row, _ in found)  # the missing row's figures
    assert ("2299999 其他支出", "(row)") in found
    kinds = {m.table.split("#")[0].split(" ")[0] for m in res.mismatches if m.key == "(table)"}
    assert {"gov_fund_expenditure", "state_capital_expenditure"} <= kinds
    assert res.fields.f1 < base.fields.f1
    assert res.fields.fn >= base.fields.fn + 1 + 2  # the wrong figure and the missing row's figures
    assert res.rows.fp >= base.rows.fp + 1 and res.rows.fn >= base.rows.fn + 1
    assert res.tables["gov_fund_expenditure"].fn == 1 and res.tables["state_capital_expenditure"].fp == 1


def test_decimal_comparison_is_exact():
    rec = extracted("002").model_copy(deep=True)
    t = next(t for t in rec.tables if t.kind == "three_public")
    t.rows[0].values["total"] = D("0.00")  # printed 0: equal as a number
    assert not [m for m in _score(rec).mismatches if "three_public" in m.table]
    t.rows[0].values["total"] = D("0.000000001")
    assert [m for m in _score(rec).mismatches if "three_public" in m.table]


def test_duplicate_codes_match_in_order():
    rec = extracted("001").model_copy(deep=True)
    gold = load_gold(GOLD / "001_82514b48445ad530.json")
    t = next(t for t in rec.tables if t.kind == "general_budget_basic_expenditure")
    dup = [r for r in t.rows if r.code == "30112"]
    assert len(dup) == 2
    dup[0].values["total"], dup[1].values["total"] = dup[1].values["total"], dup[0].values["total"]
    res = evaluate_pair("001", gold, rec)
    assert sum(1 for m in res.mismatches if m.row.startswith("30112") and m.key == "total") == 2


def test_cli_eval_from_predictions(tmp_path: Path):
    pred = tmp_path / "pred"
    pred.mkdir()
    for p in GOLD_FILES:
        doc = p.name[:3]
        (pred / p.name).write_text(jsonio.dumps(extracted(doc)), encoding="utf-8")
    md = tmp_path / "report.md"
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "fiscal_extract.cli",
            "eval",
            "--gold",
            str(GOLD),
            "--pred",
            str(pred),
            "--json",
            "--markdown",
            str(md),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data["overall"]) >= {"fields", "rows", "tables", "cells_by_key"}
    assert len(data["documents"]) == 5
    assert "## Mismatches" in md.read_text(encoding="utf-8")
    fail = subprocess.run(
        [
            sys.executable,
            "-m",
            "fiscal_extract.cli",
            "eval",
            "--gold",
            str(GOLD),
            "--pred",
            str(pred),
            "--fail-under",
            "0.9999",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert fail.returncode == 1 and "below" in fail.stderr


@pytest.mark.parametrize("doc", ["000", "001", "002", "003", "004"])
def test_financial_tables_match_gold(doc):
    """Rules extraction of the financial tables against the hand-labelled gold (issue: every figure present)."""
    gold = load_gold(next(GOLD.glob(f"{doc}_*.json")))
    r = evaluate_pair(doc, gold, extracted(doc))
    fin = [m for m in r.mismatches if not m.table.startswith("performance") and m.table not in ("summary", "narrative")]
    assert not fin, fin[:5]


def test_tables_of_one_kind_pair_best_match_first_not_in_gold_order():
    """A form that lost a row must not take the partner of the form it now resembles less."""
    from fiscal_extract.catalog import load
    from fiscal_extract.evaluate.score import _Norm, _pair_tables

    def form(title: str, names: str) -> dict:
        return {"kind": "performance_projects", "title": title, "rows": [{"name": c} for c in names]}

    gold = [form("项目", "产出数量"), form("项目", "产出数量质")]
    pred = [form("项目", "产出数量质"), form("项目", "产出数量")]
    pairs, missing, extra = _pair_tables(_Norm(load()), gold, pred)
    assert pairs == [(0, 1), (1, 0)] and not missing and not extra
    # the same title breaks the tie when the rows cannot tell
    gold = [form("项目甲", "产出数"), form("项目乙", "产出数")]
    pred = [form("项目乙", "产出数"), form("项目甲", "产出数")]
    pairs, _missing, _extra = _pair_tables(_Norm(load()), gold, pred)
    assert pairs == [(0, 1), (1, 0)]
