"""The four model tasks -- read a table, classify a table and map its columns, list the figures of
a narrative passage, read a failing row again -- and the conversion of their answers into the
output contract (every figure marked as the model's, with the span it is printed at)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, get_args

from ..catalog import Catalog, value_keys
from ..models import TABLE_KINDS, Change, NarrativeFact, Notice, Repair, Row, Span, Table
from ..read.grid import GridRow
from ..read.normalize import SourceText
from ..read.numbers import parse_number
from ..read.segment import Line, TableBlock
from ..tables.header import FINANCIAL, unknown_labels
from .client import LLMClient
from .fewshot import narrative_examples, render_block, table_examples
from .prompts import render
from .schemas import (
    FactKey,
    LLMTable,
    NarrativeFacts,
    RowRepair,
    TableClassification,
    _num,
    classification_model,
    table_model,
)

_WS = re.compile(r"\s+")


@dataclass
class LLMContext:
    client: LLMClient
    cat: Catalog
    src: SourceText
    gold_dir: Path | None = None
    notices: list[Notice] = field(default_factory=list)

    def span(self, a: int, b: int) -> Span:
        return Span(start=a, end=b, line=self.src.line_of(a))


def _compact(text: str) -> str:
    return _WS.sub("", text)


def _identity_text(cat: Catalog, kind: str) -> list[str]:
    return [f"{i.lhs} = {' + '.join(i.rhs)}" for i in cat.identities_for(kind)]


def _locate(lc: LLMContext, start: int, end: int, printed: str, after: int) -> Span | None:
    """Where a figure the model copied is printed inside [start, end), searching from ``after``."""
    text = lc.src.folded
    pat = r"\s*".join(re.escape(ch) for ch in _compact(printed))
    if not pat:
        return None
    m = re.compile(pat).search(text, max(start, after), end) or re.compile(pat).search(text, start, end)
    return lc.span(m.start(), m.end()) if m else None


# ------------------------------------------------------------------------------------- tables

def extract_table(lc: LLMContext, block: TableBlock, kind: str | None) -> Table:
    """Read a whole table segment with the model."""
    cat = lc.cat
    segment = render_block(block, title=False)
    known = kind if kind in TABLE_KINDS and kind != "other" else None
    keys = value_keys(cat, cat.layout_of(known)) if known else all_value_keys(cat)
    examples = table_examples(cat, lc.gold_dir, known, lc.src.sha256)
    model = table_model(tuple(keys))
    msgs = render("table_extract", model, lc.client.mode, keys=keys,
                  identities=_identity_text(cat, known) if known else [], kind=known, title=block.title, unit=None,
                  segment=segment,
                  examples=[{"kind": e.kind, "segment": e.segment, "answer": e.answer} for e in examples])
    ctx = {"keys": set(keys), "identities": cat.identities_for(known) if known else [],
           "text_compact": _compact(lc.src.folded[block.start : block.end])}
    ans = lc.client.structured("table_extract", msgs, model, ctx)
    return to_table(lc, ans, block)


def to_table(lc: LLMContext, ans: LLMTable, block: TableBlock) -> Table:
    rows = []
    pos = block.start
    for r in ans.rows:
        values: dict[str, Decimal | None] = {}
        cells: dict[str, Span] = {}
        first: Span | None = None
        for kv in r.values:
            v = _num(kv.value)
            values[kv.key] = v
            if kv.value:
                sp = _locate(lc, block.start, block.end, kv.value, pos)
                if sp is not None:
                    cells[kv.key] = sp
                    pos = sp.end
                    first = first or sp
        name_span = _locate(lc, block.start, block.end, r.name, block.start) if r.name else None
        span = name_span or first
        rows.append(Row(code=r.code, name=r.name, side=r.side, role=r.role, values=values, span=span, cells=cells,
                        texts={t.key: t.value for t in r.texts}, origin="llm"))
    title = _WS.sub("", block.title or "")
    return Table(kind=ans.kind, title=title, unit=ans.unit, rows=rows, origin="llm",
                 span=lc.span(block.start, block.end), parts=len(block.parts), notes=[n.text for n in block.notes])


def header_rows(cat: Catalog, block: TableBlock) -> tuple[list[GridRow], list[GridRow]]:
    """The header rows and the data rows of a table's first part."""
    from ..tables.parse import split_part

    if not block.parts:  # a table printed with no rows
        return [], []
    layout = cat.layout_of(block.match.kind) if block.match else "classified"
    part = split_part(cat, block.parts[0], None, layout)
    return part.header, part.data


def base_value_keys(cat: Catalog, layout: str | None) -> list[str]:
    """Value keys a header label can name, without the prefixes scopes add ("current_", ...)."""
    return sorted({s.key for specs in cat.labels.values() for s in specs if s.role == "value" and s.key
                   and (layout is None or s.layouts is None or layout in s.layouts)} | {"total"})


def all_value_keys(cat: Catalog) -> list[str]:
    return sorted({k for lay in FINANCIAL for k in value_keys(cat, lay)})


def key_lines(cat: Catalog) -> list[str]:
    """Every canonical value key with its one-line meaning (columns.toml ``[key_help]``, else its
    aliases): the same list for every classification request, whatever the table."""
    out = []
    for k in base_value_keys(cat, None):
        aliases = sorted({s.label for specs in cat.labels.values() for s in specs if s.key == k and s.role == "value"})
        out.append(f"{k}: {cat.key_help.get(k) or ' / '.join(aliases[:3]) or k}")
    return out


