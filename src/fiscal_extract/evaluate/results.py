"""The results of an evaluation: counts (precision, recall, F1), per-document results, mismatches."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

KEY_KINDS = (
    "general_budget_expenditure",
    "general_budget_basic_expenditure",
    "three_public",
    "project_expenditure",
    "summary",
)
"""Where the key figures of a document are: the summary and the tables analysts use most."""


@dataclass
class Mismatch:
    document: str
    table: str
    row: str
    key: str
    expected: Any
    got: Any
    ref: str | None = None
    """Where the extracted side is in the record ("tables[3].rows[5].values.total", "tables[2]",
    "narrative.facts[0].value"...), when it was extracted at all: the review report links it."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "table": self.table,
            "row": self.row,
            "key": self.key,
            "expected": _show(self.expected),
            "got": _show(self.got),
            "ref": self.ref,
        }


def _show(v: Any) -> Any:
    return format(v, "f") if isinstance(v, Decimal) else v


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass
class DocResult:
    document: str
    tables: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    rows: Counts = field(default_factory=Counts)
    cells: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    summary: Counter[str] = field(default_factory=Counter)
    narrative: Counter[str] = field(default_factory=Counter)
    fields: Counts = field(default_factory=Counts)
    fields_by_kind: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    fields_by_part: dict[tuple[str, str], Counts] = field(default_factory=lambda: defaultdict(Counts))
    """Performance tables' fields split by (kind, "numbers" | "texts"): figures cannot hide behind
    the indicator texts' score."""
    mismatches: list[Mismatch] = field(default_factory=list)

    def key_figures(self) -> tuple[int, int]:
        """(correct, total) of the gold's key figures: the summary and the functional,
        basic-expenditure, "三公" and project tables."""
        correct = total = 0
        for kind in KEY_KINDS:
            c = self.fields_by_kind.get(kind)
            if c is None:
                continue
            correct += c.tp
            total += c.tp + c.fn
        return correct, total


@dataclass
class EvalResult:
    documents: list[DocResult]

    def total(self, attr: str) -> Counts:
        out = Counts()
        for d in self.documents:
            out.add(getattr(d, attr))
        return out

    def tables_by_kind(self) -> dict[str, Counts]:
        out: dict[str, Counts] = defaultdict(Counts)
        for d in self.documents:
            for k, c in d.tables.items():
                out[k].add(c)
        return dict(sorted(out.items()))

    def fields_by_kind(self) -> dict[str, Counts]:
        out: dict[str, Counts] = defaultdict(Counts)
        for d in self.documents:
            for k, c in d.fields_by_kind.items():
                out[k].add(c)
        return dict(sorted(out.items()))

    def fields_by_part(self) -> dict[tuple[str, str], Counts]:
        out: dict[tuple[str, str], Counts] = defaultdict(Counts)
        for d in self.documents:
            for k, c in d.fields_by_part.items():
                out[k].add(c)
        return dict(sorted(out.items()))

    def cell_accuracy(self) -> dict[str, tuple[int, int]]:
        out: dict[str, Counter[str]] = defaultdict(Counter)
        for d in self.documents:
            for k, c in d.cells.items():
                out[k].update(c)
        return {k: (c["correct"], c["total"]) for k, c in sorted(out.items())}

    def as_dict(self) -> dict[str, Any]:
        def acc(c: Counter[str]) -> dict[str, Any]:
            return {
                "correct": c["correct"],
                "total": c["total"],
                "accuracy": round(c["correct"] / c["total"], 4) if c["total"] else None,
            }

        return {
            "overall": {
                "fields": self.total("fields").as_dict(),
                "rows": self.total("rows").as_dict(),
                "tables": {k: v.as_dict() for k, v in self.tables_by_kind().items()},
                "fields_by_table_kind": {k: v.as_dict() for k, v in self.fields_by_kind().items()},
                "fields_by_table_kind_part": {
                    f"{kind}.{part}": v.as_dict() for (kind, part), v in self.fields_by_part().items()
                },
                "cells_by_key": {
                    k: {"correct": a, "total": b, "accuracy": round(a / b, 4) if b else None}
                    for k, (a, b) in self.cell_accuracy().items()
                },
            },
            "documents": [
                {
                    "document": d.document,
                    "fields": d.fields.as_dict(),
                    "rows": d.rows.as_dict(),
                    "tables": {k: v.as_dict() for k, v in sorted(d.tables.items())},
                    "summary": acc(d.summary),
                    "key_figures": dict(zip(("correct", "total"), d.key_figures(), strict=True)),
                    "narrative": acc(d.narrative),
                    "mismatches": [m.as_dict() for m in d.mismatches],
                }
                for d in self.documents
            ],
        }
