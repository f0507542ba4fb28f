"""What the model is asked to return, with the validation that sends a wrong answer back.

Figures come back as the text the document prints ("447.48", "1,265.6"): they are read with the
same number parser as the rules path, exactly.  Validators check more than types: value keys must
be canonical, figures must be printed in the segment the model was given, and a table's rows must
satisfy the kind's row identities -- each failed identity is reported with the row, the expected
and the printed figure, and goes back to the model as a re-ask.
"""

from __future__ import annotations

from contextvars import ContextVar
from decimal import Decimal
from functools import lru_cache
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, create_model, model_validator

from ..models import TableKind
from ..read.numbers import parse_number

VALIDATION_CONTEXT: ContextVar[dict[str, Any] | None] = ContextVar("fiscal_extract_validation", default=None)


def _ctx() -> dict[str, Any]:
    return VALIDATION_CONTEXT.get() or {}

Role = Literal["value", "code", "code_part", "unit_code", "name", "text", "category", "line_no", "skip"]


class KeyValue(BaseModel):
    key: str = Field(description="canonical value key, e.g. total, basic, project, personnel, public")
    value: str | None = Field(default=None, description="the figure exactly as printed, e.g. '447.48'; null if empty")


class TextValue(BaseModel):
    key: str
    value: str = Field(description="the words as printed")


class LLMRow(BaseModel):
    code: str | None = Field(default=None, description="classification code, 类/款/项 joined ('2010301'), or unit code")
    name: str = Field(default="", description="the row's name as printed")
    side: Literal["income", "expenditure"] | None = Field(default=None, description="side of a two-sided table")
    role: Literal["total", "subtotal", "unit", "item"] = "item"
    values: list[KeyValue] = Field(default_factory=list)
    texts: list[TextValue] = Field(default_factory=list, description="words of the row kept by key (performance "
                                   "tables: level1, level2, level3, target ...)")


def _num(v: str | None) -> Decimal | None:
    if v is None or not str(v).strip():
        return None
    p = parse_number(str(v))
    return p.value if p is not None else None


def _identity_errors(rows: list[tuple[str, dict[str, Decimal | None]]], ctx: dict[str, Any]) -> list[str]:
    """Failed row identities, as "row '…': total = basic + project: expected 105.0, got 100.0"."""
    return [msg for held, msg in identity_results(rows, ctx.get("identities", [])) if not held]


