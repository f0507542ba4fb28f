"""pdfminer's header fragments: a header cell wrapped over two paragraphs whose second paragraph
is itself a header word ("日常公用" / "支出", with 项目支出 printed between them) joins into the
catalog's word 日常公用支出: the column is named and the fragment makes no row before the total."""

from __future__ import annotations

from decimal import Decimal

from fiscal_extract.pipeline import extract_bytes

TEXT = """2024年部门预算

\f一般公共预算支出预算表

部门名称：某某局

功能分类科目名称

合  计

基本支出

小计

人员经费

单位：万元

日常公用

项目支出

支出

合计

科学技术支出

　技术研究与开发

　　机构运行

　　科技成果转化与扩散

社会保障和就业支出

　行政事业单位养老支出

　　机关事业单位基本养老保险缴费支出

{figures}

- 3 -
"""

TOTAL = ["150.00", "100.00", "100.00", "70.00", "30.00", "50.00", "50.00", "50.00"]
BASIC = ["110.00", "70.00", "70.00", "70.00", "0.00", "40.00", "40.00", "40.00"]
PERSONNEL = ["80.00", "50.00", "50.00", "50.00", "0.00", "30.00", "30.00", "30.00"]
PUBLIC = ["30.00", "20.00", "20.00", "20.00", "0.00", "10.00", "10.00", "10.00"]
PROJECT = ["40.00", "30.00", "30.00", "0.00", "30.00", "10.00", "10.00", "10.00"]


def test_header_tail_that_is_a_header_word_joins_its_head() -> None:
    figures = "\n\n".join([*TOTAL, *BASIC, *PERSONNEL, *PUBLIC, *PROJECT])
    rec = extract_bytes(TEXT.format(figures=figures).encode("utf-8"))
    table = next(t for t in rec.tables if t.kind == "general_budget_expenditure")
    names = [r.name for r in table.rows]
    assert "日常公用" not in names
    assert names[0] == "合计"
    rows = {r.name: r.values for r in table.rows}
    assert rows["合计"]["public"] == Decimal("30.00")
    assert rows["机构运行"]["personnel"] == Decimal("50.00")
    assert rows["科技成果转化与扩散"]["project"] == Decimal("30.00")
