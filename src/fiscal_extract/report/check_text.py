"""Plain-text renderings for the terminal (the CLI prints these; nothing here decides anything)."""

from __future__ import annotations

from ..checks.wording import num
from .findings import CheckReport

MISSING_NOTICES = frozenset(
    {
        "table_not_read",
        "no_table_read",
        "unplaced_figures",
        "summary_unplaced",
        "unmapped_column",
        "unknown_table",
        "perf_form_unread",
        "perf_rows_unplaced",
        "perf_form_untitled",
    }
)
"""Notices that say figures of the document are missing from the record, or a part of a table was
read without its context (never the document's fault)."""

UNSURE_NOTICES = frozenset({"ocr_uncertain", "table_without_rows"})
"""Notices that name a figure read as printed but with doubt (OCR confidence), or a table read as
empty that no note calls empty: look at the page."""


def check_summary(rep: CheckReport, show_passes: bool = False) -> str:
    rec = rep.record
    c, k = rep.counts, rep.causes
    lines = [
        f"{rec.source.path}: {sum(c.values())} checks -- pass {c.get('pass', 0)}, fail {c.get('fail', 0)} "
        f"(source {k.get('source', 0)}, extraction {k.get('extraction', 0)}, unknown {k.get('unknown', 0)}), "
        f"skip {c.get('skip', 0)}"
        + (f"; {rep.discrepancies} discrepanc{'y' if rep.discrepancies == 1 else 'ies'}" if rep.groups else "")
    ]
    if rec.repairs:
        lines.append(f"repairs: {len(rec.repairs)} (every changed figure is listed in the record's repairs)")
    missing = [n for n in rec.notices if n.code in MISSING_NOTICES]
    if missing:
        # figures the reader could not read: the checks that need them are skipped -- not "all clear"
        lines.append(f"NOT READ: {len(missing)} -- figures missing from this record, so checks that need them skip:")
        for n in missing[:20]:
            where = f"line {n.span.line}" if n.span else "no position"
            lines.append(f"  - {n.message}  ({where})")
        if len(missing) > 20:
            lines.append(f"  ... and {len(missing) - 20} more (the record's notices)")
    unsure = [n for n in rec.notices if n.code in UNSURE_NOTICES]
    if unsure:
        lines.append(f"UNSURE: {len(unsure)} -- figures read with doubt; check them against the page:")
        lines += [f"  - {n.message}" for n in unsure[:20]]
        if len(unsure) > 20:
            lines.append(f"  ... and {len(unsure) - 20} more (the record's notices)")
    grouped = {id(f) for g in rep.groups for f in g.findings}
    for g in rep.groups:
        lines.append("")
        lines.append(f"FAIL [{g.cause}] {g.headline}")
        for f in g.findings:
            lines.append(f"  - [{f.check.cause}] {f.check.id}: {f.check.message}")
    for f in rep.findings:
        if id(f) in grouped:
            continue
        ch = f.check
        lines.append("")
        lines.append(f"FAIL [{ch.cause}] {ch.id}")
        lines.append(f"  {ch.message}")
        if ch.tolerance:
            lines.append(f"  (printed figures are rounded: up to {ch.tolerance} either way is allowed)")
        for fig in f.figures:
            where = f"line {fig.span.line}" if fig.span else "no position"
            value = "" if fig.value is None else f" = {num(fig.value)}"
            lines.append(f"    - {fig.label}{value}  ({where})")
    if show_passes:
        lines.append("")
        for ch in rec.checks:
            if ch.status != "fail":
                lines.append(f"{ch.status.upper():4} {ch.id}: {ch.message}")
    return "\n".join(lines)
