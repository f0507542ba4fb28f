"""The pipeline, wired in one place: normalize -> segment -> extract -> check -> Disclosure."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .catalog import Catalog, load
from .checks.reconcile import complete_short_figures
from .checks.run import equations, run_checks
from .errors import InputError, NotADisclosureError
from .models import Disclosure, Notice, Source, Table
from .options import ExtractOptions
from .read.cells import style_of
from .read.multidoc import refuse_several
from .read.normalize import SourceText, from_bytes, read_source, size_limit, too_large
from .read.pdf_spans import place_spans
from .read.segment import Segments, segment
from .tables.parse import Ctx, parse_tables
from .text.contents import named_tables, unread_tables
from .text.meta import extract_meta
from .text.narrative import extract_narrative
from .text.summary import build_summary

if TYPE_CHECKING:
    from .llm.client import LLMClient

FINANCIAL_LAYOUTS = ("two_sided", "classified", "three_public", "project", "procurement")


def extract_file(path: str | Path, options: ExtractOptions | None = None,
                 client: LLMClient | None = None) -> Disclosure:
    """Extract one document file (raises :class:`InputError` for unreadable input)."""
    options = options or ExtractOptions()
    src = read_source(path, options.max_bytes, options.pdf())
    return extract_source(src, options, client=client)


def extract_bytes(data: bytes, path: str = "<bytes>", options: ExtractOptions | None = None,
                  client: LLMClient | None = None) -> Disclosure:
    options = options or ExtractOptions()
    if len(data) > size_limit(data[:1024], options.max_bytes):
        raise InputError("too_large", too_large(len(data), data[:1024], options.max_bytes, "input"))
    return extract_source(from_bytes(data, path, options.pdf()), options, client=client)


def extract_source(src: SourceText, options: ExtractOptions | None = None, cat: Catalog | None = None,
                   client: LLMClient | None = None) -> Disclosure:
    """Extraction of a decoded document into a checked :class:`Disclosure`.

    The rules always run first.  With ``options.backend`` ``hybrid`` the model gets only what the
    rules leave unresolved; with ``llm`` it reads every table and the narrative.  ``client`` (an
    :class:`~fiscal_extract.llm.client.LLMClient`) is shared across documents by callers that
    extract many; without it one is made from ``options.llm`` for this document.
    """
    options = options or ExtractOptions()
    cat = cat or load(options.profiles)
    if src.alternate is not None and options.backend == "rules" and options.checks:
        return _better_reading(src, options, cat)
    refuse_several(src)
    record, seg = _rules(src, options, cat)
    if options.backend != "rules":
        from .llm.hybrid import apply_backend  # imported only when a model backend is asked for

        def reread(extended: Catalog) -> Disclosure:
            return extract_source(src, ExtractOptions(profiles=options.profiles), cat=extended)

        if apply_backend(record, src, seg, cat, options.backend, options.llm_settings(), client, options.profiles,
                         reread=reread):
            record.summary = build_summary(record.tables, cat, record.meta.unit)
            if options.checks:
                record.checks = run_checks(record, cat, equations(record, cat))
    if src.layout is not None:
        place_spans(record, src.layout)  # a PDF: every figure's page and box
    return record


PDF_READINGS = ("position", "pdfium")
"""The two readings of a text-layer PDF: laid out by position, and in PDFium's own text order."""


def _better_reading(src: SourceText, options: ExtractOptions, cat: Catalog) -> Disclosure:
    """A text-layer PDF read both ways; the record whose checks pass more (passes minus failures)
    is kept, the position reading on a tie, and a notice says which was kept and why.  Then each
    of its tables the other reading read better -- the checks on that table alone pass more there
    -- is taken from the other reading (:func:`_better_tables`)."""
    from dataclasses import replace

    assert src.alternate is not None
    sources = [replace(src, alternate=None), src.alternate]
    records = [extract_source(sources[0], options, cat), extract_source(sources[1], options, cat)]
    scores = [sum(c.status == "pass" for c in r.checks) - sum(c.status == "fail" for c in r.checks) for r in records]
    k = 0 if scores[0] >= scores[1] else 1
    record = records[k]
    record.extractor["pdf_reading"] = PDF_READINGS[k]
    taken = _better_tables(record, records[1 - k], sources[1 - k].text, sources[k], cat)
    message = (f"the PDF was read by position and in PDFium's text order; the {PDF_READINGS[k]} reading was kept "
               f"(checks passed minus failed: {scores[0]} by position, {scores[1]} in text order)")
    if taken:
        record.extractor["pdf_tables"] = {PDF_READINGS[1 - k]: [i for i, _ in taken]}
        message += (f"; from the {PDF_READINGS[1 - k]} reading, where their own checks pass more: "
                    + ", ".join(f"{record.tables[i].title or record.tables[i].kind} ({why})" for i, why in taken))
    record.notices.append(Notice(code="pdf_reading", message=message))
    return record


_TABLE_REF = re.compile(r"tables\[(\d+)\]")


def _table_scores(record: Disclosure) -> dict[int, list[int]]:
    """Per table, the checks naming that table alone: ``[passed, failed]``."""
    out: dict[int, list[int]] = {}
    for c in record.checks:
        tables = {int(m) for ref in c.refs for m in _TABLE_REF.findall(ref)}
        if c.status != "skip" and len(tables) == 1:
            out.setdefault(tables.pop(), [0, 0])[c.status == "fail"] += 1
    return out


def _reads_better(new: Table, old: Table, theirs: list[int], mine: list[int]) -> bool:
    """A table's other reading is better when fewer of its own checks fail there and no fewer
    pass, and it reads no fewer figures nor row names (a reading can keep every identity and
    lose the labels)."""
    def read(t: Table) -> tuple[int, int]:
        return (sum(v is not None for r in t.rows for v in r.values.values()), sum(bool(r.name) for r in t.rows))

    mine_read, theirs_read = read(old), read(new)
    return (theirs[1] < mine[1] and theirs[0] >= mine[0] and theirs_read[0] >= mine_read[0]
            and theirs_read[1] >= mine_read[1])


