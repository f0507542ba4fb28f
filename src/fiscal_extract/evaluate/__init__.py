"""Evaluation: extracted records scored against hand-labelled gold (``eval/gold``).

In: gold records and predicted records (extracted now through the pipeline, or read from a
folder).  Out: an :class:`~.results.EvalResult` (counts, per-document results, every mismatch with
its ``ref``).  Modules: ``score`` (pairing tables, rows and cells; field-level F1), ``results``
(the result types), ``run`` (a folder of gold against extraction).

May import the pipeline and everything below it; never ``report`` (which draws these results),
``batch`` or ``cli``.
"""
