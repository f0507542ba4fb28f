"""Prompt templates (Jinja2, ``prompts/<task>.j2``) rendered into chat messages.

Each template has a ``system`` and a ``user`` block.  Templates are found in ``FISCAL_PROMPTS_DIR``,
else the repository's ``prompts/`` (an editable install), else the copy installed under
``<prefix>/share/fiscal-extract/prompts``.
"""

from __future__ import annotations

import json
import os
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from pydantic import BaseModel

from ..errors import LLMError

TASKS = ("table_extract", "table_classify", "narrative_facts", "row_repair")


def prompts_dir() -> Path:
    env = os.environ.get("FISCAL_PROMPTS_DIR")
    candidates = [Path(env)] if env else []
    candidates += [Path(__file__).resolve().parents[3] / "prompts",
                   Path(sys.prefix) / "share" / "fiscal-extract" / "prompts"]
    for c in candidates:
        if (c / "table_extract.j2").exists():
            return c
    raise LLMError("the prompt templates were not found (set FISCAL_PROMPTS_DIR to the prompts/ directory)")


@lru_cache(maxsize=4)
def _env(directory: str) -> Environment:
    return Environment(loader=FileSystemLoader(directory), undefined=StrictUndefined, autoescape=False,
                       keep_trailing_newline=False, trim_blocks=True, lstrip_blocks=True)


def compact_schema(model: type[BaseModel]) -> str:
    """The response schema in one compact line (the endpoint may get it again as tools / format)."""
    return json.dumps(model.model_json_schema(), ensure_ascii=False, separators=(",", ":"))


SCHEMA_IN_PROMPT = ("json", "md_json")
"""Modes whose requests do not carry the schema (tools and json_schema send it as the tool or
the response format, so it is not repeated in the prompt)."""


def render(task: str, response_model: type[BaseModel] | None = None, mode: str = "json",
           **variables: Any) -> list[dict[str, str]]:
    """System + user messages for a task (the response schema is written out only for the modes
    that need it in the prompt)."""
    env = _env(str(prompts_dir()))
    tmpl = env.get_template(f"{task}.j2")
    if response_model is not None and mode in SCHEMA_IN_PROMPT:
        variables.setdefault("schema", compact_schema(response_model))
    variables.setdefault("schema", "")
    ctx = tmpl.new_context(variables)
    system = "".join(tmpl.blocks["system"](ctx)).strip()
    user = "".join(tmpl.blocks["user"](ctx)).strip()
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]
