"""The "三公" table in PDF-library text: rows named by their year, budget / actual pairs per item,
groups over their own subtotal, and the figures other templates print beside the three items.
The snippets are copied from the corpus texts (eval/corpus/text)."""

from __future__ import annotations

from decimal import Decimal

from fiscal_extract.models import Table
from fiscal_extract.pipeline import extract_bytes
from fiscal_extract.read.normalize import from_bytes
from fiscal_extract.read.pdftext_tokens import tokenize


def _tokens(line: str) -> list[tuple[str, str]]:
    src = from_bytes(line.encode("utf-8"))
    return [(t.kind, t.text) for t in tokenize(src, 0, len(src.text))]


def _three_public(text: str) -> Table:
    # a form feed before and after: text as a PDF library makes it
    doc = "2026年部门预算\n\f" + text + "\f\n"
    rec = extract_bytes(doc.encode("utf-8"))
    return next(t for t in rec.tables if t.kind == "three_public")


def test_a_year_printed_apart_from_its_nian_is_one_label_of_its_own() -> None:
    assert _tokens("深圳市审计局 2025 年 40.31 0.00")[:2] == [("label", "深圳市审计局"), ("label", "2025年")]
    assert _tokens("2026 年 35.10 0.00")[0] == ("label", "2026年")
    # a year among a row's amounts is still an amount
    assert _tokens("合计 2025 40.31")[1] == ("amount", "2025")


SHENZHEN = """表 9
财政拨款“三公”经费支出表
部门名称：深圳市审计局 单位：万元
公务用车购置及运行维护费
总计 因公出国(境)费 公务接待费
小计 公务用车购置费 公务用车运行维护费预算单位 年度
一般公共预
算
政府性基金
预算
国有资本经
营预算
"""
SHENZHEN += "一般公共预\n算\n政府性基金\n预算\n国有资本经\n营预算\n" * 5
SHENZHEN += (
    "深圳市审计局 2025 年 40.31 0.00 0.00 0.80 0.00 0.00 3.51 0.00 0.00 36.00 0.00 0.00 "
    "30.00 0.00 0.00 6.00 0.00 0.00\n"
    "2026 年 35.10 0.00 0.00 28.00 0.00 0.00 3.50 0.00 0.00 3.60 0.00 0.00 0.00 0.00 0.00 3.60 0.00 0.00\n"
    "增减变化金额 -5.21 0.00 0.00 27.20 0.00 0.00 -0.01 0.00 0.00 -32.40 0.00 0.00 -30.00 0.00 0.00 -2.40 0.00 0.00\n"
    "注：本套报表金额单位转换时可能存在尾数误差。\n"
)


def test_rows_named_by_year_each_keep_their_figures() -> None:
    table = _three_public(SHENZHEN)
    rows = {r.name: r.values for r in table.rows}
    assert rows["2025年"]["total"] == Decimal("40.31") and rows["2025年"]["vehicle_purchase"] == Decimal("30.00")
    assert rows["2026年"]["overseas_travel"] == Decimal("28.00")
    assert rows["2026年"]["vehicle_operation"] == Decimal("3.60")
    assert rows["增减变化金额"]["reception"] == Decimal("-0.01")
