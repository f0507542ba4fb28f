"""Joint naming of a table's unknown columns: the keys that make the table's identities hold together.

Columns a new template prints beside the ones the catalog knows often test only each other
(增减额 = 年初预算数 - 执行数): named one at a time, no single naming can be checked.  Here the
header cells the catalog does not know are found in the printed header (a cell wrapped over lines
is joined: 扣除中央基 / 建投资后执 / 行数), placed by the reader as unnamed columns of their own, and
every naming of them by the keys of the kind's identities (and the closest aliases) is scored on
the rows that print every column, at once.  The few best namings go to :mod:`.judge` as the
options of one question per table, which reads the samples again under each.

Comes in: the table's block as the reader segmented it.  Goes out: :class:`JointCandidate` s.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import combinations, product
from typing import Any

from ..catalog import Catalog, Identity
from ..read.normalize import SourceText
from ..read.numbers import parse_number
from ..read.pdftext_header import _numeric, _score, plan_header
from ..read.pdftext_labels import _LABEL_ROLES, header_labels, label_spec
from ..read.pdftext_shapes import one_block
from ..read.segment import TableBlock
from .candidates import alias_candidates

MIN_HELD = 3
"""A naming needs at least this many identity instances holding (one row proves little)."""
MAX_TEXTS = 5
"""Tables with more unknown header cells than this are left to the per-label questions."""
MAX_NAMINGS = 20000
_YEARISH = re.compile(r"^(?:20\d\d|\d{1,4})$")
_CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class JointCandidate:
    texts: dict[str, str]
    """Printed header cell -> key."""
    held: int
    failed: int
    closeness: float
    """Sum of the texts' closeness to aliases of their keys (breaks ties)."""


def _unknown(cat: Catalog, layout: str, word: str) -> bool:
    """Whether a printed header word holds a piece no catalog header word names."""
    for piece in header_labels(cat, word):
        n = cat.norm(piece)
        if label_spec(cat, piece, layout) is None and n not in cat.banner_words and n not in cat.group_total_words \
                and n not in cat.labels and cat.scope(piece, layout) is None and _CJK.search(piece):
            return True
    return False


def header_cells(cat: Catalog, layout: str, header: str) -> list[str]:
    """The header cells the catalog does not know, in reading order (a cell printed twice, twice).
    A cell wrapped in a narrow column prints its pieces on the lines below it, each a line of its
    own, all but the last as long as the first: joined.  Words a year precedes (``2025 年执行数``:
    the period printed over the header's lower row) and bracketed qualifiers are no cells."""
    lines = [ln.split() for ln in header.splitlines() if ln.strip()]
    out: list[str] = []
    used: set[int] = set()
    for li, words in enumerate(lines):
        if li in used:
            continue
        for wi, word in enumerate(words):
            if (wi and _YEARISH.match(words[wi - 1])) or word[:1] in "(（" or not _unknown(cat, layout, word):
                continue
            cell = word
            if wi == len(words) - 1:
                nxt, prev = li + 1, word
                while (nxt < len(lines) and len(lines[nxt]) == 1 and len(prev) == len(word)
                       and len(lines[nxt][0]) <= len(word)):
                    prev = lines[nxt][0]
                    cell += prev
                    used.add(nxt)
                    nxt += 1
            out.append(cell)
    return out


def _ids(cat: Catalog, kind: str) -> list[Identity]:
    return list({i.id: i for i in cat.identities_for(kind)}.values())


def table_shape(src: SourceText, cat: Catalog, block: TableBlock) -> tuple[str, int, list[list[str]]] | None:
    """The printed header text, the number of value columns and the rows printing every one of
    them, of a table block read from PDF-library text (``None``: another rendering)."""
    if not block.parts or not block.parts[0].rows:
        return None
    head = block.parts[0].rows[0]
    if not head.cells:
        return None
    hs, he = head.cells[0].start, head.cells[-1].end
    layout = "classified"
    nlab = sum(1 for c in head.cells if (sp := label_spec(cat, c.text, layout)) is not None and sp.role in _LABEL_ROLES)
    width = len(head.cells) - nlab
    if width < 2 or he <= hs:
        return None
    full = []
    for part in block.parts:
        for r in part.rows[1:]:
            vals = [c.text for c in r.cells[nlab:]]
            if len(vals) == width and all(v and (parse_number(v) is not None or v.endswith("%")) for v in vals):
                full.append(vals)
    return src.text[hs:he], width, full


