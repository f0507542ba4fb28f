"""Parse figures as OCR prints them.

Damage handled (each leaves a reason, so the repair can be recorded):

* a space around the decimal point: ``447. 48`` -> 447.48
* a comma or colon used as the decimal point: ``8, 27`` / ``4,68`` / ``0:00`` -> 8.27 / 4.68 / 0.00
* a trailing point with no decimals: ``0.`` -> 0
* thousands separators are formatting, not damage: ``1,265.6`` -> 1265.6

Input is expected to be width-folded already (``１２.５`` -> ``12.5``, see :mod:`normalize`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from ..caching import TEXT_CACHE

MAX_DIGITS = 18
"""An amount has at most this many digits (10^16 万元 is beyond any budget); a longer run of digits
is a code, a number run together or damage -- never read as an amount."""

EMPTY_MARKS = frozenset({"", "-", "--", "—", "——", "－", "/", "／", "\\", "–"})

_THOUSANDS = re.compile(r"(-?)(\d{1,3}(?:,\d{3})+)(?:\.(\d+))?")
_PLAIN = re.compile(r"(-?)(\d+)(?:(\s*)([.,:;：；])(\s*)(\d+))?(\s*\.)?")
_SEP_NAMES = {",": "comma", ":": "colon", "：": "colon", ";": "semicolon", "；": "semicolon"}


@dataclass(frozen=True, slots=True)
class ParsedNumber:
    """A figure read from text: its value, the decimals printed and any repair made."""

    value: Decimal
    decimals: int
    repair: str | None = None
    trailing_point: bool = False

    @property
    def is_integer_form(self) -> bool:
        """Printed without decimals (``5``, ``13``) or with a bare trailing point (``2.``)."""
        return self.decimals == 0


@lru_cache(maxsize=TEXT_CACHE)
def parse_number(text: str) -> ParsedNumber | None:
    """Read one figure from a cell's text; ``None`` when it is not a figure at all."""
    s = text.strip()
    if not s or too_long(s):
        return None
    m = _THOUSANDS.fullmatch(s)
    if m:
        sign, whole, frac = m.groups()
        digits = whole.replace(",", "")
        lit = f"{sign}{digits}.{frac}" if frac else f"{sign}{digits}"
        return ParsedNumber(Decimal(lit), len(frac) if frac else 0)
    m = _PLAIN.fullmatch(s)
    if not m:
        return None
    sign, whole, sp1, sep, sp2, frac, trail = m.groups()
    if sep is None:
        if trail:
            return ParsedNumber(Decimal(sign + whole), 0, "trailing point dropped", trailing_point=True)
        return ParsedNumber(Decimal(sign + whole), 0)
    if trail:
        # "1.2." or "1,2." is not a number we can trust
        return None
    spaced = bool(sp1 or sp2)
    if sep == "." and not spaced:
        return ParsedNumber(Decimal(f"{sign}{whole}.{frac}"), len(frac))
    if sep == "," and not spaced and len(frac) == 3:
        # "1,265" is a thousands separator, not a decimal comma
        return ParsedNumber(Decimal(f"{sign}{whole}{frac}"), 0)
    reasons = []
    if sep != ".":
        reasons.append(f"{_SEP_NAMES.get(sep, sep)} read as decimal point")
    if spaced:
        reasons.append("space inside number removed")
    return ParsedNumber(Decimal(f"{sign}{whole}.{frac}"), len(frac), "; ".join(reasons))


_IN_TEXT = re.compile(r"-?\d+(?:,\d{3})*(?:\s?[.．]\s?\d+)?")


def parse_text_amount(text: str) -> Decimal | None:
    """Read a figure inside narrative text (``447. 48`` allowed, decimal commas not)."""
    m = _IN_TEXT.search(text)
    if not m or too_long(m.group(0)):
        return None
    lit = re.sub(r"[\s,]", "", m.group(0)).replace("．", ".")
    return Decimal(lit)


def digit_count(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


def too_long(text: str) -> bool:
    """More digits than an amount can have (:data:`MAX_DIGITS`): the text is not an amount."""
    return len(text) > MAX_DIGITS and digit_count(text) > MAX_DIGITS


def format_decimal(value: Decimal) -> str:
    """Render a Decimal without exponent notation (``Decimal('2E+3')`` -> ``2000``)."""
    s = format(value, "f")
    return s
