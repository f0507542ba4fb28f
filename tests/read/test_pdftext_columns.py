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