def joint_candidates(cat_of: Callable[[dict[str, Any]], Catalog], prof: dict[str, Any], kind: str, layout: str,
                     shape: tuple[str, int, list[list[str]]], limit: int = 3) -> list[JointCandidate]:
    """The namings of a table's unknown header cells under which most of its identities hold."""
    header, width, full = shape
    cat = cat_of(prof)
    texts = list(dict.fromkeys(header_cells(cat, layout, header)))
    if not texts or len(texts) > MAX_TEXTS or not full:
        return []
    dummy = {"kinds": {}, "column": [*prof.get("column", []), *[
        {"labels": [t], "role": "value", "key": f"_u{i}", "layouts": [layout]} for i, t in enumerate(texts)]]}
    dcat = cat_of({**prof, **dummy})
    labels = one_block(dcat, layout, header_labels(dcat, " ".join(header.split())))
    plan = plan_header(dcat, layout, kind, labels, width, full)
    slots: dict[int, list[int]] = {}  # text -> its columns, left to right
    fixed: list[str | None] = []
    for j, k in enumerate(plan.keys):
        m = re.search(r"_u(\d+)$", k or "")
        if m:
            slots.setdefault(int(m.group(1)), []).append(j)
            fixed.append(None)
        else:
            fixed.append(k)
    if not slots:
        return []
    ids = _ids(cat, kind)
    present = {k for k in fixed if k}
    # the keys a naming may give: those of identities the table cannot test yet (a term added to
    # an identity the named columns already test is left to the per-label questions)
    open_ids = [i for i in ids if not _testable(i, present)]
    missing = sorted({k for i in open_ids for k in (i.lhs, *(t for _, t in i.terms))} - present)
    close = {ti: {key: score for _r, key, score, alias in alias_candidates(cat, texts[ti], layout)
                  if key and not alias.startswith("(")} for ti in slots}
    rows = _numeric(full)
    prefix = cat.repeat_prefix.get(layout, "carryover_")
    memo: dict[tuple[str | int | None, ...], tuple[int, int]] = {}

    def keys_of(assign: dict[int, str]) -> list[str | None]:
        keys = list(fixed)
        for ti, k in assign.items():
            for n, j in enumerate(slots[ti]):
                keys[j] = k if n == 0 else cat.repeat_key.get(k, prefix + k)
        return keys

    def score(assign: dict[int, str], which: list[Identity]) -> tuple[int, int]:
        keys = keys_of(assign)
        pos = {k: j for j, k in enumerate(keys) if k}
        held = failed = 0
        for i in which:
            sig = (i.id, pos.get(i.lhs), *(pos.get(t) for _, t in i.terms))
            if sig not in memo:
                memo[sig] = _score([i], [k or f"?{j}" for j, k in enumerate(keys)], rows)
            held, failed = held + memo[sig][0], failed + memo[sig][1]
        return held, failed

    # each identity the table cannot test yet, completed by naming some of the cells with its keys
    # (a cell printed twice gives its key and, in its second column, the key's repeat)
    holding: list[dict[int, str]] = []
    budget = MAX_NAMINGS
    for i in open_ids:
        miss = [k for k in (i.lhs, *(t for _, t in i.terms)) if k not in present]
        atoms = {k: [(ti, k) for ti in slots] + [(ti, x) for ti in slots if len(slots[ti]) > 1 for x in missing
                                                  if x != k and cat.repeat_key.get(x, prefix + x) == k]
                 for k in miss}
        for r in range(1, min(len(miss), len(slots)) + 1):
            for sub in combinations(miss, r):
                for pick in product(*(atoms[k] for k in sub)):
                    budget -= 1
                    if budget < 0:
                        break
                    assign = dict(pick)
                    if len(assign) != len(pick) or len(set(assign.values())) != len(assign):
                        continue
                    if not _testable(i, {k for k in keys_of(assign) if k}):
                        continue
                    held, failed = score(assign, [i])
                    if held > 2 * failed and assign not in holding:
                        holding.append(assign)
    # namings that hold together: compatible completions joined, scored on every identity
    best: dict[tuple[tuple[int, str], ...], JointCandidate] = {}
    holding = holding[:40]
    for n in range(1, min(4, len(holding)) + 1):
        for group in combinations(holding, n):
            assign: dict[int, str] = {}
            if any(assign.setdefault(ti, k) != k for g in group for ti, k in g.items()):
                continue
            if len(set(assign.values())) != len(assign):
                continue
            sig = tuple(sorted(assign.items()))
            if sig in best:
                continue
            held, failed = score(assign, ids)
            if held < MIN_HELD or held <= 2 * failed or not _all_tested(ids, keys_of(assign), set(assign.values())):
                continue
            best[sig] = JointCandidate({texts[ti]: k for ti, k in sig}, held, failed,
                                       sum(close[ti].get(k, 0.0) for ti, k in sig))
    ranked = sorted(best.values(), key=lambda c: (-(c.held - 2 * c.failed), -c.closeness, len(c.texts)))
    return ranked[:limit]


def _testable(i: Identity, keys: set[str]) -> bool:
    terms = [t for _, t in i.terms if t in keys]
    return i.lhs in keys and len(terms) >= max(i.min_terms, 2 if i.min_terms > 1 else 1)


def _all_tested(ids: list[Identity], keys: list[str | None], named: set[str]) -> bool:
    """Every key named takes part in an identity whose left side and two terms (or its minimum)
    the table prints: a naming no identity tests is not the arithmetic's to make."""
    pos = {k for k in keys if k}
    tested: set[str] = set()
    for i in ids:
        if _testable(i, pos):
            tested |= {i.lhs, *(t for _, t in i.terms if t in pos)}
    return named <= tested


def split_words(cat: Catalog, layout: str, header: str) -> list[str]:
    """Header lines of one printed word that the catalog's header words cut in several known
    labels (a banner 财政拨款“三公”经费 read as 财政拨款 | 三公经费): the word whole may be one label."""
    out = []
    for ln in header.splitlines():
        words = ln.split()
        if len(words) != 1 or cat.norm(words[0]) in cat.labels:
            continue
        pieces = header_labels(cat, words[0])
        if len(pieces) >= 2 and not _unknown(cat, layout, words[0]):
            out.append(words[0])
    return out


def whole_cell(header: str, label: str) -> str:
    """A header label as its whole cell: the label ending a line, with the pieces the cell wrapped
    onto the lines below it (each a line of its own, all but the last as long as the first), so a
    profile's alias matches however the cell is cut (上年结余、 / 结转 is 上年结余、结转)."""
    lines = [ln.split() for ln in header.splitlines() if ln.strip()]
    for li, words in enumerate(lines):
        if not words or words[-1] != label:
            continue
        cell, prev, nxt = label, label, li + 1
        while (nxt < len(lines) and len(lines[nxt]) == 1 and len(prev) == len(label)
               and len(lines[nxt][0]) <= len(label)):
            prev = lines[nxt][0]
            cell += prev
            nxt += 1
        return cell
    return label
