"""Performance tables (绩效目标表 / 绩效自评表) checked as exactly as the money: within one form,
the execution rate against the funds it divides (执行率 = 全年执行数 / 全年预算数), the rate's score
(得分 = 分值 × 执行率), every score within its weight, the 总分 against the scores above it, the
funds total against its sources; across tables, a form's funds against its line in the summary
table (自评汇总表) and a project's amount against the project table.

Which rows are funds totals and which equations run is data (``perf.toml`` words,
``checks.toml`` kinds); this module only walks the forms."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from decimal import Decimal, InvalidOperation

from ..models import Row, Table
from .index import Index
from .terms import Equation, Term, decimals_of

_PERCENT = re.compile(r"^(-?\d+(?:\.\d+)?)%$")
_FUNDS = ("initial_budget", "full_year_budget", "executed")
_HUNDRED = Decimal(100)
_ZERO = Decimal(0)


def performance_equations(ix: Index) -> Iterable[Equation]:
    """Every equation the performance tables of a record print."""
    kinds = ix.cat.checks.get("kinds", {})
    totals = {ix.cat.norm(w) for w in ix.cat.perf_words.get("funds_totals", [])}
    for ti, t in enumerate(ix.record.tables):
        if ix.cat.layout_of(t.kind) != "performance":
            continue
        for ri, r in enumerate(t.rows):
            yield from _rate_equations(ix, kinds, ti, ri, r)
            score, weight = ix.term(ti, ri, "score"), ix.term(ti, ri, "weight")
            if score is not None and weight is not None and not _is_score_total(r):
                msg = kinds["perf.score_le_weight"]
                yield Equation("perf.score_le_weight", msg, [(1, score), (-1, weight)], relation="le")
        yield from _total_score_equations(ix, kinds, ti, t)
        yield from _funds_equations(ix, kinds, ti, t, totals)
        yield from _budget_block_equations(ix, kinds, ti, t, totals)
        yield from _group_total_equations(ix, kinds, ti, t)
        yield from _difference_equations(ix, kinds, ti, t)
    yield from _summary_equations(ix, kinds, totals)
    yield from _project_equations(ix, kinds)


def _is_score_total(r: Row) -> bool:
    return r.role == "total" and r.name.startswith("总分")


def rate_of(r: Row) -> tuple[Decimal, int] | None:
    """The execution rate a row prints (percent, and its printed decimals), ``None`` when it prints none."""
    text = r.texts.get("rate") or r.texts.get("execution_rate")
    if not text:
        return None
    m = _PERCENT.match(text.replace(" ", "").replace("％", "%"))
    if m is None:
        return None
    try:
        v = Decimal(m.group(1))
    except InvalidOperation:
        return None
    return v, decimals_of(v)


def _rate_equations(ix: Index, kinds: dict[str, str], ti: int, ri: int, r: Row) -> Iterator[Equation]:
    rate = rate_of(r)
    if rate is None:
        return
    pct, dec = rate
    budget, executed = ix.term(ti, ri, "full_year_budget"), ix.term(ti, ri, "executed")
    half = Decimal(5).scaleb(-dec - 1)
    label = f"{ix.record.tables[ti].title or ix.record.tables[ti].kind} / {r.name} / 执行率 {pct}%"
    span = r.span
    ref = f"tables[{ti}].rows[{ri}].texts.{'rate' if r.texts.get('rate') else 'execution_rate'}"
    if budget is not None and executed is not None and budget.value == 0 and executed.value == 0:
        # nothing budgeted, nothing spent: the rate is printed 0 (0.00%)
        printed = Term(pct, ref, dec, span, (), label, _ZERO)
        yield Equation("perf.rate", kinds["perf.rate"], [(1, printed)])
    if budget is not None and executed is not None and budget.value != 0:
        # executed = budget × rate, within the rate's rounding (and the budget's)
        slack = budget.value * half / _HUNDRED + pct / _HUNDRED * budget.half_unit
        derived = Term(budget.value * pct / _HUNDRED, ref, dec, span, (), label, slack)
        yield Equation("perf.rate", kinds["perf.rate"], [(1, executed), (-1, derived)])
    weight, score = ix.term(ti, ri, "weight"), ix.term(ti, ri, "score")
    if weight is not None and score is not None and not _is_score_total(r):
        slack = weight.value * half / _HUNDRED + score.half_unit
        derived = Term(weight.value * pct / _HUNDRED, ref, dec, span, (), label, slack)
        yield Equation("perf.rate_score", kinds["perf.rate_score"], [(1, score), (-1, derived)])


def _forms(t: Table) -> Iterator[tuple[int, int]]:
    """(first row, 总分 row) of each form in a table (a form ends at its 总分)."""
    start = 0
    for ri, r in enumerate(t.rows):
        if _is_score_total(r):
            yield start, ri
            start = ri + 1


def _total_score_equations(ix: Index, kinds: dict[str, str], ti: int, t: Table) -> Iterator[Equation]:
    for start, end in _forms(t):
        # a form whose first page is not printed (no funds block above its indicators) shows only
        # some of the scores its 总分 adds up
        whole = any(k in t.rows[ri].values for ri in range(start, end) for k in _FUNDS)
        for key, kind in (("score", "perf.total_score"), ("weight", "perf.total_weight")):
            total = ix.term(ti, end, key)
            parts = [p for ri in range(start, end) if (p := ix.term(ti, ri, key)) is not None]
            if total is None or not parts:
                continue
            skip = None if whole else "the form's first page (funds, 资金管理情况) is not printed"
            # scores and weights are awarded as printed, not rounded from something finer: the parts
            # add up exactly, and only the 总分 may be rounded (99.96 printed 100)
            exact = [(-1, p._replace(slack=_ZERO)) for p in parts]
            yield Equation(kind, kinds[kind], [(1, total._replace(slack=total.half_unit)), *exact], skip_reason=skip)


def _funds_equations(ix: Index, kinds: dict[str, str], ti: int, t: Table, totals: set[str]) -> Iterator[Equation]:
    """年度资金总额 = Σ the sources printed under it (财政拨款, 财政专户管理资金, 单位资金 …)."""
    rows = t.rows
    for ri, r in enumerate(rows):
        if ix.cat.norm(r.name) not in totals:
            continue
        numbered = ri + 1 < len(rows) and _NUMBERED.match(rows[ri + 1].name) is not None
        keys = _FUNDS if numbered else (*_FUNDS, "amount")  # a numbered 预算情况 block: _budget_block_equations
        sources = []
        for rj in range(ri + 1, len(rows)):
            s = rows[rj]
            if s.role == "indicator" or ix.cat.norm(s.name) in totals:
                break
            if any(k in s.values for k in keys):
                sources.append(rj)
            elif s.values or (sources and not s.name):
                break  # the next part of the form (资金管理情况 …)
        if not sources:
            continue
        for key in keys:
            total = ix.term(ti, ri, key)
            if total is None:
                continue
            parts = [p for rj in sources if (p := ix.term(ti, rj, key)) is not None]
            if not parts:
                continue
            msg = kinds["perf.funds_total"] + f" ({key})"
            yield Equation("perf.funds_total", msg, [(1, total), *[(-1, p) for p in parts]])


_UNIT_SUFFIX = re.compile(r"[(（][^()（）]*[)）]$")
_GROUP_HEAD = re.compile(r"^\d+[、.]")
_FIRST = re.compile(r"^[(（]1[)）]")
_NUMBERED = re.compile(r"^(?:\d+[、.]|[(（]\d+[)）])")


def _budget_block_equations(
    ix: Index, kinds: dict[str, str], ti: int, t: Table, totals: set[str]
) -> Iterator[Equation]:
    """预算情况: 部门预算总额 = Σ 1、资金来源 (（1）…（3）) = Σ 2、资金结构 (（1）基本支出, （2）项目支出)."""
    rows = t.rows
    for ri, r in enumerate(rows):
        total = ix.term(ti, ri, "amount")
        if total is None or ix.cat.norm(_UNIT_SUFFIX.sub("", r.name)) not in totals:
            continue
        groups: list[list[int]] = []
        for rj in range(ri + 1, len(rows)):
            s = rows[rj]
            if not _NUMBERED.match(s.name) or any(k != "amount" for k in s.values):
                break
            if _GROUP_HEAD.match(s.name) or _FIRST.match(s.name) or not groups:
                groups.append([])
            groups[-1].append(rj)
        for group in groups:
            parts = [p for rj in group if (p := ix.term(ti, rj, "amount")) is not None]
            if parts:
                msg = kinds["perf.funds_total"] + f" ({rows[group[0]].name[:8]})"
                yield Equation("perf.funds_total", msg, [(1, total), *[(-1, p) for p in parts]])


def _group_total_equations(ix: Index, kinds: dict[str, str], ti: int, t: Table) -> Iterator[Equation]:
    """A 合计 row of a form's funds (收入构成 / 支出构成) = Σ the rows above it, back to the last 合计
    (or to a row that is not of the block: no figures, or figures in other columns)."""
    rows = t.rows
    funds = _funds_names(ix)
    for ri, r in enumerate(rows):
        if not r.values or r.role != "total" or r.name.startswith("总分") or ix.cat.norm(r.name) in funds:
            continue
        keys = {k for k, v in r.values.items() if v is not None} - {"weight", "score"}
        above: list[int] = []
        for rj in range(ri - 1, -1, -1):
            s = rows[rj]
            printed = {k for k, v in s.values.items() if v is not None}
            if s.role == "total" or not printed or not printed <= keys:
                break
            above.append(rj)
        for key in sorted(keys):
            total = ix.term(ti, ri, key)
            parts = [p for rj in reversed(above) if (p := ix.term(ti, rj, key)) is not None]
            if total is not None and parts:
                msg = kinds["perf.group_total"] + f" ({key})"
                yield Equation("perf.group_total", msg, [(1, total), *[(-1, p) for p in parts]])


def _funds_names(ix: Index) -> set[str]:
    return {ix.cat.norm(w) for w in ix.cat.perf_words.get("funds_totals", [])}


def _difference_equations(ix: Index, kinds: dict[str, str], ti: int, t: Table) -> Iterator[Equation]:
    """A change column is the difference of the two it compares (预算增减变化 = C - D)."""
    for spec in ix.cat.checks.get("perf_difference", []):
        for ri, _ in enumerate(t.rows):
            a, b, d = (ix.term(ti, ri, spec[k]) for k in ("whole", "less", "equals"))
            if a is not None and b is not None and d is not None:
                yield Equation("perf.difference", kinds["perf.difference"], [(1, a), (-1, b), (-1, d)])


def _project_name(t: Table) -> str | None:
    for r in t.rows:
        if r.name in ("项目名称",) and r.texts.get("content"):
            return r.texts["content"]
    for r in t.rows:
        if r.texts.get("project"):
            return r.texts["project"]
    return None


def _key(ix: Index, name: str) -> str:
    return "".join(ch for ch in ix.cat.norm(name) if ch.isalnum())


def _summary_equations(ix: Index, kinds: dict[str, str], totals: set[str]) -> Iterator[Equation]:
    """A self-evaluation form's funds total against its project's line in the 自评汇总表."""
    tables = ix.record.tables
    lines: dict[str, list[tuple[int, int]]] = {}
    for ti, t in enumerate(tables):
        if t.kind != "performance_projects":
            continue
        for ri, r in enumerate(t.rows):
            funds = "full_year_budget" in r.values or "executed" in r.values
            if r.role == "item" and r.name and funds and ix.cat.norm(r.name) not in totals and "level1" not in r.texts:
                lines.setdefault(_key(ix, r.name), []).append((ti, ri))
    if not lines:
        return
    for ti, t in enumerate(tables):
        if t.kind != "performance_projects":
            continue
        name = _project_name(t)
        if not name:
            continue
        hits = lines.get(_key(ix, name), [])
        hits = [(sti, sri) for sti, sri in hits if sti != ti]
        if len(hits) != 1:
            continue  # unnamed in the summary, or named twice: no pairing to trust
        sti, sri = hits[0]
        total_ri = next((ri for ri, r in enumerate(t.rows) if ix.cat.norm(r.name) in totals), None)
        if total_ri is None:
            continue
        for key in ("full_year_budget", "executed"):
            a, b = ix.term(ti, total_ri, key), ix.term(sti, sri, key)
            if a is not None and b is not None:
                yield Equation("perf.summary_line", kinds["perf.summary_line"] + f" ({name}, {key})", [(1, a), (-1, b)])


def _project_equations(ix: Index, kinds: dict[str, str]) -> Iterator[Equation]:
    """A project of the performance tables (code or name, with its amount) against the project table."""
    tables = ix.record.tables
    by_code: dict[str, list[tuple[int, int]]] = {}
    by_name: dict[str, list[tuple[int, int]]] = {}
    for ti, t in enumerate(tables):
        if t.kind != "project_expenditure":
            continue
        for ri, r in enumerate(t.rows):
            if r.values.get("total") is None:
                continue
            if r.code:
                by_code.setdefault(r.code, []).append((ti, ri))
            if r.name:
                by_name.setdefault(_key(ix, r.name), []).append((ti, ri))
    if not by_code and not by_name:
        return
    for ti, t in enumerate(tables):
        if ix.cat.layout_of(t.kind) != "performance":
            continue
        for ri, r in enumerate(t.rows):
            a = ix.term(ti, ri, "total")
            if a is None or r.role != "item":
                continue
            hits = (by_code.get(r.code or "") or []) or by_name.get(_key(ix, r.name), [])
            if len(hits) != 1:
                continue
            b = ix.term(hits[0][0], hits[0][1], "total")
            if b is not None:
                yield Equation("perf.project_amount", kinds["perf.project_amount"] + f" ({r.name})", [(1, a), (-1, b)])
