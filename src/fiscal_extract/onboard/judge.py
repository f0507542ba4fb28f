"""The arithmetic as the judge: every candidate naming is tried by reading the samples again with
it, and the one under which the table's identities hold best is kept.

A *question* is one thing the catalog does not know (a title, a header label); its *options* are
the candidates (:mod:`.candidates`, and the model's proposals).  Options are tried in rounds: in
round ``r`` every open question tries its ``r``-th option, all at once, on top of what is already
accepted, so onboarding costs a few readings of the samples, not one per candidate.  Under each
option the tables the question concerns are found again and scored: read with the kind the option
names, rows with figures, and the checks involving them (identities within the table, figures
across tables) that pass and fail.

An option is **accepted** when its tables are read with its kind and at least
:data:`PASS_RATE` of their decided checks pass; of several, the one with most checks passing
(fewest failing) wins, the closeness of its title breaking ties.  An option no check could test
(tables printed empty, or no figures) is **untested**: it is kept only when no option was tested,
and marked for the user to confirm.  An option whose checks fail is **rejected**, with the counts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..catalog import Catalog
from ..llm.hybrid import merge_profiles, table_checks
from ..models import Disclosure
from .candidates import AMOUNT_SCORE

PASS_RATE = 0.5
"""A title's kind holds when at least this share of its table's own checks pass (the printed
figures of a real document disagree now and then under the right naming too: the options are
compared with each other)."""
COLUMN_PASS_RATE = 0.9
"""A column's key holds when at least this share of the checks involving its tables pass (across
tables too: a swap of two columns that keeps a table's own sums breaks the same figure elsewhere)."""
MIN_EVIDENCE = 3
"""Fewer decided checks than this are weak evidence: a much closer title outweighs them."""
CLEAR_TITLE = 80.0
"""Where several namings pass the same checks, the title decides only when it is this close to a
known title and clearly closer than the others."""
STRONG_TITLE = 75.0
"""A rules candidate whose title is this close to a known one is kept, marked doubtful, when the
table's checks fail under every naming tried (the document's own figures disagree)."""
NEAR_EXACT = 95.0
"""A title this close to a known title of its kind keeps that kind when another title claims it
too (the other is left to the user): it does not move to its next reading."""
_TABLE_REF = re.compile(r"^tables\[(\d+)\]")


def own_checks(record: Disclosure, ti: int) -> tuple[int, int]:
    """Passed and failed checks whose figures are all in table ``ti`` (its identities, its sums).
    Checks across tables are left out: in a round the other tables are being tried under other
    namings, and a wrong one must not count against this one."""
    ok = bad = 0
    for c in record.checks:
        if c.status == "skip" or not c.refs:
            continue
        tables = {int(m.group(1)) for r in c.refs if (m := _TABLE_REF.match(r))}
        if tables != {ti}:
            continue
        ok, bad = (ok + 1, bad) if c.status == "pass" else (ok, bad + 1)
    return ok, bad


@dataclass
class Option:
    label: str
    """What the option says, for the report (``kind general_budget_expenditure``)."""
    fragment: dict[str, Any]
    """The profile fragment that says it (``kinds`` titles, ``column`` aliases)."""
    kind: str | None
    """The kind the question's tables must be read as under it (``None``: unchanged)."""
    score: float
    origin: str = "rules"
    evidence: list[str] = field(default_factory=list)
    tables: int = 0
    figures: int = 0
    passed: int = 0
    failed: int = 0
    spans: set[int] = field(default_factory=set)
    """Where the tables it was scored on start (sample index * 10**9 + offset)."""
    weight: float = 0.0
    verdict: str = "not tried"
    """``accepted``, ``untested``, ``rejected``, ``not found`` or ``not tried``."""
    why: str = ""


@dataclass
class Question:
    what: str
    """``title`` or ``column``."""
    text: str
    """The printed title or header label."""
    locate: Callable[[int, Disclosure], list[int]]
    """Indexes of the tables of sample ``d``'s record that this question concerns."""
    options: list[Option]
    chosen: Option | None = None
    status: str = "open"
    pass_rate: float = PASS_RATE
    across: bool = False
    """Count the checks across tables too (a column's naming: the titles are settled by then, and a
    swap of two columns that keeps the table's own sums is caught only by the same figure elsewhere)."""
    """``accepted``, ``untested`` (kept, to confirm), ``rejected`` (nothing kept), ``not found``."""


Reader = Callable[[dict[str, Any]], list[Disclosure]]
"""Reads every sample again under the base catalog extended by a profile."""


