"""OCR's look-alike characters fold to the header word they stand for (titles and headers only)."""

from __future__ import annotations

from fiscal_extract.catalog import load


def test_ocr_look_alikes_of_xiang_fold_in_a_title():
    """OCR of a printed 项目 reads 頂目 (and a traditional 項目): the project table's title still matches."""
    cat = load()
    want = cat.match_title("项目支出预算表").kind
    assert want is not None
    for printed in ("頂目支出预算表", "項目支出预算表"):
        assert cat.norm(printed) == cat.norm("项目支出预算表")
        assert cat.match_title(printed).kind == want
