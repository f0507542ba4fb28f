"""The tables a document says it has -- its contents list, and titles printed with no table read
after them -- against the tables read: a table named but not read is reported, never silently
left out (its figures are missing from the record, which is not the document's fault).

Comes in: the segments and the parsed tables.  Goes out: notices (``table_not_read``).  May
import: ``catalog``, ``read``, ``models``.
"""

from __future__ import annotations

import re

from ..catalog import Catalog
from ..models import Notice, Span, Table
from ..read.normalize import SourceText
from ..read.segment import Segments

_LEADER = re.compile(r"[\s.…·．_-]{2,}\d{0,4}\s*$|\s+\d{1,4}\s*$")


def named_tables(seg: Segments, cat: Catalog) -> list[tuple[str, str, int, int]]:
    """``(kind, title, start, end)`` of every table title printed in the running text (contents
    entries with their dot leaders and page numbers dropped)."""
    out = []
    for line in seg.text_lines:
        text = line.text
        if len(text) > 90:
            continue
        core = _LEADER.sub("", text).strip()
        found = cat.match_title(core)
        if found is not None and found.kind != "other":
            out.append((found.kind, core, line.start, line.end))
    return out


def unread_tables(src: SourceText, seg: Segments, tables: list[Table], cat: Catalog) -> list[Notice]:
    """A notice for each kind of table the document names but no table of which was read (with
    figures, or printed empty)."""
    read = {t.kind for t in tables if t.empty or any(v is not None for r in t.rows for v in r.values.values())}
    notices: list[Notice] = []
    seen: set[str] = set()
    for kind, title, start, end in named_tables(seg, cat):
        if kind in read or kind in seen or cat.layout_of(kind) == "performance":
            continue
        seen.add(kind)
        notices.append(
            Notice(
                code="table_not_read",
                message=f"the document names the table {title} ({kind}), but it was not read: its figures "
                "are missing from this record (checks that need them are skipped, not failed)",
                span=Span(start=start, end=end, line=src.line_of(start)),
            )
        )
    if not read and not notices:
        notices.append(
            Notice(
                code="no_table_read",
                message="no table of this document was read: it names none the catalog knows, and no table was "
                "found in its text (its figures, if it prints any, are missing from this record)",
            )
        )
    return notices
