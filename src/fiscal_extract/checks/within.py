"""Equations within one table: totals = Σ their rows, 类 = Σ 款 = Σ 项, a unit = Σ its sub-units, the
row identities (total = basic + project ...), project groups, of-which figures, a code's column, empty notes."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from ..catalog import Catalog, Identity
from ..models import Row, Table
from ..read.numbers import MAX_DIGITS
from .index import Index
from .terms import Equation, Term


def column_rule_equations(ix: Index) -> Iterable[Equation]:
    kinds = ix.cat.checks.get("kinds", {})
    for rule in ix.cat.checks.get("column_rule", []):
        for ti, t in enumerate(ix.record.tables):
            if t.kind not in rule["kinds"] or rule["empty"] not in ix.printed(ti):
                continue
            for ri, r in enumerate(t.rows):
                if r.role != "item" or not r.code or not r.code.startswith(tuple(rule["prefixes"])):
                    continue
                x = ix.term(ti, ri, rule["empty"])
                if x is not None:
                    yield Equation(
                        "table.economic_class_column",
                        f"{kinds['table.economic_class_column']}: {r.code} {r.name} is {rule['label']}",
                        [(1, x)],
                    )


def empty_note_equations(ix: Index) -> Iterable[Equation]:
    """A note "本表无数据" under a table that prints non-zero figures: the document contradicts itself."""
    kinds = ix.cat.checks.get("kinds", {})
    for ti, t in enumerate(ix.record.tables):
        if not any(ix.cat.is_empty_note(n) for n in t.notes):
            continue
        for ri, r in enumerate(t.rows):
            if r.role != "total":
                continue
            for key, v in r.values.items():
                if v:
                    x = ix.term(ti, ri, key)
                    if x is not None:
                        yield Equation(
                            "table.note_vs_figures", f"{kinds['table.note_vs_figures']} ({t.title})", [(1, x)]
                        )
                    break
            break


# ------------------------------------------------------------------------------ builders


def _sum_eq(
    ix: Index, eid: str, msg: str, ti: int, lhs: tuple[int, str], rhs: list[tuple[int, str]], columns: set[str]
) -> Equation | None:
    """lhs = Σ rhs over cells of table ti; empty cells of printed columns count as zero."""
    term = ix.term
    lt = term(ti, *lhs)
    # a key written "-k" enters the sum with a minus sign (carry-over + income - spending = balance)
    signed: list[tuple[int, int, str, Term | None]] = []
    for ri, k in rhs:
        if k.startswith("-"):
            k = k.lstrip("-")
            signed.append((-1, ri, k, term(ti, ri, k)))
        else:
            signed.append((1, ri, k, term(ti, ri, k)))
    if lt is None and all(x is None for *_, x in signed):
        return None  # nothing printed on either side
    terms: list[tuple[int, Term]] = [(1, lt if lt is not None else ix.zero(ti, *lhs))]
    for sign, ri, k, x in signed:
        if x is not None:
            terms.append((-sign, x))
        elif k in columns:
            terms.append((-sign, ix.zero(ti, ri, k)))
    return Equation(eid, msg, terms)


def column_eqs(
    ix: Index, eid: str, msg: str, ti: int, lhs: int, rows: list[int], keys: list[str], columns: set[str]
) -> Iterable[Equation]:
    """Row lhs = Σ rows, in each column of ``keys`` of table ti (``_sum_eq`` with every cell in one
    column); empty cells of printed columns count as zero."""
    if not keys:
        return
    lhs_terms = ix.row_terms(ti, lhs)
    rows_terms = [ix.row_terms(ti, ri) for ri in rows]
    for key in keys:
        if key.startswith("-"):  # (never, for catalog keys) a signed key
            eq = _sum_eq(ix, eid, msg, ti, (lhs, key), [(ri, key) for ri in rows], columns)
            if eq is not None:
                yield eq
            continue
        lt = lhs_terms.get(key)
        rts = [terms.get(key) for terms in rows_terms]
        if lt is None and all(x is None for x in rts):
            continue  # nothing printed on either side
        terms: list[tuple[int, Term]] = [(1, lt if lt is not None else ix.zero(ti, lhs, key))]
        if key in columns:
            terms += [(-1, x if x is not None else ix.zero(ti, ri, key)) for ri, x in zip(rows, rts, strict=True)]
        else:
            terms += [(-1, x) for x in rts if x is not None]
        yield Equation(eid, msg, terms)


def row_identity_equations(ix: Index) -> Iterable[Equation]:
    """lhs = Σ rhs within each row (``_sum_eq`` over one row's cells, looked up in the row's terms)."""
    cat = ix.cat
    for ti, t in enumerate(ix.record.tables):
        # each identity with its right-hand keys: a key written "-k" enters the sum with a minus
        # sign (carry-over + income - spending = balance)
        ids = [
            (idn, [(-1 if k.startswith("-") else 1, k.lstrip("-")) for k in idn.rhs])
            for idn in cat.identities_for(t.kind)
        ]
        if not ids:
            continue
        # the identities that apply on each side of the table: lhs and enough rhs keys printed
        by_side: dict[str | None, list[tuple[Identity, list[tuple[int, str]]]]] = {}
        for ri, r in enumerate(t.rows):
            if r.role == "indicator":
                continue
            applicable = by_side.get(r.side)
            if applicable is None:
                cols = ix.printed(ti, r.side)
                applicable = by_side[r.side] = [
                    (idn, present)
                    for idn, rhs in ids
                    if idn.lhs in cols and len(present := [(sign, k) for sign, k in rhs if k in cols]) >= idn.min_terms
                ]
            if not applicable or not any(v is not None for v in r.values.values()):
                continue  # no identity applies, or the row prints nothing
            row = ix.row_terms(ti, ri)
            for idn, present in applicable:
                lt = row.get(idn.lhs)
                rts = [row.get(k) for _, k in present]
                if lt is None and all(x is None for x in rts):
                    continue  # nothing printed on either side
                # an empty cell of a printed column counts as zero
                terms: list[tuple[int, Term]] = [(1, lt if lt is not None else ix.zero(ti, ri, idn.lhs))]
                terms += [
                    (-sign, x if x is not None else ix.zero(ti, ri, k))
                    for (sign, k), x in zip(present, rts, strict=True)
                ]
                yield Equation(idn.id, idn.message, terms)


def _unit_eq_total(ix: Index, ti: int, units: list[int], tri: int, keys: list[str]) -> Iterable[Equation]:
    """A single top budget unit (the shortest unit code) carries the same figures as the total row."""
    rows = ix.record.tables[ti].rows
    shortest = min((len(rows[u].code or "") for u in units), default=0)
    top = [u for u in units if len(rows[u].code or "") == shortest]
    if len(top) != 1:
        return
    msg = ix.cat.checks.get("kinds", {})["table.unit_eq_total"]
    cols = set(keys)
    yield from column_eqs(ix, "table.unit_eq_total", msg, ti, top[0], [tri], keys, cols)


def code_rows(t: Table, cat: Catalog) -> list[tuple[int, Row]]:
    return [(ri, r) for ri, r in enumerate(t.rows) if r.role == "item" and r.code and cat.code_system(r.code)]


def classified_equations(ix: Index) -> Iterable[Equation]:
    cat = ix.cat
    kinds = cat.checks.get("kinds", {})
    for ti, t in enumerate(ix.record.tables):
        if cat.layout_of(t.kind) != "classified" or t.empty:
            continue
        keys = sorted(ix.printed(ti) - cat.unsummed_keys)  # a percent column is never summed
        cols = set(keys)
        coded = code_rows(t, cat)
        totals = [(ri, r) for ri, r in enumerate(t.rows) if r.role == "total"]
        # group totals by category (人员经费合计 = Σ 301, 303 …) or the table total
        for tri, tr in totals:
            members = [(ri, r) for ri, r in coded if tr.category is None or r.category == tr.category]
            if not members:
                units = [(ri, r) for ri, r in enumerate(t.rows) if r.role == "unit"]
                if units:
                    top = min(len(r.code or "") for _, r in units)
                    members = [(ri, r) for ri, r in units if len(r.code or "") == top]
            if not members:
                continue
            top_level = min(r.level or 9 for _, r in members)
            top = [ri for ri, r in members if (r.level or 9) == top_level]
            yield from column_eqs(
                ix, "table.total_eq_top_rows", kinds["table.total_eq_top_rows"], ti, tri, top, keys, cols
            )
            # a single top budget unit carries the same figures as the total
            units = [ri for ri, r in enumerate(t.rows) if r.role == "unit"]
            if units and tr.category is None:
                yield from _unit_eq_total(ix, ti, units, tri, keys)
        # a budget unit with sub-units (112 / 112001): the unit equals the sum of its sub-units
        unit_rows = [(ri, r) for ri, r in enumerate(t.rows) if r.role == "unit" and r.code]
        for ri, r in unit_rows:
            subs = [rj for rj, c in unit_rows if c.code != r.code and (c.code or "").startswith(r.code or "")]
            if subs:
                yield from column_eqs(
                    ix, "table.group_eq_items", kinds["table.group_eq_items"], ti, ri, subs, keys, cols
                )
        # parents and children
        # a row's children: the coded rows whose code is its own plus two digits
        children_of: dict[str, list[int]] = {}
        for ci, c in coded:
            if c.code and len(c.code) >= 2:
                children_of.setdefault(c.code[:-2], []).append(ci)
        for ri, r in coded:
            children = children_of.get(r.code or "")
            if not children:
                continue
            yield from column_eqs(
                ix, "table.parent_eq_children", kinds["table.parent_eq_children"], ti, ri, children, keys, cols
            )


def grouped_list_equations(ix: Index) -> Iterable[Equation]:
    """Project and procurement tables: total = Σ items; group rows = Σ their items."""
    cat = ix.cat
    kinds = cat.checks.get("kinds", {})
    for ti, t in enumerate(ix.record.tables):
        if cat.layout_of(t.kind) not in ("project", "procurement") or t.empty:
            continue
        keys = sorted(ix.printed(ti) - cat.unsummed_keys)
        cols = set(keys)
        totals = [ri for ri, r in enumerate(t.rows) if r.role == "total"]
        groups: list[tuple[int, list[int]]] = []
        loose: list[int] = []
        current: tuple[int, list[int]] | None = None
        for ri, r in enumerate(t.rows):
            if r.role == "subtotal":
                current = (ri, [])
                groups.append(current)
            elif r.role == "item":
                (current[1] if current is not None else loose).append(ri)
            elif r.role == "total" or (r.role == "unit" and t.kind != "procurement"):
                current = None
        for gi, members in groups:
            if not members:
                continue
            yield from column_eqs(
                ix, "table.group_eq_items", kinds["table.group_eq_items"], ti, gi, members, keys, cols
            )
        parts = loose + [m for _, members in groups for m in members]
        for tri in totals[:1]:
            if not parts:
                continue
            yield from column_eqs(
                ix, "table.total_eq_top_rows", kinds["table.total_eq_top_rows"], ti, tri, parts, keys, cols
            )
            units = [ri for ri, r in enumerate(t.rows) if r.role == "unit"]
            yield from _unit_eq_total(ix, ti, units, tri, keys)
        if t.kind == "procurement":
            for ri, r in enumerate(t.rows):
                q = r.texts.get("quantity", "").replace(",", "")
                price = ix.term(ti, ri, "unit_price")
                amount = ix.term(ti, ri, "total")
                countable = q.replace(".", "", 1).isdecimal() and len(q) <= MAX_DIGITS
                if countable and price is not None and amount is not None:
                    qd = Decimal(q)
                    scaled = Term(price.value * qd, price.ref, price.decimals, price.span, price.flags, price.label)
                    yield Equation(
                        "procurement.amount_eq_quantity_price",
                        kinds["procurement.amount_eq_quantity_price"],
                        [(1, amount), (-1, scaled)],
                    )


def of_which_equations(ix: Index) -> Iterable[Equation]:
    """ "其中：…" is part of what it follows: a row's of-which figure, and of-which columns
    (其中：财政拨款 under 一般公共预算), never exceed their whole."""
    kinds = ix.cat.checks.get("kinds", {})
    msg = kinds["table.of_which_le_whole"]
    limits = ix.cat.checks.get("of_which_columns", {})
    for ti, t in enumerate(ix.record.tables):
        printed = ix.printed(ti)
        table_limits = [(part, whole) for part, whole in limits.items() if part in printed and whole in printed]
        prev: dict[str | None, int] = {}
        for ri, r in enumerate(t.rows):
            if r.category == "of_which" and r.side in prev:
                for k in r.values:
                    part, whole = ix.term(ti, ri, k), ix.term(ti, prev[r.side], k)
                    if part is not None and whole is not None:
                        yield Equation("table.of_which_le_whole", msg, [(1, part), (-1, whole)], relation="le")
            elif r.category != "of_which":
                prev[r.side] = ri
            for part_key, whole_key in table_limits:
                if r.values.get(part_key) is None or r.values.get(whole_key) is None:
                    continue  # not both printed in this row
                part, whole = ix.term(ti, ri, part_key), ix.term(ti, ri, whole_key)
                if part is not None and whole is not None:
                    yield Equation("table.of_which_le_whole", msg, [(1, part), (-1, whole)], relation="le")
