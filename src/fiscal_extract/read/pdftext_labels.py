"""The header words of PDF-library text: a header line split into the catalog's labels (wrapped and
glued labels rejoined), and what a label is (its role and key).

Comes in: a header line's text.  Goes out: labels and :class:`~fiscal_extract.catalog.LabelSpec`.
May import: ``catalog``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

from ..catalog import Catalog, LabelSpec


@lru_cache(maxsize=8)
def _vocabulary(cat: Catalog) -> tuple[frozenset[str], int]:
    words = set(cat.labels) | set(cat.scopes) | set(cat.subtotal_words) | set(cat.banner_words)
    words = {w for w in words if len(w) >= 2}
    return frozenset(words), max((len(w) for w in words), default=0)


def _truncation(cat: Catalog, head: str, word: str) -> bool:
    """``head`` is only a cut-off form of ``word`` (一般公共 of 一般公共预算: the same column, a label
    the catalog knows because narrow cells print it so): a label wrapped over two lines reads whole."""
    keys = {(sp.role, sp.key) for sp in cat.labels.get(head, [])}
    return bool(keys) and keys == {(sp.role, sp.key) for sp in cat.labels.get(word, [])}


def header_labels(cat: Catalog, text: str) -> list[str]:
    """Split header text (fragments joined, spaces dropped) into labels with the catalog's
    header words, longest first; text between known words stays one label per printed word."""
    return list(_header_labels(cat, text))


@lru_cache(maxsize=8)
def _starts(cat: Catalog) -> frozenset[str]:
    """The first two characters of every header word: where no word can start, none is tried."""
    return frozenset(w[:2] for w in _vocabulary(cat)[0])


@lru_cache(maxsize=4096)
def _header_labels(cat: Catalog, text: str) -> tuple[str, ...]:
    vocab, longest = _vocabulary(cat)
    starts = _starts(cat)
    words = text.split()
    s = "".join(words)
    # the text normalised character by character as the catalog normalises labels (width,
    # confusables, quotes dropped), with where each normalised character came from
    norm_chars: list[str] = []
    at: list[int] = []
    for i, ch in enumerate(s):
        for c in cat.norm(ch):
            norm_chars.append(c)
            at.append(i)
    ns = "".join(norm_chars)
    # where the printed text had a space: unknown text is split there
    breaks: set[int] = set()
    pos = 0
    for w in words:
        pos += len(w)
        breaks.add(pos)
    # (sorted, for the next break after a character by bisection: a scan of every break per
    # character is quadratic on a long line of many short words -- mojibake, 20 s for one text)
    ordered = sorted(breaks)
    out: list[str] = []
    unknown = ""
    i = 0
    while i < len(ns):
        hit = 0
        # the next printed break: a word may run past it only when the text before it is no
        # header word of its own (a label wrapped over two lines: "对附属单位补助支 / 出")
        k = bisect_right(ordered, at[i])
        brk = ordered[k] if k < len(ordered) else len(s)
        for n in range(min(longest, len(ns) - i) if ns[i : i + 2] in starts else 1, 1, -1):
            if ns[i : i + n] in vocab:
                end = at[i + n - 1] + 1
                head = ns[i : i + sum(1 for k in at[i : i + n] if k < brk)]
                if end > brk and head in vocab and not _truncation(cat, head, ns[i : i + n]):
                    continue
                hit = n
                break
        if not hit:
            unknown += s[at[i]]
            i += 1
            if (i == len(ns) or at[i] in breaks or at[i - 1] + 1 in breaks) and unknown:
                out.append(unknown)
                unknown = ""
            continue
        if unknown:
            out.append(unknown)
            unknown = ""
        out.append(s[at[i] : at[i + hit - 1] + 1])
        i += hit
    if unknown:
        out.append(unknown)
    return tuple(_rejoin(cat, vocab, out))


def _rejoin(cat: Catalog, vocab: frozenset[str], labels: list[str]) -> list[str]:
    """A header word wrapped in a cell beside a shorter one comes out with the other's word
    between its halves ("公务接 小计 待费"): two fragments no header word, with at most two labels
    between them, whose join is one, are that word (where its first half is printed)."""
    out = list(labels)
    i = 0
    while i < len(out):
        if cat.norm(out[i]) not in vocab:
            for j in range(i + 1, min(i + 4, len(out))):
                if cat.norm(out[j]) not in vocab and cat.norm(out[i] + out[j]) in vocab:
                    out[i] += out.pop(j)
                    break
        i += 1
    # a wrapped word's last character or two printed as a paragraph of their own (机关运行经费预算
    # / 数): joined to the word before them where the join is a header word too
    i = 1
    while i < len(out):
        if len(out[i]) <= 2 and cat.norm(out[i]) not in vocab and cat.norm(out[i - 1] + out[i]) in vocab:
            out[i - 1] += out.pop(i)
            continue
        i += 1
    return out


@lru_cache(maxsize=8192)
def is_header_text(cat: Catalog, text: str) -> bool:
    """Text the header vocabulary covers: a label column's word (科目编码), or text three quarters
    of which are catalog header words (an "其中：" before them aside).  Cached: pdfminer's reader
    asks it of every paragraph and of every join of two fragments."""
    vocab, _ = _vocabulary(cat)
    text = re.sub(r"^其中\s*[:：]?", "", text)
    spec = cat.column(text, "classified")
    if spec is not None and spec.role != "value":
        return True
    pieces = header_labels(cat, text)
    known = sum(len(p) for p in pieces if cat.norm(p) in vocab)
    return bool(pieces) and known >= 0.75 * len(text.replace(" ", ""))


_LABEL_ROLES = ("code", "code_part", "unit_code", "name", "text", "category", "line_no")


def label_spec(cat: Catalog, label: str, layout: str) -> LabelSpec | None:
    """A header label's role and key: an exact catalog label first, a fuzzy match only when no
    exact one exists (a fuzzy 功能科目名称 must not become the code column 功能科目编码)."""
    exact = cat._pick(cat.labels.get(cat.norm(label), ()), layout)
    return exact if exact is not None else cat.column(label, layout)


def is_code_label(cat: Catalog, label: str, layout: str) -> bool:
    spec = label_spec(cat, label, layout)
    return spec is not None and spec.role in ("code", "code_part", "unit_code")
