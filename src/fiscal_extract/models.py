"""Pydantic models of the output contract (one ``Disclosure`` per document).

Amounts are exact ``Decimal`` values.  In JSON they are written as numbers with the digits
the document printed (``0.00`` stays ``0.00``), see :mod:`fiscal_extract.jsonio`.
Nothing here imports the extraction or LLM code: other tools can depend on the models alone.
"""

from __future__ import annotations

from contextvars import ContextVar
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, WithJsonSchema

SCHEMA_VERSION = "1"

RAW_DECIMALS: ContextVar[list[int] | None] = ContextVar("raw_decimals", default=None)
"""While it holds a counter (``[0]``), JSON serialisation writes each amount as a string fenced by
NUL characters and counts them, which :func:`fiscal_extract.jsonio.model_json` then unquotes into
a JSON number with the printed digits.  (A function of the value alone: pydantic calls it about
twice as cheaply as one that takes a ``SerializationInfo``.)"""


def _amount_json(v: Decimal) -> str:
    fenced = RAW_DECIMALS.get()
    if fenced is None:
        return str(v)
    fenced[0] += 1
    return f"\x00{v}\x00"


Amount = Annotated[Decimal, PlainSerializer(_amount_json, when_used="json"), WithJsonSchema({"type": "number"})]
"""An exact decimal figure; serialised as a JSON number."""

TableKind = Literal[
    "income_expenditure_overview",
    "income_overview",
    "expenditure_overview",
    "fiscal_grant_overview",
    "general_budget_expenditure",
    "general_budget_basic_expenditure",
    "economic_classification_summary",
    "three_public",
    "operating_costs_expenditure",
    "gov_fund_expenditure",
    "state_capital_expenditure",
    "project_expenditure",
    "procurement",
    "performance_department",
    "performance_projects",
    "other",
]
TABLE_KINDS: tuple[str, ...] = TableKind.__args__  # type: ignore[attr-defined]
FINANCIAL_KINDS: tuple[str, ...] = tuple(
    k for k in TABLE_KINDS if not k.startswith("performance_") and k != "other"
)
"""Kinds of table that print money figures (every kind but the performance forms and ``other``)."""

