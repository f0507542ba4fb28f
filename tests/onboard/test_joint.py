"""Joint naming of a table's unknown columns by the identities they make hold together; header
words the catalog does not know kept with their printed text; a title printed within a longer
known one does not score as that narrower kind."""

from __future__ import annotations

from typing import Any

from fiscal_extract.catalog import extend, load
from fiscal_extract.onboard.candidates import MIN_TITLE_SCORE, _title_score
from fiscal_extract.onboard.joint import header_cells, joint_candidates, split_words
from fiscal_extract.read.pdftext_header import plan_header

HEADER = "\n".join([
    "功能分类科目 2025 年旧账数 2026 年预算数",
    "科目编码 科目名称 上期数",
    "扣除特别基",
    "建资金后执",
    "行数",
    "合计 差异额",
])


def test_header_cells_join_a_cell_wrapped_in_a_narrow_column_and_skip_the_period_words():
    cells = header_cells(load(), "classified", HEADER)
    assert cells == ["上期数", "扣除特别基建资金后执行数", "差异额"]


def _cat_of(prof: dict[str, Any]) -> Any:
    return extend((), prof)


def test_unknown_columns_are_named_together_by_the_identity_they_make_hold():
    header = "科目编码 科目名称 本年执行数 合计 差异额"
    # 差异额 = 合计 - 本年执行数 on every row: change_amount = total - prior_year_executed
    rows = [["100.00", "130.00", "30.00"], ["50.00", "40.00", "-10.00"], ["7.50", "9.00", "1.50"]]
    cands = joint_candidates(_cat_of, {"kinds": {}, "column": []}, "general_budget_expenditure", "classified",
                             (header, 3, rows))
    assert cands and cands[0].texts == {"本年执行数": "prior_year_executed", "差异额": "change_amount"}
    assert cands[0].held == 3 and cands[0].failed == 0


def test_no_joint_naming_where_the_identities_do_not_hold():
    header = "科目编码 科目名称 本年执行数 合计 差异额"
    rows = [["100.00", "130.00", "31.00"], ["50.00", "40.00", "-12.00"], ["7.50", "9.00", "4.50"]]
    assert joint_candidates(_cat_of, {"kinds": {}, "column": []}, "general_budget_expenditure", "classified",
                            (header, 3, rows)) == []


def test_a_banner_the_header_words_cut_in_two_is_offered_whole():
    cat = load()
    assert split_words(cat, "three_public", "财政拨款“三公”经费\n合计 因公出国(境)费") == []  # known whole
    assert split_words(cat, "classified", "财政拨款基本支出\n合计") == ["财政拨款基本支出"]


def test_unknown_header_words_after_the_last_named_column_name_it_with_their_printed_text():
    cat = load()
    labels = ["科目编码", "科目名称", "合计", "基本支出", "项目支出", "某某专项资金"]
    rows = [["10.00", "6.00", "4.00", "1.00"], ["5.00", "2.00", "3.00", "2.00"]]
    plan = plan_header(cat, "classified", "general_budget_expenditure", labels, 4, rows)
    assert plan.keys == ["total", "basic", "project", None]
    assert plan.values[-1] == "某某专项资金"


def test_a_title_printed_within_a_longer_known_title_does_not_score_as_its_narrower_kind():
    assert _title_score("支出决算表", "政府性基金预算财政拨款支出决算表") < MIN_TITLE_SCORE
    assert _title_score("支出预算总表", "支出总表") >= MIN_TITLE_SCORE  # a longer printed title still helped


def test_a_label_whose_cell_wrapped_is_offered_as_the_whole_cell():
    from fiscal_extract.onboard.joint import whole_cell

    header = "其他收入 上年结余、\n结转\n单位名称 10.00"
    assert whole_cell(header, "上年结余、") == "上年结余、结转"
    assert whole_cell(header, "其他收入") == "其他收入"  # not at a line's end: nothing wrapped
