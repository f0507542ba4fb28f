"""The reader of PDF-library text: typed tokens, headers rebuilt from fragments, amounts placed by
arithmetic where empty cells were dropped -- and a notice where the arithmetic cannot decide."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from fiscal_extract.catalog import load
from fiscal_extract.evaluate.run import load_gold
from fiscal_extract.evaluate.score import evaluate_pair
from fiscal_extract.pipeline import extract_bytes, extract_file
from fiscal_extract.read.normalize import from_bytes
from fiscal_extract.read.pdftext_header import plan_header
from fiscal_extract.read.pdftext_labels import header_labels
from fiscal_extract.read.pdftext_tokens import tokenize

CORPUS = Path(__file__).resolve().parents[2] / "eval" / "corpus"


def _tokens(line: str) -> list[tuple[str, str]]:
    src = from_bytes(line.encode("utf-8"))
    return [(t.kind, t.text) for t in tokenize(src, 0, len(src.text))]


def test_tokens_of_a_row_line() -> None:
    assert _tokens("2010501 　　行政运行 6,453.03 6,453.03 0.00") == [
        ("code", "2010501"),
        ("label", "行政运行"),
        ("amount", "6,453.03"),
        ("amount", "6,453.03"),
        ("amount", "0.00"),
    ]


def test_code_printed_apart_is_one_code() -> None:
    assert _tokens("301 08 机关事业单位基本养老保险缴费 3.00")[:2] == [
        ("code", "30108"),
        ("label", "机关事业单位基本养老保险缴费"),
    ]
    assert _tokens("201 05 07 专项普查活动 438,300 0 438,300")[0] == ("code", "2010507")


def test_bracketed_code_glued_to_its_name() -> None:
    assert _tokens("　[30101]基本工资 927.35")[:3] == [("code", "30101"), ("label", "基本工资"), ("amount", "927.35")]


def test_glued_cells_are_split() -> None:
    assert _tokens("16,474.82一、一般公共服务支出")[:2] == [("amount", "16,474.82"), ("label", "一、一般公共服务支出")]
    assert [t for k, t in _tokens("深圳市审计局10,737.6910,737.690.000.00") if k == "amount"] == [
        "10,737.69",
        "10,737.69",
        "0.00",
        "0.00",
    ]


def test_a_figure_glued_to_the_next_rows_code_is_two_tokens() -> None:
    # corpus 02 (pypdf): "1,608.51" then the next row's code 2080504, with no space between
    assert [t for _, t in _tokens("1,608.512080504")] == ["1,608.51", "2080504"]
    assert [t for _, t in _tokens("10,000302")] == ["10,000", "302"]
    # a figure printed with more decimals and no code glued on stays whole
    assert [t for _, t in _tokens("1,234.5678")] == ["1,234.5678"]


def test_a_wrapped_header_label_is_rebuilt_from_the_catalog_words() -> None:
    cat = load()
    labels = header_labels(
        cat, "合计 基本支出 项目支出 事业单位经营支出 对附属单位补助支 出 上缴上级支出 科目编码 科目名称"
    )
    assert "对附属单位补助支出" in labels
    assert labels[:3] == ["合计", "基本支出", "项目支出"]


def test_the_reading_order_of_a_two_row_header_is_settled_by_the_identities() -> None:
    cat = load()
    # printed: 合计 | 基本支出 (小计 人员经费 公用经费) | 项目支出 -- read row by row
    labels = ["合计", "基本支出", "项目支出", "小计", "人员经费", "公用经费"]
    full = [["10.00", "6.00", "4.00", "2.00", "4.00"], ["7.00", "5.00", "3.00", "2.00", "2.00"]]
    plan = plan_header(cat, "classified", "general_budget_expenditure", labels, 5, full)
    assert plan.keys == ["total", "basic", "personnel", "public", "project"]


DOC = """2024年部门预算
一般公共预算支出表
单位：万元
科目编码 科目名称 合计 基本支出 项目支出
合计 30.00 20.00 10.00
201 一般公共服务支出 30.00 20.00 10.00
20101 人大事务 30.00 20.00 10.00
2010101 行政运行 20.00 20.00
2010102 一般行政管理事务 10.00 10.00
"""


def test_dropped_empty_cells_are_placed_by_the_family_sums() -> None:
    rec = extract_bytes(DOC.encode("utf-8"))
    table = next(t for t in rec.tables if t.kind == "general_budget_expenditure")
    rows = {r.code: r.values for r in table.rows if r.code}
    assert rows["2010101"]["basic"] == Decimal("20.00") and rows["2010101"].get("project") is None
    assert rows["2010102"]["project"] == Decimal("10.00") and rows["2010102"].get("basic") is None
    assert any(r.kind == "placement" for r in rec.repairs)


def test_an_undecidable_placement_is_null_with_a_notice() -> None:
    # two items of the same figure: 5.00 basic + 5.00 project, or the other way round
    doc = DOC.replace("20.00", "5.00").replace("10.00", "5.00").replace("30.00", "10.00")
    rec = extract_bytes(doc.encode("utf-8"))
    table = next(t for t in rec.tables if t.kind == "general_budget_expenditure")
    item = next(r for r in table.rows if r.code == "2010101")
    assert item.values["total"] == Decimal("5.00")
    assert item.values.get("basic") is None and item.values.get("project") is None
    assert any(n.code == "unplaced_figures" and "行政运行" in n.message for n in rec.notices)


@pytest.mark.parametrize(
    ("stem", "lib", "floor"),
    [
        ("04_shenzhen-audit_bureau-dept_budget-2026", "pypdf", 0.75),
        ("07_wuxi-education_bureau_benji-unit_budget-2026", "pdfium", 0.90),
        ("10_changchun-petition_bureau_benji-dept_budget-2026", "pypdf", 0.80),
        ("14_shanghai_putuo-planning_natural_resources_bureau-dept_final_accounts-2024", "pdfium", 0.85),
        ("15_shanghai_putuo-wanli_subdistrict_office-dept_budget-2025", "pypdf", 0.95),
    ],
)
def test_corpus_key_figures_do_not_fall(stem: str, lib: str, floor: float) -> None:
    """Key figures of real PDF text against hand-labelled gold: a floor under today's reading
    (the closing notes give the full table; issue 13's target is far above it)."""
    gold = load_gold(CORPUS / "gold" / f"{stem}.json")
    rec = extract_file(CORPUS / "text" / f"{stem}.{lib}.txt")
    correct, total = evaluate_pair(stem, gold, rec).key_figures()
    assert total > 50
    assert correct / total >= floor


def test_without_codes_the_indentation_gives_the_families_that_place_dropped_cells() -> None:
    doc = (
        "2024年部门预算\n一般公共预算支出表\n单位：万元\n科目名称 合计 基本支出 项目支出\n"
        "合计 30.00 20.00 10.00\n一般公共服务支出 30.00 20.00 10.00\n"
        "\u3000人大事务 30.00 20.00 10.00\n\u3000\u3000行政运行 20.00 20.00\n"
        "\u3000\u3000一般行政管理事务 10.00 10.00\n"
    )
    rec = extract_bytes(doc.encode("utf-8"))
    table = next(t for t in rec.tables if t.kind == "general_budget_expenditure")
    rows = {r.name: r.values for r in table.rows}
    assert rows["行政运行"]["basic"] == Decimal("20.00") and rows["行政运行"].get("project") is None
    assert rows["一般行政管理事务"]["project"] == Decimal("10.00")


def test_column_numbers_printed_one_to_a_line_are_the_headers_numbering() -> None:
    """pdfium prints a continuation page's 栏次 1 2 3 one cell to a line (corpus 12): the numbers
    are header furniture, not a row of figures, and the page's rows continue the table."""
    head = "一般公共预算财政拨款支出决算表\n金额单位：万元\n科目代码 科目名称 小计 基本支出 项目支出\n栏次 1 2 3\n"
    rows1 = "合计 60.00 40.00 20.00\n201 一般公共服务支出 50.00 30.00 20.00\n2010101 行政运行 30.00 30.00\n"
    rows2 = "2010102 一般行政管理事务 20.00 20.00\n210 卫生健康支出 10.00 10.00\n2100101 行政运行 10.00 10.00\n"
    text = head + rows1 + "\f科目代码 科目名称 小计 基本支出 项目支出\n栏次\n1\n2\n3\n" + rows2
    rec = extract_bytes(text.encode("utf-8"), "t.pypdf.txt")
    (table,) = [t for t in rec.tables if t.kind == "general_budget_expenditure"]
    got = {r.code: tuple(r.values.get(k) for k in ("total", "basic", "project")) for r in table.rows if r.code}
    assert got["2010102"] == (Decimal("20.00"), None, Decimal("20.00"))
    assert got["2100101"] == (Decimal("10.00"), Decimal("10.00"), None)
    assert not any(r.values.get("total") in (Decimal(1), Decimal(2), Decimal(3)) for r in table.rows)


_EMPTY_TABLES = (
    "表5：一般公共预算支出预算表\n部门名称：某局 单位：万元\n功能分类科目名称 合计 基本支出 项目支出\n"
    "合计 30.00 20.00 10.00\n201 一般公共服务支出 30.00 20.00 10.00\n"
    "\f表6：政府性基金预算支出预算表\n部门名称：某局 单位：万元\n本年政府性基金预算支出\n功能分类科目名称\n"
    "合  计 基本支出 项目支出\n** 1 2 3\n合计\n备注：本部门没有政府性基金预算拨款安排的支出，故本表无数据。22\n"
    "\f表7：国有资本经营预算支出预算表\n部门名称：某局 单位：万元\n功能分类科目名称 合计 基本支出 项目支出\n"
    "\f表8：部门“三公”经费支出预算表\n部门名称：某局 单位：万元\n合计 因公出国（境）费 公务接待费\n3.00 1.00 2.00\n"
)


def test_a_table_printed_without_rows_is_an_empty_table_not_narrative() -> None:
    """pypdf / pdfium text of a table with no data: its title, its header, 合计 and a note saying so
    (or directly the next title).  It is recorded as an empty table; without a note saying it is
    empty, a notice asks the reader to check it."""
    rec = extract_bytes(_EMPTY_TABLES.encode("utf-8"), "t.pypdf.txt")
    by_kind = {t.kind: t for t in rec.tables}
    fund = by_kind["gov_fund_expenditure"]
    assert fund.empty and not fund.rows and "故本表无数据" in fund.notes[0]
    capital = by_kind["state_capital_expenditure"]
    assert capital.empty and not capital.rows and not capital.notes
    flagged = [n for n in rec.notices if n.code == "table_without_rows"]
    assert [n.message.split(":")[0] for n in flagged] == ["表7：国有资本经营预算支出预算表"]
    # the tables around them are read as before
    assert by_kind["general_budget_expenditure"].rows and by_kind["three_public"].rows
    assert not any(n.code == "table_not_read" for n in rec.notices)


@pytest.mark.parametrize(
    "contents",
    [
        "目录\n四、财政拨款收支预算总表\n五、财政拨款支出预算表\n六、一般公共预算支出预算表\n一、部门职责\n",
        # bulleted entries, the next one of a name the catalog does not know (and not ending in 表)
        "目录\n- 四、财政拨款收支预算总表\n- 五、财政资金支出明细\n- 六、一般公共预算支出预算表\n第一部分\n",
    ],
)
def test_a_contents_list_is_no_empty_table(contents: str) -> None:
    text = contents + _EMPTY_TABLES
    rec = extract_bytes(text.encode("utf-8"), "t.pypdf.txt")
    assert [t.kind for t in rec.tables if t.kind == "fiscal_grant_overview"] == []
    assert sum(1 for t in rec.tables if t.kind == "general_budget_expenditure") == 1
