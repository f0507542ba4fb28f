"""The coverage report of an onboarding: the tables the samples list (their contents) against
those found and those mapped, the identities holding per table, the columns of figures still
unnamed (with their printed text), each naming tried with its verdict, and what the user should
confirm.  As text for the terminal and as a dict for ``--json``."""

from __future__ import annotations

import re
from typing import Any

from .engine import Onboarding, useful
from .judge import own_checks

_UNMAPPED = re.compile(r"column (\d+) '(.+?)' holds figures")
_CONFIRM = {"untested": "no check could test it", "doubtful": "its checks fail under every naming tried",
            "ambiguous": "the arithmetic cannot tell the namings apart"}


def coverage(result: Onboarding) -> dict[str, Any]:
    docs = []
    for s in result.samples:
        if s.after is None:
            docs.append({"document": s.path.name, "error": s.error})
            continue
        rec = s.after
        tables = []
        for i, t in enumerate(rec.tables):
            ok, bad = own_checks(rec, i)
            tables.append({"title": t.title, "kind": t.kind, "rows": len(t.rows), "identities_pass": ok,
                           "identities_fail": bad, "empty": t.empty})
        unmapped = []
        for n in rec.notices:
            m = _UNMAPPED.search(n.message) if n.code == "unmapped_column" else None
            if m:
                unmapped.append({"table": n.message.split(":", 1)[0], "column": int(m.group(1)), "printed": m.group(2)})
        before = s.before.tables if s.before is not None else []
        docs.append({
            "document": s.path.name,
            "meta": rec.meta.model_dump(mode="json"),
            "tables_found": len(rec.tables),
            "tables_known_before": sum(t.kind != "other" for t in before),
            "tables_known_after": sum(t.kind != "other" for t in rec.tables),
            "tables": tables,
            "unmapped_columns": unmapped,
        })
    listed = [t.printed for t in result.titles if t.in_contents]
    questions = [{
        "what": q.what, "printed": q.text, "status": q.status,
        "chosen": q.chosen.label if q.chosen else None,
        "options": [{"naming": o.label, "origin": o.origin, "verdict": o.verdict, "why": o.why,
                     "checks_pass": o.passed, "checks_fail": o.failed, "title_score": o.score,
                     "evidence": o.evidence} for o in q.options],
    } for q in result.questions]
    confirm = [f"{q.what} {q.text!r} -> {q.chosen.label if q.chosen else '(nothing kept)'}: {_CONFIRM[q.status]}"
               for q in result.questions if q.status in _CONFIRM]
    for d in docs:
        meta = d.get("meta") or {}
        for field, what in (("department", "the department line"), ("unit", "the unit line"),
                            ("kind", "the kind words (预算 / 决算)"), ("fiscal_year", "the year")):
            if d.get("error") is None and not meta.get(field):
                confirm.append(f"{d['document']}: {what} was not read")
    for q in result.questions:
        for o in q.options:
            if o.origin != "rules" and o.verdict == "untested":
                confirm.append(f"{q.what} {q.text!r}: the model's {o.label} could not be tested by any identity")
    return {"path": str(result.path) if result.path else None, "contents_lists": listed, "documents": docs,
            "questions": questions, "confirm": confirm, "profile": result.profile, "model": result.model,
            "model_errors": result.model_errors, "nothing_useful": useful(result)}


def report_text(result: Onboarding) -> str:
    cov = coverage(result)
    out = [f"profile: {cov['path'] or '(not written)'}"]
    n_listed = len(cov["contents_lists"])
    mapped = sum(q["status"] in ("accepted", "untested", "doubtful") for q in cov["questions"] if q["what"] == "title")
    out.append(f"tables the contents list: {n_listed}; titles the catalog did not know: "
               f"{sum(q['what'] == 'title' for q in cov['questions'])}; mapped: {mapped}")
    for d in cov["documents"]:
        if d.get("error"):
            out.append(f"{d['document']}: error: {d['error']}")
            continue
        m = d["meta"]
        out.append(f"{d['document']}: {d['tables_found']} tables found, of known kind {d['tables_known_before']} "
                   f"before -> {d['tables_known_after']} after; department {m.get('department') or '?'}, "
                   f"unit {m.get('unit') or '?'}, {m.get('kind') or '?'} {m.get('fiscal_year') or ''}")
        for t in d["tables"]:
            out.append(f"    {t['kind']:<34} {t['title'][:36] or '(untitled)':<38} rows {t['rows']:>3}  identities "
                       f"{t['identities_pass']} pass / {t['identities_fail']} fail" + ("  (printed empty)" if t["empty"]
                                                                                      else ""))
        grouped: dict[tuple[str, str], list[int]] = {}
        for u in d["unmapped_columns"]:
            grouped.setdefault((u["table"], u["printed"]), []).append(u["column"])
        for (table, printed), cols in grouped.items():
            out.append(f"    unmapped column{'s' if len(cols) > 1 else ''} {', '.join(map(str, cols))} "
                       f"printed {printed!r} in {table}")
    out.append("")
    for q in cov["questions"]:
        out.append(f"[{q['status']}] {q['what']} {q['printed']!r} -> {q['chosen'] or '-'}")
        for o in q["options"]:
            out.append(f"      {o['verdict']:<9} {o['naming']:<48} ({o['origin']}; {o['why'] or '-'})")
    if cov["confirm"]:
        out.append("")
        out.append("to confirm:")
        out += [f"  - {c}" for c in cov["confirm"]]
    if cov["model_errors"]:
        out.append("model errors: " + "; ".join(cov["model_errors"]))
    return "\n".join(out)
