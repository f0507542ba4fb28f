"""Text: the document's running text and headline figures.

In: the :class:`~fiscal_extract.read.normalize.SourceText`, its segments and the parsed tables.
Out: :class:`~fiscal_extract.models.Meta` (department, year, kind, unit, region: ``meta``), the
figures the narrative states (``narrative``), and the summary figures read from the tables
(``summary``).

May import ``tables`` (name cleaning), ``read``, the catalog, ``selectors`` and the base modules;
never checks, the pipeline or the model path.
"""
