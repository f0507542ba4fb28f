"""The ``llm`` and ``hybrid`` backends.

``hybrid`` runs the rules first and sends the model only what they leave unresolved:

1. tables of unknown kind -- the model classifies the title and header and maps the columns; the
   mapping becomes catalog aliases and the table is re-read by the rules (exact figures); a table
   the rules still cannot read is read whole by the model;
2. tables with columns of figures the catalog cannot name -- their header is mapped the same way;
3. rows whose check failures are the extractor's -- the model reads the printed row again; the
   answer is accepted only if it satisfies the row's identities, and is marked as the model's.

``llm`` reads every table and the narrative with the model (for comparison).  With no model
configured, or the endpoint failing, the run completes on the rules with a notice per segment
left unresolved.  A model's reading never silently removes what the rules read: where it is worse
by the checks (fewer rows with figures, fewer identities holding) the rules' reading stays, with an
``llm_rejected`` notice.  A document's model calls end by its deadline (``doc_seconds``); once the
run's breaker is open, documents are left to the rules with an ``llm_unavailable`` notice.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..catalog import Catalog, extend
from ..errors import LLMError
from ..models import Disclosure, Notice, Table
from ..read.normalize import SourceText
from ..read.segment import Segments, TableBlock
from .client import BudgetExhausted, LLMClient
from .faults import CallsStopped, document_deadline, mask
from .schemas import TableClassification, identity_results
from .settings import LLMSettings
from .tasks import LLMContext, classify_table, extract_table, narrative_facts, repair_record, repair_row

_ROW_REF = re.compile(r"^tables\[(\d+)\]\.rows\[(\d+)\]\.values\.(\w+)$")


def unresolved(record: Disclosure, seg: Segments) -> dict[str, list[int]]:
    """Table indexes the rules left unresolved: unknown kind, unmapped columns, extraction failures."""
    unknown = [i for i, t in enumerate(record.tables) if t.kind == "other"]
    unmapped: list[int] = []
    for n in record.notices:
        if n.code in ("unmapped_column", "unknown_title") and n.span is not None:
            for i, t in enumerate(record.tables):
                if t.span and t.span.start <= n.span.start < t.span.end and i not in unmapped and i not in unknown:
                    unmapped.append(i)
    failing: list[int] = []
    for c in record.checks:
        if c.status == "fail" and c.cause == "extraction":
            for ref in c.refs:
                m = _ROW_REF.match(ref)
                if m and int(m.group(1)) not in failing:
                    failing.append(int(m.group(1)))
    return {"unknown": unknown, "unmapped": unmapped, "failing": failing}


Reread = Callable[[Catalog], Disclosure]
"""The rules again, checks included, under a catalog the model's naming extended: given by the
pipeline, so that this module never imports it (the model path sits below the pipeline)."""


def apply_backend(record: Disclosure, src: SourceText, seg: Segments, cat: Catalog, backend: str,
                  settings: LLMSettings, client: LLMClient | None = None, profiles: tuple[str, ...] = (),
                  *, reread: Reread) -> bool:
    """Run the model backend on a rules record (in place).  Returns True if anything changed.

    ``reread(catalog)`` extracts the same document again with the rules under ``catalog``."""
    todo = unresolved(record, seg)
    pending = sorted({i for v in todo.values() for i in v}) if backend == "hybrid" else list(range(len(record.tables)))
    if client is None and not settings.configured:
        _leave(record, todo, pending, f"no model configured ({settings.describe()})")
        return False
    if not pending and backend == "hybrid":
        return False
    own = client is None
    try:
        client = client or LLMClient(settings)
    except LLMError as exc:
        _leave(record, todo, pending, str(exc))
        return False
    if client.stopped:
        _leave(record, todo, pending, f"the model endpoint is not called: {client.stopped}")
        if own:
            client.close()
        return False
    lc = LLMContext(client, cat, src, gold_dir=_gold_dir(), notices=record.notices)
    before = client.usage.copy()
    changed = False
    try:
        with document_deadline(client.settings.doc_seconds):
            changed = (_all_by_model(record, seg, lc) if backend == "llm"
                       else _hybrid(record, seg, lc, todo, profiles, reread))
    finally:
        used = client.usage.minus(before)
        record.extractor["backend"] = backend
        record.extractor["llm"] = {"model": settings.model, "mode": client.mode, **used.as_dict()}
        if own:
            client.close()
    return changed


_WHY = {"unknown": "a table of unknown kind", "unmapped": "columns of figures the catalog cannot name",
        "failing": "rows failing checks because of extraction"}


def _leave(record: Disclosure, todo: dict[str, list[int]], pending: list[int], why: str) -> None:
    """One warning per segment the model was needed for: it stays as the rules read it."""
    for i in pending:
        t = record.tables[i]
        reasons = [_WHY[k] for k, v in todo.items() if i in v] or ["read by the model in the llm backend"]
        _note(record, "llm_unavailable", f"{t.title or t.kind}: {'; '.join(reasons)} -- left to the rules: {why}", t)


def _gold_dir() -> Path | None:
    for c in (Path("eval/gold"), Path(__file__).resolve().parents[3] / "eval" / "gold"):
        if c.exists():
            return c
    return None


def _note(record: Disclosure, code: str, message: str, table: Table | None = None) -> None:
    record.notices.append(Notice(code=code, message=mask(message), span=table.span if table else None))


def _guard(record: Disclosure, what: str, table: Table | None, fn: Any) -> Any:
    """Run one model task; a failure becomes a notice and the segment stays with the rules.  A stop
    (budget, deadline, breaker) ends the document's model work: what remains stays with the rules."""
    try:
        return fn()
    except CallsStopped as exc:
        code = "llm_budget" if isinstance(exc, BudgetExhausted) else "llm_failed"
        _note(record, code, f"{what}: {exc}; this and the document's remaining model work left to the rules", table)
        raise
    except LLMError as exc:
        _note(record, "llm_failed", f"{what}: {exc}; left to the rules", table)
        return None


