"""Narrative against tables: the totals, parts, classes, shares ("占36.2%") and year-on-year changes
("增加152.1万元，增长40.8%") the text states, each an equation with the tables' figures."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal

from ..models import Disclosure, NarrativeFact
from ..selectors import Selector
from .across import class_totals, fig_term
from .index import Index
from .terms import Equation, Term, decimals_of
from .wording import name as printed_name
from .wording import num, pct

# ------------------------------------------------------------------------------ narrative


def _fact_term(f: NarrativeFact, n: int, what: str = "value") -> Term | None:
    v = f.value if what == "value" else f.share
    if v is None:
        return None
    return Term(v, f"narrative.facts[{n}].{what}", decimals_of(v), f.span, (), f"narrative {f.subject}{v}")


def _named(ix: Index, record: Disclosure, name: str) -> Term | None:
    if name.startswith("summary."):
        path = name.split(".")[1:]
        ref = record.summary.refs.get(".".join(path))
        if ref is None:
            return None
        t = ix.term(ref.table, ref.row, ref.key)
        if t is not None and record.tables[ref.table].unit == "元" and record.meta.unit == "万元":
            t = Term(t.value / Decimal(10000), t.ref, t.decimals + 4, t.span, t.flags, t.label)
        return t
    if name.startswith("table:"):
        _, kind, role, key, *row_name = name.split(":")  # (optionally the row's name: "…:总分")
        sel = Selector(kind=kind, role=role or None, key=key, name=row_name[0] if row_name else None)
        return fig_term(ix, record, sel)
    return None


def narrative_equations(ix: Index) -> Iterable[Equation]:
    record = ix.record
    kinds = ix.cat.checks.get("kinds", {})
    spec = ix.cat.checks.get("narrative", {})
    figures = spec.get("figures", {})
    bases = spec.get("share_base", {})
    unit = record.meta.unit
    facts = record.narrative.facts
    first_by_key: dict[str, tuple[int, NarrativeFact]] = {}
    for n, f in enumerate(facts):
        first_by_key.setdefault(f.key, (n, f))
    for n, f in enumerate(facts):
        if f.value is None or f.span is None:
            continue
        ft = _fact_term(f, n)
        if ft is None:
            continue
        if f.unit == "元" and unit == "万元":
            ft = Term(ft.value / Decimal(10000), ft.ref, ft.decimals + 4, ft.span, ft.flags, ft.label)
        # the figure in the tables
        target = None
        for name in figures.get(f.key, []):
            target = _named(ix, record, name)
            if target is not None:
                break
        if f.key == "function_class" and f.code:
            target = _class_term(ix, f.code)
        if target is not None:
            yield Equation(
                "narrative.figure",
                kinds["narrative.figure"] + f" ({f.key})",
                [(1, ft), (-1, target)],
                explain=_says_figure(f, ft, target),
            )
        else:
            yield Equation(
                "narrative.figure",
                kinds["narrative.figure"] + f" ({f.key})",
                [(1, ft)],
                skip_reason="no table prints this figure",
            )
        # the stated share
        if f.share is not None:
            base, base_name = None, ""
            for bkey in bases.get(f.key, []):
                hit = first_by_key.get(bkey)
                if hit is not None and hit[1].value:
                    base, base_name = _fact_term(hit[1], hit[0]), hit[1].subject
                    break
                named = _named(ix, record, f"summary.{bkey}")
                if named is not None and named.value:
                    base, base_name = named, named.label
                    break
            if base is not None:
                yield _share_eq(kinds["narrative.share"] + f" ({f.key})", f, n, ft, base, base_name)
        if f.change is not None:
            yield from _change_eqs(kinds["narrative.change"] + f" ({f.key})", f, n, ft)
    # the classes the narrative lists add up to the general-budget total it states
    classes = [(n, f) for n, f in enumerate(facts) if f.key == "function_class" and f.value is not None]
    total = first_by_key.get("gpb_expenditure")
    if len(classes) >= 2 and total is not None and total[1].value is not None:
        tt = _fact_term(total[1], total[0])
        terms = [(-1, t) for n, f in classes if (t := _fact_term(f, n)) is not None]
        if tt is not None:
            yield Equation(
                "narrative.sum_of_classes",
                kinds["narrative.sum_of_classes"],
                [(1, tt), *terms],
                explain=_says_classes(total[1], tt, [t for _, t in terms], [f for _, f in classes]),
            )


def _class_term(ix: Index, code: str) -> Term | None:
    record = ix.record
    for kind in ("general_budget_expenditure", "expenditure_overview"):
        tis = [i for i, t in enumerate(record.tables) if t.kind == kind]
        if not tis:
            continue
        cells = class_totals(ix, tis[0], "total").get(code)
        if not cells:
            continue
        terms = [ix.term(tis[0], ri, k) for ri, k in cells]
        terms = [t for t in terms if t is not None]
        if not terms:
            continue
        value = sum((t.value for t in terms), Decimal(0))
        flags = tuple(sorted(set().union(*(t.flags for t in terms))))
        d = max(t.decimals for t in terms)
        slack = (
            None
            if len(terms) == 1
            else min(sum((t.half_unit for t in terms), Decimal(0)), Decimal(1).scaleb(-d) * (1 + len(terms) // 10))
        )
        return Term(
            value, terms[0].ref, d, terms[0].span, flags, f"class {code} in {record.tables[tis[0]].title}", slack=slack
        )
    return None


def _share_eq(msg: str, f: NarrativeFact, n: int, value: Term, base: Term, base_name: str) -> Equation:
    """value / base × 100 = share, checked as value × 100 = share × base with interval slack."""
    share = f.share or Decimal(0)
    share_half = Decimal(5).scaleb(-decimals_of(share) - 1)
    t1 = Term(
        value.value * 100, value.ref, 0, value.span, value.flags, value.label + " × 100", slack=value.half_unit * 100
    )
    t2 = Term(
        share * base.value,
        f"narrative.facts[{n}].share",
        0,
        f.span,
        base.flags,
        f"{share}% × {base.label}",
        slack=share_half * base.value + base.half_unit * share,
    )
    def explain() -> tuple[str, dict[str, str]]:
        computed = value.value / base.value * 100
        return "narrative.share", {
            "subject": f.subject, "share": str(share), "base": base_name, "value": num(value.value),
            "base_value": num(base.value), "computed": pct(computed, share),
        }

    return Equation("narrative.share", msg, [(1, t1), (-1, t2)], explain=explain)


def _change_eqs(msg: str, f: NarrativeFact, n: int, value: Term) -> Iterable[Equation]:
    c = f.change
    if c is None or c.direction == "flat" or c.amount is None:
        return
    sign = 1 if c.direction == "increase" else -1
    amount = Term(
        c.amount,
        f"narrative.facts[{n}].change.amount",
        decimals_of(c.amount),
        c.span or f.span,
        (),
        f"change {c.amount}",
    )
    if c.previous is not None:
        prev = Term(
            c.previous,
            f"narrative.facts[{n}].change.previous",
            decimals_of(c.previous),
            c.span or f.span,
            (),
            f"previous {c.previous}",
        )
        yield Equation(
            "narrative.change",
            msg + ": value - previous = change",
            [(1, value), (-1, prev), (-sign, amount)],
            explain=lambda: ("narrative.change_previous", {
                **_change_fields(f, value), "previous": num(prev.value), "computed": num(value.value - prev.value),
            }),
        )
    if c.percent is not None:
        previous = value.value - sign * c.amount
        if previous > 0:
            pct_half = Decimal(5).scaleb(-decimals_of(c.percent) - 1)
            chg = Term(
                c.amount * 100, amount.ref, 0, amount.span, (), f"change {c.amount} × 100", slack=amount.half_unit * 100
            )
            pct_term = Term(
                c.percent * previous,
                f"narrative.facts[{n}].change.percent",
                0,
                c.span or f.span,
                (),
                f"{c.percent}% of previous {previous}",
                slack=pct_half * previous + (amount.half_unit + value.half_unit) * c.percent,
            )
            computed = pct(c.amount / previous * 100, c.percent)
            said = {**_change_fields(f, value), "previous": num(previous), "computed": computed}
            yield Equation(
                "narrative.change",
                msg + ": percent = change / previous",
                [(1, chg), (-1, pct_term)],
                explain=lambda: ("narrative.change_percent", said),
            )


def _change_fields(f: NarrativeFact, value: Term) -> dict[str, str]:
    c = f.change
    assert c is not None and c.amount is not None
    return {
        "subject": f.subject, "went": "rose" if c.direction == "increase" else "fell", "amount": num(c.amount),
        "percent": "" if c.percent is None else str(c.percent), "value": num(value.value),
    }


def _says_figure(f: NarrativeFact, said: Term, target: Term) -> Callable[[], tuple[str, dict[str, str]]]:
    return lambda: ("narrative.figure", {
        "subject": f.subject, "value": num(said.value), "where": printed_name(target), "target": num(target.value),
        "diff": num(abs(said.value - target.value)),
    })


def _says_classes(
    total: NarrativeFact, tt: Term, parts: list[Term], classes: list[NarrativeFact]
) -> Callable[[], tuple[str, dict[str, str]]]:
    def explain() -> tuple[str, dict[str, str]]:
        added = sum((t.value for t in parts), Decimal(0))
        return "narrative.sum_of_classes", {
            "total": total.subject, "total_value": num(tt.value), "parts_value": num(added),
            "figures": " + ".join(f"{c.subject} {num(t.value)}" for c, t in zip(classes, parts, strict=False)),
            "diff": num(abs(tt.value - added)),
        }

    return explain
