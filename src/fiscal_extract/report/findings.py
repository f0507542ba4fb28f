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
from ..checks.run import run_checks
from ..errors import InputError
from ..jsonio import load_disclosure
from ..models import CheckResult, Disclosure, NarrativeFact, Span
from ..options import ExtractOptions

_ROW_REF = re.compile(r"^tables\[(\d+)\]\.rows\[(\d+)\]\.values\.(\w+)$")
_FACT_REF = re.compile(r"^narrative\.facts\[(\d+)\]")


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
class CheckReport:
    record: Disclosure
    counts: Counter[str]
    causes: Counter[str]
    findings: list[Finding]

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
            return FigureView(
                ref, f"{table} / {row} / {key}", r.values.get(key), r.cells.get(key) or r.span, table, row, key
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


def report(record: Disclosure) -> CheckReport:
    counts = Counter(c.status for c in record.checks)
    causes = Counter(c.cause for c in record.checks if c.status == "fail" and c.cause)
    findings = [Finding(c, [figure(record, ref) for ref in c.refs]) for c in record.checks if c.status == "fail"]
    order = {"extraction": 0, "unknown": 1, "source": 2}
    findings.sort(key=lambda f: (order.get(f.check.cause or "", 3), f.check.id))
    return CheckReport(record, counts, causes, findings)


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
        record.checks = run_checks(record, cat)
        return report(record)
    from ..pipeline import extract_file

    return report(extract_file(p, options))
