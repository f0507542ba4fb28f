"""The evaluation report as one self-contained HTML page: charts of accuracy by table kind and by
document (inline SVG), the score tables and every mismatch.  Same numbers as the terminal and
markdown reports (:mod:`fiscal_extract.report.eval_text`), from the same :class:`EvalResult`."""

from __future__ import annotations

from ..evaluate.results import Counts, EvalResult
from .html_page import render_page
from .svg_chart import Series, bar_chart

F1_COLOR = "#1c7ed6"
SECOND_COLOR = "#adb5bd"


def charts(res: EvalResult) -> dict[str, object]:
    """The two charts: field F1 (and table detection recall) by table kind; field and row F1 by document."""
    tables = res.tables_by_kind()
    fields = res.fields_by_kind()
    kinds = sorted(set(tables) | set(fields))
    by_kind = bar_chart(
        "Accuracy by table kind",
        kinds,
        [
            Series("field F1", F1_COLOR, [fields.get(k, Counts()).f1 for k in kinds]),
            Series("table detection recall", SECOND_COLOR, [tables[k].recall if k in tables else None for k in kinds]),
        ],
    )
    docs = [d.document for d in res.documents]
    by_document = bar_chart(
        "Accuracy by document",
        docs,
        [
            Series("field F1", F1_COLOR, [d.fields.f1 for d in res.documents]),
            Series("rows F1", SECOND_COLOR, [d.rows.f1 for d in res.documents]),
        ],
    )
    return {"by_kind": by_kind, "by_document": by_document}


def eval_html(res: EvalResult) -> str:
    """The evaluation report page."""
    mismatches = sum(len(d.mismatches) for d in res.documents)
    return render_page("eval.html.j2", res=res, charts=charts(res), mismatches=mismatches)
