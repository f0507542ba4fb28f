"""pdfminer's header fragments: narrow header cells side by side print their first lines, then
their second lines ("基本支" / "项目支" / "出" / "出"); each fragment joins the one that completes a
catalog header word, not the next one, so the columns are named and no fragment becomes a row."""

from __future__ import annotations

from decimal import Decimal

from fiscal_extract.pipeline import extract_bytes

TEXT = """2024年部门预算

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

基本支

项目支

出

出

{figures}

- 3 -
"""

TOTAL = ["42.00", "30.00", "30.00", "20.00", "10.00", "12.00", "12.00", "12.00"]
BASIC = ["32.00", "20.00", "20.00", "20.00", "0.00", "12.00", "12.00", "12.00"]
PROJECT = ["10.00", "10.00", "10.00", "0.00", "10.00", "0.00", "0.00", "0.00"]


def test_interleaved_header_fragments_name_the_columns_and_make_no_rows() -> None:
    figures = "\n\n".join([*TOTAL, *BASIC, *PROJECT])
    rec = extract_bytes(TEXT.format(figures=figures).encode("utf-8"))
    table = next(t for t in rec.tables if t.kind == "general_budget_expenditure")
    names = [r.name for r in table.rows]
    assert not any(n in ("基本支", "项目支", "出") for n in names)
    rows = {r.code or r.name: r.values for r in table.rows}
    assert rows["2010101"]["basic"] == Decimal("20.00")
    assert rows["2010102"]["project"] == Decimal("10.00")
    assert rows["合计"]["project"] == Decimal("10.00")


# codes, names and figures each printed as paragraphs of their own, the code column's label wrapped
LONE_CODES = """2024年部门预算

\f一般公共预算支出情况表

单位：万元

科目编

码

科目名称

合计

基本支出

项目支出

201

20101

2010101

2010102

合计

一般公共服务支出

人大事务

行政运行

一般行政管理事务

{figures}

- 3 -
"""


def test_a_label_columns_word_wrapped_into_a_half_known_fragment_is_rejoined() -> None:
    # 科目编 / 码: the first piece is mostly header words already, the second none; joined they are
    # the code column's label -- left apart, 码 is taken for a row name and the names slip a row
    figures = ["30.00", "30.00", "30.00", "20.00", "10.00", "20.00", "20.00", "20.00", "20.00", "0.00"]
    figures += ["10.00", "10.00", "10.00", "0.00", "10.00"]
    rec = extract_bytes(LONE_CODES.format(figures="\n\n".join(figures)).encode("utf-8"))
    table = next(t for t in rec.tables if t.kind == "general_budget_expenditure")
    names = {r.code: r.name for r in table.rows if r.code}
    assert names["201"] == "一般公共服务支出" and names["20101"] == "人大事务"
    assert names["2010101"] == "行政运行" and names["2010102"] == "一般行政管理事务"
