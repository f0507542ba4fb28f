"""Header plans try many orders of the same column keys: pdftext_header._score with a cache kept
for one (identities, rows) pair gives what it gives without one, for every order."""

from __future__ import annotations

from decimal import Decimal
from itertools import permutations

from fiscal_extract.catalog import load
from fiscal_extract.read.pdftext_header import _score


def test_the_cache_changes_no_count() -> None:
    cat = load()
    ids = cat.identities_for("general_budget_expenditure")
    rows = [
        [Decimal("100.00"), Decimal("60.00"), Decimal("40.00"), Decimal("35.00"), Decimal("25.00")],
        [Decimal("50.00"), Decimal("50.00"), None, Decimal("30.00"), Decimal("20.00")],
        [Decimal("0"), None, None, None, None],
        [Decimal("12.00"), Decimal("2.00"), Decimal("10.00"), Decimal("1.00"), Decimal("1.00")],
    ]
    keys = ["total", "basic", "project", "personnel", "public"]
    cache: dict[tuple[object, ...], tuple[int, int]] = {}
    seen = set()
    for order in permutations(keys):
        got = _score(ids, list(order), rows, cache)
        assert got == _score(ids, list(order), rows)
        seen.add(got)
    assert len(seen) > 1  # the orders are told apart: the test can fail
    # by hand: rows 1 and 4 hold both identities, row 2 only basic = personnel + public
    assert _score(ids, keys, rows) == (5, 0)
