"""Every sample's meta, summary and narrative figures equal to what the documents print (read off the
documents by hand)."""

from decimal import Decimal as D

from ..conftest import extracted

META = {
    "000": ("平顶山市石龙区政务大数据中心", 2024, "budget", "平顶山市石龙区"),
    "001": ("登封市政务服务和大数据管理局", 2024, "budget", "登封市"),
    "002": ("平顶山高新技术产业开发区行政服务中心", 2024, "budget", "平顶山高新技术产业开发区"),
    "003": ("曾都区政务服务和大数据管理局", 2024, "budget", "曾都区"),
    "004": ("平顶山市新华区政务服务和大数据管理局", 2023, "final_accounts", "平顶山市新华区"),
}


def test_meta(sample_id):
    m = extracted(sample_id).meta
    assert (m.department, m.fiscal_year, m.kind, m.region) == META[sample_id]
    assert m.unit == "万元"


def test_summary_figures():
    s = extracted("000").summary
    assert (s.income_total, s.expenditure_total, s.basic_expenditure, s.project_expenditure) == (
        D("524.8"),
        D("524.8"),
        D("189.8"),
        D("335.0"),
    )
    assert (s.personnel_expenditure, s.public_expenditure) == (D("172.5"), D("17.3"))
    f = extracted("004").summary
    assert (f.income_total, f.current_year_income, f.current_year_expenditure) == (
        D("333.31"),
        D("332.82"),
        D("324.49"),
    )
    assert (f.personnel_expenditure, f.public_expenditure) == (D("197.25"), D("9.14"))
    assert f.basic_expenditure == D("208.51") and f.project_expenditure == D("115.98")


def test_narrative_figures():
    n = extracted("000").narrative
    assert n.income_total == D("524.8") and n.basic_expenditure == D("189.8")
    assert n.personnel_expenditure == D("172.5") and n.operating_costs == D("17.28")
    basic = next(f for f in n.facts if f.key == "basic_expenditure")
    assert basic.share == D("36.2")
    income = next(f for f in n.facts if f.key == "income_total")
    assert income.change is not None and income.change.amount == D("152.1") and income.change.percent == D("40.8")
    classes = {f.code: f.value for f in n.facts if f.key == "function_class"}
    assert classes == {"201": D("483"), "208": D("18.4"), "210": D("9.5"), "221": D("13.8")}
    m = extracted("003").narrative
    assert m.income_total == D("447.48")  # printed "447. 48 万元"
    assert m.three_public.total == D("0.14")
