"""The review report as one self-contained HTML file (layout only: :mod:`fiscal_extract.report.review`
decides what it shows)."""

from __future__ import annotations

from .html_page import inline_script, render_page
from .review import Review


def review_html(review: Review) -> str:
    """The review page: source text with every figure marked, tables, checks, repairs, gold."""
    return render_page("review.html.j2", r=review, data=review.payload(), script=inline_script("review.js"))
