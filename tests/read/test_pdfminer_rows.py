"""pdfminer's column-ordered text as the corpus prints it: codes apart from names (and in parts:
类 | 款 | 项), a total row with no code, names wrapped over two paragraphs, empty cells left out of
the column runs, the last rows of a page printed row by row.  Rows are rebuilt only where the
counts and the sums agree; elsewhere the cells stay null and a notice says so."""

from __future__ import annotations

from decimal import Decimal

from fiscal_extract.pipeline import extract_bytes
from fiscal_extract.read.pdfminer_runs import choose, read_runs


def _page(*paragraphs: str) -> bytes:
    """A document of one cover page and one table page, every paragraph followed by a blank line
    (as pdfminer prints a cell)."""
    return ("2019年度部门预算\n\n\f" + "".join(p + " \n\n" for p in paragraphs)).encode("utf-8")


def _table(rec, kind: str = "general_budget_expenditure"):  # type: ignore[no-untyped-def]
    return next(t for t in rec.tables if t.kind == kind)


def _rows(rec, kind: str = "general_budget_expenditure") -> dict:  # type: ignore[no-untyped-def,type-arg]
    return {r.code or r.name: r.values for r in _table(rec, kind).rows}


# Jiangsu 01, 公开 07 表 (shortened): the table's number and the owner as paragraphs, the codes,
# the names (the total row 合计 has no code), the next table's number, then the amounts
JIANGSU = [
    "公开 07 表",
    "一般公共预算支出预算表（功能科目）",
    "部门： 江苏省人民检察院",
    "科目代码",
    "功能科目名称",
    "单位：万元",
    "金额",
    "204",
    "20404",
    "2040401",
    "2040402",
    "208",
    "20805",
    "2080505",
    "合      计",
    "公共安全支出",
    "检察",
    "行政运行",
    "一般行政管理事务",
    "社会保障和就业支出",
    "行政事业单位养老支出",
    "机关事业单位基本养老保险缴费支出",
    "注：“科目编码”和“科目名称”为必填项。",
    "公开 08 表",
    "18,269.74",
    "16,593.12",
    "16,593.12",
    "14,238.72",
    "2,354.40",
    "1,676.62",
    "1,676.62",
    "1,676.62",
]


def test_a_total_row_without_a_code_and_table_numbers_among_the_paragraphs() -> None:
    rec = extract_bytes(_page(*JIANGSU))
    rows = _rows(rec)
    assert rows["2040401"]["total"] == Decimal("14238.72")
    assert rows["2080505"]["total"] == Decimal("1676.62")
    total = next(r for r in _table(rec).rows if r.code is None)
    assert total.values["total"] == Decimal("18269.74")


def test_a_name_wrapped_at_the_column_width_is_one_row() -> None:
    # "机关事业单位基本养老保险" / "缴费": the first fragment is as wide as the column
    paras = [
        "一般公共预算基本支出预算表（经济科目）",
        "部门名称：  江苏省人民检察院",
        "科目编码",
        "科目名称",
        "301",
        "30101",
        "30108",
        "30109",
        "合   计",
        "工资福利支出",
        "基本工资",
        "机关事业单位基本养老保险",
        "缴费",
        "职业年金缴费",
        "单位：万元",
        "金额",
        "3,660.00",
        "3,660.00",
        "2,171.78",
        "1,064.46",
        "423.76",
    ]
    rec = extract_bytes(_page(*paras))
    rows = _rows(rec, "general_budget_basic_expenditure")
    names = {r.code: r.name for r in _table(rec, "general_budget_basic_expenditure").rows}
    assert names["30108"] == "机关事业单位基本养老保险缴费"
    assert rows["30108"]["total"] == Decimal("1064.46")
    assert rows["30109"]["total"] == Decimal("423.76")


# Shanghai 15: the code in parts -- 类 on every row, 款 on every row below a 类 row, 项 before the
# item's name -- and the amounts column by column (元, integers, 0 printed)
SHANGHAI = [
    "2025年部门一般公共预算支出功能分类预算表",
    "编制部门：上海市普陀区人民政府万里街道办事处",
    "单位：元",
    "项目",
    "一般公共预算支出",
    "功能分类科目编码",
    "功能分类科目名称",
    "合计",
    "基本支出",
    "项目支出",
    "类",
    "201",
    "201",
    "201",
    "201",
    "201",
    "款",
    "项",
    "一般公共服务支出",
    "统计信息事务",
    "07 专项普查活动",
    "群众团体事务",
    "02 一般行政管理事务",
    "05",
    "05",
    "29",
    "29",
    *("861,200", "438,300", "438,300", "422,900", "422,900"),
    *("400,000", "0", "0", "400,000", "400,000"),
    *("461,200", "438,300", "438,300", "22,900", "22,900"),
]


def test_a_code_printed_in_parts_is_rebuilt_from_the_counts() -> None:
    rec = extract_bytes(_page(*SHANGHAI))
    rows = _rows(rec)
    assert set(rows) == {"201", "20105", "2010507", "20129", "2012902"}
    assert rows["2010507"] == {"total": Decimal("438300"), "basic": Decimal("0"), "project": Decimal("438300")}
    assert rows["2012902"]["basic"] == Decimal("400000")


def test_codes_in_parts_that_do_not_pair_with_the_names_are_said_so() -> None:
    paras = [p for p in SHANGHAI if p != "29"]  # one 款 part fewer than the rows below a 类 row
    rec = extract_bytes(_page(*paras))
    assert all(r.code is None for r in _table(rec).rows)
    assert any("do not pair" in n.message for n in rec.notices)