def identity_results(rows: list[tuple[str, dict[str, Decimal | None]]], identities: Any) -> list[tuple[bool, str]]:
    """Every row identity that applies to ``rows``: whether it holds, and what it says when not."""
    out = []
    for name, values in rows:
        for idn in identities:
            keys = [k.lstrip("-") for k in idn.rhs]
            if idn.lhs not in values or sum(1 for k in keys if k in values) < idn.min_terms:
                continue
            lhs = values.get(idn.lhs)
            terms = [(-1 if k.startswith("-") else 1, values.get(k.lstrip("-"))) for k in idn.rhs]
            if lhs is None and all(t is None for _, t in terms):
                continue
            total = sum((s * t for s, t in terms if t is not None), Decimal(0))
            decs = [max(0, -v.as_tuple().exponent) for v in [lhs, *(t for _, t in terms)]  # type: ignore[operator]
                    if v is not None and isinstance(v.as_tuple().exponent, int)]
            # one unit of the coarsest printed digit per ten figures: rounding, not an error
            unit = Decimal(1).scaleb(-min(decs or [0])) * (1 + len(decs) // 10)
            held = abs((lhs or Decimal(0)) - total) <= unit
            expr = f"{idn.lhs} = " + " + ".join(k for k in idn.rhs if k.lstrip("-") in values)
            out.append((held, "" if held else f"row '{name}': {expr}: expected {total}, got {lhs or 0}"))
    return out


class LLMTable(BaseModel):
    """One table read from a segment: its kind, unit and rows."""

    kind: TableKind
    unit: Literal["万元", "元"] | None = None
    rows: list[LLMRow] = Field(default_factory=list)

    @model_validator(mode="after")
    def _validate(self) -> LLMTable:
        ctx = _ctx()
        errors: list[str] = []
        allowed = ctx.get("keys")
        text = ctx.get("text_compact")
        parsed = []
        for r in self.rows:
            values: dict[str, Decimal | None] = {}
            for kv in r.values:
                if allowed is not None and kv.key not in allowed:
                    errors.append(f"row '{r.name}': unknown value key {kv.key!r} "
                                  f"(use one of: {', '.join(sorted(allowed))})")
                    continue
                if kv.value is not None and _num(kv.value) is None:
                    errors.append(f"row '{r.name}': {kv.key} = {kv.value!r} is not a figure")
                    continue
                if text is not None and kv.value and "".join(kv.value.split()) not in text:
                    errors.append(f"row '{r.name}': {kv.key} = {kv.value!r} is not printed in the segment")
                    continue
                values[kv.key] = _num(kv.value)
            parsed.append((r.name or r.code or "", values))
        errors += _identity_errors(parsed, ctx)
        if errors:
            raise ValueError("; ".join(errors[:12]))
        return self


Side = Literal["income", "expenditure"]
OtherRole = Literal["code", "code_part", "unit_code", "name", "text", "category", "line_no", "skip"]
_SIDE = Field(default=None, description="two-sided tables (income | expenditure side by side): the side this "
              "answer is for; a label printed on both sides gets one answer per side")


class ValueLabel(BaseModel):
    """A header label that names a column of figures: its canonical key is required."""

    label: str = Field(description="a header label exactly as listed")
    side: Side | None = _SIDE
    role: Literal["value"]
    key: str = Field(description="the canonical value key of the column (one of the keys listed, each explained)")


class OtherLabel(BaseModel):
    """A header label that names no figures: a code, name or text column, or a banner to skip."""

    label: str = Field(description="a header label exactly as listed")
    side: Side | None = _SIDE
    role: OtherRole
    key: str | None = Field(default=None, description="role text: the key the words are kept under; else null")


LabelMap = Annotated[ValueLabel | OtherLabel, Field(discriminator="role")]
"""What one header label means (``role`` decides which fields it has: ``value`` needs ``key``)."""


class TableClassification(BaseModel):
    """What kind of table a title and header describe, and what its unknown header labels mean."""

    kind: TableKind
    labels: list[LabelMap] = Field(default_factory=list)

    @model_validator(mode="after")
    def _validate(self) -> TableClassification:
        ctx = _ctx()
        allowed = ctx.get("keys")
        asked = ctx.get("labels")
        both = set(ctx.get("both_sides", ())) if self.kind in ctx.get("two_sided", ()) else set()
        errors = []
        sides: dict[str, list[str | None]] = {}
        for c in self.labels:
            if asked is not None and c.label not in asked:
                errors.append(f"label {c.label!r} was not asked about (map only: {', '.join(asked)})")
            elif c.role == "value" and (not c.key or (allowed is not None and c.key not in allowed)):
                errors.append(f"label {c.label!r}: value key {c.key!r} is not a canonical key")
            if c.side in sides.get(c.label, []):
                errors.append(f"label {c.label!r} is answered twice" + (f" for side {c.side}" if c.side else ""))
            sides.setdefault(c.label, []).append(c.side)
        for label in sorted(both & set(sides)):
            if set(sides[label]) != {"income", "expenditure"}:
                errors.append(f"label {label!r} is printed on both sides of this two-sided table: answer it once "
                              "with side income and once with side expenditure")
        if errors:
            raise ValueError("; ".join(errors[:12]))
        return self


FactKey = Literal[
    "income_total", "expenditure_total", "current_year_income", "current_year_expenditure", "basic_expenditure",
    "project_expenditure", "personnel_expenditure", "public_expenditure", "gpb_expenditure", "gpb_basic_expenditure",
    "three_public__total", "three_public__overseas_travel", "three_public__vehicle_total",
    "three_public__vehicle_purchase", "three_public__vehicle_operation", "three_public__reception",
    "operating_costs", "procurement_total", "function_class",
]


class LLMFact(BaseModel):
    key: FactKey
    subject: str = Field(description="the words naming the figure, as printed")
    value: str = Field(description="the figure as printed")
    unit: Literal["万元", "元"] = "万元"
    share_percent: str | None = Field(default=None, description="'占…%' stated right after it")
    change_direction: Literal["increase", "decrease", "flat"] | None = None
    change_amount: str | None = None
    change_percent: str | None = None


class NarrativeFacts(BaseModel):
    facts: list[LLMFact] = Field(default_factory=list)

    @model_validator(mode="after")
    def _validate(self) -> NarrativeFacts:
        text = _ctx().get("text_compact")
        errors = []
        for f in self.facts:
            if _num(f.value) is None:
                errors.append(f"{f.key}: {f.value!r} is not a figure")
            elif text is not None and "".join(f.value.split()) not in text:
                errors.append(f"{f.key}: {f.value!r} is not printed in the text")
        if errors:
            raise ValueError("; ".join(errors[:12]))
        return self


class RowRepair(BaseModel):
    """A row that fails its identities, read again: corrected figures, or unreadable."""

    unreadable: bool = Field(default=False, description="true if the printed row cannot be read reliably")
    values: list[KeyValue] = Field(default_factory=list)

    @model_validator(mode="after")
    def _validate(self) -> RowRepair:
        if self.unreadable:
            return self
        ctx = _ctx()
        # the answer's figures in place of the row's others, as the identities see the row
        values = {**ctx.get("row_values", {}), **{kv.key: _num(kv.value) for kv in self.values}}
        errors = [f"{kv.key} = {kv.value!r} is not a figure"
                  for kv in self.values if kv.value and _num(kv.value) is None]
        errors += _identity_errors([(ctx.get("row_name", "row"), values)], ctx)
        if errors:
            raise ValueError("; ".join(errors))
        return self


# ------------------------------------------------------------------------------ per-call schemas
# The same models with the allowed strings as enums: an endpoint that constrains its output to
# the schema (llama.cpp grammars, vLLM guided decoding, OpenAI strict mode) then cannot answer a
# key or a label that does not exist, however small the model.


@lru_cache(maxsize=256)
def classification_model(labels: tuple[str, ...], keys: tuple[str, ...], answers: int = 0) -> type[TableClassification]:
    """The classification schema of one request: ``labels`` the labels asked about, ``keys`` the
    canonical value keys (the same list every request), ``answers`` how many answers at most
    (default: one per label; more where labels are printed on both sides)."""
    key_type: Any = Literal[keys] if keys else str  # type: ignore[valid-type]
    if not labels:
        return create_model("TableClassification", __base__=TableClassification,
                            labels=(list[LabelMap], Field(default_factory=list, max_length=0)))
    label_type: Any = Literal[labels]  # type: ignore[valid-type]
    value = create_model("ValueLabel", __base__=ValueLabel, label=(label_type, ...), key=(key_type, ...))
    other = create_model("OtherLabel", __base__=OtherLabel, label=(label_type, ...))
    item: Any = Annotated[value | other, Field(discriminator="role")]  # type: ignore[valid-type]
    return create_model("TableClassification", __base__=TableClassification,
                        labels=(list[item], Field(default_factory=list, max_length=answers or len(labels))))


@lru_cache(maxsize=256)
def table_model(keys: tuple[str, ...]) -> type[LLMTable]:
    if not keys:
        return LLMTable
    kv = create_model("KeyValue", __base__=KeyValue, key=(Literal[keys], ...))  # type: ignore[valid-type]
    row = create_model("LLMRow", __base__=LLMRow, values=(list[kv], Field(default_factory=list)))  # type: ignore[valid-type]
    return create_model("LLMTable", __base__=LLMTable, rows=(list[row], Field(default_factory=list)))  # type: ignore[valid-type]
