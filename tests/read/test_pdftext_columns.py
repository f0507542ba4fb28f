"""A multi-row header printed row by row is put back in column order, breadth first."""

from __future__ import annotations

from fiscal_extract.catalog import load
from fiscal_extract.read.pdftext_columns import Item, column_order


def _items(spec: list[tuple[str, str | None, str, str]]) -> list[Item]:
    return [Item(label, key, kind, prefix) for label, key, kind, prefix in spec]


def test_a_group_takes_its_own_subtotal_and_its_parts_from_the_next_row() -> None:
    ids = load().identities_for("general_budget_expenditure")
    items = _items(
        [
            ("合计", "total", "value", ""),
            ("基本支出", "basic", "value", ""),
            ("项目支出", "project", "value", ""),
            ("小计", "total", "sub", ""),
            ("人员经费", "personnel", "value", ""),
            ("公用经费", "public", "value", ""),
        ]
    )
    assert [k for _, k in column_order(items, ids) or []] == ["total", "basic", "personnel", "public", "project"]


def test_scopes_side_by_side_take_identical_blocks_and_prefix_their_keys() -> None:
    ids = load().identities_for("general_budget_basic_expenditure")
    block = [("小计", "total", "sub", ""), ("人员经费", "personnel", "value", ""), ("公用经费", "public", "value", "")]
    items = _items(
        [
            ("合计", "total", "value", ""),
            ("当年预算", None, "scope", ""),
            ("上年结转结余", None, "scope", "carryover_"),
            *block,
            *block,
        ]
    )
    assert [k for _, k in column_order(items, ids) or []] == [
        "total",
        "current_total",
        "personnel",
        "public",
        "carryover_total",
        "carryover_personnel",
        "carryover_public",
    ]


def test_a_total_beside_its_parts_is_a_column_not_a_banner() -> None:
    ids = load().identities_for("general_budget_expenditure")
    items = _items(
        [("合计", "total", "value", ""), ("基本支出", "basic", "value", ""), ("项目支出", "project", "value", "")]
    )
    assert column_order(items, ids) is None  # read in printed order


def test_banners_over_funding_sources_with_a_row_spanning_column_between_them() -> None:
    """总计 | 财政拨款 (小计 一般公共 政府性基金 国有资本) | 财政专户管理资金 | 单位资金 (事业收入 ... 其他收入)
    | 上年结余、结转, read row by row: the banners head no column, 财政专户 sits between the groups."""
    from fiscal_extract.read.pdftext_header import plan_header
    from fiscal_extract.read.pdftext_labels import header_labels

    cat = load()
    text = (
        "财政拨款 单位资金 支出项目类别 总计 小计 一般公共 预算拨款 政府性基金 预算拨款 国有资本经 营预算拨款 "
        "财政专户 管理资金 事业收入 事业单位 经营收入 上级补助 收入 附属单位 上缴收入 其他收入 上年结余、 结转"
    )
    labels = header_labels(cat, text)
    full = [["9,206.23", "9,206.23", "9,206.23"] + ["0.00"] * 9, ["7.00", "7.00", "5.00", "2.00"] + ["0.00"] * 8]
    plan = plan_header(cat, "classified", "general_budget_basic_expenditure", labels, 12, full)
    assert plan.keys == [
        "total", "fiscal", "gpb", "fund", "state_capital", "special_account",
        "business", "operating", "superior", "affiliated", "other", "carryover",
    ]  # fmt: skip


def test_a_total_printed_again_under_a_banner_is_the_banners_own_column() -> None:
    """总计 | 财政拨款 (合计 一般公共预算 政府性基金预算 国有资本经营预算) | 财政专户拨款 | 其他资金."""
    from fiscal_extract.read.pdftext_header import plan_header
    from fiscal_extract.read.pdftext_labels import header_labels

    cat = load()
    text = "支出项目类别 总计 财政拨款 财政专 户拨款 其他资 金 合计 一般公共预 算 政府性基金 预算 国有资本经 营预算"
    labels = header_labels(cat, text)
    full = [["1,082.05", "1,032.05", "1,032.05", "0.00", "0.00", "0.00", "50.00"]]
    plan = plan_header(cat, "project", "project_expenditure", labels, 7, full)
    assert plan.keys == ["total", "fiscal", "gpb", "fund", "state_capital", "special_account", "other_funds"]


def test_two_scopes_side_by_side_share_the_blocks_printed_last() -> None:
    """合计 | 本年财政拨款 (3 sources) | 财政拨款结转 (3 sources) | 财政专户管理资金 | 单位资金: the
    row-spanning labels print in the first row with the scopes, the sources twice below."""
    from fiscal_extract.read.pdftext_header import plan_header
    from fiscal_extract.read.pdftext_labels import header_labels

    cat = load()
    text = (
        "类 型 项目名称 项 目 单 位 合计 本年财政拨款 财政拨款结转 财政专 户管理 资金 单位资金 一级项 目 二级项 目 "
        "一般公共预 算 政府性基金预 算 国有资本经营预 算 一般公共预 算 政府性基金预 算 国有资本经 营预算"
    )
    labels = header_labels(cat, text)
    full = [["474.56", "474.56"] + ["0.00"] * 7, ["30.00", "20.00", "0.00", "0.00", "10.00"] + ["0.00"] * 4]
    plan = plan_header(cat, "project", "project_expenditure", labels, 9, full)
    assert plan.keys == [
        "total", "gpb", "fund", "state_capital", "carryover_gpb", "carryover_fund", "carryover_state_capital",
        "special_account", "unit_funds",
    ]  # fmt: skip