# Empty cells left out of the column runs: the code tree's sums place them
DROPPED = [
    "一般公共预算支出预算表（功能科目）",
    "单位：万元",
    "科目编码",
    "科目名称",
    "合计",
    "基本支出",
    "项目支出",
    "201",
    "20101",
    "2010101",
    "2010102",
    "208",
    "20805",
    "2080505",
    "一般公共服务支出",
    "人大事务",
    "行政运行",
    "一般行政管理事务",
    "社会保障和就业支出",
    "行政事业单位养老支出",
    "机关事业单位基本养老保险缴费支出",
]
TOTAL = ["30.00", "30.00", "20.00", "10.00", "12.00", "12.00", "12.00"]
BASIC = ["20.00", "20.00", "20.00", "12.00", "12.00", "12.00"]  # 2010102 has no basic figure
PROJECT = ["10.00", "10.00", "10.00"]  # only 201 / 20101 / 2010102


def test_column_runs_with_empty_cells_left_out_are_placed_by_the_sums() -> None:
    rec = extract_bytes(_page(*DROPPED, *TOTAL, *BASIC, *PROJECT))
    rows = _rows(rec)
    assert rows["2010101"] == {"total": Decimal("20.00"), "basic": Decimal("20.00"), "project": None}
    assert rows["2010102"] == {"total": Decimal("10.00"), "basic": None, "project": Decimal("10.00")}
    assert rows["2080505"]["basic"] == Decimal("12.00")
    assert any("empty cells left out" in n.message for n in rec.notices)


def test_a_cell_the_sums_cannot_place_stays_null_with_a_notice() -> None:
    # two children of 20101 with the same figure, one of them printed: which one is not decidable
    total = ["30.00", "30.00", "15.00", "15.00", "12.00", "12.00", "12.00"]
    basic = ["15.00", "15.00", "15.00", "12.00", "12.00", "12.00"]
    project = ["15.00", "15.00", "15.00"]
    rec = extract_bytes(_page(*DROPPED, *total, *basic, *project))
    rows = _rows(rec)
    assert rows["2010101"]["total"] == Decimal("15.00") and rows["2010102"]["total"] == Decimal("15.00")
    assert rows["2010101"]["basic"] is None and rows["2010102"]["basic"] is None
    assert any("cannot place are left null" in n.message for n in rec.notices)


def test_the_last_rows_of_a_page_printed_row_by_row() -> None:
    # pdfminer groups the last rows apart: 208's family printed row after row after the columns
    total, basic, project = ["30.00", "30.00", "20.00", "10.00"], ["20.00", "20.00", "20.00", "0.00"], ["10.00"] * 2
    project += ["0.00", "10.00"]
    tail = ["12.00", "12.00", "0.00"] * 3
    rec = extract_bytes(_page(*DROPPED, *total, *basic, *project, *tail))
    rows = _rows(rec)
    assert rows["2010102"] == {"total": Decimal("10.00"), "basic": Decimal("0.00"), "project": Decimal("10.00")}
    assert rows["20805"] == {"total": Decimal("12.00"), "basic": Decimal("12.00"), "project": Decimal("0.00")}
    assert any("row by row after" in n.message for n in rec.notices)


def test_runs_are_read_only_where_every_sum_holds() -> None:
    # rows: total, 201, 20101, 2010101, 2010102 (levels 0 1 2 3 3); one column, 2010101 empty
    levels = [0, 1, 2, 3, 3]
    vals = [Decimal(x) for x in ("10", "10", "10", "10")]
    found, cut = read_runs(vals, levels, [1], Decimal("0.005"))
    assert not cut
    # 10 = 10 = 10 = one of the two children: two readings, and they disagree on the children
    assert len(found) == 2
    got = choose(found, lambda cells: (0, 0), ["10"] * 4)
    assert got is not None
    cells, unsure, _held = got
    assert cells[3][0] is None and cells[4][0] is None and unsure == 2
    # a figure no family sum allows: no reading at all
    bad = [Decimal(x) for x in ("10", "9", "10", "10")]
    assert read_runs(bad, levels, [1], Decimal("0.005"))[0] == []


# Changchun 10 (shortened): each row's code, name and amounts one paragraph after another
ROW_AFTER_ROW = [
    "本年一般公共预算支出表（预算表 5）",
    "单位：万元",
    "科目编码",
    "科目名称",
    "合计",
    "基本支出",
    "项目支出",
    *("2014001", "行政运行", "903.85", "903.85", "0.00"),
    *("2014002", "一般行政管理事务", "458.00", "0.00", "458.00"),
    *("2014099", "其他信访事务支出", "16.56", "0.00", "16.56"),
    *("2080505", "机关事业单位基本养老保险缴费支出", "105.80", "105.80"),
    *("2101101", "行政单位医疗", "32.65", "32.65", "0.00"),
]


def test_rows_printed_one_after_another_paragraph_by_paragraph() -> None:
    rec = extract_bytes(_page(*ROW_AFTER_ROW))
    rows = _rows(rec)
    assert rows["2014002"] == {"total": Decimal("458.00"), "basic": Decimal("0.00"), "project": Decimal("458.00")}
    assert rows["2101101"]["basic"] == Decimal("32.65")
    # a row with a cell left out: its figures are placed by arithmetic, or left null -- never shifted
    assert rows["2080505"]["total"] == Decimal("105.80")
    assert rows["2080505"]["project"] != Decimal("105.80")
    assert any("printed row after row" in n.message for n in rec.notices)
