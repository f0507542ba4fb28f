"""A printed title names its kind through the numbering, prefixes and leftovers PDF text glues on."""

from __future__ import annotations

import pytest

from fiscal_extract.catalog import load


@pytest.mark.parametrize(
    ("printed", "kind"),
    [
        # the tail of the previous table's note (its "(" on the line before) glued onto the title
        ("无政府性基金支出）一般公共预算支出预算表", "general_budget_expenditure"),
        ("本表无数据)部门收支总表", "income_expenditure_overview"),
        # a bracket that belongs to the title itself is no leftover
        ("一般公共预算支出表（按功能分类）", "general_budget_expenditure"),
    ],
)
def test_a_title_is_found_under_what_pdf_text_glues_onto_it(printed: str, kind: str) -> None:
    m = load().match_title(printed)
    assert m is not None and m.kind == kind


def test_a_bracketed_note_alone_is_no_title() -> None:
    assert load().match_title("无政府性基金支出）") is None