def _score(cat: Catalog, records: list[Disclosure], q: Question, opt: Option) -> None:
    opt.tables = opt.figures = opt.passed = opt.failed = 0
    opt.spans = set()
    wrong_kind: list[str] = []
    for d, rec in enumerate(records):
        for ti in q.locate(d, rec):
            t = rec.tables[ti]
            if opt.kind is not None and t.kind != opt.kind:
                wrong_kind.append(t.kind)
                continue
            want = cat.kind_systems.get(opt.kind or "")
            systems = {cat.code_system(r.code) for r in t.rows if r.code} - {None}
            if want and systems and want not in systems:
                wrong_kind.append(f"a table of {'/'.join(sorted(s for s in systems if s))} codes, not {want} ones")
                continue
            opt.tables += 1
            opt.spans.add(d * 10**9 + (t.span.start if t.span else ti))
            opt.figures += sum(1 for r in t.rows for v in r.values.values() if v is not None)
            ok, bad = table_checks(rec, ti) if q.across else own_checks(rec, ti)
            opt.passed += ok
            opt.failed += bad
    if not opt.tables:
        opt.verdict = "not found"
        opt.why = (f"its tables are read as {', '.join(sorted(set(wrong_kind)))}" if wrong_kind
                   else "no table printed under it was read")
    elif opt.passed + opt.failed == 0:
        opt.verdict, opt.why = "untested", ("no figures read" if not opt.figures else "no check involves its figures")
    else:
        opt.verdict, opt.why = "tested", f"{opt.passed} checks pass / {opt.failed} fail"


def _rank(opt: Option) -> tuple[float, ...]:
    """The arithmetic (checks passing, less twice those failing, relative to the best option's)
    plus the title's closeness: namings the arithmetic finds about as good are told apart by the title."""
    return (opt.weight, opt.figures > 0, opt.score)


def _holds(opt: Option, rate: float = PASS_RATE) -> bool:
    return opt.passed >= rate * (opt.passed + opt.failed)


def decide(q: Question) -> None:
    """The question's answer from its tried options (see the module's rules)."""
    tested = [o for o in q.options if o.verdict == "tested"]
    top = max((o.passed - 2 * o.failed for o in tested), default=1)
    for o in tested:
        o.weight = 100.0 * (o.passed - 2 * o.failed) / max(top, 1) + o.score
    best = max(tested, key=_rank) if tested else None
    for o in tested:
        if o is best:
            continue
        o.verdict = "rejected"
        if not _holds(o, q.pass_rate):
            o.why = f"its checks fail ({o.passed} pass / {o.failed} fail)"
        elif (o.passed, o.failed) == (best.passed, best.failed):
            o.why = f"as many checks hold ({o.passed} / {o.failed}) as under {best.label}, whose title is closer"
        else:
            o.why = (f"fewer identities hold than under {best.label} ({o.passed} pass / {o.failed} fail against "
                     f"{best.passed} / {best.failed})")
    untested = [o for o in q.options if o.verdict == "untested"]
    closer = max(untested, key=lambda o: o.score) if untested else None
    if (best is not None and closer is not None and best.passed + best.failed < MIN_EVIDENCE
            and closer.score >= best.score + 15):
        # one or two checks do not outweigh a much closer title
        best.verdict, best.why = "rejected", (f"only {best.passed + best.failed} check(s) decide it, and "
                                              f"{closer.label}'s title is much closer")
        tested.remove(best)
        best = max(tested, key=_rank) if tested else None
    if best is not None and _holds(best, q.pass_rate):
        ties = sorted((o for o in tested if o is not best and (o.passed, o.failed) == (best.passed, best.failed)
                       and not (q.what == "column" and o.score <= AMOUNT_SCORE < best.score)),
                      key=lambda o: -o.score)  # a close alias is not tied with the last resort (the amount)
        if ties and (best.score < CLEAR_TITLE or best.score - ties[0].score < 5):
            # the arithmetic cannot tell these namings apart, and neither can the title
            for o in (best, *ties):
                o.verdict, o.why = "tied", f"{o.passed} checks pass / {o.failed} fail under each of " + ", ".join(
                    x.label for x in (best, *ties))
            q.chosen, q.status = None, "ambiguous"
            return
        best.verdict, q.chosen, q.status = "accepted", best, "accepted"
        for o in untested:
            o.verdict = "rejected"
            o.why = f"no check holds under it, while {best.passed} hold under {best.label} ({o.why})"
        return
    if best is not None and best.origin == "rules" and best.score >= STRONG_TITLE:
        # the document's own figures disagree under every naming tried: the closest title decides
        best.verdict, q.chosen, q.status = "doubtful", best, "doubtful"
        best.why = f"its checks fail ({best.passed} pass / {best.failed} fail) under every naming tried"
        return
    if best is not None:
        best.verdict, best.why = "rejected", f"its checks fail ({best.passed} pass / {best.failed} fail)"
    if q.what == "column":
        untested = [o for o in untested if o.score > AMOUNT_SCORE]  # the last resort only when tested
    if untested and best is None:
        q.chosen = max(untested, key=lambda o: (o.figures > 0, o.score))
        q.status = "untested"
        return
    q.chosen = None
    q.status = "rejected" if any(o.verdict == "rejected" for o in q.options) else "not found"


ONE_TABLE_KINDS_EXEMPT = ("project_expenditure", "performance_projects", "performance_department", "other")


