"""The reader of pdfminer's column-ordered text: rows rebuilt only where the counts and the
arithmetic agree, labels with null values and a notice where they do not."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from fiscal_extract.evaluate.run import load_gold
from fiscal_extract.evaluate.score import evaluate_pair
from fiscal_extract.pipeline import extract_bytes, extract_file

CORPUS = Path(__file__).resolve().parents[2] / "eval" / "corpus"

# every cell a paragraph: the labels (codes glued on), then the amounts column by column
COLUMNS = """2024年部门预算

\f一般公共预算支出情况表

单位：万元

科目名称

合计

[201]一般公共服务支出

　[20101]人大事务

　　[2010101]行政运行

　　[2010102]一般行政管理事务

[208]社会保障和就业支出

　[20805]行政事业单位养老支出

　　[2080505]机关事业单位基本养老保险缴费支出

合计

基本支出

项目支出

{total}

{basic}

{project}

- 3 -
"""

TOTAL = ["42.00", "30.00", "30.00", "20.00", "10.00", "12.00", "12.00", "12.00"]
BASIC = ["32.00", "20.00", "20.00", "20.00", "0.00", "12.00", "12.00", "12.00"]
PROJECT = ["10.00", "10.00", "10.00", "0.00", "10.00", "0.00", "0.00", "0.00"]


def _doc(total: list[str], basic: list[str], project: list[str]) -> bytes:
    return COLUMNS.format(total="\n\n".join(total), basic="\n\n".join(basic), project="\n\n".join(project)).encode(
        "utf-8"
    )


def _table(rec):  # type: ignore[no-untyped-def]
    return next(t for t in rec.tables if t.kind == "general_budget_expenditure")


def test_columns_confirmed_by_the_sums_become_rows() -> None:
    rec = extract_bytes(_doc(TOTAL, BASIC, PROJECT))
    rows = {r.code or r.name: r.values for r in _table(rec).rows}
    assert rows["2010101"]["total"] == Decimal("20.00")
    assert rows["2010101"]["basic"] == Decimal("20.00")
    assert rows["2010102"]["project"] == Decimal("10.00")
    assert rows["2080505"]["basic"] == Decimal("12.00")
    assert rows["合计"]["total"] == Decimal("42.00")
    assert any("read column by column" in n.message for n in rec.notices)


def test_columns_the_sums_refute_are_left_null_with_a_notice() -> None:
    # the basic column is printed with one figure of another table: no reading makes the sums hold
    basic = [*BASIC[:3], "7.00", *BASIC[4:]]
    rec = extract_bytes(_doc(TOTAL, basic, PROJECT))
    table = _table(rec)
    names = [r.name for r in table.rows]
    assert "行政运行" in names and "机关事业单位基本养老保险缴费支出" in names
    assert all(v is None for r in table.rows for v in r.values.values())
    assert any("not paired with rows" in n.message for n in rec.notices)


def test_amounts_that_do_not_divide_among_the_rows_are_left_null_with_a_notice() -> None:
    # 2010102's project figure is missing and no placement of the rest keeps 20101's sum
    rec = extract_bytes(_doc(TOTAL, BASIC, [*PROJECT[:4], *PROJECT[5:]]))
    table = _table(rec)
    assert all(v is None for r in table.rows for v in r.values.values())
    assert any("23 amounts for 8 rows" in n.message for n in rec.notices)


def test_a_cell_left_out_of_a_column_is_placed_by_the_sums() -> None:
    # the last project cell (0.00) not printed: 23 amounts, and only one placement keeps the sums
    rec = extract_bytes(_doc(TOTAL, BASIC, PROJECT[:-1]))
    rows = {r.code or r.name: r.values for r in _table(rec).rows}
    assert rows["2010102"]["project"] == Decimal("10.00")
    assert rows["2080505"]["basic"] == Decimal("12.00")
    assert any("empty cells left out" in n.message for n in rec.notices)


def test_rows_printed_one_after_another_are_read_row_by_row() -> None:
    row_major = [x for row in zip(TOTAL, BASIC, PROJECT, strict=True) for x in row]
    doc = _doc(row_major, [], []).replace(b"\n\n\n\n", b"\n\n")
    rec = extract_bytes(doc)
    rows = {r.code: r.values for r in _table(rec).rows if r.code}
    assert rows["20101"]["project"] == Decimal("10.00")
    assert any("read row by row" in n.message for n in rec.notices)


def test_corpus_pdfminer_key_figures_do_not_fall() -> None:
    """Guangzhou's pdfminer text: its functional table is column-ordered on one page."""
    stem = "05_guangzhou-statistics_bureau-dept_budget-2026"
    gold = load_gold(CORPUS / "gold" / f"{stem}.json")
    rec = extract_file(CORPUS / "text" / f"{stem}.pdfminer.txt")
    correct, total = evaluate_pair(stem, gold, rec).key_figures()
    assert total > 50
    assert correct / total >= 0.5


@pytest.mark.parametrize(
    ("stem", "floor"),
    [
        # Jiangsu: codes apart from names, a total row with no code, a name wrapped at the column's width
        ("01_jiangsu-procuratorate-dept_budget-2019", 0.69),
        # Shanghai: codes printed in parts (类 | 款 | 项), the last rows of a page printed row by row
        ("15_shanghai_putuo-wanli_subdistrict_office-dept_budget-2025", 0.29),
    ],
)
def test_corpus_pdfminer_key_figures_of_coded_tables(stem: str, floor: float) -> None:
    gold = load_gold(CORPUS / "gold" / f"{stem}.json")
    rec = extract_file(CORPUS / "text" / f"{stem}.pdfminer.txt")
    correct, total = evaluate_pair(stem, gold, rec).key_figures()
    assert total > 50
    assert correct / total >= floor


GLUED = (
    "2024年部门预算\n\n"
    "表7一般公共预算支出表（按功能分类）部门名称：某某局单位：万元科目编码科目名称支出总计基本支出项目支出"
    "201一般公共服务支出30.0020.0010.0020101人大事务30.0020.0010.002010101行政运行20.0020.000.00"
    "2010102一般行政管理事务10.000.0010.00注：本表金额单位转换时可能存在尾数误差。 - 27 -\n"
)


def test_a_table_glued_onto_one_line_is_read_row_by_row() -> None:
    rec = extract_bytes(GLUED.encode("utf-8"))
    rows = {r.code: r.values for r in _table(rec).rows if r.code}
    assert rows["201"]["total"] == Decimal("30.00") and rows["201"]["project"] == Decimal("10.00")
    assert rows["2010101"]["basic"] == Decimal("20.00")
    assert rows["2010102"]["project"] == Decimal("10.00")


def test_a_sentence_with_figures_is_not_cut_as_a_glued_table() -> None:
    doc = "2024年部门预算\n\n本年收入10,737.69万元，较上年减少176.45万元，其中基本支出9,206.23万元。\n"
    rec = extract_bytes(doc.encode("utf-8"))
    assert not rec.tables
