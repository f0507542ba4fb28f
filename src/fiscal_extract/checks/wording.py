"""A failed check said as the document says it: the figures by their printed names, unscaled, with the
arithmetic a reader would do ("the narrative says 基本支出 is 29.6 % of 支出合计; the figures give
378.4 / 1,274.4 = 29.4 %"), never the internal, scaled equation (``37200 = 37461.76``).

The sentences are data (``[wording]`` in ``catalog/data/checks.toml``); an equation names its
sentence and fills it (:attr:`~.terms.Equation.explain`), or is worded by its shape: a whole and
its parts, two figures that should agree, a part that must not exceed its whole.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from .terms import Equation, Term, decimals_of, rounded

MAX_PARTS = 8
"""Parts named one by one in a sum; more are counted."""


def num(v: Decimal) -> str:
    """A figure as a reader writes it: thousands separated, printed decimals kept."""
    return format(v, ",f")


def pct(v: Decimal, like: Decimal | None = None) -> str:
    """A computed share or rate, to the precision of the one stated (``like``; at least a tenth of a
    percent), exactly however long the figure."""
    places = 1 if like is None else max(1, decimals_of(like))
    return format(rounded(v, places), "f")


def name(t: Term) -> str:
    """A figure's printed name: table / row / column, or the narrative's subject."""
    return " / ".join(p for p in t.label.split(" / ") if p.strip())


def _where(ts: list[Term]) -> tuple[str, list[str]]:
    """What the figures share (their table, and their row or column), said once, and each one's
    name without it."""
    parts = [name(t).rsplit(" / ", 2) for t in ts]
    if len(ts) < 2 or any(len(p) != 3 for p in parts) or len({p[0] for p in parts}) != 1:
        return "", [name(t) for t in ts]
    table = parts[0][0]
    if len({p[1] for p in parts}) == 1:
        return f"in {table}, row {parts[0][1]}: ", [p[2] for p in parts]
    if len({p[2] for p in parts}) == 1:
        return f"in {table}, column {parts[0][2]}: ", [p[1] for p in parts]
    return f"in {table}: ", [f"{p[1]} / {p[2]}" for p in parts]


def _listed(names: list[str]) -> str:
    out = ", ".join(names[:MAX_PARTS])
    return out + (f" and {len(names) - MAX_PARTS} more" if len(names) > MAX_PARTS else "")


def shape(eq: Equation) -> tuple[str, dict[str, str]]:
    """The sentence an equation's shape calls for, and what fills it."""
    plus = [t for s, t in eq.terms if s > 0]
    minus = [t for s, t in eq.terms if s < 0]
    where, names = _where(plus + minus)
    lhs, rhs = names[: len(plus)], names[len(plus) :]
    fields = {"where": where, "diff": num(abs(eq.diff))}
    if eq.relation == "le":
        return "exceeds", {
            **fields, "part": " + ".join(lhs), "part_value": num(eq.actual),
            "whole": " + ".join(rhs) or "0", "whole_value": num(eq.expected),
        }
    if len(plus) == 1 and len(minus) == 1:
        a, b = plus[0], minus[0]
        return "pair", {**fields, "a": lhs[0], "a_value": num(a.value), "b": rhs[0], "b_value": num(b.value)}
    if not plus or not minus:  # one side only: figures that should be empty or 0
        said = [f"{n} {num(t.value)}" for t, n in zip(plus + minus, names, strict=True)]
        return "alone", {**fields, "figures": _listed(said)}
    if len(plus) == 1 or len(minus) == 1:
        (whole, whole_name), parts, part_names = (
            ((plus[0], lhs[0]), minus, rhs) if len(plus) == 1 else ((minus[0], rhs[0]), plus, lhs)
        )
        fields |= {"whole": whole_name, "whole_value": num(whole.value)}
        live = [(t, n) for t, n in zip(parts, part_names, strict=True) if t.value != 0]
        if not live:
            return "sum_empty", {**fields, "parts": _listed(part_names)}
        empty = len(parts) - len(live)
        figures = " + ".join(f"{n} {num(t.value)}" for t, n in live[:MAX_PARTS])
        figures += " + …" if len(live) > MAX_PARTS else ""
        return "sum", {
            **fields, "parts": figures + (f" (and {empty} empty or 0)" if empty else ""),
            "parts_value": num(eq.expected if len(plus) == 1 else eq.actual),
        }
    return "sides", {
        **fields, "lhs": _listed(lhs), "lhs_value": num(eq.actual), "rhs": _listed(rhs), "rhs_value": num(eq.expected),
    }


def statement(eq: Equation, wording: Mapping[str, str]) -> str:
    """What a failed equation says, in the document's terms (its sentence from ``wording``)."""
    key, fields = eq.explain() if eq.explain is not None else shape(eq)
    template = wording.get(key)
    if template is None:  # a catalog without the sentence (an old profile): the figures themselves
        plus = " + ".join(num(t.value) for s, t in eq.terms if s > 0) or "0"
        minus = " + ".join(num(t.value) for s, t in eq.terms if s < 0) or "0"
        return f"{plus} against {minus} (off by {num(abs(eq.diff))})"
    return template.format(**fields)
