"""Reports for people and for other tools: check reports, review pages, eval pages, JSON Schemas.

In: records (or a document to extract), check results, evaluation results.  Out: text, Markdown,
self-contained HTML (Jinja2 templates in ``templates/``, inline SVG charts) and JSON Schema files.
Modules: ``findings`` (the check report of a record: which figures to distrust and why),
``check_text`` (its terminal summary), ``figure_marks`` (every figure of a record, addressed once),
``review`` and ``review_html`` (the review page), ``eval_text`` and ``eval_html`` (evaluation
reports), ``html_page`` and ``svg_chart`` (page and chart helpers), ``schemas`` (the JSON Schema
files, generated from the models).

May import ``evaluate``, the pipeline and everything below; never ``batch`` or ``cli``.
"""
