"""Every sample's tables found with the right kind, and selected figures equal to what the documents
print (read off the documents by hand)."""

from decimal import Decimal as D

import pytest

from fiscal_extract.models import Table

from ..conftest import FIN, extracted

KINDS = {
    "000": [
        "income_expenditure_overview",
        "income_overview",
        "expenditure_overview",
        "fiscal_grant_overview",
        "general_budget_expenditure",
        "general_budget_basic_expenditure",
        "economic_classification_summary",
        "three_public",
        "gov_fund_expenditure",
        "project_expenditure",
        "performance_department",
        "performance_projects",
        "state_capital_expenditure",
        "procurement",
    ],
    # the contents page lists 收入总体情况表 and 支出经济分类汇总表, the body does not print them
    "001": [
        "income_expenditure_overview",
        "expenditure_overview",
        "fiscal_grant_overview",
        "general_budget_expenditure",
        "general_budget_basic_expenditure",
        "three_public",
        "gov_fund_expenditure",
        "state_capital_expenditure",
        "project_expenditure",
        "performance_department",
        "performance_projects",
    ],
    "002": [
        "income_expenditure_overview",
        "income_overview",
        "expenditure_overview",
        "fiscal_grant_overview",
        "general_budget_expenditure",
        "general_budget_basic_expenditure",
        "economic_classification_summary",
        "three_public",
        "gov_fund_expenditure",
        "project_expenditure",
        "performance_department",
        "performance_projects",
        "state_capital_expenditure",
        "procurement",
    ],
    "003": [
        "income_expenditure_overview",
        "income_overview",
        "expenditure_overview",
        "fiscal_grant_overview",
        "general_budget_expenditure",
        "general_budget_basic_expenditure",
        "three_public",
        "gov_fund_expenditure",
        "project_expenditure",
        "procurement",
        "performance_department",
    ]
    + ["performance_projects"] * 7,
    "004": [
        "income_expenditure_overview",
        "income_overview",
        "expenditure_overview",
        "fiscal_grant_overview",
        "general_budget_expenditure",
        "general_budget_basic_expenditure",
        "gov_fund_expenditure",
        "state_capital_expenditure",
        "three_public",
        "performance_department",
    ]
    # the 汇总表, 25 project forms (two printed without their first page, each a table of its own, as
    # in the gold) and the repeat in the evaluation report
    + ["performance_projects"] * 27,
}

EMPTY = {
    "000": {"gov_fund_expenditure", "state_capital_expenditure", "procurement"},
    "001": {"gov_fund_expenditure", "state_capital_expenditure"},
    "002": {"gov_fund_expenditure", "state_capital_expenditure", "three_public"},
    "003": {"gov_fund_expenditure"},
    "004": {"gov_fund_expenditure", "state_capital_expenditure", "three_public"},
}


def table(doc: str, kind: str, n: int = 0) -> Table:
    return [t for t in extracted(doc).tables if t.kind == kind][n]


def row(t: Table, code: str | None = None, name: str | None = None, side: str | None = None, role: str | None = None):
    hits = [
        r
        for r in t.rows
        if (code is None or r.code == code)
        and (name is None or r.name == name)
        and (side is None or r.side == side)
        and (role is None or r.role == role)
    ]
    assert hits, f"no row code={code} name={name} side={side} role={role} in {t.title}"
    return hits[0]


def test_every_table_found_with_its_kind(sample_id):
    assert [t.kind for t in extracted(sample_id).tables] == KINDS[sample_id]


def test_empty_tables_are_kept_and_marked(sample_id):
    tables = extracted(sample_id).tables
    assert {t.kind for t in tables if t.empty} == EMPTY[sample_id]


def test_000_expenditure_overview_and_codes():
    t = table("000", "expenditure_overview")
    total = row(t, role="total")
    assert total.values["total"] == D("524.8") and total.values["basic"] == D("189.8")
    assert total.values["personnel_wages"] == D("174.1") and total.values["public_goods"] == D("15.7")
    assert total.values["project"] == D("335.0") and total.values["project_operating"] == D("235.0")
    assert total.values["project_specific"] == D("100.0") and total.values["personnel_family"] is None
    unit = row(t, code="112")
    assert unit.role == "unit" and unit.name == "平顶山市石龙区政务大数据中心"
    item = row(t, code="2010350")  # 201 | 03 | 50 printed apart, joined
    assert item.name == "事业运行" and item.level == 3 and item.values["personnel_wages"] == D("132.3")


def test_000_two_sided_overview():
    t = table("000", "income_expenditure_overview")
    assert row(t, name="收入总计", side="income").role == "total"
    assert row(t, name="本年收入合计", side="income").role == "subtotal"
    assert row(t, name="二十一、住房保障支出", side="expenditure").values["total"] == D("13.8")
    assert row(t, name="其中：财政拨款", side="income").category == "of_which"
    assert row(t, name="上年结转结余", side="income").category == "carryover"
    # the fiscal-grant table is printed in two page parts; both are one table
    g = table("000", "fiscal_grant_overview")
    assert g.parts == 2
    assert row(g, name="支出合计", side="expenditure").values == {
        "total": D("524.8"),
        "gpb": D("524.8"),
        "gpb_fiscal": D("524.8"),
        "fund": None,
        "state_capital": None,
    }


def test_000_income_overview_scopes():
    t = table("000", "income_overview")
    r = row(t, role="total")
    assert r.values["total"] == D("524.8") and r.values["current_total"] == D("524.8")
    assert r.values["current_gpb"] == D("524.8") and r.values["current_gpb_fiscal"] == D("524.8")
    assert "carryover_total" in r.values and r.values["carryover_total"] is None


