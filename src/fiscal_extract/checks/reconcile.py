"""Mend figures the checks show were cut short by OCR, before the final check run.

A figure printed with fewer decimals than its table ("8.2" where the table prints 8.27-style
figures, "0. 1" where the total says 0.14) is completed when a failing check needs exactly a
completion of its printed digits, and every check that needs a change to it agrees on the same
completion.  Each completion is recorded as a repair; a figure no check vouches for is left as
printed (the checks then report it as an extraction failure).
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..catalog import Catalog
from ..models import Disclosure, Repair
from .run import equations
from .terms import Equation, rounded

_REF = re.compile(r"^tables\[(\d+)\]\.rows\[(\d+)\]\.values\.(\w+)$")


def complete_short_figures(record: Disclosure, cat: Catalog, eqs: list[Equation] | None = None) -> list[Repair]:
    # ref -> (needed value, that check's tolerance) for every failing check that involves it
    proposals: dict[str, list[tuple[Decimal, Decimal]]] = {}
    terms = {}
    for eq in equations(record, cat) if eqs is None else eqs:
        if eq.skip_reason is not None or eq.holds():
            continue
        for sign, t in eq.terms:
            if "short" not in t.flags or not _REF.match(t.ref):
                continue
            needed = rounded(t.value - Decimal(sign) * eq.diff, t.decimals)
            shown = format(t.value, "f")
            if needed > t.value and "." in shown:
                proposals.setdefault(t.ref, []).append((needed, eq.tolerance))
                terms[t.ref] = t
    repairs = []
    for ref, props in sorted(proposals.items()):
        # the tightest check names the value; every other check must accept it
        value = min(props, key=lambda p: p[1])[0]
        shown = format(terms[ref].value, "f")
        if not format(value, "f").startswith(shown) or any(abs(value - n) > tol for n, tol in props):
            continue  # not a completion of the printed digits, or the checks disagree: leave it
        m = _REF.match(ref)
        assert m is not None
        ti, ri, key = int(m.group(1)), int(m.group(2)), m.group(3)
        row = record.tables[ti].rows[ri]
        t = terms[ref]
        repairs.append(
            Repair(
                span=row.cells.get(key),
                original=t.printed or format(t.value, "f"),
                value=value,
                reason=f"printed {t.printed or format(t.value, 'f')!r} with fewer decimals than its table; "
                f"the checks it takes part in need {value}: completed",
                kind="completed",
                ref=ref,
            )
        )
        row.values[key] = value
    return repairs
