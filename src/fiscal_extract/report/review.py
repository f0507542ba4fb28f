"""The review report's content: the source text with every figure marked, the tables, the failed
checks by cause, the repairs and (with gold) the mismatches -- each linked to the figures involved.

``build_review`` decides everything the page shows; :mod:`fiscal_extract.report.review_html` only lays it
out.  Figures are the marks of :mod:`fiscal_extract.report.figure_marks`; failed checks are grouped as
``fiscal-extract check`` groups them (:func:`fiscal_extract.report.findings.report`).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..evaluate.results import DocResult, Mismatch
from ..evaluate.run import load_gold
from ..evaluate.score import evaluate_pair
from ..models import CheckResult, Disclosure, Repair, Span, Table
from ..options import ExtractOptions
from ..read.normalize import SourceText, read_source
from .figure_marks import Mark, figure_marks, marks_by_ref
from .findings import CheckReport, FigureView, check_file, figure
from .review_pages import PageView, page_views

CAUSES: dict[str, tuple[str, str]] = {
    "extraction": (
        "Extraction",
        "a repaired, realigned, cut-short or model-derived figure is involved, and another reading would hold",
    ),
    "unknown": ("Unknown", "a figure without provenance is involved"),
    "source": ("Source", "the figures as printed disagree: the document contradicts itself"),
}
DROPPED_KINDS = ("noise", "debris")
_TABLE_REF = re.compile(r"^tables\[(\d+)\](?:\.rows\[(\d+)\])?")


@dataclass(frozen=True)
class Link:
    """Something the page points at: a marked figure, else the line it is on (else nothing)."""

    label: str
    value: str = ""
    mark: str | None = None
    line: int | None = None


@dataclass
class MarkView:
    mark: Mark
    classes: list[str] = field(default_factory=list)
    figures: list[FigureView] = field(default_factory=list)
    origins: list[str] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)
    checks: list[int] = field(default_factory=list)
    mismatches: list[Mismatch] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.mark.id

    def title(self) -> str:
        """The hover text: where each figure sits, its value, and what happened to it."""
        out = [f"{f.table} / {f.row} / {f.key} = {_show(f.value)}" for f in self.figures]
        out += [f"summary: {', '.join(self.summary)}"] if self.summary else []
        out += [f"repaired: '{r.original}' -> {_show(r.value)} ({r.reason})" for r in self.repairs]
        out += ["read by the model"] if "llm" in self.classes else []
        out += [f"in {len(self.checks)} failed check(s)"] if self.checks else []
        out += [f"gold: expected {_show(m.expected)}, got {_show(m.got)}" for m in self.mismatches]
        return "\n".join(out)


@dataclass(frozen=True)
class Segment:
    """A run of one line's text, either plain, a figure mark (``first``: it carries the id) or a
    dropped mark (OCR debris the extractor did not read as a figure)."""

    text: str
    mark: MarkView | None = None
    first: bool = False
    dropped: Repair | None = None


@dataclass
class LineView:
    number: int
    segments: list[Segment]


@dataclass
class CheckView:
    index: int
    check: CheckResult
    figures: list[Link]
    discrepancy: str = ""
    """Where one figure explains this failed check and others: that one discrepancy, said once."""

    @property
    def marks(self) -> list[str]:
        return list(dict.fromkeys(f.mark for f in self.figures if f.mark))


@dataclass
class CauseGroup:
    cause: str
    title: str
    explanation: str
    checks: list[CheckView]


@dataclass(frozen=True)
class Cell:
    text: str
    mark: str | None = None
    classes: tuple[str, ...] = ()


@dataclass
class TableView:
    index: int
    table: Table
    columns: list[tuple[str, str]]
    rows: list[tuple[str, list[Cell]]]
    figures: int
    failed: int


@dataclass
class GoldView:
    path: str
    result: DocResult
    mismatches: list[tuple[Mismatch, Link]]


@dataclass
class Review:
    record: Disclosure
    report: CheckReport
    lines: list[LineView]
    marks: list[MarkView]
    groups: list[CauseGroup]
    skipped: list[CheckResult]
    tables: list[TableView]
    repairs: list[tuple[Repair, Link]]
    gold: GoldView | None = None
    pages: list[PageView] = field(default_factory=list)
    """A PDF's pages holding figures, each figure's box on them (:mod:`.review_pages`)."""
    coverage: dict[str, Any] | None = None
    """The coverage report of the onboarding that wrote the profile read with (``onboard --review``)."""

    def stats(self) -> dict[str, int]:
        """Counts for the header: figures and how many of them are repaired, model-read, failing, wrong."""
        count = Counter(c for m in self.marks for c in set(m.classes))
        return {
            "figures": len(self.marks),
            "repaired": count["repaired"],
            "llm": count["llm"],
            "failed": count["failed"],
            "mismatch": count["mismatch"],
            "dropped": sum(1 for ln in self.lines for s in ln.segments if s.dropped is not None),
        }

    def payload(self) -> dict[str, Any]:
        """What the page's script needs to show a figure's details (plain strings only)."""
        checks = {i: f"{c.id} ({c.cause})" for i, c in enumerate(self.record.checks) if c.status == "fail"}
        return {
            "marks": {
                m.id: {
                    "line": m.mark.line,
                    "figures": [
                        {"table": f.table, "row": f.row, "key": f.key, "value": _show(f.value), "origin": o}
                        for f, o in zip(m.figures, m.origins, strict=True)
                    ],
                    "summary": m.summary,
                    "repairs": [
                        {"original": r.original, "value": _show(r.value), "reason": r.reason} for r in m.repairs
                    ],
                    "checks": [[f"c{i}", checks[i]] for i in m.checks],
                    "gold": [{"key": x.key, "expected": _show(x.expected), "got": _show(x.got)} for x in m.mismatches],
                }
                for m in self.marks
            }
        }


def _show(v: Any) -> str:
    if v is None:
        return "—"
    return format(v, "f") if isinstance(v, Decimal) else str(v)


# ----------------------------------------------------------------------------- building


def _line_of(record: Disclosure, ref: str) -> int | None:
    """The line a reference's row or table starts on (for figures that are not printed)."""
    m = _TABLE_REF.match(ref)
    if m:
        ti = int(m.group(1))
        if ti >= len(record.tables):
            return None
        t = record.tables[ti]
        if m.group(2) is not None and int(m.group(2)) < len(t.rows):
            span = t.rows[int(m.group(2))].span
            if span is not None:
                return span.line
        return t.span.line if t.span else None
    if ref.startswith("summary."):
        cell = record.summary.refs.get(ref.removeprefix("summary."))
        return _line_of(record, f"tables[{cell.table}].rows[{cell.row}]") if cell else None
    span = figure(record, ref).span
    return span.line if span else None


