"""Equations across tables: the same figure printed in several tables, functional classes across
tables, the same code's row in two tables that cover the same money."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from ..catalog import Catalog
from ..models import Disclosure
from ..selectors import Selector
from .index import Index
from .terms import NUMBERING, Equation, Term
from .within import code_rows


def fig_term(ix: Index, record: Disclosure, sel: Selector, plus: list[str] | None = None) -> Term | None:
    fig = ix.select(sel)
    if fig is None:
        return None
    t = ix.term(fig.table, fig.row, fig.key)
    if t is None or not plus:
        return t
    extra = [ix.term(fig.table, fig.row, k) for k in plus]
    value = t.value + sum((e.value for e in extra if e is not None), Decimal(0))
    flags = tuple(sorted(set(t.flags).union(*(e.flags for e in extra if e is not None))))
    dec = max([t.decimals] + [e.decimals for e in extra if e is not None])
    return Term(value, t.ref, dec, t.span, flags, t.label + " + " + "+".join(plus))


def _sum_term(ix: Index, record: Disclosure, specs: list[dict[str, str]]) -> Term | None:
    terms = [fig_term(ix, record, Selector.of(x)) for x in specs]
    if any(t is None for t in terms):
        return None
    ts = [t for t in terms if t is not None]
    return Term(
        sum((t.value for t in ts), Decimal(0)),
        ts[0].ref,
        0,
        ts[0].span,
        tuple(sorted(set().union(*(t.flags for t in ts)))),
        " + ".join(t.label for t in ts),
        slack=sum((t.half_unit for t in ts), Decimal(0)),
    )


def _column_sum(ix: Index, kind: str, key: str) -> Term | None:
    """Σ key over the item rows of the first table of a kind that prints it in 3+ rows."""
    for ti, t in enumerate(ix.record.tables):
        if t.kind != kind:
            continue
        cells = [(ri, ix.term(ti, ri, key)) for ri, r in enumerate(t.rows) if r.role == "item"]
        terms = [x for _, x in cells if x is not None]
        if len(terms) < 3:
            continue
        return Term(
            sum((x.value for x in terms), Decimal(0)),
            terms[0].ref,
            0,
            terms[0].span,
            tuple(sorted(set().union(*(x.flags for x in terms)))),
            f"Σ {key} of {t.title or t.kind}",
            slack=sum((x.half_unit for x in terms), Decimal(0)),
        )
    return None


def cross_equations(ix: Index) -> Iterable[Equation]:
    record = ix.record
    for spec in ix.cat.checks.get("cross", []):
        a_spec = dict(spec["a"])
        plus = a_spec.pop("plus", None)
        if a_spec.pop("sum_rows", False):
            a = _column_sum(ix, a_spec["kind"], a_spec["key"])
        else:
            a = fig_term(ix, record, Selector.of(a_spec), plus)
        bs = [
            _sum_term(ix, record, b["sum"]) if "sum" in b else fig_term(ix, record, Selector.of(b)) for b in spec["b"]
        ]
        bs = [b for b in bs if b is not None]
        if a is None or not bs:
            missing = (
                Selector.of({k: v for k, v in spec["a"].items() if k not in ("plus", "sum_rows")}).describe()
                if a is None
                else " or ".join(Selector.of(b).describe() for b in spec["b"] if "sum" not in b)
            )
            present = [t for _, t in ([(1, a)] if a is not None else []) + [(-1, b) for b in bs]]
            yield Equation(
                spec["id"],
                spec["message"],
                [(1, t) for t in present],
                skip_reason=f"no printed figure for {missing or 'one side'}",
            )
            continue
        eqs = [Equation(spec["id"], spec["message"], [(1, a), (-1, b)]) for b in bs]
        passing = [e for e in eqs if e.holds()]
        yield passing[0] if passing else eqs[0]


def class_code(cat: Catalog, name: str) -> str | None:
    n = NUMBERING.sub("", name or "").strip()
    return cat.function_code(n) or cat.function_code(n.removesuffix("支出"))


def class_totals(ix: Index, ti: int, key: str) -> dict[str, list[tuple[int, str]]]:
    """Functional class -> the cells that make its total in a classified table."""
    out = ix._class_cells.get((ti, key))
    if out is not None:
        return out
    t = ix.record.tables[ti]
    out = ix._class_cells[(ti, key)] = {}
    coded = [(ri, r) for ri, r in code_rows(t, ix.cat) if ix.cat.code_system(r.code or "") == "functional"]
    for cls_code in {(r.code or "")[:3] for _, r in coded}:
        members = [(ri, r) for ri, r in coded if (r.code or "").startswith(cls_code)]
        top = min(r.level or 9 for _, r in members)
        out[cls_code] = [(ri, key) for ri, r in members if (r.level or 9) == top]
    return out


def class_equations(ix: Index) -> Iterable[Equation]:
    record = ix.record
    for spec in ix.cat.checks.get("classes", []):
        a_tables = [i for i, t in enumerate(record.tables) if t.kind == spec["a"]["kind"]]
        b_tables = [i for i, t in enumerate(record.tables) if t.kind == spec["b"]["kind"]]
        if not a_tables or not b_tables:
            continue
        ta, tb = a_tables[0], b_tables[0]
        if spec.get("when_missing") and spec["when_missing"] in ix.printed(ta):
            continue
        if spec["a"]["key"] not in ix.printed(ta, spec["a"].get("side")):
            continue
        b_cells = class_totals(ix, tb, spec["b"]["key"])
        for ri, r in enumerate(record.tables[ta].rows):
            if r.side != spec["a"].get("side") or r.role != "item":
                continue
            code = class_code(ix.cat, r.name)
            a = ix.term(ta, ri, spec["a"]["key"])
            if a is None:
                continue  # an unprinted class line: the detailed table's own checks cover its rows
            if code is None or code not in b_cells:
                if a is not None and a.value != 0 and code is not None:
                    # a class the detailed table does not print at all (or a detailed table cut
                    # off before its first row: nothing to compare with)
                    yield Equation(
                        spec["id"],
                        spec["message"] + f" ({r.name})",
                        [(1, a), (-1, ix.zero(tb, 0, spec["b"]["key"]))],
                        None if record.tables[tb].rows else "the detailed table has no rows (cut off?)",
                    )
                continue
            cells = b_cells[code]
            terms = [ix.term(tb, ci, k) for ci, k in cells]
            if a is None and all(x is None for x in terms):
                continue
            eq_terms: list[tuple[int, Term]] = [(1, a if a is not None else ix.zero(ta, ri, spec["a"]["key"]))]
            eq_terms += [
                (-1, x if x is not None else ix.zero(tb, ci, k)) for x, (ci, k) in zip(terms, cells, strict=True)
            ]
            yield Equation(spec["id"], spec["message"] + f" ({r.name})", eq_terms)


def same_row_equations(ix: Index) -> Iterable[Equation]:
    record = ix.record
    for spec in ix.cat.checks.get("rows", []):
        ta = next((i for i, t in enumerate(record.tables) if t.kind == spec["a"]), None)
        tb = next((i for i, t in enumerate(record.tables) if t.kind == spec["b"]), None)
        if ta is None or tb is None:
            continue
        tot_a = ix.select(Selector(kind=spec["a"], role="total", key="total"))
        tot_b = ix.select(Selector(kind=spec["b"], role="total", key="total"))
        if tot_a is None or tot_b is None or tot_a.value != tot_b.value:
            continue  # the tables cover different money: rows need not agree
        rows_b = {r.code: ri for ri, r in code_rows(record.tables[tb], ix.cat)}
        for ri, r in code_rows(record.tables[ta], ix.cat):
            rj = rows_b.get(r.code)
            if rj is None:
                continue
            for k in spec["keys"]:
                a = ix.term(ta, ri, k)
                b = ix.term(tb, rj, k)
                if a is None and b is None:
                    continue
                if (a is None) != (b is None):
                    present = a or b
                    if present is not None and present.value == 0:
                        continue
                    if k not in ix.printed(ta) or k not in ix.printed(tb):
                        continue
                yield Equation(
                    spec["id"],
                    spec["message"] + f" ({r.code} {k})",
                    [(1, a or ix.zero(ta, ri, k)), (-1, b or ix.zero(tb, rj, k))],
                )
