"""Batches: a folder of documents -> an output set of records, a manifest, and data stores.

In: a folder (or archive listing) of documents and :class:`~.engine.BatchOptions`.  Out: one
record file per document, a resumable manifest with a status per document (ok / partial / failed
/ skipped), and exports (``stores``: JSON Lines, tidy CSV, Parquet, SQLite).  Modules: ``engine``
(workers, time limits, retries, signals), ``cluster`` (the documents on a dask.distributed
cluster), ``manifest`` (in SQLite), ``stream`` (records into SQLite as they convert), ``walk``
(finding documents), ``export`` (record bytes and files), ``stores/`` (one module per store).

May import the pipeline and everything below it; never ``report``, ``evaluate`` or ``cli``.
"""
