"""Read value cells: figures, empty marks, OCR debris -- with an explicit policy for each.

Policy (every change is recorded as a repair):

* a figure with damaged punctuation is read and the repair noted (see :mod:`numbers`);
* a cell that is no figure at all ("•", "ė.") is debris: dropped;
* in a table whose figures carry decimals and print zeros with them ("0.00"), a cell printed
  without decimals is off-style.  A small integer ("1", "13", "2.") there is a stray mark, not a
  figure: dropped.  A bare zero ("0", "0.") is a zero cut at the page edge when its column
  holds figures, a stray mark when the column is otherwise empty.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from ..caching import TEXT_CACHE
from .numbers import EMPTY_MARKS, MAX_DIGITS, ParsedNumber, digit_count, parse_number, too_long


class Style(NamedTuple):
    """How a table prints its figures (a named tuple: it keys the :func:`read_value` cache, and
    a tuple hashes and compares in C)."""

    decimals: int
    zeros_with_decimals: bool

    @property
    def strict(self) -> bool:
        return self.decimals > 0 and self.zeros_with_decimals


NO_STYLE = Style(0, False)


def style_of(texts: Iterable[str], fallback: Style | None = None) -> Style:
    """The dominant decimals of non-zero figures and whether zeros are printed with decimals.

    Small whole numbers (< 100, no decimals) are not counted: in a noisy table they are as
    likely stray marks as figures.  Where the table itself gives too little evidence, the
    document's style (``fallback``) decides.
    """
    decs: Counter[int] = Counter()
    zero_dec = zero_int = 0
    for t in texts:
        e = _evidence(t)
        if e is None:
            continue
        if e == _ZERO_WITH_DECIMALS:
            zero_dec += 1
        elif e == _BARE_ZERO:
            zero_int += 1
        else:
            decs[e] += 1
    if zero_dec or zero_int:
        zeros_with_decimals = zero_dec > zero_int
    else:
        zeros_with_decimals = fallback.zeros_with_decimals if fallback else False
    if sum(decs.values()) < 3 and fallback is not None:
        return Style(fallback.decimals, zeros_with_decimals)
    if not decs:
        return Style(0, zeros_with_decimals)
    top = max(decs.items(), key=lambda kv: (kv[1], kv[0]))[0]
    return Style(top, zeros_with_decimals)


_ZERO_WITH_DECIMALS = -1
_BARE_ZERO = -2


@lru_cache(maxsize=TEXT_CACHE)
def _evidence(text: str) -> int | None:
    """What one cell tells :func:`style_of`: the decimals of a counted non-zero figure,
    ``_ZERO_WITH_DECIMALS`` ("0.00"), ``_BARE_ZERO`` ("0"), or None (no evidence)."""
    p = parse_number(text)
    if p is None:
        return None
    if p.value == 0:
        if p.decimals > 0:
            return _ZERO_WITH_DECIMALS
        return None if p.trailing_point else _BARE_ZERO
    if p.trailing_point or (p.decimals == 0 and abs(p.value) < 100):
        return None
    return p.decimals


@dataclass(frozen=True)
class CellValue:
    value: Decimal | None
    parsed: ParsedNumber | None
    repair: str | None = None
    """Why the printed text was changed (None when read as printed)."""
    kind: str = "number"
    dropped: bool = False
    short: bool = False
    """Printed with fewer decimals than the table uses (a figure possibly cut short)."""


@lru_cache(maxsize=TEXT_CACHE)
def read_value(text: str, style: Style, column_has_figures: bool) -> CellValue:
    """Apply the cell policy to one value cell's (folded) text."""
    t = text.strip()
    if t in EMPTY_MARKS:
        return CellValue(None, None)
    if t.endswith("%") and (pct := parse_number(t[:-1])) is not None and pct.repair is None:
        # a rate column (增减(%)): the number as printed, in percent
        return CellValue(pct.value, pct)
    p = parse_number(t)
    if p is None and too_long(t):
        shown = t if len(t) <= 30 else f"{t[:12]}…{t[-6:]}"
        return CellValue(None, None, f"{digit_count(t)} digits in {shown!r}: more than an amount has "
                         f"({MAX_DIGITS} at most), not read as a figure", "too_long", dropped=True)
    if p is None:
        return CellValue(None, None, f"unreadable cell {t!r} is not a figure: dropped", "debris", dropped=True)
    if style.strict and p.decimals == 0:
        if p.value == 0:
            if column_has_figures:
                return CellValue(
                    Decimal(0).scaleb(-style.decimals),
                    p,
                    f"zero printed as {t!r} where the table prints {Decimal(0).scaleb(-style.decimals)}: read as zero",
                    "truncated_zero",
                )
            return CellValue(None, p, f"stray {t!r} in an otherwise empty column: dropped", "noise", dropped=True)
        if abs(p.value) < 100:
            return CellValue(
                None,
                p,
                f"stray {t!r} without the table's {style.decimals} decimals: dropped as OCR noise",
                "noise",
                dropped=True,
            )
    if style.strict and p.value == 0 and p.decimals < style.decimals:
        zero = Decimal(0).scaleb(-style.decimals)
        if column_has_figures:
            return CellValue(
                zero,
                p,
                f"zero printed as {t!r} (cut short) where the table prints {zero}: read as zero",
                "truncated_zero",
            )
        return CellValue(None, p, f"stray {t!r} in an otherwise empty column: dropped", "noise", dropped=True)
    short = 0 < p.decimals < style.decimals
    return CellValue(p.value, p, p.repair, "number", short=short)
