"""pdfminer's text of a "三公" table whose items are its rows (行政经费, “三公”经费, 其中：…) and its
funding sources the columns: the item names look like header words; they are rows where the
counts divide and the sums between the rows confirm a reading, null with a notice where not."""

from __future__ import annotations

from decimal import Decimal

from fiscal_extract.pipeline import extract_bytes

ITEMS = """2026年部门预算

\f财政拨款安排的行政经费及“三公”经费预算表

单位：万元

项目

合计

一般公共预算

政府性基金预算

行政经费

“三公”经费

　　其中：（一）因公出国（境）支出

　　　　　（二）公务用车购置及运行维护支出

　　　　　　　　1.公务用车购置费

　　　　　　　　2.公务用车运行维护费

　　　　　（三）公务接待费支出

{figures}

- 15 -
"""

TOTAL = ["839.21", "19.86", "5.00", "6.70", "0.00", "6.70", "8.16"]
GPB = ["800.00", "18.86", "5.00", "5.70", "0.00", "5.70", "8.16"]
FUND = ["39.21", "1.00", "0.00", "1.00", "0.00", "1.00", "0.00"]


def _table(*columns: list[str]):  # type: ignore[no-untyped-def]
    text = ITEMS.format(figures="\n\n".join(x for col in columns for x in col))
    rec = extract_bytes(text.encode("utf-8"))
    return rec, next(t for t in rec.tables if t.kind == "three_public")


def test_item_names_printed_as_header_words_are_rows_read_column_by_column() -> None:
    rec, table = _table(TOTAL, GPB, FUND)
    rows = {r.name: r.values for r in table.rows}
    assert rows["“三公”经费"]["total"] == Decimal("19.86")
    assert rows["“三公”经费"]["gpb"] == Decimal("18.86")
    assert rows["行政经费"]["fund"] == Decimal("39.21")
    assert rows["2.公务用车运行维护费"]["fund"] == Decimal("1.00")
    assert rec.summary.three_public.total == Decimal("19.86")
    assert rec.summary.three_public.reception == Decimal("8.16")


def test_figures_whose_sums_between_the_rows_fail_are_left_null_with_a_notice() -> None:
    bad = [*TOTAL[:2], "6.00", *TOTAL[3:]]  # 19.86 ≠ 6.00 + 6.70 + 8.16
    rec, table = _table(bad, GPB, FUND)
    assert all(v is None for r in table.rows for v in r.values.values())
    assert rec.summary.three_public.total is None
    assert any("rows named by the layout's items" in n.message and "left null" in n.message for n in rec.notices)
