"""Evaluation results as a terminal table and as a markdown report."""

from __future__ import annotations

from ..evaluate.results import Counts, EvalResult


def _pct(x: float) -> str:
    return f"{x * 100:5.1f}%"


def _prf(c: Counts) -> str:
    return f"P {_pct(c.precision)}  R {_pct(c.recall)}  F1 {_pct(c.f1)}"


def terminal(res: EvalResult, max_mismatches: int = 40) -> str:
    out = []
    total = res.total("fields")
    out.append(
        f"overall field F1 {_pct(total.f1)}  (precision {_pct(total.precision)}, recall {_pct(total.recall)}; "
        f"{total.tp} right, {total.fp} extra/wrong, {total.fn} missed/wrong)"
    )
    out.append(f"rows: {_prf(res.total('rows'))}")
    out.append("")
    width = max([24] + [len(d.document) for d in res.documents])
    out.append(
        f"{'document':{width}} {'field F1':>9} {'rows F1':>8} {'key figures':>12} {'summary':>9} {'narrative':>10} "
        f"{'mismatches':>11}"
    )
    for d in res.documents:
        s = f"{d.summary['correct']}/{d.summary['total']}"
        n = f"{d.narrative['correct']}/{d.narrative['total']}"
        kc, kt = d.key_figures()
        k = _pct(kc / kt) if kt else "-"
        out.append(
            f"{d.document:{width}} {_pct(d.fields.f1):>9} {_pct(d.rows.f1):>8} {k:>12} {s:>9} {n:>10} "
            f"{len(d.mismatches):>11}"
        )
    out.append("")
    out.append(f"{'table kind':34} {'detection P/R':>16} {'field F1':>9}")
    fk = res.fields_by_kind()
    for kind, c in res.tables_by_kind().items():
        f = fk.get(kind, Counts())
        out.append(f"{kind:34} {_pct(c.precision):>7}/{_pct(c.recall):<8} {_pct(f.f1):>9}")
    for (kind, part), c in res.fields_by_part().items():
        out.append(f"{'  ' + kind + ' ' + part:34} {'':>16} {_pct(c.f1):>9}  ({c.tp} right, {c.fp + c.fn} wrong)")
    for part in ("summary", "narrative"):
        if part in fk:
            out.append(f"{part:34} {'':>16} {_pct(fk[part].f1):>9}")
    out.append("")
    out.append("cell accuracy by value key (matched rows):")
    acc = res.cell_accuracy()
    line = []
    for k, (a, b) in acc.items():
        line.append(f"{k} {a}/{b}")
    out.append("  " + ", ".join(line))
    mism = [m for d in res.documents for m in d.mismatches]
    if mism:
        out.append("")
        out.append(f"mismatches ({len(mism)}; first {min(len(mism), max_mismatches)}):")
        for m in mism[:max_mismatches]:
            out.append(
                f"  {_short(m.document)} | {m.table[:40]} | {m.row[:30]} | {m.key}: expected {value_text(m.expected)}, "
                f"got {value_text(m.got)}"
            )
    return "\n".join(out)


def _short(document: str) -> str:
    """A document's short name in the mismatch list: its number, and the rendering if any."""
    head = document.split("_")[0][:3]
    return f"{head} {document.rsplit(' ', 1)[-1]}" if " [" in document else head


def value_text(v: object) -> str:
    """A mismatch's expected or extracted value as the reports print it (decimals as printed, long texts cut)."""
    from decimal import Decimal

    if isinstance(v, Decimal):
        return format(v, "f")
    s = "—" if v is None else str(v)
    return s if len(s) <= 40 else s[:39] + "…"


def markdown(res: EvalResult) -> str:
    total = res.total("fields")
    lines = ["# fiscal-extract evaluation", ""]
    lines.append(
        f"**Overall field F1 {_pct(total.f1).strip()}** (precision {_pct(total.precision).strip()}, "
        f"recall {_pct(total.recall).strip()}; {total.tp} right, {total.fp} extra or wrong, "
        f"{total.fn} missed or wrong). Rows: {_prf(res.total('rows'))}."
    )
    lines += [
        "",
        "## Documents",
        "",
        "| document | field F1 | precision | recall | rows F1 | summary | narrative | mismatches |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for d in res.documents:
        lines.append(
            f"| {d.document} | {_pct(d.fields.f1)} | {_pct(d.fields.precision)} | {_pct(d.fields.recall)} | "
            f"{_pct(d.rows.f1)} | {d.summary['correct']}/{d.summary['total']} | "
            f"{d.narrative['correct']}/{d.narrative['total']} | {len(d.mismatches)} |"
        )
    lines += [
        "",
        "## Table kinds",
        "",
        "| kind | detection precision | detection recall | field F1 |",
        "|---|---|---|---|",
    ]
    fk = res.fields_by_kind()
    for kind, c in res.tables_by_kind().items():
        lines.append(f"| {kind} | {_pct(c.precision)} | {_pct(c.recall)} | {_pct(fk.get(kind, Counts()).f1)} |")
    lines += ["", "## Cell accuracy by value key", "", "| key | correct | total |", "|---|---|---|"]
    for k, (a, b) in res.cell_accuracy().items():
        lines.append(f"| {k} | {a} | {b} |")
    lines += ["", "## Mismatches", "", "| document | table | row | key | expected | got |", "|---|---|---|---|---|---|"]
    for d in res.documents:
        for m in d.mismatches:
            cells = [m.document, m.table, m.row, m.key, value_text(m.expected), value_text(m.got)]
            lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"
