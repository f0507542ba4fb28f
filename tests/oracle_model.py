"""A simulated model for the hybrid and onboarding tests: it answers table classifications the
way a perfect model would for the renamed-format rendering (``eval/formats/renamed.toml``) --
by undoing the renaming and asking the catalog -- so the tests can assert what the pipeline does
with a right answer (and, by scripting faults, with a wrong one)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from fiscal_extract.catalog import Catalog, load

from .conftest import ROOT

FORMAT = ROOT / "eval" / "formats" / "renamed.toml"


def mapping() -> dict[str, dict[str, str]]:
    return tomllib.loads(FORMAT.read_text(encoding="utf-8"))


def renamed_sample(path: Path, out: Path) -> Path:
    from fiscal_extract.read.render import renamed

    m = mapping()
    out.write_text(renamed(path.read_text(encoding="utf-8"), m["titles"], m["labels"]), encoding="utf-8")
    return out


def task_of(body: dict[str, Any]) -> str:
    rf = body.get("response_format") or {}
    if rf.get("json_schema"):
        return str(rf["json_schema"].get("name"))
    tools = body.get("tools") or []
    return str(tools[0]["function"]["name"]) if tools else "?"


def user_text(body: dict[str, Any]) -> str:
    return "\n".join(str(m.get("content") or "") for m in body.get("messages", []) if m.get("role") == "user")


class Oracle:
    def __init__(self, cat: Catalog | None = None) -> None:
        self.cat = cat or load()
        m = mapping()
        self.titles = {v: k for k, v in m["titles"].items()}
        self.labels = {v: k for k, v in m["labels"].items()}

    def classify(self, text: str) -> dict[str, Any]:
        title = re.search(r"^Title: (.*)$", text, re.M)
        hint = re.search(r"^The header words suggest: (\w+)$", text, re.M)
        asked = re.search(r"^Header labels to explain: (.*)$", text, re.M)
        kind = "other"
        if title:
            t = title.group(1).strip()
            for new, old in self.titles.items():
                t = t.replace(new, old)
            match = self.cat.match_title(t)
            kind = match.kind if match else kind
        if kind == "other" and hint:
            kind = hint.group(1)
        layout = self.cat.layout_of(kind)
        labels = []
        if asked and not asked.group(1).startswith("(none"):
            for label in asked.group(1).split(", "):
                spec = self.cat.column(self.labels.get(label, label), layout)
                if spec is None:
                    labels.append({"label": label, "role": "skip", "key": None})
                else:
                    labels.append({"label": label, "role": spec.role if spec.role != "side" else "skip",
                                   "key": spec.key or ("total" if spec.role == "value" else None)})
        both = re.search(r"^Printed on both sides[^:]*: (.*)$", text, re.M)
        if both and layout == "two_sided":  # one answer per side for a label printed on both
            twice = set(both.group(1).split(", "))
            labels = [{**a, "side": side} for a in labels
                      for side in (("income", "expenditure") if a["label"] in twice else (None,))]
        return {"kind": kind, "labels": labels}

    def __call__(self, body: dict[str, Any]) -> dict[str, Any]:
        task = task_of(body)
        if task == "TableClassification":
            return {"json": self.classify(user_text(body))}
        return {"status": 500, "body": {"error": {"message": f"the oracle does not answer {task}"}}}


def _printed(v: Any) -> str | None:
    return None if v is None else format(v, "f")


class GoldOracle(Oracle):
    """Answers table reads and narrative passages from a hand-labelled gold file (what a perfect
    model reading the document would say), and classifications like :class:`Oracle`."""

    def __init__(self, gold: dict[str, Any]) -> None:
        super().__init__()
        self.gold = gold

    def table(self, text: str) -> dict[str, Any]:
        kind = re.search(r"^Table kind: (\w+)", text, re.M)
        k = kind.group(1) if kind else "other"
        t = next((t for t in self.gold["tables"] if t["kind"] == k), None)
        if t is None:
            return {"kind": k, "rows": []}
        roles = ("total", "subtotal", "unit", "item")
        rows = [{"code": r.get("code"), "name": r.get("name") or "", "side": r.get("side"),
                 "role": r.get("role") if r.get("role") in roles else "item",
                 "values": [{"key": key, "value": _printed(v)} for key, v in (r.get("values") or {}).items()],
                 "texts": [{"key": key, "value": v} for key, v in (r.get("texts") or {}).items() if v]}
                for r in t["rows"]]
        return {"kind": k, "unit": t.get("unit"), "rows": rows}

    def facts(self, text: str) -> dict[str, Any]:
        compact = re.sub(r"\s+", "", text.split("Text:", 1)[-1])
        out = []
        for f in self.gold["narrative"].get("facts", []):
            v = _printed(f.get("value"))
            if v is None or v not in compact or f["key"] not in FACT_KEYS:
                continue
            out.append({"key": f["key"], "subject": f.get("subject") or f["key"], "value": v})
        return {"facts": out}

    def __call__(self, body: dict[str, Any]) -> dict[str, Any]:
        task = task_of(body)
        if task == "LLMTable":
            return {"json": self.table(user_text(body))}
        if task == "NarrativeFacts":
            return {"json": self.facts(user_text(body))}
        return super().__call__(body)


def _fact_keys() -> set[str]:
    from typing import get_args

    from fiscal_extract.llm.schemas import FactKey

    return set(get_args(FactKey))


FACT_KEYS = _fact_keys()