def _table_pairs(a: Disclosure, b: Disclosure) -> list[tuple[int, int]]:
    """The same tables in two readings: of each known kind, the n-th with the n-th, where both
    readings found as many tables of that kind (a table split or lost in one is not paired)."""
    kinds: dict[str, tuple[list[int], list[int]]] = {}
    for side, record in enumerate((a, b)):
        for i, t in enumerate(record.tables):
            if t.kind != "other":
                kinds.setdefault(t.kind, ([], []))[side].append(i)
    return [pair for mine, theirs in kinds.values() if len(mine) == len(theirs)
            for pair in zip(mine, theirs, strict=True)]


def _better_tables(record: Disclosure, other: Disclosure, other_text: str, src: SourceText,
                   cat: Catalog) -> list[tuple[int, str]]:
    """Take into ``record`` every table of ``other`` (the other reading of the same PDF) whose own
    checks pass more there, its spans (and its notices' and repairs') moved onto ``record``'s
    text by where they are printed; a table whose spans cannot all be found again stays.  The
    summary and checks are made again; returns the tables taken, with why."""
    from .read.pdf_move import SpanMover

    if src.layout is None:
        return []
    mine, theirs = _table_scores(record), _table_scores(other)
    mover = SpanMover(other_text, src.text, src.layout, src.line_of)
    taken: list[tuple[int, str]] = []
    for i, j in _table_pairs(record, other):
        old, new = record.tables[i], other.tables[j]
        if old.span is None or new.span is None or not _reads_better(new, old, theirs.get(j, [0, 0]),
                                                                      mine.get(i, [0, 0])):
            continue
        table = new.model_copy(deep=True)
        lo, hi = old.span.start, old.span.end
        ol, oh = new.span.start, new.span.end
        notices = [n.model_copy(deep=True) for n in other.notices if n.span is not None and ol <= n.span.start < oh]
        repairs = [r.model_copy(deep=True) for r in other.repairs if r.span is not None and ol <= r.span.start < oh]
        if not (mover.move(table, skip={id(table.span)}) and all(mover.move(x) for x in notices + repairs)):
            continue
        table.span = old.span
        record.tables[i] = table
        record.notices = [n for n in record.notices if n.span is None or not lo <= n.span.start < hi] + notices
        record.repairs = [r for r in record.repairs if r.span is None or not lo <= r.span.start < hi] + repairs
        (tp, tf), (mp, mf) = theirs.get(j, [0, 0]), mine.get(i, [0, 0])
        taken.append((i, f"checks passed/failed {tp}/{tf} against {mp}/{mf}"))
    if taken:
        record.summary = build_summary(record.tables, cat, record.meta.unit, list(record.notices))
        record.checks = run_checks(record, cat, equations(record, cat))
    return taken


def _rules(src: SourceText, options: ExtractOptions, cat: Catalog) -> tuple[Disclosure, Segments]:
    seg = segment(src, cat)
    numeric = [
        c.text
        for b in seg.tables
        if b.match is None or cat.layout_of(b.match.kind) in FINANCIAL_LAYOUTS
        for g in b.parts
        for r in g.rows
        for c in r.cells
        if c.text and c.text[0].isdigit()
    ]
    ctx = Ctx(cat=cat, src=src, unit=None, department=None, style=style_of(numeric))
    # department and unit first (rows naming the department are budget-unit rows)
    pre = extract_meta(src, seg, [], cat)
    ctx.department = pre.department
    ctx.unit = _doc_unit(seg, cat) or "万元"
    tables: list[Table] = [t for b in seg.tables for t in parse_tables(b, ctx)]
    meta = extract_meta(src, seg, tables, cat)
    if meta.unit is None:
        meta.unit = ctx.unit  # type: ignore[assignment]
    known = [t for t in tables if t.kind != "other"]
    if not known and meta.kind is None and not named_tables(seg, cat):
        raise NotADisclosureError(
            "no budget or final-accounts table and no 预算/决算 title found: this does not look like a disclosure"
        )
    narrative = extract_narrative(src, seg.text_lines, cat, meta.unit)
    notices = list(ctx.notices)
    summary = build_summary(tables, cat, meta.unit, notices)
    notices += unread_tables(src, seg, tables, cat)
    notices += [Notice(code="input", message=n) for n in src.notes]
    record = Disclosure(
        source=Source(path=src.path, sha256=src.sha256, chars=len(src.text), encoding=src.encoding),
        meta=meta,
        summary=summary,
        narrative=narrative,
        tables=tables,
        repairs=ctx.repairs,
        notices=notices,
        extractor={"name": "fiscal-extract", "version": __version__, "backend": "rules", "catalog": cat.version},
    )
    if options.checks:
        eqs = equations(record, cat)
        completed = complete_short_figures(record, cat, eqs)
        if completed:
            record.repairs.extend(completed)
            record.summary = build_summary(tables, cat, meta.unit, [n for n in record.notices])
            eqs = equations(record, cat, previous=eqs)
        record.checks = run_checks(record, cat, eqs)
    return record, seg


def _doc_unit(seg: Segments, cat: Catalog) -> str | None:
    counts: dict[str, int] = {}
    for b in seg.tables:
        for line in b.meta:
            for p in cat.text.get("meta", {}).get("unit", []):
                m = re.search(p, line.text)
                if m:
                    counts[m.group("v")] = counts.get(m.group("v"), 0) + 1
    return max(counts, key=lambda k: counts[k]) if counts else None
