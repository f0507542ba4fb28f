"""pdfminer's text of a one-row table (the "三公" figures): header cells printed as paragraphs in
no reliable order -- wrapped over several, two narrow cells interleaved -- then the row's figures;
the columns are named where the table's sums decide them, left null with a notice where not."""

from __future__ import annotations

from decimal import Decimal

from fiscal_extract.pipeline import extract_bytes

# 合计 | “三公”经费 (小计 | 因公出国（境）费 | 公务用车 (小计 | 购置费 | 运行维护费) | 公务接待费) | 会议费 | 培训费,
# read by pdfminer: fragments out of order, 购置费 empty (no paragraph), 80 a lone small integer
ONE_ROW = """2019年部门预算

\f“三公”经费、会议费、培训费支出预算表

部门名称：  某某局

单位：万元

合计

因公出
国（境）
费

小计

“三公”经费

公务用车购置及运行维护费

小计

公务用车购

公务用车运

置费

行维护费

公务接

会议费  培训费

待费

  {figures}

- 9 -
"""


def _three_public(figures: str):  # type: ignore[no-untyped-def]
    rec = extract_bytes(ONE_ROW.format(figures=figures).encode("utf-8"))
    table = next(t for t in rec.tables if t.kind == "three_public")
    return rec, table


def test_header_fragments_are_named_by_the_sums_not_by_their_printed_order() -> None:
    rec, table = _three_public("1276.7 \n\n418.26 \n\n80 \n\n  237 \n\n  237 \n\n101.26 \n\n158.44      700")
    assert len(table.rows) == 1
    v = table.rows[0].values
    assert v["grand_total"] == Decimal("1276.7")
    assert v["total"] == Decimal("418.26")
    assert v["overseas_travel"] == Decimal("80")  # a lone small integer is a figure here, no page number
    assert v["vehicle_total"] == Decimal("237")
    assert v["vehicle_operation"] == Decimal("237")  # the empty cell is the often-empty purchase
    assert v.get("vehicle_purchase") is None
    assert v["reception"] == Decimal("101.26")
    assert v["meeting_fee"] == Decimal("158.44")
    assert v["training_fee"] == Decimal("700")
    assert any("ordered by the table's sums" in n.message for n in rec.notices)
    assert rec.summary.three_public.total == Decimal("418.26")


def test_figures_no_order_of_the_header_makes_add_up_are_left_null_with_a_notice() -> None:
    rec, table = _three_public("1276.7 \n\n418.26 \n\n81 \n\n  237 \n\n  237 \n\n101.26 \n\n158.44      700")
    assert all(v is None for r in table.rows for v in r.values.values())
    assert any("no order of the header's words makes the table's sums hold" in n.message for n in rec.notices)