def reading(cat: Catalog, table: Table) -> tuple[int, int, int]:
    """Rows, rows with figures, and row identities holding, of a reading of a table."""
    rows = [(r.name or r.code or "", dict(r.values)) for r in table.rows
            if any(v is not None for v in r.values.values())]
    held = sum(1 for ok, _ in identity_results(rows, cat.identities_for(table.kind)) if ok)
    return len(table.rows), len(rows), held


def worse(cat: Catalog, rules: Table, model: Table) -> str | None:
    """Why the model's reading of a table is worse by the checks than the rules' (``None``: it is not):
    it loses the table's kind, rows, rows with figures or identities that hold."""
    if rules.kind != "other" and model.kind == "other":
        return f"it loses the kind the rules read ({rules.kind})"
    (n0, r0, h0), (n1, r1, h1) = reading(cat, rules), reading(cat, model)
    if n1 < n0 or r1 < r0 or h1 < h0:
        return (f"{n1} rows, {r1} with figures, {h1} identities holding, against the rules' {n0} rows, {r0} "
                f"with figures, {h0} identities")
    return None


def _keep_rules(record: Disclosure, cat: Catalog, rules: Table, model: Table, what: str) -> bool:
    """True (with a notice) when the model's reading must not replace the rules'."""
    why = worse(cat, rules, model)
    if why is not None:
        _note(record, "llm_rejected", f"{rules.title or rules.kind}: {what} ({model.kind}) is not kept: {why}; "
              "left as the rules read it", rules)
    return why is not None


def _block_of(seg: Segments, table: Table) -> TableBlock | None:
    if table.span is None:
        return None
    return next((b for b in seg.tables if b.start == table.span.start), None)


def _all_by_model(record: Disclosure, seg: Segments, lc: LLMContext) -> bool:
    changed = False
    try:
        for i, t in enumerate(list(record.tables)):
            block = _block_of(seg, t)
            if block is None:
                continue
            new = _guard(record, f"table {t.title or t.kind}", t, lambda b=block, k=t.kind: extract_table(lc, b, k))
            if new is not None and not _keep_rules(record, lc.cat, t, new, "the model's reading"):
                record.tables[i] = new
                changed = True
        facts = _guard(record, "narrative", None, lambda: narrative_facts(lc, seg.text_lines))
        if facts is not None and len(facts) < len(record.narrative.facts):
            _note(record, "llm_rejected", f"narrative: the model's reading ({len(facts)} facts) is not kept: the "
                  f"rules read {len(record.narrative.facts)}; left as the rules read it")
        elif facts is not None:
            from ..text.narrative import _headline

            record.narrative = _headline(facts, record.meta.unit)
            changed = True
    except CallsStopped:
        pass
    return changed


