"""Arithmetic checks: verify every record, and say whether a failure is the extractor's or the
source document's.

Every check is an equation over printed figures (``Σ sign × term = 0``).  It passes within a
tolerance derived from the printed precision of its terms (half a unit of the last printed
digit per term: the documents warn of rounding), is ``skip`` when a figure it needs is absent,
and a failure gets a cause:

* ``extraction`` -- a repaired, realigned, cut-short or LLM-derived figure is involved, or one
  figure read differently by a common OCR confusion (3/8, 5/6, 0/8 …, a cut-off last digit)
  would make the check hold;
* ``source`` -- the figures as printed disagree and no such re-reading explains it: the
  document contradicts itself;
* ``unknown`` -- a figure without provenance is involved.

The kinds of check and their messages are data (``catalog/data/checks.toml`` and
``identities.toml``).

In: a :class:`~fiscal_extract.models.Disclosure` and the catalog.  Out: its equations and
:class:`~fiscal_extract.models.CheckResult` list (:func:`.run.equations`, :func:`.run.run_checks`),
and the completion of cut-short figures they justify (:mod:`.reconcile`).  Modules: ``terms``
(terms, equations, tolerance), ``index`` (the figure index), one module per family of equations
(``within``: within a table, ``two_sided``, ``across``: across tables, ``narrative``), ``causes``
(evaluating an equation and the cause of a failure), ``wording`` (a failure said in the document's
terms: printed names, unscaled figures, the sentences of ``[wording]`` in checks.toml),
``discrepancy`` (failed checks one figure explains, as one discrepancy), ``run``.  May import the models, the
catalog and ``selectors``; never the readers, the table parsers, the pipeline or the model path.
"""