def _link(record: Disclosure, by_ref: dict[str, Mark], ref: str, label: str, value: Any) -> Link:
    mark = by_ref.get(ref)
    if mark is not None:
        return Link(label, _show(value), mark.id, mark.line)
    return Link(label, _show(value), None, _line_of(record, ref))


def _overlaps(span: Span, mark: Mark) -> bool:
    return span.start < mark.end and mark.start < max(span.end, span.start + 1)


def _mark_views(record: Disclosure, marks: list[Mark]) -> list[MarkView]:
    llm = {
        f"tables[{ti}].rows[{ri}]."
        for ti, t in enumerate(record.tables)
        for ri, r in enumerate(t.rows)
        if "llm" in (t.origin, r.origin)
    }
    views = []
    for mark in marks:
        mv = MarkView(mark, ["fig"])
        for f in mark.figures:
            if f.ref.startswith("summary."):
                mv.summary.append(f.ref.removeprefix("summary."))
                continue
            mv.figures.append(figure(record, f.ref))
            is_llm = any(f.ref.startswith(p) for p in llm) if llm else False
            mv.origins.append("llm" if is_llm else "rules")
        mv.repairs = [r for r in record.repairs if r.span is not None and _overlaps(r.span, mark)]
        if any(r.kind not in DROPPED_KINDS for r in mv.repairs):
            mv.classes.append("repaired")
        if "llm" in mv.origins:
            mv.classes.append("llm")
        views.append(mv)
    return views


