"""pdfminer pages printed row after row whose first rows come in a mixed order (a row's cells,
then a column's run), a figure wrapped inside its cell, a class's name that is a header word too,
and 合计 over the figures' column right above the total row's own 总计: the rows are rebuilt where
the code tree's sums and the row identities agree, else left null with a notice."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from fiscal_extract.evaluate.run import load_gold
from fiscal_extract.evaluate.score import evaluate_pair
from fiscal_extract.pipeline import extract_bytes, extract_file
from fiscal_extract.read.line import Line
from fiscal_extract.read.pdfminer_rows import wrapped_figures

CORPUS = Path(__file__).resolve().parents[2] / "eval" / "corpus"

PAGE = """2026年部门预算

\f本年一般公共预算支出表（预算表 5）

单位：万元

科目编码

功能分类科目名称

合计

总计：

201

一般公共服务支出

20140

信访事务

基本支出

项目支出

{head}

2014001

行政运行

41.00

41.00

0.00

2014002

一般行政管理事务

19.25

0.00

19.25

208

社会保障和就业支出

39.75

30.50

9.25

20805

行政事业单位养老支出

39.75

30.50

9.25

2080505

机关事业单位基本养老保险缴费支出

39.75

30.50

9.25
"""

# the first three rows as pdfminer printed them: each row's basic and project cells, then the
# total column's run down the three rows (the first figure wrapped inside its cell)
MIXED = ["71.50", "28.50", "41.00", "19.25", "41.00", "19.25", "100.0\n0", "60.25", "60.25"]


def _table(rec):  # type: ignore[no-untyped-def]
    return next(t for t in rec.tables if t.kind == "general_budget_expenditure")


def _doc(head: list[str]) -> bytes:
    return PAGE.format(head="\n\n".join(head)).encode("utf-8")


def test_a_figure_wrapped_inside_its_cell_is_one_figure() -> None:
    lines = [Line(0, 6, 1, "1208.2"), Line(7, 8, 2, "0"), Line(10, 16, 4, "903.85"), Line(18, 19, 6, "7")]
    got = wrapped_figures(lines, Line)
    assert [u.text for u in got] == ["1208.20", "903.85", "7"]  # a digit after a blank line stays apart
    assert (got[0].start, got[0].end) == (0, 8)


def test_the_first_rows_in_a_mixed_order_are_placed_by_the_sums() -> None:
    rec = extract_bytes(_doc(MIXED))
    table = _table(rec)
    rows = {r.code or r.name: r.values for r in table.rows}
    assert not any(r.name == "合计" for r in table.rows)  # the column's 合计, not a row
    assert rows["201"]["total"] == Decimal("60.25")  # 一般公共服务支出 is 201's row, not a header word
    assert rows["201"]["basic"] == Decimal("41.00") and rows["201"]["project"] == Decimal("19.25")
    total = next(r.values for r in table.rows if r.name and r.name.startswith("总计"))
    assert total["total"] == Decimal("100.00")  # wrapped as 100.0 / 0
    assert total["basic"] == Decimal("71.50") and total["project"] == Decimal("28.50")
    assert rows["2014002"]["project"] == Decimal("19.25")
    assert any("mixed order" in n.message for n in rec.notices)


def test_a_mixed_block_the_sums_refute_is_left_null_with_a_notice() -> None:
    # the total column's run does not add up with the cells before it: nothing is placed
    refuted = [*MIXED[:6], "100.0\n0", "60.25", "61.25"]
    rec = extract_bytes(_doc(refuted))
    rows = {r.name: r.values for r in _table(rec).rows}
    assert all(v is None for v in rows.get("一般公共服务支出", {}).values())  # no figure paired
    assert not any(v == Decimal("61.25") for r in rows.values() for v in r.values())
    assert rows["行政运行"]["basic"] == Decimal("41.00")
    assert any("neither order" in n.message for n in rec.notices)


def test_corpus_pdfminer_key_figures_of_changchun() -> None:
    """Changchun's pdfminer text: a functional table whose first rows print in a mixed order."""
    stem = "10_changchun-petition_bureau_benji-dept_budget-2026"
    gold = load_gold(CORPUS / "gold" / f"{stem}.json")
    rec = extract_file(CORPUS / "text" / f"{stem}.pdfminer.txt")
    correct, total = evaluate_pair(stem, gold, rec).key_figures()
    assert total > 400
    assert correct / total >= 0.33


def test_columns_printed_after_the_last_row_are_read_down_all_the_rows() -> None:
    page = (
        PAGE.replace("项目支出\n\n{head}", "项目支出\n\n上年结转结余\n\n{head}")
        + "\n"
        + "\n\n".join(["0.00"] * 8)
        + "\n"
    )
    rec = extract_bytes(page.format(head="\n\n".join(MIXED)).encode("utf-8"))
    rows = {r.code or r.name: r.values for r in _table(rec).rows}
    assert rows["2080505"]["project"] == Decimal("9.25")  # the last row keeps its own cells
    assert rows["2080505"]["carryover_total"] == Decimal("0.00")
    assert rows["201"]["carryover_total"] == Decimal("0.00")
    assert any("each printed down all 8 rows" in n.message for n in rec.notices)


def test_more_amounts_after_the_last_row_than_the_rows_divide_are_left_null() -> None:
    page = (
        PAGE.replace("项目支出\n\n{head}", "项目支出\n\n上年结转结余\n\n{head}")
        + "\n"
        + "\n\n".join(["0.00"] * 7)
        + "\n"
    )
    rec = extract_bytes(page.format(head="\n\n".join(MIXED)).encode("utf-8"))
    rows = {r.code or r.name: r.values for r in _table(rec).rows}
    assert rows["201"].get("carryover_total") is None
    assert any("does not divide" in n.message for n in rec.notices)


def test_a_year_leading_a_header_phrase_is_no_amount() -> None:
    page = PAGE.replace("单位：万元", "单位：万元\n\n2026 年预算数")
    rec = extract_bytes(page.format(head="\n\n".join(MIXED)).encode("utf-8"))
    rows = {r.code or r.name: r.values for r in _table(rec).rows}
    assert rows["201"]["total"] == Decimal("60.25")
    assert not any(v == Decimal("2026") for r in rows.values() for v in r.values())


def test_a_split_order_whose_row_by_row_part_nothing_confirms_is_refused() -> None:
    from fiscal_extract.read.pdfminer_plans import rest_confirmed

    d = Decimal
    order = "column by column for the first 2 rows, row by row after"
    levels = [1, 2, 1, 2, 2]
    no_ids = lambda rows: (0, 0)  # noqa: E731
    # the class after the first two rows does not equal its items: nothing confirms the tail
    bad = [[d(5), d(5)], [d(5), d(5)], [d(9), d(1)], [d(2), d(3)], [d(4), d(8)]]
    assert not rest_confirmed(order, bad, levels, [False] * 5, d("0.005"), no_ids)
    good = [[d(5), d(5)], [d(5), d(5)], [d(9), d(4)], [d(2), d(3)], [d(7), d(1)]]
    assert rest_confirmed(order, good, levels, [False] * 5, d("0.005"), no_ids)
    # a tail shorter than the part read column by column rests on that part
    assert rest_confirmed(order, bad[:3], levels[:3], [False] * 3, d("0.005"), no_ids)
