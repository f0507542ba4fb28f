"""A column naming kept for some tables must not reach a table where it fails.

A header label is one question over every table that prints it (per layout), and its naming is
kept when the checks of all those tables, together, pass well enough.  Printed in tables of
several kinds, the same words may mean different columns: where the tables of one kind fail more
checks with the naming than without it, the alias is limited to the other kinds (``kinds`` on the
``[[column]]`` entry), so the naming rejected for those tables never reaches them through the
others.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..llm.hybrid import table_checks
from ..models import Disclosure
from .judge import Question


def _failed_by_kind(records: list[Disclosure], q: Question) -> dict[str, int]:
    out: dict[str, int] = {}
    for d, rec in enumerate(records):
        for ti in q.locate(d, rec):
            kind = rec.tables[ti].kind
            out[kind] = out.get(kind, 0) + table_checks(rec, ti)[1]
    return out


def limit_to_kinds(questions: list[Question], read: Callable[[dict[str, Any]], list[Disclosure]],
                   prof: dict[str, Any]) -> dict[str, Any]:
    """The profile with each kept column alias limited to the table kinds it does not fail in
    (an alias whose tables are all of one kind, or that fails in none, is left as it is)."""
    records = read(prof)
    for q in questions:
        if q.chosen is None or q.what not in ("column", "columns"):
            continue
        with_it = _failed_by_kind(records, q)
        if len(with_it) < 2:
            continue
        mine = {(c["labels"][0], tuple(c.get("layouts", ()))) for c in q.chosen.fragment["column"]}
        others = [c for c in prof["column"] if (c["labels"][0], tuple(c.get("layouts", ()))) not in mine]
        without = _failed_by_kind(read({**prof, "column": others}), q)
        worse = {k for k, n in with_it.items() if n > without.get(k, 0)}
        if not worse or worse == set(with_it):
            continue
        keep = sorted(set(with_it) - worse)
        prof = {**prof, "column": [({**c, "kinds": keep} if (c["labels"][0], tuple(c.get("layouts", ()))) in mine
                                    else c) for c in prof["column"]]}
        q.chosen.evidence.append(f"limited to {', '.join(keep)}: more checks fail with it in "
                                 f"{', '.join(sorted(worse))}")
        q.chosen.why += f" (only for {', '.join(keep)}: it fails in {', '.join(sorted(worse))})"
    return prof
