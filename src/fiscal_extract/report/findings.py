"""Check results made readable: each failure with its figures, their values and where they are.

Used by ``fiscal-extract check`` and by the review report, so both point at the same places.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ..catalog import Catalog, load
from ..checks.discrepancy import discrepancies
from ..checks.run import equations, run_checks
from ..checks.terms import Equation
from ..checks.wording import name as printed_name
from ..checks.wording import num
from ..errors import InputError
from ..jsonio import load_disclosure
from ..models import CheckResult, Disclosure, NarrativeFact, Span
from ..options import ExtractOptions

_ROW_REF = re.compile(r"^tables\[(\d+)\]\.rows\[(\d+)\]\.values\.(\w+)$")
_FACT_REF = re.compile(r"^narrative\.facts\[(\d+)\]")
CAUSE_ORDER = {"extraction": 0, "unknown": 1, "source": 2}


@dataclass(frozen=True)
class FigureView:
    ref: str
    label: str
    value: Decimal | None
    span: Span | None
    table: str = ""
    """Where the figure is, in three parts: the table (or "narrative"), the row and the key."""
    row: str = ""
    key: str = ""


@dataclass
class Finding:
    check: CheckResult
    figures: list[FigureView] = field(default_factory=list)


@dataclass
class Group:
    """One discrepancy: the figure that explains several failed checks, and those checks."""

    figure: FigureView
    needed: Decimal
    findings: list[Finding]
    name: str = ""
    """The figure's printed name (table / row / column heading)."""

    @property
    def cause(self) -> str:
        """The group's cause: the extractor's if any of its checks blames extraction."""
        causes = [f.check.cause or "" for f in self.findings]
        return min(causes, key=lambda c: CAUSE_ORDER.get(c, 3))

    @property
    def headline(self) -> str:
        f = self.figure
        where = f" (line {f.span.line})" if f.span else ""
        printed = "" if f.value is None else f" is {num(f.value)}"
        return (
            f"one discrepancy, {len(self.findings)} failed checks: {self.name or f.label}{printed}{where}; "
            f"{num(self.needed)} would make every one of them hold"
        )


@dataclass
class CheckReport:
    record: Disclosure
    counts: Counter[str]
    causes: Counter[str]
    findings: list[Finding]
    groups: list[Group] = field(default_factory=list)
    """Failed checks one figure explains, as one discrepancy each (their findings are in
    ``findings`` too); a failed check in no group is a discrepancy of its own."""

    @property
    def discrepancies(self) -> int:
        grouped = sum(len(g.findings) for g in self.groups)
        return len(self.findings) - grouped + len(self.groups)

    @property
    def extraction_failures(self) -> int:
        return self.causes.get("extraction", 0)


def figure(record: Disclosure, ref: str) -> FigureView:
    """What a check reference points at: its label, value and source span."""
    m = _ROW_REF.match(ref)
    if m:
        ti, ri, key = int(m.group(1)), int(m.group(2)), m.group(3)
        if ti < len(record.tables) and ri < len(record.tables[ti].rows):
            t = record.tables[ti]
            r = t.rows[ri]
            name = " ".join(x for x in (r.code, r.name) if x) or r.role
            side = f"{r.side} / " if r.side else ""
            table, row = t.title or t.kind, f"{side}{name}"
            # the column as the document heads it, where it does
            column = next((c.label for c in t.columns if c.key == key and c.label), key)
            return FigureView(
                ref, f"{table} / {row} / {column}", r.values.get(key), r.cells.get(key) or r.span, table, row, key
            )
    m = _FACT_REF.match(ref)
    if m:
        n = int(m.group(1))
        if n < len(record.narrative.facts):
            f = record.narrative.facts[n]
            part = ref[m.end() :].lstrip(".") or "value"
            value, span = fact_part(f, part)
            row = f"{f.subject} ({f.key})"
            return FigureView(ref, f"narrative: {f.subject} ({f.key}, {part})", value, span, "narrative", row, part)
    return FigureView(ref, ref, None, None)


def fact_part(f: NarrativeFact, part: str) -> tuple[Decimal | None, Span | None]:
    """A narrative fact's figure named by ``part`` ("value", "share", "change.amount", "change.percent",
    "change.previous") and where it is printed (a change's own phrase when the fact records one)."""
    if part.startswith("change."):
        if f.change is None:
            return None, None
        return getattr(f.change, part.split(".", 1)[1], None), f.change.span or f.span
    return (f.share if part == "share" else f.value), f.span


def report(record: Disclosure, eqs: list[Equation] | None = None) -> CheckReport:
    """The record's failed checks with their figures; with the equations the checks were run on
    (``eqs``), failed checks one figure explains are grouped as one discrepancy."""
    counts = Counter(c.status for c in record.checks)
    causes = Counter(c.cause for c in record.checks if c.status == "fail" and c.cause)
    by_index = {i: Finding(c, [figure(record, ref) for ref in c.refs]) for i, c in enumerate(record.checks)
                if c.status == "fail"}
    findings = list(by_index.values())
    findings.sort(key=lambda f: (CAUSE_ORDER.get(f.check.cause or "", 3), f.check.id))
    groups = []
    if eqs is not None and [e.id for e in eqs] == [c.id for c in record.checks]:
        for d in discrepancies(eqs, list(by_index)):
            fig = figure(record, d.term.ref)
            groups.append(Group(fig, d.needed, [by_index[i] for i in d.checks], printed_name(d.term)))
    return CheckReport(record, counts, causes, findings, groups)


def check_file(path: str | Path, options: ExtractOptions | None = None, cat: Catalog | None = None) -> CheckReport:
    """Check a document (extracting it first) or an extracted record (a ``.json`` file)."""
    p = Path(path)
    if p.suffix.lower() == ".json":
        try:
            record = load_disclosure(p.read_bytes())
        except FileNotFoundError:
            raise InputError("missing", f"no such file: {p}") from None
        except ValueError as exc:
            raise InputError("not_a_record", f"{p} is not an extracted record: {str(exc).splitlines()[0]}") from None
        cat = cat or load((options or ExtractOptions()).profiles)
        eqs = equations(record, cat)
        record.checks = run_checks(record, cat, eqs)
        return report(record, eqs)
    from ..pipeline import extract_file

    record = extract_file(p, options)
    return report(record, equations(record, cat or load((options or ExtractOptions()).profiles)))
