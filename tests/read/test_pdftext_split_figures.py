"""pdfium wraps a figure in a narrow cell onto two lines ("1682.7" / "6"): the lone digit is the
figure's last digit, not a page number, and the figure is read whole (with a repair).  The text is
pdfium's of a real document (Changchun, corpus 10), whose printed figures are 1682.76 and 1378.41."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from fiscal_extract.pipeline import extract_file

CORPUS = Path(__file__).resolve().parents[2] / "eval" / "corpus" / "text"


def test_a_figure_wrapped_onto_a_lone_digit_is_read_whole() -> None:
    path = next(CORPUS.glob("10_*.pdfium.txt"))
    rec = extract_file(path)
    t = next(t for t in rec.tables if t.kind == "general_budget_expenditure")
    totals = {r.name: r.values.get("total") for r in t.rows}
    assert totals["总计："] == Decimal("1682.76")
    assert totals["一般公共服务支出"] == Decimal("1378.41")
    assert any(r.original.startswith("1682.7") and r.value == Decimal("1682.76") for r in rec.repairs)
