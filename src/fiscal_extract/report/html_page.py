"""Self-contained HTML pages: Jinja2 templates with autoescaping, CSS and scripts inlined.

Every page fiscal-extract writes is one file that needs no network: styles and scripts are
included from the package's ``templates/`` folder, charts are inline SVG, and data for a script is
embedded as JSON escaped against ``</script>`` (Jinja's ``tojson``).
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from .eval_text import value_text


def _tabs(text: str) -> Markup:
    """Escaped text with each tab shown as a thin column rule (the tab itself is kept for copying)."""
    return Markup(escape(text)).replace("\t", Markup('<span class="t">\t</span>'))


def _pct(x: float) -> str:
    return f"{x * 100:.1f}%"


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("fiscal_extract.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["tabs"] = _tabs
    env.filters["pct"] = _pct
    env.filters["value_text"] = value_text
    env.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "sort_keys": False}
    return env


@dataclass(frozen=True)
class InlineScript:
    """A script of the package to inline in a page, and its hash for the page's Content-Security-Policy
    (only this script may run: anything injected into the page would not)."""

    code: Markup
    hash: str


@cache
def inline_script(name: str) -> InlineScript:
    code = (files("fiscal_extract.report") / "templates" / name).read_text(encoding="utf-8")
    if "</script" in code.lower():
        raise ValueError(f"{name} must not contain '</script'")
    digest = base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode("ascii")
    return InlineScript(Markup(code), f"sha256-{digest}")


def render_page(template: str, **context: Any) -> str:
    """Render one of the package's page templates to a complete HTML document."""
    return environment().get_template(template).render(**context)
