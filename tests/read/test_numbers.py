from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fiscal_extract.fold import fold
from fiscal_extract.read.numbers import parse_number


@pytest.mark.parametrize(
    ("text", "value", "decimals", "repaired"),
    [
        ("447.48", "447.48", 2, False),
        ("447. 48", "447.48", 2, True),
        ("8, 27", "8.27", 2, True),
        ("4,68", "4.68", 2, True),
        ("54, 00", "54.00", 2, True),
        ("0:00", "0.00", 2, True),
        ("0.", "0", 0, True),
        ("1,265.6", "1265.6", 1, False),
        ("1,265", "1265", 0, False),
        ("2000000.00", "2000000.00", 2, False),
        ("-3.5", "-3.5", 1, False),
        ("0. 1", "0.1", 1, True),
    ],
)
def test_ocr_number_forms(text, value, decimals, repaired):
    p = parse_number(text)
    assert p is not None
    assert p.value == Decimal(value)
    assert str(p.value) == value  # exact digits, not just an equal number
    assert p.decimals == decimals
    assert (p.repair is not None) == repaired


def test_full_width_digits_after_folding():
    p = parse_number(fold("１２．５"))
    assert p is not None and p.value == Decimal("12.5")


@pytest.mark.parametrize("text", ["", "•", "ė.", "—", "abc", "1.2.3", "12%", "≥90%"])
def test_not_a_number(text):
    assert parse_number(text) is None


amounts = st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False, allow_infinity=False)


@given(amounts, st.sampled_from(["plain", "space", "comma", "colon", "full"]))
def test_damaged_forms_round_trip(value: Decimal, damage: str):
    text = format(value, "f")
    whole, frac = text.split(".")
    damaged = {
        "plain": text,
        "space": f"{whole}. {frac}",
        "comma": f"{whole}, {frac}",
        "colon": f"{whole}:{frac}",
        "full": fold(text.translate(str.maketrans("0123456789.", "０１２３４５６７８９．"))),
    }[damage]
    p = parse_number(damaged)
    assert p is not None
    assert p.value == value and p.decimals == 2


@given(st.integers(min_value=1000, max_value=10**9), st.sampled_from(["", ".5", ".25"]))
def test_thousands_separators_are_formatting(n: int, frac: str):
    text = f"{n:,}{frac}"
    p = parse_number(text)
    assert p is not None
    assert p.value == Decimal(f"{n}{frac}")
    assert p.repair is None
