"""Compare extracted records with hand-labelled gold: per field, per table, per document.

Tables are paired by kind (several tables of one kind -- performance tables -- by their rows);
rows by side and code, else by normalised name (the k-th duplicate with the k-th); cells by
value key, exactly (``Decimal`` equality: ``0.00`` equals ``0``, ``8.2`` does not equal ``8.27``).
Every atomic figure -- table cells, summary and narrative headline figures, and the indicator
texts of performance tables (level names, targets) -- counts once in the field-level F1.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from ..catalog import Catalog, load
from ..models import SUMMARY_FIELDS, THREE_PUBLIC_FIELDS
from .results import DocResult, Mismatch

PERF_TEXT_KEYS = ("level1", "level2", "target")



# --------------------------------------------------------------------------------- values


def _dec(v: Any) -> Decimal | None:
    if v is None or isinstance(v, bool):
        return None
    if isinstance(v, Decimal):
        return v
    try:
        return Decimal(str(v))
    except (InvalidOperation, ValueError):
        return None


def _same(a: Any, b: Any) -> bool:
    da, db = _dec(a), _dec(b)
    if da is not None and db is not None:
        return da == db
    return a == b


class _Norm:
    def __init__(self, cat: Catalog) -> None:
        self.cat = cat

    def name(self, s: str | None) -> str:
        n = self.cat.norm(s or "")
        return "".join(ch for ch in n if ch.isalnum())

    def text(self, s: Any) -> str:
        return self.name(str(s)) if s is not None else ""


def _get(obj: Any, key: str, default: Any = None) -> Any:
    if isinstance(obj, dict):
        return obj.get(key, default)
    return getattr(obj, key, default)


def _as_dict(record: Any) -> dict[str, Any]:
    if isinstance(record, dict):
        return record
    data: dict[str, Any] = record.model_dump(mode="python")
    return data


# --------------------------------------------------------------------------------- matching


def _row_key(n: _Norm, row: dict[str, Any]) -> tuple[Any, ...]:
    code = row.get("code")
    side = row.get("side")
    if code:
        return (side, "code", str(code).lstrip("0") or "0")
    return (side, "name", n.name(row.get("name")))


def _row_label(row: dict[str, Any]) -> str:
    parts = [row.get("side") or "", str(row.get("code") or ""), row.get("name") or ""]
    return " ".join(p for p in parts if p).strip() or f"({row.get('role', 'row')})"


def _pair_rows(
    n: _Norm, gold: list[dict[str, Any]], pred: list[dict[str, Any]]
) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """(gold index, pred index) pairs; unmatched gold; unmatched pred.  Duplicates in order."""
    buckets: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for j, r in enumerate(pred):
        buckets[_row_key(n, r)].append(j)
    by_name: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for j, r in enumerate(pred):
        by_name[(r.get("side"), n.name(r.get("name")))].append(j)
    used: set[int] = set()
    pairs = []
    missing = []
    for i, g in enumerate(gold):
        cands = [j for j in buckets.get(_row_key(n, g), []) if j not in used]
        if not cands and g.get("name"):
            cands = [j for j in by_name.get((g.get("side"), n.name(g.get("name"))), []) if j not in used]
        if cands:
            used.add(cands[0])
            pairs.append((i, cands[0]))
        else:
            missing.append(i)
    extra = [j for j in range(len(pred)) if j not in used]
    return pairs, missing, extra


def _pair_tables(
    n: _Norm, gold: list[dict[str, Any]], pred: list[dict[str, Any]]
) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Tables paired by kind; several of a kind by the rows they share, best pair first.

    Pairing in the gold's order let a table that lost one row take another table's partner
    (27 self-evaluation forms sharing most row names), so every candidate pair of a kind is
    scored -- shared rows, then the same title, then the nearer position -- and the best is
    taken first."""
    keys = [{_row_key(n, r) for r in t.get("rows", [])} for t in (*gold, *pred)]
    gkeys, pkeys = keys[: len(gold)], keys[len(gold) :]
    scored = []
    for i, g in enumerate(gold):
        gtitle = n.name(g.get("title"))
        for j, p in enumerate(pred):
            if p.get("kind") == g.get("kind"):
                same_title = int(n.name(p.get("title")) == gtitle)
                scored.append(((len(gkeys[i] & pkeys[j]), same_title, -abs(i - j), -i, -j), i, j))
    scored.sort(reverse=True)
    paired: dict[int, int] = {}
    used: set[int] = set()
    for _score, i, j in scored:
        if i not in paired and j not in used:
            paired[i] = j
            used.add(j)
    pairs = sorted(paired.items())
    missing = [i for i in range(len(gold)) if i not in paired]
    extra = [j for j in range(len(pred)) if j not in used]
    return pairs, missing, extra


