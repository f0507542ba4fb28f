"""机关运行经费 printed as a table of its own (一般公共预算机关运行经费支出预算表: 科目编码 | 科目名称 |
机关运行经费支出): read as its catalog kind, checked by its code tree, and the summary's
operating_costs taken from its 合计.  The snippet is copied from a corpus text (eval/corpus/text, 07)."""

from __future__ import annotations

from decimal import Decimal

from fiscal_extract.catalog import load
from fiscal_extract.checks.run import run_checks
from fiscal_extract.models import Row, Table
from fiscal_extract.pipeline import extract_bytes

WUXI = """公开 12 表
一般公共预算机关运行经费支出预算表
单位：无锡市教育局（本级） 单位：万元
科目编码 科目名称 机关运行经费支出
合计 135.29
302 商品和服务支出 135.29
  30201 办公费 39.15
  30215 会议费 0.70
  30216 培训费 9.80
  30217 公务接待费 2.00
  30228 工会经费 21.50
  30239 其他交通费用 51.59
  30299 其他商品和服务支出 10.55
注：1.“机关运行经费”指行政单位（含参照公务员法管理的事业单位）使用一般公共预算安排的基本支
出中的日常公用经费支出。
"""


def _record(text: str):  # type: ignore[no-untyped-def]
    return extract_bytes(("2026年单位预算\n\f" + text + "\f\n").encode("utf-8"))


def test_the_table_is_read_as_its_kind_and_gives_the_summary_its_operating_costs() -> None:
    rec = _record(WUXI)
    table = next(t for t in rec.tables if t.kind == "operating_costs_expenditure")
    assert [(r.code, r.values.get("total")) for r in table.rows[:3]] == [
        (None, Decimal("135.29")),
        ("302", Decimal("135.29")),
        ("30201", Decimal("39.15")),
    ]
    assert rec.summary.operating_costs == Decimal("135.29")
    assert rec.tables[rec.summary.refs["operating_costs"].table].kind == "operating_costs_expenditure"
    # its arithmetic: 合计 = 302 = the sum of the 302xx items
    ids = {(c.id, c.status) for c in rec.checks}
    assert ("table.parent_eq_children", "pass") in ids


def test_a_misprinted_item_fails_the_code_tree() -> None:
    rec = _record(WUXI.replace("39.15", "49.15"))
    failed = [c for c in rec.checks if c.status == "fail" and c.id == "table.parent_eq_children"]
    assert failed


def _three_public(operating_costs: str) -> Table:
    row = Row(name="", role="total", values={"total": Decimal("2.00"), "operating_costs": Decimal(operating_costs)})
    return Table(kind="three_public", title="“三公”经费和机关运行经费预算表", rows=[row])


def test_the_table_total_agrees_with_the_figure_printed_beside_the_three_public() -> None:
    cat = load()
    rec = _record(WUXI)
    rec.tables.append(_three_public("135.29"))
    assert {c.status for c in run_checks(rec, cat) if c.id == "cross.operating_costs"} == {"pass"}
    rec.tables[-1] = _three_public("153.29")
    assert {c.status for c in run_checks(rec, cat) if c.id == "cross.operating_costs"} == {"fail"}
