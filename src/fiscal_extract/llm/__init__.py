"""The model path: settings, the ``openai`` + ``instructor`` client, prompts, tasks and the
``llm`` / ``hybrid`` backends.

In: a rules record, its source and segments, the catalog, settings (or a shared client), and a
``reread`` callable from the pipeline (the rules again under an extended catalog).  Out: the
record changed in place (tables read or named by the model, rows read again), every change marked
as the model's.  Importing this package imports nothing heavy: ``openai`` and ``instructor`` load
only with :mod:`fiscal_extract.llm.client`, which the rules path never touches.

May import text, tables, read, the catalog and the base modules; never the pipeline (it is given
what it needs), ``options``, checks, or anything above.
"""