def test_000_economic_summary_two_code_pairs_and_page_parts():
    t = table("000", "economic_classification_summary")
    assert t.parts == 2
    r = row(t, code="30201")
    assert r.name == "办公费" and r.texts["gov_code"] == "50502" and r.texts["gov_name"] == "商品和服务支出"
    assert r.values["total"] == D("121.5")
    assert row(t, code="31007").values["total"] == D("100.0")  # on the second page
    assert row(t, role="total").values["total"] == D("524.8")


def test_000_basic_expenditure_and_three_public():
    t = table("000", "general_budget_basic_expenditure")
    assert row(t, role="total").values == {"total": D("189.8"), "personnel": D("172.5"), "public": D("17.3")}
    assert row(t, code="30199").values["public"] == D("1.6")
    tp = table("000", "three_public").rows[0].values
    assert tp["total"] == D("0.1") and tp["reception"] == D("0.1") and tp["overseas_travel"] is None


def test_001_shifted_row_is_realigned_and_recorded():
    doc = extracted("001")
    t = table("001", "expenditure_overview")
    total = row(t, role="total")
    # printed: 合计 1,265.6 372.0 336.5 0.7 34.8 893.6 _ 893.6 _ (893.6 under 资本性支出)
    assert total.values["total"] == D("1265.6")
    assert total.values["public_capital"] is None
    assert total.values["project"] == D("893.6") and total.values["project_specific"] == D("893.6")
    assert total.values["project_operating"] is None
    realigned = [r for r in doc.repairs if r.kind == "realign"]
    assert realigned and all(r.span is not None for r in realigned)
    assert "893.6" in realigned[0].original
    sci = row(t, code="2069999")
    assert sci.values["project"] == D("400.0") and sci.values["public_capital"] is None


def test_001_thousands_separator():
    t = table("001", "income_expenditure_overview")
    assert row(t, name="收入总计", side="income").values["total"] == D("1265.6")


def test_002_procurement_and_printed_zeros():
    t = table("002", "procurement")
    assert row(t, role="total").values["total"] == D("3.3")
    paper = row(t, name="复印纸")
    assert paper.code == "2010301" and paper.values["total"] == D("0.3") and paper.texts["quantity"] == "15"
    assert extracted("002").summary.procurement_total == D("3.3")
    tp = table("002", "three_public").rows[0].values
    assert tp["total"] == D("0") and tp["reception"] == D("0")  # printed zeros are zeros, not empty


def test_003_ocr_damage_repaired_and_noise_dropped():
    doc = extracted("003")
    t = table("003", "income_overview")
    unit = row(t, code="016001")
    assert unit.values["total"] == D("447.48")  # printed "447. 48"
    assert any(r.original == "447. 48" and r.value == D("447.48") for r in doc.repairs)
    exp = table("003", "expenditure_overview")
    # "1", "•", "0." and "0" are stray marks in the otherwise empty columns of 支出总表
    for r in exp.rows:
        for key in ("business_operating", "to_superior", "to_affiliated"):
            assert r.values.get(key) is None, (r.code, key)
    assert row(exp, code="2010302").values["project"] == D("277.00")
    grant = table("003", "fiscal_grant_overview")
    stray = [
        r for r in grant.rows if r.side == "expenditure" and r.name.startswith(("(五)", "(六)", "(十一)", "(十二)"))
    ]
    assert stray and all(r.values["total"] is None for r in stray)
    proj = table("003", "project_expenditure")
    assert proj.title == ""  # printed garbled (瀬田 女出表): found by its header
    assert row(proj, code="42130322016R000000115").values["total"] == D("8.27")  # printed "8, 27"
    assert row(proj, code="42130322016R000000117").values["total"] == D("54.00")


def test_003_reversed_three_public_columns_and_yuan_procurement():
    tp = table("003", "three_public").rows[0].values
    assert tp["vehicle_total"] == D("0.00") and tp["overseas_travel"] == D("0.00")
    proc = table("003", "procurement")
    assert proc.unit == "元"
    assert row(proc, role="total").values["total"] == D("2000000.00")
    assert extracted("003").summary.procurement_total == D("200")


def test_004_final_accounts_tables():
    t = table("004", "income_expenditure_overview")
    assert t.parts == 2
    assert row(t, name="总计", side="income").values["total"] == D("333.31")
    assert row(t, name="本年支出合计", side="expenditure").values["total"] == D("324.49")
    assert row(t, name="一、一般公共预算财政拨款收入", side="income").texts["line_no"] == "1"
    basic = table("004", "general_budget_basic_expenditure")
    assert row(basic, code="30101").values["total"] == D("75.79")
    assert row(basic, code="30101").category == "personnel"
    assert row(basic, code="30201").category == "public"
    assert row(basic, code="31013").values["total"] == D("0.00")  # third group of the same lines
    assert row(basic, name="人员经费合计").values["total"] == D("197.25")
    assert row(basic, name="公用经费合计").values["total"] == D("9.14")
    tp = table("004", "three_public").rows[0].values
    assert tp["budget_total"] == D("0.00") and tp["actual_reception"] == D("0.00")


@pytest.mark.parametrize("doc", ["000", "001", "002", "003", "004"])
def test_financial_rows_have_provenance(doc):
    with open(extracted(doc).source.path, encoding="utf-8") as fh:
        src_text = fh.read()
    for t in extracted(doc).tables:
        if t.kind not in FIN:
            continue
        for r in t.rows:
            assert r.span is not None
            for key, span in r.cells.items():
                printed = src_text[span.start : span.end]
                assert printed.strip() and any(ch.isdigit() or ch in "０１２３４５６７８９" for ch in printed), (
                    t.title,
                    key,
                )
