"""Reading: bytes -> text -> segments.

In: a document's bytes (or a path).  Out: a :class:`~.normalize.SourceText` (decoded, folded, with
line offsets) and its :class:`~.segment.Segments` (narrative lines and table blocks, each table a
:class:`~.grid.Grid` of cells whatever its rendering).  Modules: ``normalize`` (decoding, refusing
what is not text), ``numbers`` (a printed number as OCR prints it -> ``Decimal``), ``cells`` (a
cell's value under a table's printing style), ``grid`` (the grid type and one reader per rendering:
tab-separated, markdown pipes, HTML ``<table>``, space-aligned), ``segment`` (titles, headers,
page-break continuations), ``anchored`` (fast anchored regex search), ``render`` (the inverse, for
tests and onboarding samples: a document re-rendered and damaged).

May import the catalog and the base modules (``errors``, ``fold``, ``caching``, ``models``); never
the table parsers, checks, pipeline or model path.
"""
