"""Evaluating one equation: pass, fail or skip, and a failure's cause (extraction, source, unknown) --
the OCR re-readings of a figure that would make it hold."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from ..models import CheckResult
from .terms import CONFUSED, Equation, Term, rounded
from .wording import statement

# ------------------------------------------------------------------------------ evaluation


def readings(text: str) -> set[Decimal]:
    """Figures a damaged print could stand for: its digits with the point anywhere (or none)."""
    digits = "".join(ch for ch in text if ch.isdigit())
    if not digits or len(digits) > 15:
        return set()
    out = {Decimal(digits)}
    for i in range(1, len(digits)):
        out.add(Decimal(f"{digits[:i]}.{digits[i:]}"))
    return out


def implicated(t: Term, needed: Decimal, tol: Decimal) -> str | None:
    """Why a figure, read differently, could be what makes a check fail (``None``: it cannot)."""
    if "llm" in t.flags:
        return "read by the model"
    if "realigned" in t.flags:
        return "in a row put back by arithmetic (a column shift, or empty cells dropped by the PDF text)"
    shown = format(t.value, "f")
    wanted = format(needed, "f")
    if ("short" in t.flags or "repaired" in t.flags) and needed > t.value and wanted.startswith(shown) and "." in shown:
        return f"printed {t.printed or shown!r}, possibly cut short of {wanted}"
    if (
        "repaired" in t.flags
        and t.printed
        and any(abs(alt - needed) <= tol for alt in readings(t.printed) if alt != t.value)
    ):
        return f"printed {t.printed!r}, which could also be read as {wanted}"
    return None


def _plausible_rereading(eq: Equation) -> str | None:
    """One figure read differently by a common OCR confusion that would make the check hold."""
    diff = eq.diff
    for sign, t in eq.terms:
        if "empty" in t.flags:
            continue
        needed = t.value - Decimal(sign) * diff
        if needed < 0:
            continue
        a = format(t.value, "f")
        b = format(rounded(needed, t.decimals) if t.decimals else needed, "f")
        if len(a) == len(b):
            changed = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
            if len(changed) == 1 and frozenset(changed[0]) in CONFUSED:
                return f"{t.label}: {a} read as {b} would make it hold (a common OCR confusion)"
        if b.startswith(a) and len(b) > len(a) and "." in a:
            return f"{t.label}: {a} completed to {b} would make it hold (a figure cut short)"
    return None


_check_result: Callable[[dict[str, Any]], CheckResult] = CheckResult.__pydantic_validator__.validate_python
"""A check result validated from its fields as a dict: the same model as ``CheckResult(**fields)``
without pydantic's Python-level ``__init__`` (a third cheaper; some 400 results per document)."""


def evaluate(eq: Equation, wording: Mapping[str, str] | None = None) -> CheckResult:
    """Pass, fail or skip; a failure says what disagrees in the document's terms (``wording``: the
    catalog's sentences, ``[wording]`` in checks.toml)."""
    refs = [t.ref for _, t in eq.terms]
    if eq.skip_reason is not None:
        return _check_result(
            {"id": eq.id, "status": "skip", "message": f"{eq.message}: {eq.skip_reason}", "refs": refs}
        )
    expected, actual, tol = eq.expected, eq.actual, eq.tolerance
    if eq.holds(tol):
        return _check_result(
            {
                "id": eq.id,
                "status": "pass",
                "message": eq.message,
                "expected": expected,
                "actual": actual,
                "tolerance": tol,
                "refs": refs,
            }
        )
    flagged = [(t, why) for s, t in eq.terms if (why := implicated(t, t.value - Decimal(s) * eq.diff, tol))]
    what = statement(eq, wording or {})
    if flagged:
        cause = "extraction"
        why = "; ".join(f"{t.label}: {w}" for t, w in flagged)
    elif any(t.span is None for _, t in eq.terms):
        cause, why = "unknown", "a figure without provenance is involved"
    else:
        reread = _plausible_rereading(eq)
        cause, why = ("extraction", reread) if reread else ("source", "the figures as printed disagree")
    return CheckResult(
        id=eq.id,
        status="fail",
        message=f"{eq.message}: {what}; {why}",
        expected=expected,
        actual=actual,
        tolerance=tol,
        cause=cause,
        refs=refs,
    )  # type: ignore[arg-type]
