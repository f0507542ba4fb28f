"""JSON Schema files of the output contract, generated from the pydantic models."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from ..llm.schemas import LLMTable, NarrativeFacts, RowRepair, TableClassification
from ..models import CheckResult, Disclosure, Row, Table

SCHEMAS: dict[str, type[BaseModel]] = {
    "disclosure.schema.json": Disclosure,
    "table.schema.json": Table,
    "row.schema.json": Row,
    "check.schema.json": CheckResult,
}
LLM_SCHEMAS: dict[str, type[BaseModel]] = {
    "llm-table.schema.json": LLMTable,
    "llm-table-classification.schema.json": TableClassification,
    "llm-narrative-facts.schema.json": NarrativeFacts,
    "llm-row-repair.schema.json": RowRepair,
}
"""What the prompts ask the model for (the schema each answer is validated against)."""


def render() -> dict[str, str]:
    """File name -> schema text (stable: sorted keys, trailing newline)."""
    out = {}
    for name, model in {**SCHEMAS, **LLM_SCHEMAS}.items():
        schema = model.model_json_schema(mode="serialization" if name in SCHEMAS else "validation")
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$id"] = f"https://fiscal-extract.invalid/schemas/{name}"
        out[name] = json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    return out


def write_schemas(out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in render().items():
        path = out_dir / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def stale_schemas(out_dir: Path) -> list[str]:
    """Names of schema files that are missing or differ from what the models generate."""
    stale = []
    for name, text in render().items():
        path = out_dir / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            stale.append(name)
    return stale