def _lines(src: SourceText, marks: list[MarkView], dropped: list[Repair]) -> list[LineView]:
    """The text line by line, cut into plain runs, figure marks and dropped marks."""
    text = src.text
    annots: list[tuple[int, int, MarkView | None, Repair | None]] = [(m.mark.start, m.mark.end, m, None) for m in marks]
    for r in dropped:
        assert r.span is not None
        if not any(_overlaps(r.span, m.mark) for m in marks):
            annots.append((r.span.start, max(r.span.end, r.span.start + 1), None, r))
    annots.sort(key=lambda a: (a[0], a[1]))
    seen: set[int] = set()
    out: list[LineView] = []
    k = 0
    for number, (ls, le) in enumerate(src.lines(), 1):
        segments: list[Segment] = []
        pos = ls
        while k < len(annots) and annots[k][1] <= ls and k in seen:
            k += 1
        j = k
        while j < len(annots) and annots[j][0] < max(le, ls + 1):
            start, end, mv, rep = annots[j]
            s, e = max(start, pos), min(end, le)
            if s > pos:
                segments.append(Segment(text[pos:s]))
            if e > s or j not in seen:
                segments.append(Segment(text[s:e] if e > s else "", mv, j not in seen, rep))
                seen.add(j)
            pos = max(pos, e)
            j += 1
        if pos < le:
            segments.append(Segment(text[pos:le]))
        out.append(LineView(number, segments))
    return out


def _tables(record: Disclosure, by_ref: dict[str, Mark], views: dict[str, MarkView]) -> list[TableView]:
    out = []
    for ti, t in enumerate(record.tables):
        labels: dict[str, list[str]] = {}
        for c in t.columns:  # a two-sided table names its columns "income:total", "expenditure:total"
            labels.setdefault(c.key.rsplit(":", 1)[-1], []).append(c.label)
        for r in t.rows:
            for k in [*r.values, *r.texts]:
                labels.setdefault(k, [k])
        columns = [(k, " | ".join(v)) for k, v in labels.items()]
        rows = []
        figures = failed = 0
        for ri, r in enumerate(t.rows):
            cells = []
            for key, _label in columns:
                if key in r.values:
                    mark = by_ref.get(f"tables[{ti}].rows[{ri}].values.{key}")
                    mv = views[mark.id] if mark else None
                    classes = tuple(c for c in (mv.classes if mv else ()) if c != "fig")
                    figures += mark is not None
                    failed += "failed" in classes
                    cells.append(
                        Cell(_show(r.values[key]) if r.values[key] is not None else "", mark and mark.id, classes)
                    )
                else:
                    cells.append(Cell(r.texts.get(key, "")))
            label = " ".join(x for x in (r.side and f"[{r.side}]", r.code, r.name) if x) or f"({r.role})"
            rows.append((label, cells))
        out.append(TableView(ti, t, columns, rows, figures, failed))
    return out


def build_review(rep: CheckReport, src: SourceText, gold: tuple[str, DocResult] | None = None) -> Review:
    """Everything the review page shows, decided here (the HTML only lays it out)."""
    record = rep.record
    marks = figure_marks(record)
    by_ref = marks_by_ref(marks)
    views = _mark_views(record, marks)
    by_id = {v.id: v for v in views}
    index = {id(c): i for i, c in enumerate(record.checks)}
    groups: dict[str, list[CheckView]] = defaultdict(list)
    shared = {id(f): g.headline for g in rep.groups for f in g.findings}
    for finding in rep.findings:
        ci = index[id(finding.check)]
        links = [_link(record, by_ref, f.ref, f.label, f.value) for f in finding.figures]
        cv = CheckView(ci, finding.check, links, shared.get(id(finding), ""))
        cause = finding.check.cause or "unknown"
        groups[cause].append(cv)
        for mid in cv.marks:
            mv = by_id[mid]
            mv.checks.append(ci)
            for c in ("failed", f"cause-{cause}"):
                if c not in mv.classes:
                    mv.classes.append(c)
    cause_groups = [CauseGroup(c, *CAUSES[c], groups[c]) for c in CAUSES if groups.get(c)]
    gold_view = None
    if gold is not None:
        path, result = gold
        mismatches = []
        for m in result.mismatches:
            link = _link(record, by_ref, m.ref, m.key, m.got) if m.ref else Link(m.key, _show(m.got))
            mismatches.append((m, link))
            if link.mark:
                by_id[link.mark].mismatches.append(m)
                if "mismatch" not in by_id[link.mark].classes:
                    by_id[link.mark].classes.append("mismatch")
        gold_view = GoldView(path, result, mismatches)
    dropped = [r for r in record.repairs if r.kind in DROPPED_KINDS and r.span is not None]
    repairs = [
        (r, Link(r.kind, _show(r.value), next((m.id for m in marks if _overlaps(r.span, m)), None), r.span.line))
        for r in record.repairs
        if r.span is not None
    ] + [(r, Link(r.kind, _show(r.value))) for r in record.repairs if r.span is None]
    return Review(
        record=record,
        report=rep,
        lines=_lines(src, views, dropped),
        marks=views,
        groups=cause_groups,
        skipped=[c for c in record.checks if c.status == "skip"],
        tables=_tables(record, by_ref, by_id),
        repairs=repairs,
        gold=gold_view,
    )