def _untie(questions: list[Question]) -> None:
    """A tie between namings is settled when all but one of them name a kind another title was
    accepted as (for a different table)."""
    for q in questions:
        if q.status != "ambiguous":
            continue
        tied = [o for o in q.options if o.verdict == "tied"]
        taken = {x.chosen.kind for x in questions if x is not q and x.chosen is not None and x.status == "accepted"
                 and not (x.chosen.spans & set().union(*(o.spans for o in tied)))}
        free = [o for o in tied if o.kind not in taken or o.kind in ONE_TABLE_KINDS_EXEMPT]
        if len(free) == 1:
            q.chosen, q.status = free[0], "accepted"
            free[0].verdict = "accepted"
            free[0].why += " (the others are other tables' kinds)"


def _known_kinds(questions: list[Question], known: dict[str, set[int]]) -> None:
    """A title answered with a kind the catalog already reads another table as (by a title it
    knows): it moves to another option its arithmetic accepts as well, or is left to the user."""
    for q in questions:
        c = q.chosen
        if q.what != "title" or c is None or c.kind in ONE_TABLE_KINDS_EXEMPT or not (known.get(c.kind or "", set())
                                                                                       - c.spans):
            continue
        alt = [o for o in q.options if o is not c and o.passed and _holds(o) and o.score >= CLEAR_TITLE
               and not (known.get(o.kind or "", set()) - o.spans) and (o.passed, o.failed) == (c.passed, c.failed)]
        c.verdict, c.why = "rejected", f"the catalog already reads another table as {c.kind}"
        if alt:
            q.chosen = max(alt, key=_rank)
            q.chosen.verdict, q.chosen.why = "accepted", f"{q.chosen.passed} checks pass / {q.chosen.failed} fail"
        else:
            q.chosen, q.status = None, "ambiguous"


def _one_title_per_kind(questions: list[Question]) -> None:
    """Two titles answered with the same kind (a document prints each overview once): the weaker
    moves to its next option that its arithmetic also accepted, if it has one."""
    for _ in range(3):
        by_kind: dict[str, list[Question]] = {}
        for q in questions:
            if q.what == "title" and q.chosen is not None and q.chosen.kind not in ONE_TABLE_KINDS_EXEMPT:
                by_kind.setdefault(q.chosen.kind or "", []).append(q)
        moved = False
        for same in by_kind.values():
            if len(same) < 2:
                continue
            same.sort(key=lambda q: _rank(q.chosen) if q.chosen else (), reverse=True)
            for q in same[1:]:
                if q.chosen is None or any(q.chosen.spans & x.chosen.spans for x in same if x is not q and x.chosen):
                    continue  # the same table under two titles (its contents entry and its own title)
                taken = {x.chosen.kind for x in questions if x.chosen is not None and x is not q}
                alt = [o for o in q.options if o.verdict in ("accepted", "rejected") and _holds(o) and o.passed
                       and o.kind not in taken and o.score >= CLEAR_TITLE
                       and (o.passed, o.failed) == (q.chosen.passed, q.chosen.failed)]
                strong = same[0]
                other = [o for o in strong.options if o is not strong.chosen and o.passed and _holds(o)
                         and o.kind not in taken and o.score >= CLEAR_TITLE and o.verdict in ("accepted", "rejected")]
                if not alt and strong is not q and strong.chosen is not None and other and \
                        strong.chosen.score < NEAR_EXACT:
                    # the weaker title has no other reading; the stronger one has: it moves
                    strong.chosen.verdict, strong.chosen.why = "rejected", f"{q.text!r} can only be read as it"
                    strong.chosen = max(other, key=_rank)
                    strong.chosen.verdict = "accepted"
                    strong.chosen.why = f"{strong.chosen.passed} checks pass / {strong.chosen.failed} fail"
                    moved = True
                    break
                if not alt:
                    q.chosen.verdict = "rejected"
                    q.chosen.why = f"{q.chosen.kind} is a better reading of another title"
                    q.chosen, q.status = None, "ambiguous"
                    moved = True
                else:
                    q.chosen.verdict, q.chosen.why = "rejected", f"{q.chosen.kind} is a better reading of another title"
                    q.chosen = max(alt, key=_rank)
                    c = q.chosen
                    c.verdict, c.why = "accepted", f"{c.passed} checks pass / {c.failed} fail"
                    moved = True
        if not moved:
            return


def settle(questions: list[Question], read: Reader, cat_of: Callable[[dict[str, Any]], Catalog],
           accepted: dict[str, Any], known: dict[str, set[int]] | None = None) -> dict[str, Any]:
    """Try every option of every question in rounds; decide each question.  Returns the profile of
    what was accepted before plus the answers chosen now (accepted or untested).  ``known``: the
    kinds the catalog already reads tables as by titles it knows, with where those tables start."""
    rounds = max((len(q.options) for q in questions), default=0)
    for r in range(rounds):
        trying = [(q, q.options[r]) for q in questions if r < len(q.options)]
        prof = merge_profiles([accepted] + [o.fragment for _, o in trying])
        records = read(prof)
        cat = cat_of(prof)
        for q, o in trying:
            _score(cat, records, q, o)
    for q in questions:
        decide(q)
    _known_kinds(questions, known or {})
    _one_title_per_kind(questions)
    _untie(questions)
    return merge_profiles([accepted] + [q.chosen.fragment for q in questions if q.chosen is not None])
