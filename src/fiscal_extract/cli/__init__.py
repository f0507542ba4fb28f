"""The command line: parse arguments, call one library function, print its result.

In: argv.  Out: text or JSON on stdout, one-line errors and exit codes.  One module per command
group (``app``: extract, check, eval, schema; ``batch``; ``review``; ``llm``: onboard and cache;
``options``: the options every group shares; ``plain_help``: help without Python types).  May
import every other package; nothing imports it.
"""

from .app import app, main

__all__ = ["app", "main"]