# ----------------------------------------------------------------------------- entry


def _source_of(path: Path, record: Disclosure, options: ExtractOptions, text: Path | None = None) -> SourceText:
    """The text a record was extracted from: ``text`` when given, else the file itself, else the one an
    extracted record names -- where it names it, or beside the record or any folder above it (a record
    extracted elsewhere names its text relative to where that ran).  Only the text whose sha256 is the
    record's is taken."""
    from ..errors import InputError

    if text is not None:
        if path.suffix.lower() != ".json":
            raise InputError("usage", f"--text is for an extracted record (.json); {path.name} is the document itself")
        src = read_source(text, options.max_bytes, options.pdf())
        if src.sha256 != record.source.sha256:
            raise InputError("changed", f"{text} is not the text {path.name} was extracted from (sha256 differs)")
        return _reading(src, record)
    if path.suffix.lower() != ".json":
        return _reading(read_source(path, options.max_bytes, options.pdf()), record)
    named = Path(record.source.path)
    here = path.resolve().parent
    cands = [named, *(d / named for d in (here, *here.parents))]
    if not named.is_absolute():
        cands += [here / named.name, *(here / f"{path.stem}{ext}" for ext in (".txt", ".md", ".html", ".htm", ".pdf"))]
    changed = None
    for cand in dict.fromkeys(cands):
        if cand.is_file():
            src = read_source(cand, options.max_bytes, options.pdf())
            if src.sha256 == record.source.sha256:
                return _reading(src, record)
            changed = changed or cand
    if changed is not None:
        raise InputError(
            "changed",
            f"{changed} has changed since {path.name} was extracted (sha256 differs): give the text with --text",
        )
    raise InputError(
        "missing",
        f"the document {path.name} was extracted from ({named}) was not found where the record names it or beside "
        "it: give the text with --text",
    )


def _reading(src: SourceText, record: Disclosure) -> SourceText:
    """The reading of a PDF the record was made from (its spans point into that text)."""
    if record.extractor.get("pdf_reading") == "pdfium" and src.alternate is not None:
        return src.alternate
    return src


def review_file(
    path: str | Path,
    options: ExtractOptions | None = None,
    gold: str | Path | None = None,
    text: str | Path | None = None,
) -> Review:
    """Extract (or load) a document, check it and, with a gold record, score it: the review's content."""
    from ..errors import InputError

    options = options or ExtractOptions()
    p = Path(path)
    rep = check_file(p, options)
    src = _source_of(p, rep.record, options, None if text is None else Path(text))
    scored = None
    if gold is not None:
        gp = Path(gold)
        data = load_gold(gp)
        want = (data.get("source") or {}).get("sha256")
        if want and want != src.sha256:
            raise InputError("gold", f"{gp} was labelled on another text (its sha256 differs from {p.name}'s)")
        scored = (str(gp), evaluate_pair(gp.stem, data, rep.record))
    review = build_review(rep, src, scored)
    review.pages = page_views(src, [(m.id, m.mark.start, m.mark.end) for m in review.marks])
    return review
