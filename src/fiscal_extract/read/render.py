"""Re-render a document's tables the way other OCR tools print them, and add OCR damage.

Used to check that every rendering gives the same figures (markdown pipes, HTML ``<table>``
with spanning header cells, space-aligned columns) and to make unknown-format samples for
onboarding.  Only the tab-separated grids of the input are changed; running text is kept.
"""

from __future__ import annotations

import html
import random
import re
import unicodedata
from collections.abc import Callable, Iterator

_NUM = re.compile(r"^-?\d+(?:\.\d+)?$")


def _blocks(text: str) -> Iterator[tuple[bool, list[str]]]:
    """(is_grid, lines) runs of the document."""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        grid = "\t" in lines[i]
        j = i
        while j < len(lines) and ("\t" in lines[j]) == grid:
            j += 1
        yield grid, lines[i:j]
        i = j


def _rows(lines: list[str]) -> list[list[str]]:
    rows = [ln.split("\t") for ln in lines]
    width = max(len(r) for r in rows)
    return [r + [""] * (width - len(r)) for r in rows]


def _header_count(rows: list[list[str]], empty: int = 0) -> int:
    """Rows before the first row with a decimal figure (``empty`` when no row has one)."""
    for k, r in enumerate(rows):
        if any(re.search(r"\d\.\d", c) for c in r):
            return k
    return empty


def _transform(text: str, fn: Callable[[list[str]], list[str]]) -> str:
    out: list[str] = []
    for grid, lines in _blocks(text):
        out.extend(fn(lines) if grid else lines)
    return "\n".join(out)


def to_markdown(text: str) -> str:
    """Tables as markdown pipe tables (the first row as the markdown header)."""

    def md(lines: list[str]) -> list[str]:
        rows = _rows(lines)
        out = ["| " + " | ".join(c.replace("|", "\\|") for c in rows[0]) + " |"]
        out.append("|" + "|".join("---" for _ in rows[0]) + "|")
        out += ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in rows[1:]]
        return out

    return _transform(text, md)


def to_html(text: str) -> str:
    """Tables as HTML: a header label followed by empty cells becomes one ``colspan`` cell."""

    def tab(lines: list[str]) -> list[str]:
        rows = _rows(lines)
        heads = _header_count(rows)
        out = ["<table>"]
        for k, r in enumerate(rows):
            tag = "th" if k < heads else "td"
            cells = []
            i = 0
            while i < len(r):
                span = 1
                if k < heads and r[i]:
                    while i + span < len(r) and not r[i + span] and not all(not x for x in r[i + span :]):
                        span += 1
                attr = f' colspan="{span}"' if span > 1 else ""
                cells.append(f"<{tag}{attr}>{html.escape(r[i])}</{tag}>")
                i += span
            out.append("  <tr>" + "".join(cells) + "</tr>")
        out.append("</table>")
        return out

    return _transform(text, tab)


def _dwidth(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in s)


def to_aligned(text: str) -> str:
    """Tables as space-aligned columns (padded by display width, CJK counting two)."""

    def aligned(lines: list[str]) -> list[str]:
        rows = [r for r in _rows(lines) if any(c.strip() for c in r)]
        rows = [[" ".join(c.split()) for c in r] for r in rows]
        widths = [max(_dwidth(r[i]) for r in rows) for i in range(len(rows[0]))]
        out = []
        for r in rows:
            parts = [c + " " * (w - _dwidth(c)) for c, w in zip(r, widths, strict=True)]
            out.append("   ".join(parts).rstrip())
        # a blank line before and after keeps neighbouring text out of the column block
        return ["", *out, ""]

    return _transform(text, aligned)


_FULL = str.maketrans("0123456789.", "０１２３４５６７８９．")
_GARBLE = {"预算": "預算", "小计": "亦计", "级": "級", "财政": "財政"}


def damage(text: str, seed: int = 0, rate: float = 0.35) -> str:
    """Extra OCR damage of the kinds the extractor repairs, on table cells only.

    Figures get a space after the point ("447. 48"), a comma or colon for the point ("8, 27",
    "0:00") or full-width digits; header words get confusable characters (預算, 亦计).
    The figures the text means are unchanged.
    """
    rng = random.Random(seed)

    def cell(c: str) -> str:
        s = c.strip()
        if _NUM.match(s) and "." in s and rng.random() < rate:
            whole, frac = s.split(".")
            kind = rng.choice(["space", "comma", "colon", "full"])
            if kind == "space":
                return f"{whole}. {frac}"
            if kind == "comma" and len(frac) != 3:
                return f"{whole}, {frac}"
            if kind == "colon" and float(s) == 0:
                return f"{whole}:{frac}"
            if kind == "full":
                return s.translate(_FULL)
            return s
        if not _NUM.match(s) and rng.random() < rate:
            for a, b in _GARBLE.items():
                if a in s:
                    return c.replace(a, b, 1)
        return c

    def dmg(lines: list[str]) -> list[str]:
        return ["\t".join(cell(c) for c in ln.split("\t")) for ln in lines]

    return _transform(text, dmg)


def renamed(text: str, titles: dict[str, str], labels: dict[str, str]) -> str:
    """The document in a format the catalog does not know: table titles renamed (in short
    lines only, so the narrative keeps its words) and header cells renamed (exact cell text, in
    the header rows of each grid only).  Figures and row names are unchanged."""

    def header(lines: list[str]) -> list[str]:
        rows = [ln.split("\t") for ln in lines]
        n = _header_count(rows, empty=len(rows))
        return ["\t".join(labels.get(c.strip(), c) for c in r) if k < n else lines[k] for k, r in enumerate(rows)]

    out: list[str] = []
    for grid, lines in _blocks(text):
        if grid:
            out.extend(header(lines))
            continue
        for ln in lines:
            if len(ln) <= 40:
                for a, b in titles.items():
                    ln = ln.replace(a, b)
            out.append(ln)
    return "\n".join(out)


RENDERINGS: dict[str, Callable[[str], str]] = {
    "markdown": to_markdown,
    "html": to_html,
    "aligned": to_aligned,
    "damaged": damage,
}
