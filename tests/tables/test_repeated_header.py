"""A table printed over several pages, its header repeated on each, as OCR reads a scan: a page
number misread ("6.", "3-") between the pages, a header word garbled on one page."""

from decimal import Decimal

from fiscal_extract.pipeline import extract_bytes

HEAD = "科目编码\t科目名称\t合计\t基本支出\t{project}\n"


def _doc(first: str, second: str, page_number: str) -> str:
    return (
        "一般公共预算支出表\n单位：万元\n"
        + HEAD.format(project=first)
        + "\t合计\t30.00\t20.00\t10.00\n"
        + "201\t一般公共服务支出\t12.00\t8.00\t4.00\n"
        + f"{page_number}\n\f\n"
        + HEAD.format(project=second)
        + "208\t社会保障和就业支出\t18.00\t12.00\t6.00\n"
    )


def _table(text: str) -> list[dict[str, Decimal | None]]:
    record = extract_bytes(text.encode())
    tables = [t for t in record.tables if t.kind == "general_budget_expenditure"]
    assert len(tables) == 1, [t.kind for t in record.tables]
    return [dict(r.values) for r in tables[0].rows]


def test_misread_page_number_between_pages_keeps_one_table() -> None:
    for number in ("6.", "3-", "·12·", "-7-"):
        rows = _table(_doc("项目支出", "项目支出", number))
        assert [r.get("total") for r in rows] == [Decimal("30.00"), Decimal("12.00"), Decimal("18.00")], number


def test_garbled_header_word_on_one_page_takes_the_clean_repeat() -> None:
    # the first page's 项目支出 is garbled beyond the catalog's aliases; the second page's is clean
    rows = _table(_doc("项目洪出", "项目支出", "-6-"))
    assert [r.get("project") for r in rows] == [Decimal("10.00"), Decimal("4.00"), Decimal("6.00")]
    # and the other way round: the clean first page's columns serve the garbled repeat
    rows = _table(_doc("项目支出", "项目洪出", "-6-"))
    assert [r.get("project") for r in rows] == [Decimal("10.00"), Decimal("4.00"), Decimal("6.00")]
