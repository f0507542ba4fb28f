"""Tables: a table block -> a :class:`~fiscal_extract.models.Table` with typed rows.

In: a :class:`~fiscal_extract.read.segment.TableBlock` and the parsing context
(:class:`~.draft.Ctx`).  Out: a ``Table`` (rows, columns, span), with repairs and notices on the
context.  ``parse`` picks the layout the catalog gives the table kind; ``header`` maps multi-row
headers to canonical value keys; one module per layout (``classified``, ``grouped``,
``two_sided``, ``project``, ``procurement``, ``flat``, ``performance`` with ``perf_words`` and
``perf_shapes``); ``labels`` (codes, names, row roles), ``draft`` (the drafting types every layout
shares), ``rows`` (reading the figures), ``realign`` (rows whose values slid one column).

May import ``read``, the catalog and the base modules; never text, checks, the pipeline or the
model path.
"""