RowRole = Literal["total", "subtotal", "unit", "item", "indicator", "task", "note"]
Side = Literal["income", "expenditure"]
Origin = Literal["rules", "llm", "gold"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


def _absent(v: object) -> bool:
    return v is None


class Span(_Model):
    """Character offsets ``[start, end)`` into the decoded source text, and the 1-based line.

    For a PDF, also the 1-based page, the box ``[x0, top, x1, bottom]`` in points from the page's
    top-left corner, and -- for a page read by OCR -- the OCR confidence (0-1).  Those three are
    left out of JSON when absent, so records of text documents are as before."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    line: int = Field(ge=1)
    page: int | None = Field(default=None, ge=1, exclude_if=_absent)
    bbox: list[float] | None = Field(default=None, min_length=4, max_length=4, exclude_if=_absent)
    confidence: float | None = Field(default=None, ge=0, le=1, exclude_if=_absent)


class Source(_Model):
    path: str
    sha256: str
    chars: int = Field(ge=0)
    encoding: str | None = None


class Meta(_Model):
    department: str | None = None
    fiscal_year: int | None = None
    kind: Literal["budget", "final_accounts"] | None = None
    unit: Literal["万元", "元"] | None = None
    region: str | None = None


class ThreePublic(_Model):
    """ "三公" expenses: overseas travel + vehicles (purchase + operation) + reception."""

    total: Amount | None = None
    overseas_travel: Amount | None = None
    vehicle_total: Amount | None = None
    vehicle_purchase: Amount | None = None
    vehicle_operation: Amount | None = None
    reception: Amount | None = None


class CellRef(_Model):
    """Where a summary figure was read: table index, row index and value key."""

    table: int
    row: int
    key: str


SUMMARY_FIELDS: tuple[str, ...] = (
    "income_total",
    "expenditure_total",
    "current_year_income",
    "current_year_expenditure",
    "basic_expenditure",
    "project_expenditure",
    "personnel_expenditure",
    "public_expenditure",
    "operating_costs",
    "procurement_total",
)
THREE_PUBLIC_FIELDS: tuple[str, ...] = tuple(ThreePublic.model_fields)


class Figures(_Model):
    """The headline figures of a document (all in the document's unit)."""

    income_total: Amount | None = None
    expenditure_total: Amount | None = None
    current_year_income: Amount | None = None
    current_year_expenditure: Amount | None = None
    basic_expenditure: Amount | None = None
    project_expenditure: Amount | None = None
    personnel_expenditure: Amount | None = None
    public_expenditure: Amount | None = None
    three_public: ThreePublic = Field(default_factory=ThreePublic)
    operating_costs: Amount | None = None
    procurement_total: Amount | None = None


class Summary(Figures):
    """Figures read from the tables; ``refs`` says which cell each came from."""

    refs: dict[str, CellRef] = Field(default_factory=dict)


class Change(_Model):
    """A year-on-year change as the narrative states it ("增加152.1万元，增长40.8%")."""

    direction: Literal["increase", "decrease", "flat"]
    amount: Amount | None = None
    percent: Amount | None = None
    previous: Amount | None = None
    span: Span | None = None


class NarrativeFact(_Model):
    """One figure stated in the narrative text, with what the sentence says about it."""

    key: str
    subject: str
    value: Amount | None = None
    unit: str | None = None
    code: str | None = None
    share: Amount | None = None
    change: Change | None = None
    span: Span | None = None


class Narrative(Figures):
    """The headline figures as the narrative states them, plus every fact found."""

    facts: list[NarrativeFact] = Field(default_factory=list)


class Column(_Model):
    key: str
    label: str


class Row(_Model):
    code: str | None = None
    name: str = ""
    side: Side | None = None
    role: RowRole = "item"
    level: int | None = None
    category: str | None = None
    values: dict[str, Amount | None] = Field(default_factory=dict)
    texts: dict[str, str] = Field(default_factory=dict)
    span: Span | None = None
    cells: dict[str, Span] = Field(default_factory=dict)
    origin: Origin = "rules"


class Table(_Model):
    kind: TableKind
    title: str
    unit: Literal["万元", "元"] | None = None
    empty: bool = False
    span: Span | None = None
    columns: list[Column] = Field(default_factory=list)
    rows: list[Row] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    parts: int = 1
    origin: Origin = "rules"


class CheckResult(_Model):
    id: str
    status: Literal["pass", "fail", "skip"]
    message: str
    expected: Amount | None = None
    actual: Amount | None = None
    tolerance: Amount | None = None
    cause: Literal["source", "extraction", "unknown"] | None = None
    refs: list[str] = Field(default_factory=list)


class Repair(_Model):
    """A change made to what was printed, with the reason: nothing is repaired silently."""

    span: Span | None = None
    original: str
    value: Amount | None = None
    reason: str
    kind: str = "number"
    ref: str | None = None


class Notice(_Model):
    """Something the user should know about that is not a check result (e.g. an unknown table)."""

    code: str
    message: str
    span: Span | None = None


class Disclosure(_Model):
    schema_version: Literal["1"] = SCHEMA_VERSION
    source: Source
    meta: Meta = Field(default_factory=Meta)
    summary: Summary = Field(default_factory=Summary)
    narrative: Narrative = Field(default_factory=Narrative)
    tables: list[Table] = Field(default_factory=list)
    checks: list[CheckResult] = Field(default_factory=list)
    repairs: list[Repair] = Field(default_factory=list)
    notices: list[Notice] = Field(default_factory=list)
    extractor: dict[str, Any] = Field(default_factory=dict)
