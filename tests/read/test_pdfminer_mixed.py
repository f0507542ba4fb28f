"""pdfminer's amounts in a mixed order -- column runs, row runs and single cells on one page --
placed under every sum at once, else left null with a notice; and running headers kept out of
the row names."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from fiscal_extract.evaluate.run import load_gold
from fiscal_extract.evaluate.score import evaluate_pair
from fiscal_extract.pipeline import extract_bytes, extract_file
from fiscal_extract.read.pdfminer_mixed import inversions, read_mixed

CORPUS = Path(__file__).resolve().parents[2] / "eval" / "corpus"

PAGE = """2024年部门预算

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

{amounts}

- 3 -
"""

ROWS = ["合计", "201", "20101", "2010101", "2010102", "208", "20805", "2080505"]
TOTAL = ["42.00", "30.00", "30.00", "20.00", "10.00", "12.00", "12.00", "12.00"]
BASIC = ["32.00", "20.00", "20.00", "20.00", "0.00", "12.00", "12.00", "12.00"]
PROJECT = ["10.00", "10.00", "10.00", "0.00", "10.00", "0.00", "0.00", "0.00"]


def _mixed(total: list[str], basic: list[str], project: list[str]) -> list[str]:
    """As pdfminer prints a page whose groups cut across the table: the first four rows' total
    and basic cells pair by pair, then their project cells down the column, then the other rows
    one after another."""
    pairs = [x for i in range(4) for x in (total[i], basic[i])]
    return [*pairs, *project[:4], *(x for i in range(4, 8) for x in (total[i], basic[i], project[i]))]


def _doc(amounts: list[str]) -> bytes:
    return PAGE.format(amounts="\n\n".join(amounts)).encode("utf-8")


def _table(rec):  # type: ignore[no-untyped-def]
    return next(t for t in rec.tables if t.kind == "general_budget_expenditure")


def test_a_mixed_order_is_placed_under_every_sum_at_once() -> None:
    rec = extract_bytes(_doc(_mixed(TOTAL, BASIC, PROJECT)))
    rows = {r.code or r.name: r.values for r in _table(rec).rows}
    for i, key in enumerate(ROWS):
        assert rows[key]["total"] == Decimal(TOTAL[i]), key
        assert rows[key]["basic"] == Decimal(BASIC[i]), key
        assert rows[key]["project"] == Decimal(PROJECT[i]), key
    assert any("mixed order" in n.message for n in rec.notices)


def test_a_mixed_order_the_sums_refute_is_left_null_with_a_notice() -> None:
    # 2010101's basic cell printed as 19.00: its row (20 = 19 + 0) and its family (20 = 19 + 0) fail
    basic = [*BASIC[:3], "19.00", *BASIC[4:]]
    rec = extract_bytes(_doc(_mixed(TOTAL, basic, PROJECT)))
    table = _table(rec)
    assert "行政运行" in [r.name for r in table.rows]
    assert all(v is None for r in table.rows for v in r.values.values())
    assert any("not paired with rows" in n.message for n in rec.notices)


# the search itself: levels 0 = total, 1 = 类, 2 = 款; identities total = basic + project
LEVELS = [0, 1, 2, 2, 1, 2]
SUMS = [(0, [(1, 1), (1, 2)])]
CELLS = [["9", "6", "3"], ["5", "4", "1"], ["4", "4", "0"], ["1", "0", "1"], ["4", "2", "2"], ["4", "2", "2"]]


def _vals(order: list[tuple[int, int]]) -> list[Decimal | None]:
    return [Decimal(CELLS[r][c]) for r, c in order]


def test_the_search_finds_the_one_reading_of_a_mixed_order() -> None:
    # total row across, then the total column down, then the basic and project columns down
    order = [(0, 0), (0, 1), (0, 2), *((r, 0) for r in range(1, 6)), *((r, 1) for r in range(1, 6))]
    order += [(r, 2) for r in range(1, 6)]
    readings, jumps, whole = read_mixed(_vals(order), LEVELS, 3, SUMS, Decimal("0.005"))
    assert whole
    best = [r for r in readings if inversions(r) == min(inversions(x) for x in readings)]
    assert len(best) == 1
    got = [[order[x] if x is not None else None for x in row] for row in best[0]]
    assert got == [[(r, c) for c in range(3)] for r in range(6)]
    assert jumps == 2  # two runs begun back up the page


def test_the_search_refuses_amounts_no_reading_keeps() -> None:
    order = [(r, c) for r in range(6) for c in range(3)]
    vals = _vals(order)
    vals[4] = Decimal("5")  # 201's basic printed as 5: 5 != 4 + 0 and 9 != 5 + 3
    readings, _jumps, _whole = read_mixed(vals, LEVELS, 3, SUMS, Decimal("0.005"))
    assert readings == []


def test_amounts_more_than_the_cells_are_not_read() -> None:
    readings, _jumps, _whole = read_mixed([Decimal(1)] * 19, LEVELS, 3, SUMS, Decimal("0.005"))
    assert readings == []


RUNNING = "\f某某市某某局（本级）2026 年度单位预算公开\n\n第{n}页\n\n说明文字{n}\n\n"


def test_a_running_header_among_the_row_names_is_no_row() -> None:
    # the running line pdfminer prints among the rows of page 3 repeats on every page
    doc = PAGE.format(amounts="\n\n".join(_mixed(TOTAL, BASIC, PROJECT))).replace(
        "　[20101]人大事务\n\n", "　[20101]人大事务\n\n某某市某某局（本级）2026 年度单位预算公开\n\n"
    )
    doc = "".join(RUNNING.format(n=n) for n in range(1, 4)) + doc
    rec = extract_bytes(doc.encode("utf-8"))
    table = _table(rec)
    assert not any("预算公开" in (r.name or "") for r in table.rows)
    rows = {r.code or r.name: r.values for r in table.rows}
    assert rows["2010101"]["basic"] == Decimal("20.00")


@pytest.mark.parametrize(
    ("stem", "floor"),
    [
        # Wuxi: a running footer among the names; the total row's cells apart from their columns' runs
        ("07_wuxi-education_bureau_benji-unit_budget-2026", 0.5),
        # Shanghai Putuo: pairs of cells, then a column's run, then rows one after another
        ("14_shanghai_putuo-planning_natural_resources_bureau-dept_final_accounts-2024", 0.39),
    ],
)
def test_corpus_pdfminer_key_figures_of_mixed_orders(stem: str, floor: float) -> None:
    gold = load_gold(CORPUS / "gold" / f"{stem}.json")
    rec = extract_file(CORPUS / "text" / f"{stem}.pdfminer.txt")
    correct, total = evaluate_pair(stem, gold, rec).key_figures()
    assert total > 100
    assert correct / total >= floor


# A real page (a city department's general-budget table, 18 rows x 合计 | 基本支出 | 人员经费 |
# 日常公用 | 项目支出): the total row across, runs down three columns, a run down 日常公用 begun
# mid-page, the rows of the last class across.  Its reading needs four jumps back up the page;
# before the families' still-lacking sums pruned the search it gave up after 20,000 placements.
CITY_LEVELS = [0, 1, 2, 3, 1, 2, 3, 3, 3, 1, 2, 3, 3, 1, 2, 3, 3, 3]
CITY_SUMS = [(0, [(1, 1), (1, 4)]), (1, [(1, 2), (1, 3)])]
CITY_PRINTED = (
    "5753.07 3745.07 2906.80 838.27 2008.00 28.00 28.00 28.00 0.90 0.90 0.90 28.00 28.00 28.00"
    " 396.67 396.67 193.24 135.62 67.81 80.52 80.52 61.17 19.35 396.67 396.67 193.24 135.62 67.81 80.52"
    " 80.52 61.17 19.35 395.77 395.77 192.34 135.62 67.81 80.52 80.52 61.17 19.35 5247.87 3267.87"
    " 2430.50 837.37 1980.00 5247.87 3267.87 2430.50 837.37 1980.00 2617.19 2617.19 1907.01 650.68"
    " 650.68 523.49 710.18 127.19 1980.00 1980.00"
)
CITY_ROWS = [
    "5753.07 3745.07 2906.80 838.27 2008.00",
    *["28.00 - - - 28.00"] * 3,
    *["396.67 396.67 395.77 0.90 -"] * 2,
    "193.24 193.24 192.34 0.90 -",
    "135.62 135.62 135.62 - -",
    "67.81 67.81 67.81 - -",
    *["80.52 80.52 80.52 - -"] * 2,
    "61.17 61.17 61.17 - -",
    "19.35 19.35 19.35 - -",
    *["5247.87 3267.87 2430.50 837.37 1980.00"] * 2,
    "2617.19 2617.19 1907.01 710.18 -",
    "650.68 650.68 523.49 127.19 -",
    "1980.00 - - - 1980.00",
]


def test_a_reading_of_four_jumps_is_found_within_the_search_bound() -> None:
    vals: list[Decimal | None] = [Decimal(x) for x in CITY_PRINTED.split()]
    readings, jumps, _whole = read_mixed(vals, CITY_LEVELS, 5, CITY_SUMS, Decimal("0.005"))
    assert readings, "the search gave up"
    assert jumps == 4
    for cells in readings:  # every reading kept prints the page's figures
        got = [" ".join(str(vals[x]) if x is not None else "-" for x in row) for row in cells]
        assert got == CITY_ROWS


def test_a_family_lacking_a_figure_no_amount_left_gives_is_refused() -> None:
    # the same page with 科学技术支出's project figure misprinted: 2008.00 = 28.50 + 0 + 0 + 1980.00
    # fails, and no reading may place the amounts anyway
    vals: list[Decimal | None] = [Decimal(x) for x in CITY_PRINTED.split()]
    vals[11] = Decimal("28.50")
    readings, _jumps, _whole = read_mixed(vals, CITY_LEVELS, 5, CITY_SUMS, Decimal("0.005"))
    assert readings == []
