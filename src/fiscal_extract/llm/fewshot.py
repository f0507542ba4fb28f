"""Few-shot examples drawn from the gold files of *other* documents.

An example pairs a printed table segment (from the other document's text) with the gold rows
labelled for it, so the model sees the conventions -- joined codes, roles, canonical keys -- on a
real table of the same kind.  The document being extracted is never its own example (matched by
the sha256 of its text).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..catalog import Catalog
from ..jsonio import loads
from ..read.normalize import read_source
from ..read.segment import TableBlock, segment


@dataclass(frozen=True)
class Example:
    kind: str
    segment: str
    answer: str


def render_block(block: TableBlock, max_rows: int | None = None, title: bool = True) -> str:
    """A table block as text: title, then one line per grid row with cells joined by " | "."""
    lines = []
    if title and block.title:
        lines.append(block.title)
    n = 0
    for part in block.parts:
        for r in part.rows:
            lines.append(" | ".join(c.raw for c in r.cells))
            n += 1
            if max_rows is not None and n >= max_rows:
                return "\n".join(lines)
    return "\n".join(lines)


@lru_cache(maxsize=4)
def _gold(directory: str) -> tuple[dict[str, Any], ...]:
    out = []
    for p in sorted(Path(directory).glob("*.json")):
        try:
            out.append(loads(p.read_bytes()))
        except (OSError, ValueError):
            continue
    return tuple(out)


def _source(gold: dict[str, Any], directory: Path) -> Path | None:
    src = (gold.get("source") or {}).get("path", "")
    for c in (Path(src), directory.parent.parent / src, directory.parent / "samples" / Path(src).name):
        if c.exists():
            return c
    return None


@lru_cache(maxsize=64)
def _blocks(path: str, cat: Catalog) -> tuple[TableBlock, ...]:
    return tuple(segment(read_source(path), cat).tables)


def table_examples(cat: Catalog, gold_dir: Path | None, kind: str | None, exclude_sha: str, n: int = 1,
                   rows: int = 6) -> list[Example]:
    """Up to ``n`` examples of a kind (any financial kind if None) from other documents' gold."""
    if gold_dir is None or not gold_dir.exists():
        return []
    out: list[Example] = []
    for g in _gold(str(gold_dir)):
        if (g.get("source") or {}).get("sha256") == exclude_sha:
            continue
        src = _source(g, gold_dir)
        if src is None:
            continue
        blocks = [b for b in _blocks(str(src), cat) if b.match is not None]
        for t in g.get("tables", []):
            if (kind and t.get("kind") != kind) or t.get("empty") or not t.get("rows"):
                continue
            block = next((b for b in blocks if b.match and b.match.kind == t["kind"]), None)
            if block is None:
                continue
            answer = {
                "kind": t["kind"], "unit": t.get("unit"),
                "rows": [
                    {"code": r.get("code"), "name": r.get("name") or "", "side": r.get("side"),
                     "role": r.get("role") if r.get("role") in ("total", "subtotal", "unit", "item") else "item",
                     "values": [{"key": k, "value": None if v is None else format(v, "f")}
                                for k, v in (r.get("values") or {}).items()],
                     "texts": [{"key": k, "value": v} for k, v in (r.get("texts") or {}).items() if v]}
                    for r in t["rows"][:rows]
                ],
            }
            seg_rows = rows + 4
            out.append(Example(t["kind"], render_block(block, seg_rows), json.dumps(answer, ensure_ascii=False)))
            break
        if len(out) >= n:
            break
    return out


def narrative_examples(gold_dir: Path | None, exclude_sha: str, n: int = 6) -> str:
    """A few narrative facts of another document, as the JSON the model should produce."""
    if gold_dir is None or not gold_dir.exists():
        return ""
    for g in _gold(str(gold_dir)):
        if (g.get("source") or {}).get("sha256") == exclude_sha:
            continue
        facts = [f for f in (g.get("narrative") or {}).get("facts", []) if f.get("value") is not None][:n]
        if facts:
            return json.dumps({"facts": [{"key": f["key"], "subject": f.get("subject") or f.get("name") or "",
                                          "value": format(f["value"], "f")} for f in facts]}, ensure_ascii=False)
    return ""