def profile_from(cat: Catalog, block: TableBlock, cls: TableClassification) -> dict[str, Any]:
    """Catalog aliases a classification implies: the title for its kind, the labels for their roles."""
    layout = cat.layout_of(cls.kind)
    prof: dict[str, Any] = {"kinds": {}, "column": []}
    if block.title and cls.kind != "other" and (block.match is None or block.match.kind != cls.kind):
        prof["kinds"][cls.kind] = {"titles": [block.title.strip()]}
    scoped = {lbl: s.prefix for lbl, specs in cat.scopes.items() for s in specs if s.prefix and not s.label_scope}
    header_text = cat.norm("".join(c.text for p in block.parts[:1] for r in p.rows[:6] for c in r.cells))
    # an alias names a label wherever it is printed: a label answered differently per side of a
    # two-sided table cannot be one, and is left out (the side scope of the header tells them apart)
    meanings: dict[str, set[tuple[str, str | None]]] = {}
    for c in cls.labels:
        meanings.setdefault(c.label, set()).add((c.role, c.key))
    done: set[str] = set()
    for c in cls.labels:
        if c.role == "skip" or not c.label.strip() or c.label in done or len(meanings[c.label]) > 1:
            continue
        done.add(c.label)
        key = c.key
        if c.role == "value" and key:
            # a scope printed above the label adds its prefix itself
            for lbl, prefix in scoped.items():
                if key.startswith(prefix) and lbl and lbl in header_text:
                    key = key[len(prefix):]
                    break
        entry: dict[str, Any] = {"labels": [c.label.strip()], "role": c.role, "layouts": [layout]}
        if c.role in ("value", "text"):
            entry["key"] = key or "total"
        prof["column"].append(entry)
    return prof


def merge_profiles(parts: list[dict[str, Any]]) -> dict[str, Any]:
    """One profile from several (titles and labels united, first mapping of a label wins)."""
    out: dict[str, Any] = {"kinds": {}, "column": []}
    seen: set[tuple[str, str]] = set()
    for p in parts:
        for kind, spec in p.get("kinds", {}).items():
            titles = out["kinds"].setdefault(kind, {"titles": []})["titles"]
            titles.extend(t for t in spec.get("titles", []) if t not in titles)
        for col in p.get("column", []):
            ident = (col["labels"][0], col["layouts"][0])
            if ident not in seen:
                seen.add(ident)
                out["column"].append(col)
    return out


ACCEPT_PASS_RATE = 0.9
"""A table read under the model's naming is kept when at least this share of its decided checks pass."""

_TABLE_REF = re.compile(r"^tables\[(\d+)\]")


def table_checks(record: Disclosure, ti: int) -> tuple[int, int]:
    """Passed and failed checks that involve a figure of table ``ti``."""
    ok = bad = 0
    for c in record.checks:
        if c.status == "skip" or not any((m := _TABLE_REF.match(r)) and int(m.group(1)) == ti for r in c.refs):
            continue
        ok, bad = (ok + 1, bad) if c.status == "pass" else (ok, bad + 1)
    return ok, bad


def judge(record: Disclosure, ti: int, kind: str) -> tuple[str | None, int, int]:
    """Why table ``ti`` of a record read under the model's naming must not be kept (``None``: keep it),
    with its passed and failed checks."""
    t = record.tables[ti]
    ok, bad = table_checks(record, ti)
    figures = any(v is not None for r in t.rows for v in r.values.values())
    if t.kind == "other":
        return "still of unknown kind", ok, bad
    if t.kind != kind:
        return f"the rules read it as {t.kind}", ok, bad
    if not figures:
        return (None if t.empty else "no figures read"), ok, bad
    if ok + bad == 0:
        return "no check could test the naming", ok, bad
    if ok / (ok + bad) < ACCEPT_PASS_RATE:
        return "its checks fail: the naming is likely wrong", ok, bad
    return None, ok, bad