# --------------------------------------------------------------------------------- scoring


def evaluate_pair(name: str, gold: Any, pred: Any, cat: Catalog | None = None) -> DocResult:
    """Score one predicted record against its gold record."""
    cat = cat or load()
    n = _Norm(cat)
    g, p = _as_dict(gold), _as_dict(pred)
    res = DocResult(name)
    gt, pt = g.get("tables", []), p.get("tables", [])
    pairs, missing, extra = _pair_tables(n, gt, pt)
    for i, j in pairs:
        res.tables[gt[i]["kind"]].tp += 1
        _score_table(n, res, gt[i], pt[j], f"{gt[i]['kind']}#{i} {gt[i].get('title') or ''}".strip(), j)
    for i in missing:
        res.tables[gt[i]["kind"]].fn += 1
        label = f"{gt[i]['kind']}#{i} {gt[i].get('title') or ''}".strip()
        res.mismatches.append(Mismatch(name, label, "", "(table)", "present", "missing"))
        for r in gt[i].get("rows", []):
            res.rows.fn += 1
            for k, _v in _figures(r, gt[i]["kind"]):
                _tally(res, gt[i]["kind"], k, "fn")
    for j in extra:
        res.tables[pt[j]["kind"]].fp += 1
        label = f"{pt[j]['kind']} {pt[j].get('title') or ''}".strip()
        res.mismatches.append(Mismatch(name, label, "", "(table)", "absent", "extracted", f"tables[{j}]"))
        for r in pt[j].get("rows", []):
            res.rows.fp += 1
            for k, _v in _figures(r, pt[j]["kind"]):
                _tally(res, pt[j]["kind"], k, "fp")
    _score_figures(res, "summary", g.get("summary", {}), p.get("summary", {}), res.summary, _summary_refs(p))
    _score_figures(res, "narrative", g.get("narrative", {}), p.get("narrative", {}), res.narrative, _fact_refs(p))
    return res


def _tally(res: DocResult, kind: str, key: str, what: str) -> None:
    """Count one field (``what``: tp, fp or fn) overall, by table kind and, for performance tables,
    by part: indicator texts (``text:…``) and numbers apart."""
    for c in (res.fields, res.fields_by_kind[kind]):
        setattr(c, what, getattr(c, what) + 1)
    if kind.startswith("performance"):
        c = res.fields_by_part[(kind, "texts" if key.startswith("text:") else "numbers")]
        setattr(c, what, getattr(c, what) + 1)


def _figures(row: dict[str, Any], kind: str) -> Iterable[tuple[str, Any]]:
    for k, v in (row.get("values") or {}).items():
        if v is not None:
            yield k, v
    if kind.startswith("performance"):
        texts = row.get("texts") or {}
        for k in PERF_TEXT_KEYS:
            if texts.get(k):
                yield f"text:{k}", texts[k]