def classify_table(lc: LLMContext, block: TableBlock, kind: str | None = None,
                   data_rows: int = 3) -> TableClassification:
    """Table kind and the meaning of its unknown header labels, from the title, the header rows
    and a few data rows only (never the whole table, never the document)."""
    cat = lc.cat
    header, data = header_rows(cat, block)
    layout = cat.layout_of(kind) if kind and kind != "other" else None
    labels = unknown_labels(cat, header, layout)
    keys = base_value_keys(cat, None)  # the same keys every request: the layout is the model's to say
    kinds = [{"kind": k, "titles": list(spec.titles[:2])} for k, spec in cat.kinds.items()]
    printed = [c.text.strip() for r in header for c in r.cells if c.text.strip()]
    both = sorted({lbl for lbl in labels if printed.count(lbl) > 1})
    two_sided = {k for k, spec in cat.kinds.items() if spec.layout == "two_sided"}
    candidates = [{"kind": k, "evidence": "; ".join(ev)} for k, ev in cat.kind_candidates(block.title, printed)]
    shown = header + data[:data_rows]
    segment = "\n".join(" | ".join(c.raw.strip() for c in r.cells) for r in shown)
    model = classification_model(tuple(labels), tuple(keys), len(labels) + len(both))
    msgs = render("table_classify", model, lc.client.mode, kinds=kinds, keys=key_lines(cat), title=block.title,
                  segment=segment, labels=labels, known_kind=kind if layout else None, examples=[],
                  candidates=candidates, both_sides=both)
    ctx = {"keys": set(keys), "labels": labels, "both_sides": both, "two_sided": two_sided}
    return lc.client.structured("table_classify", msgs, model, ctx)


# ------------------------------------------------------------------------------------- narrative

def narrative_facts(lc: LLMContext, lines: list[Line], max_chars: int = 1500) -> list[NarrativeFact]:
    """The figures of the narrative, read passage by passage (the document is never sent whole)."""
    chunks: list[list[Line]] = []
    cur: list[Line] = []
    size = 0
    for ln in lines:
        if cur and size + len(ln.text) > max_chars:
            chunks.append(cur)
            cur, size = [], 0
        cur.append(ln)
        size += len(ln.text)
    if cur:
        chunks.append(cur)
    examples = narrative_examples(lc.gold_dir, lc.src.sha256)
    allowed = set(get_args(FactKey))
    if examples:
        data = json.loads(examples)
        data["facts"] = [f for f in data["facts"] if f["key"] in allowed]
        examples = json.dumps(data, ensure_ascii=False) if data["facts"] else ""
    facts: list[NarrativeFact] = []
    for chunk in chunks:
        text = "\n".join(ln.text for ln in chunk)
        msgs = render("narrative_facts", NarrativeFacts, lc.client.mode, text=text, examples=examples)
        ans = lc.client.structured("narrative_facts", msgs, NarrativeFacts, {"text_compact": _compact(text)})
        a, b = chunk[0].start, chunk[-1].end
        pos = a
        for f in ans.facts:
            sp = _locate(lc, a, b, f.value, pos)
            if sp is not None:
                pos = sp.end
            change = None
            if f.change_direction:
                change = Change(direction=f.change_direction, amount=_num(f.change_amount),
                                percent=_num(f.change_percent))
            facts.append(NarrativeFact(key=f.key, subject=f.subject, value=_num(f.value), unit=f.unit,
                                       share=_num(f.share_percent), change=change, span=sp,
                                       code=lc.cat.function_code(f.subject) if f.key == "function_class" else None))
    return facts


# ------------------------------------------------------------------------------------- rows

def repair_row(lc: LLMContext, table: Table, row: Row,
               failures: list[str]) -> tuple[dict[str, Decimal | None] | None, str]:
    """A failing row read again by the model: its corrected figures, or ``None`` if unreadable."""
    printed = ""
    if row.span is not None:
        line_start = lc.src.line_starts[row.span.line - 1]
        line_end = lc.src.text.find("\n", line_start)
        printed = lc.src.text[line_start : line_end if line_end >= 0 else len(lc.src.text)].replace("\t", " | ")
    columns = [c.key for c in table.columns] or list(row.values)
    read = ", ".join(f"{k}={v}" for k, v in row.values.items())
    msgs = render("row_repair", RowRepair, lc.client.mode, title=table.title, kind=table.kind, columns=columns,
                  printed=printed, read=read, failures=failures, example="")
    ctx = {"identities": lc.cat.identities_for(table.kind), "row_name": row.name or row.code or "row",
           "row_values": dict(row.values)}
    ans = lc.client.structured("row_repair", msgs, RowRepair, ctx)
    if ans.unreadable:
        return None, printed
    out: dict[str, Decimal | None] = {}
    for kv in ans.values:
        if kv.key in row.values:
            p = parse_number(kv.value) if kv.value else None
            out[kv.key] = p.value if p is not None else None
    return out, printed


def repair_record(original: str, value: Any, reason: str, span: Span | None, ref: str) -> Repair:
    return Repair(span=span, original=original, value=value, reason=reason, kind="llm", ref=ref)
