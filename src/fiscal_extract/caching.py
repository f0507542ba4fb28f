"""How much the text-keyed caches of a process may hold.

Table reading asks the same questions of the same cell texts again and again ("0.00", column
labels, indicator names), so answers are remembered per text.  Most figure texts are met once,
though, so a cache as large as an archive only grows: every cache keyed by a text is bounded by
:data:`TEXT_CACHE` entries, which keeps what recurs and keeps a long batch worker's memory flat.
"""

TEXT_CACHE = 8192
"""Entries per text-keyed cache (an LRU cache keeps the most recent; a plain memo starts over)."""