def _score_table(
    n: _Norm, res: DocResult, gtab: dict[str, Any], ptab: dict[str, Any], label: str, pti: int = 0
) -> None:
    kind = gtab["kind"]
    grows, prows = gtab.get("rows", []), ptab.get("rows", [])
    pairs, missing, extra = _pair_rows(n, grows, prows)
    res.rows.tp += len(pairs)
    res.rows.fn += len(missing)
    res.rows.fp += len(extra)
    for i in missing:
        for k, v in _figures(grows[i], kind):
            _tally(res, kind, k, "fn")
            res.mismatches.append(Mismatch(res.document, label, _row_label(grows[i]), k, v, None))
    for j in extra:
        for k, _v in _figures(prows[j], kind):
            _tally(res, kind, k, "fp")
        if any(True for _ in _figures(prows[j], kind)):
            ref = f"tables[{pti}].rows[{j}]"
            res.mismatches.append(Mismatch(res.document, label, _row_label(prows[j]), "(row)", None, "extracted", ref))
    for i, j in pairs:
        gv = dict(_figures(grows[i], kind))
        pv = dict(_figures(prows[j], kind))
        for key in sorted(set(gv) | set(pv)):
            a, b = gv.get(key), pv.get(key)
            if key.startswith("text:"):
                a_n, b_n = n.text(a), n.text(b)
                ok = a is not None and a_n == b_n
            else:
                ok = a is not None and _same(a, b)
            if a is not None:
                cell = res.cells[key]
                cell["total"] += 1
                cell["correct"] += int(ok)
            if ok:
                _tally(res, kind, key, "tp")
                continue
            if a is not None:
                _tally(res, kind, key, "fn")
            if b is not None:
                _tally(res, kind, key, "fp")
            where = f"texts.{key[5:]}" if key.startswith("text:") else f"values.{key}"
            ref = f"tables[{pti}].rows[{j}].{where}"
            res.mismatches.append(Mismatch(res.document, label, _row_label(grows[i]), key, a, b, ref))


def _flatten(obj: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k in SUMMARY_FIELDS:
        out[k] = _get(obj, k)
    tp = _get(obj, "three_public") or {}
    for k in THREE_PUBLIC_FIELDS:
        out[f"three_public.{k}"] = _get(tp, k)
    return out


def _summary_refs(pred: dict[str, Any]) -> dict[str, str]:
    """Summary field -> the table cell it was read from."""
    refs = (pred.get("summary") or {}).get("refs") or {}
    return {k: f"tables[{_get(r, 'table')}].rows[{_get(r, 'row')}].values.{_get(r, 'key')}" for k, r in refs.items()}


def _fact_refs(pred: dict[str, Any]) -> dict[str, str]:
    """Narrative field -> the first fact stating it with the value the narrative holds."""
    narrative = pred.get("narrative") or {}
    flat = _flatten(narrative)
    out: dict[str, str] = {}
    for i, f in enumerate(narrative.get("facts") or []):
        key = str(f.get("key") or "").replace("__", ".")
        if key in flat and key not in out and _same(f.get("value"), flat[key]):
            out[key] = f"narrative.facts[{i}].value"
    return out


def _score_figures(
    res: DocResult, part: str, gold: Any, pred: Any, counter: Counter[str], refs: dict[str, str] | None = None
) -> None:
    g, p = _flatten(gold), _flatten(pred)
    fk = res.fields_by_kind[part]
    for k in g:
        a, b = g[k], p.get(k)
        if a is None and b is None:
            continue
        ok = a is not None and _same(a, b)
        counter["total"] += 1
        counter["correct"] += int(ok)
        if ok:
            res.fields.tp += 1
            fk.tp += 1
            continue
        if a is not None:
            res.fields.fn += 1
            fk.fn += 1
        if b is not None:
            res.fields.fp += 1
            fk.fp += 1
        res.mismatches.append(Mismatch(res.document, part, "", k, a, b, (refs or {}).get(k) if b is not None else None))


# --------------------------------------------------------------------------------- entry


