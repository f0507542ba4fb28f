"""A file that holds several documents: the cover (title block) printed again further on.

Every disclosure opens with a cover -- the department, the year and "部门预算/决算" on its first
lines -- and prints it once.  Files made by joining several documents (or one document repeated)
print it once per document; read as one they would mix several departments' tables and cost time
and memory in proportion.  They are refused with the lines the covers start on.
"""

from __future__ import annotations

import re

from ..errors import InputError
from .normalize import SourceText

COVER_LINES = 3
"""The non-empty lines that make a cover: three, enough to be unique in every real document."""
_TITLE = re.compile(r"预算|决算")


def document_starts(src: SourceText) -> list[int]:
    """The 1-based lines where the file's cover starts (one entry for an ordinary document)."""
    lines = [(n, ln.strip()) for n, ln in enumerate(src.text.replace("\f", "\n").split("\n"), 1) if ln.strip()]
    if len(lines) <= COVER_LINES:
        return [lines[0][0]] if lines else []
    cover = [t for _, t in lines[:COVER_LINES]]
    if len(set(cover)) < COVER_LINES or not _TITLE.search("".join(cover)):
        return [lines[0][0]]  # no title on the first lines (prose, a repeated line): nothing to recognise
    first = cover[0]
    return [n for k, (n, t) in enumerate(lines) if t == first and [x for _, x in lines[k : k + COVER_LINES]] == cover]


def refuse_several(src: SourceText) -> None:
    """Raise :class:`InputError` (reason ``several_documents``) when the cover is printed again."""
    starts = document_starts(src)
    if len(starts) > 1:
        shown = ", ".join(map(str, starts[:5])) + (" ..." if len(starts) > 5 else "")
        title = " / ".join(t.strip() for t in src.text.split("\n") if t.strip())[:60]
        raise InputError(
            "several_documents",
            f"the file holds {len(starts)} documents (the cover {title!r} starts at lines {shown}): "
            "split it into one file per document",
        )