def _hybrid(record: Disclosure, seg: Segments, lc: LLMContext, todo: dict[str, list[int]],
            profiles: tuple[str, ...], reread: Reread) -> bool:
    changed = False
    try:
        # 1. the model names what the catalog cannot: kinds and header labels (headers only)
        asked: dict[int, tuple[TableBlock, TableClassification]] = {}
        for i in todo["unknown"] + [j for j in todo["unmapped"] if j not in todo["unknown"]]:
            t = record.tables[i]
            block = _block_of(seg, t)
            if block is None:
                continue
            cls = _guard(record, f"classify {t.title or 'untitled table'}", t,
                         lambda b=block, k=t.kind, u=i in todo["unknown"]: classify_table(lc, b, None if u else k))
            if cls is not None:
                asked[i] = (block, cls)
        # 2. the rules read those tables again under the model's naming (exact printed figures), and
        #    the naming is kept only where the table's own checks then pass
        if asked:
            prof = merge_profiles([profile_from(lc.cat, b, c) for b, c in asked.values()])
            again = reread(extend(profiles, prof))
            index = {t.span.start: k for k, t in enumerate(again.tables) if t.span}
            for i, (block, cls) in asked.items():
                t = record.tables[i]
                k = index.get(block.start)
                why, ok, bad = judge(again, k, cls.kind) if k is not None else ("not found again", 0, 0)
                if why is None and k is not None:
                    new = again.tables[k]
                    for r in new.rows:
                        r.origin = "llm"  # read by the rules, under the model's naming of its header
                    new.origin = "llm"
                    note = (f"kind and header labels from the model ({cls.kind}); figures read by the rules; "
                            f"its checks {ok} pass / {bad} fail")
                elif k is not None and again.tables[k].kind != "other" and why != "no figures read":
                    _note(record, "llm_rejected", f"{t.title or t.kind}: the model's naming ({cls.kind}) is not "
                          f"kept: {why} ({ok} pass / {bad} fail); left as the rules read it", t)
                    continue
                else:
                    # 3. the rules cannot read it even so: the model reads the table itself
                    new = _guard(record, f"read {t.title or 'untitled table'}", t,
                                 lambda b=block, k=cls.kind: extract_table(lc, b, k))
                    if new is None or _keep_rules(record, lc.cat, t, new, "the model's reading"):
                        continue
                    note = f"table read by the model ({cls.kind})"
                record.tables[i] = new
                _note(record, "llm_mapped", f"{new.title or new.kind}: {note}", new)
                changed = True
        changed = _repair_rows(record, lc) or changed
    except CallsStopped:
        pass
    return changed


def _repair_rows(record: Disclosure, lc: LLMContext) -> bool:
    by_row: dict[tuple[int, int], list[str]] = {}
    for c in record.checks:
        if c.status != "fail" or c.cause != "extraction":
            continue
        for ref in c.refs:
            m = _ROW_REF.match(ref)
            if m:
                by_row.setdefault((int(m.group(1)), int(m.group(2))), []).append(c.message)
    changed = False
    try:
        for (ti, ri), failures in by_row.items():
            changed = _repair_row(record, lc, ti, ri, failures) or changed
    except CallsStopped:
        pass  # rows repaired before the stop are kept
    return changed


def _repair_row(record: Disclosure, lc: LLMContext, ti: int, ri: int, failures: list[str]) -> bool:
    """Read one failing row again with the model; True if its figures changed."""
    table = record.tables[ti]
    row = table.rows[ri]
    if row.origin == "llm":
        return False
    res = _guard(record, f"row {row.code or ''} {row.name} of {table.title}", table,
                 lambda: repair_row(lc, table, row, failures[:4]))
    if res is None:
        return False
    values, printed = res
    if values is None:
        _note(record, "llm_unreadable", f"{table.title}: the model finds row {row.name!r} unreadable", table)
        return False
    old = dict(row.values)
    row.values.update(values)
    row.origin = "llm"
    ref = f"tables[{ti}].rows[{ri}]"
    record.repairs.append(repair_record(printed, None, "row read again by the model: " + ", ".join(
        f"{k} {old.get(k)} -> {v}" for k, v in values.items() if old.get(k) != v), row.span, ref))
    return True
