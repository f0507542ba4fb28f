"""A round-trip harness: sample documents printed as PDF and read back by three PDF libraries.

Each sample (``eval/samples/*.txt``, OCR text with its tables as tab-separated blocks) is laid out
as a printed budget document lays it out -- narrative as paragraphs; each table on its own page
with its title, a "部门名称 / 单位：万元" line, a multi-row header with ``colspan`` / ``rowspan``,
one table row per row, right-aligned amounts, ruled cells, and long tables continuing over pages
with the header repeated -- rendered to HTML, printed to PDF by headless Chromium, and read back
with pdfminer.six, pypdf and pypdfium2 exactly as the texts of ``eval/corpus/text/`` were made.
The expected answers stay the sample's hand-labelled gold (``eval/gold/<stem>.json``): the
project's segmenter is used only to find the table blocks of the INPUT.

    from tests.roundtrip import roundtrip_texts, Layout
    paths = roundtrip_texts(Path("eval/samples/000_0af22c00480e84fb.txt"), Path("/tmp/rt"))
    # {"pdfminer": .../000_0af22c00480e84fb.pdfminer.txt, "pypdf": ..., "pdfium": ...}

Layouts vary (:class:`Layout`): ruling lines, tight or wide columns, page numbers, the title
repeated on continuation pages, indentation of row labels by hierarchy.  ``LAYOUTS`` names a few.
"""

from __future__ import annotations

import hashlib
import html
import logging
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

LIBRARIES: tuple[str, ...] = ("pdfminer", "pypdf", "pdfium")
CHROMIUM_TIMEOUT = 180.0
"""Seconds one print may take (a 100-page sample prints in a few seconds)."""

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
"""Headless Chromium on this machine: without the background-networking flags it keeps calling out
to a network that is closed (the browser tests use the same flags)."""
_CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


# ------------------------------------------------------------------------------- project imports


def _fx() -> SimpleNamespace:
    """Every import of fiscal_extract in this module (the modules may move to stage packages)."""
    from fiscal_extract.catalog import load
    from fiscal_extract.read.normalize import read_source
    from fiscal_extract.read.segment import TableBlock, TextBlock, segment
    from fiscal_extract.tables.parse import split_part

    return SimpleNamespace(
        load=load,
        read_source=read_source,
        segment=segment,
        TableBlock=TableBlock,
        TextBlock=TextBlock,
        split_part=split_part,
    )


# ------------------------------------------------------------------------------- layouts


@dataclass(frozen=True)
class Layout:
    """How a sample is printed.  The default resembles a typical provincial budget PDF."""

    ruled: bool = True
    """Cell borders (ruling lines); without them the table is only text positioned in columns."""
    widths: str = "wide"
    """``wide``: the table fills the page width; ``tight``: columns as narrow as their text."""
    page_numbers: bool = True
    """A page number printed at the bottom of every page."""
    page_number_style: str = "dash"
    """``dash``: "- 7 -"; ``plain``: "7" (the text libraries glue it onto a cell: ``0.007``)."""
    repeat_title: bool = False
    """The table title (and unit line) repeated on every continuation page, not only the header."""
    indent: str = "none"
    """Row-label hierarchy: ``none``; ``pad`` (shifted by CSS padding); ``ideo`` (U+3000 spaces
    printed before the label, as some templates do)."""
    landscape: bool = True
    """Table pages in A4 landscape (narrative pages are always portrait)."""
    font_pt: float = 9.0
    """Font size of table cells."""

    def key(self) -> str:
        return ",".join(f"{k}={v}" for k, v in sorted(asdict(self).items()))


DEFAULT = Layout()
LAYOUTS: dict[str, Layout] = {
    "default": DEFAULT,
    "plain": Layout(ruled=False, widths="tight", page_numbers=False),
    "indent": Layout(indent="ideo", repeat_title=True, page_number_style="plain"),
    "pad": Layout(indent="pad", widths="tight", landscape=False, font_pt=8.0),
    "portrait": Layout(landscape=False, font_pt=7.5, repeat_title=True),
}
"""Named layouts the bench can run (``default`` is what the tests use)."""


# ------------------------------------------------------------------------------- HTML

_AMOUNT = re.compile(r"^[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?$")
_DECIMAL = re.compile(r"^[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d+%?$")
_CODE = re.compile(r"^\d{2,9}$")
_UNIT = re.compile(r"单位\s*[:：]")
_OWNER = re.compile(r"^(?:部门名称|部门|单位名称|预算单位|部门/单位|填报单位)\s*[:：]")
_LEVEL2 = re.compile(r"^\s*[(（][一二三四五六七八九十]+[)）]")
_LEVEL3 = re.compile(r"^\s*\d+[.、．]")
_MD_HEAD = re.compile(r"^(#{1,6})\s*")
_BULLET = re.compile(r"^[-*]\s+")


def _css(lay: Layout) -> str:
    border = "0.6pt solid #000" if lay.ruled else "none"
    counter = '"- " counter(page) " -"' if lay.page_number_style == "dash" else "counter(page)"
    page_no = f"@bottom-center {{ content: {counter}; font-size: 9pt; }}" if lay.page_numbers else ""
    table_size = "A4 landscape" if lay.landscape else "A4 portrait"
    width = "width: 100%;" if lay.widths == "wide" else "width: auto;"
    pad = "2pt 5pt" if lay.widths == "wide" else "1pt 2pt"
    return f"""
@page {{ size: A4 portrait; margin: 20mm 18mm 20mm 18mm; {page_no} }}
@page tables {{ size: {table_size}; margin: 14mm 12mm 16mm 12mm; {page_no} }}
body {{ font-family: "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", sans-serif; font-size: 11pt; line-height: 1.6; }}
p {{ margin: 0 0 4pt 0; text-indent: 2em; }}
h1, h2, h3 {{ font-size: 13pt; margin: 10pt 0 6pt 0; }}
.part {{ break-before: page; }}
.tbl {{ page: tables; break-before: page; }}
.tbl + .tbl.cont {{ break-before: auto; }}
.title {{ text-align: center; font-size: 15pt; font-weight: bold; margin: 0 0 6pt 0; }}
.meta {{ display: flex; justify-content: space-between; font-size: 9.5pt; margin: 0 0 3pt 0; }}
.note {{ font-size: 9pt; text-indent: 0; margin-top: 4pt; }}
table {{ border-collapse: collapse; {width} font-size: {lay.font_pt}pt; line-height: 1.25; }}
th, td {{ border: {border}; padding: {pad}; }}
th {{ font-weight: normal; text-align: center; vertical-align: middle; }}
td {{ text-align: left; vertical-align: middle; }}
td.num {{ text-align: right; white-space: nowrap; }}
td.code {{ text-align: center; white-space: nowrap; }}
thead {{ display: table-header-group; }}
thead tr.head-title th {{ border: none; padding: 0 0 4pt 0; }}
tr {{ break-inside: avoid; }}
""".strip()


def _esc(s: str) -> str:
    return html.escape(s, quote=False)


def _clean(raw: str) -> str:
    """A printed line: markdown marks and tabs dropped, runs of whitespace kept as one space."""
    s = raw.replace("\t", " ").strip()
    s = _MD_HEAD.sub("", s)
    return re.sub(r"\s{2,}", " ", s)


def _narrative_html(src: Any, lines: Sequence[Any]) -> list[str]:
    out: list[str] = []
    for ln in lines:
        raw = src.text[ln.start : ln.end].strip()
        if not raw:
            continue
        m = _MD_HEAD.match(raw)
        if m:
            level = min(len(m.group(1)) + 1, 3)
            out.append(f"<h{level}>{_esc(_clean(raw))}</h{level}>")
            continue
        out.append(f"<p>{_esc(_BULLET.sub('', raw).replace(chr(9), ' '))}</p>")
    return out


def _texts(row: Any, width: int) -> list[str]:
    cells = [c.raw for c in row.cells]
    return cells + [""] * (width - len(cells))


def _header_spans(rows: list[list[str]], width: int) -> list[list[tuple[int, int, int, str]]]:
    """The cells of a tab-separated header as (column, colspan, rowspan, text) per row.

    OCR puts a spanning label in its first position with empty cells after it, and leaves the
    cells below a tall label empty.  A label spans the empty cells below it (``rowspan``) and, in
    every header row but the last, the empty cells after it; a label above is widened or narrowed
    so that it never cuts a label below it in two (OCR places a centred label loosely)."""
    n = len(rows)
    lab = [[" ".join(rows[r][c].split()) if c < len(rows[r]) else "" for c in range(width)] for r in range(n)]
    occ = [[False] * width for _ in range(n)]  # below a tall label (its rowspan)
    spans: list[list[list[int]]] = []
    for r in range(n):
        row: list[list[int]] = []
        for c in range(width):
            if not lab[r][c] or occ[r][c]:
                continue
            end = c + 1
            if r < n - 1:
                while end < width and not lab[r][end] and not occ[r][end]:
                    end += 1
            row.append([c, end, c])  # start, end, the column the label was printed in
            d = 1
            while r + d < n and all(not lab[r + d][k] for k in range(c, end)):
                for k in range(c, end):
                    occ[r + d][k] = True
                d += 1
        spans.append(row)
    for r in range(n - 2, -1, -1):
        for a, b in zip(spans[r], spans[r][1:], strict=False):
            if a[1] != b[0]:
                continue
            for c0, c1, _ in spans[r + 1]:
                if c0 < b[0] < c1 < b[1]:
                    a[1] = b[0] = c1
    taken = [[False] * width for _ in range(n)]
    out: list[list[tuple[int, int, int, str]]] = []
    for r in range(n):
        cells: list[tuple[int, int, int, str]] = []
        starts = {s[0]: s for s in spans[r]}
        labels = {s[0]: lab[r][s[2]] for s in spans[r]}
        c = 0
        while c < width:
            if taken[r][c]:
                c += 1
                continue
            if c in starts:
                end = starts[c][1]
                text = labels.get(c, "")
                d = 1
                while r + d < n and all(not lab[r + d][k] for k in range(c, end)):
                    d += 1
            else:
                end, text, d = c + 1, "", 1
            for rr in range(r, r + d):
                for k in range(c, end):
                    taken[rr][k] = True
            cells.append((c, end - c, d, text))
            c = end
        out.append(cells)
    return out


def _header_html(rows: list[list[str]], width: int) -> list[str]:
    out: list[str] = []
    for cells in _header_spans(rows, width):
        parts = []
        for _c, span, down, text in cells:
            attrs = (f' colspan="{span}"' if span > 1 else "") + (f' rowspan="{down}"' if down > 1 else "")
            parts.append(f"<th{attrs}>{_esc(text)}</th>")
        out.append("<tr>" + "".join(parts) + "</tr>")
    return out


def _level(texts: list[str]) -> int:
    """A data row's level in the hierarchy: from its classification code (3/5/7 digits, or
    类 | 款 | 项 printed apart), else from its numbering ("（一）" 2, "1." 3)."""
    digits = ""
    for t in texts:
        t = t.strip()
        if not t:
            if digits:
                continue
            continue
        if _CODE.match(t) and not _DECIMAL.match(t):
            digits += t
            continue
        break
    if len(digits) in (3, 5, 7):
        return (len(digits) - 1) // 2
    label = next((t for t in texts if t.strip() and not _AMOUNT.match(t.strip())), "")
    if _LEVEL2.match(label):
        return 2
    if _LEVEL3.match(label):
        return 3
    return 1


def _numeric_columns(rows: list[list[str]], width: int) -> set[int]:
    """Amount columns (right-aligned): most cells print decimals, or every cell is a number and
    the column lies right of every column that holds text (integer amounts, not codes)."""
    last_text = -1
    for r in rows:
        for c in range(width):
            t = r[c].strip()
            if t and not _AMOUNT.match(t):
                last_text = max(last_text, c)
    out = set()
    for c in range(width):
        vals = [r[c].strip() for r in rows if r[c].strip()]
        if not vals:
            continue
        decimals = sum(bool(_DECIMAL.match(v)) for v in vals) * 2 >= len(vals)
        if decimals or (c > last_text and all(_AMOUNT.match(v) for v in vals)):
            out.add(c)
    return out


def _body_html(rows: list[list[str]], width: int, lay: Layout, merge: bool) -> list[str]:
    nums = _numeric_columns(rows, width)
    out: list[str] = []
    for texts in rows:
        level = 0 if merge else _level(texts)
        label_done = False
        cells: list[str] = []
        c = 0
        while c < width:
            t = " ".join(texts[c].split())
            end = c + 1
            if merge and t:
                while end < width and not texts[end].strip():
                    end += 1
            cls = ""
            style = ""
            if c in nums or (t and _DECIMAL.match(t)):
                cls = "num"
            elif t and _CODE.match(t) and not label_done:
                cls = "code"
            elif t and not label_done:
                label_done = True
                if level > 1 and lay.indent == "ideo":
                    t = "\u3000" * (level - 1) + t
                elif level > 1 and lay.indent == "pad":
                    style = f' style="padding-left: {1.2 * (level - 1) + 0.3:.1f}em"'
            attrs = (f' class="{cls}"' if cls else "") + style + (f' colspan="{end - c}"' if end - c > 1 else "")
            cells.append(f"<td{attrs}>{_esc(t)}</td>")
            c = end
        out.append("<tr>" + "".join(cells) + "</tr>")
    return out


def _meta_html(lines: list[str], unit_default: str | None) -> str:
    """The lines between a title and its grid on one line: owner left, unit right."""
    owner = [s for s in lines if not _UNIT.search(s)]
    unit = [s for s in lines if _UNIT.search(s)]
    if not unit and unit_default:
        unit = [unit_default]
    left = " ".join(owner)
    right = " ".join(unit)
    if not left and not right:
        return ""
    return f'<div class="meta"><span>{_esc(left)}</span><span>{_esc(right)}</span></div>'


def _table_html(fx: SimpleNamespace, cat: Any, src: Any, block: Any, lay: Layout) -> list[str]:
    kind = block.match.kind if block.match is not None else block.kind
    layout = cat.layout_of(kind) if kind else "classified"
    perf = layout == "performance"
    title = ""
    if block.title_line is not None:
        raw = src.text[block.title_line.start : block.title_line.end]
        title = _clean(raw.replace("\t", ""))
    elif block.title:
        title = _clean(block.title)
    first_line = block.parts[0].first_line if block.parts else 0
    meta = [_clean(src.text[m.start : m.end]) for m in block.meta if m.no < first_line]
    # the rows of every part: the first part's header, then each part's data rows (a repeated
    # header dropped); performance tables keep their parts' rows as printed
    head: list[Any] | None = None
    header: list[list[str]] = []
    body: list[list[str]] = []
    width = max((p.width for p in block.parts), default=0)
    for part in block.parts:
        if perf:
            body.extend(_texts(r, width) for r in part.rows)
            continue
        split = fx.split_part(cat, part, head, layout)
        meta.extend(_clean(r.joined()) for r in split.meta if r.joined().strip())
        if head is None:
            head = split.header
            header = [_texts(r, width) for r in split.header]
        body.extend(_texts(r, width) for r in split.data)
    unit_default = None if perf or any(_UNIT.search(m) for m in meta) else "单位：万元"
    meta_div = _meta_html(meta, unit_default)
    title_div = f'<div class="title">{_esc(title)}</div>' if title else ""
    out = ['<section class="tbl">']
    thead: list[str] = []
    if lay.repeat_title and (title_div or meta_div):
        thead.append(f'<tr class="head-title"><th colspan="{width}">{title_div}{meta_div}</th></tr>')
    else:
        out.append(title_div + meta_div)
    thead.extend(_header_html(header, width) if header else [])
    out.append("<table>")
    if thead:
        out.append("<thead>" + "\n".join(thead) + "</thead>")
    out.append("<tbody>" + "\n".join(_body_html(body, width, lay, merge=perf)) + "</tbody>")
    out.append("</table>")
    for n in block.notes:
        out.append(f'<p class="note">{_esc(_clean(src.text[n.start : n.end]))}</p>')
    out.append("</section>")
    return out


def sample_html(sample_path: Path | str, layout: Layout = DEFAULT) -> str:
    """The sample laid out as a printed budget document, as one HTML page."""
    fx = _fx()
    cat = fx.load()
    src = fx.read_source(sample_path)
    seg = fx.segment(src, cat)
    body: list[str] = []
    after_table = False
    for block in seg.blocks:
        if isinstance(block, fx.TableBlock):
            body.extend(_table_html(fx, cat, src, block, layout))
            after_table = True
            continue
        paras = _narrative_html(src, block.lines)
        if paras:
            cls = ' class="part"' if after_table else ""
            body.append(f"<div{cls}>" + "\n".join(paras) + "</div>")
            after_table = False
    name = html.escape(Path(sample_path).stem)
    return (
        '<!doctype html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{name}</title><style>{_css(layout)}</style></head>\n<body>\n" + "\n".join(body) + "\n</body></html>\n"
    )


# ------------------------------------------------------------------------------- PDF


def chromium_path() -> str | None:
    """The headless Chromium to print with (``ROUNDTRIP_CHROMIUM`` overrides), or None."""
    env = os.environ.get("ROUNDTRIP_CHROMIUM")
    if env:
        return env if Path(env).exists() else None
    for name in _CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


def print_pdf(html_text: str, out_pdf: Path, timeout: float = CHROMIUM_TIMEOUT) -> Path:
    """Print an HTML page to ``out_pdf`` with headless Chromium (a fresh profile per print)."""
    exe = chromium_path()
    if exe is None:
        env = os.environ.get("ROUNDTRIP_CHROMIUM")
        where = f"ROUNDTRIP_CHROMIUM={env} does not exist" if env else "looked for " + ", ".join(_CHROMIUM_NAMES)
        raise RuntimeError(f"headless Chromium not found ({where}); install chromium or set ROUNDTRIP_CHROMIUM")
    out_pdf = Path(out_pdf).resolve()
    out_pdf.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="roundtrip-") as tmp:
        page = Path(tmp) / "page.html"
        page.write_text(html_text, encoding="utf-8")
        tmp_pdf = Path(tmp) / "out.pdf"
        cmd = [
            exe,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={Path(tmp) / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={tmp_pdf}",
            page.as_uri(),
        ]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise RuntimeError(f"chromium did not print {out_pdf.name} within {timeout:.0f} s") from None
        if proc.returncode != 0 or not tmp_pdf.exists() or tmp_pdf.stat().st_size == 0:
            tail = (proc.stderr or "").strip().splitlines()[-5:]
            raise RuntimeError(f"chromium failed to print {out_pdf.name} (exit {proc.returncode}): " + " | ".join(tail))
        shutil.move(str(tmp_pdf), out_pdf)
    return out_pdf


# ------------------------------------------------------------------------------- reading back


def _pdfminer(pdf: Path) -> str:
    from pdfminer.high_level import extract_text

    # Chromium's CID fonts have no FontBBox: pdfminer warns once per font and page
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    return extract_text(str(pdf))


def _pypdf(pdf: Path) -> str:
    from pypdf import PdfReader

    return "\f".join(page.extract_text() for page in PdfReader(str(pdf)).pages)


def _pdfium(pdf: Path) -> str:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        return "\f".join(page.get_textpage().get_text_range() for page in doc)
    finally:
        doc.close()


READERS: dict[str, Callable[[Path], str]] = {"pdfminer": _pdfminer, "pypdf": _pypdf, "pdfium": _pdfium}


def pdf_texts(pdf: Path, libraries: Sequence[str] = LIBRARIES) -> dict[str, str]:
    """The text each library makes of ``pdf`` (the calls that made ``eval/corpus/text/``)."""
    return {lib: READERS[lib](Path(pdf)) for lib in libraries}


def roundtrip_texts(
    sample_path: Path | str, workdir: Path | str, layout: Layout = DEFAULT, libraries: Sequence[str] = LIBRARIES
) -> dict[str, Path]:
    """Render, print and read back one sample: ``workdir/<stem>.<lib>.txt`` per library (and the
    ``.html`` and ``.pdf`` beside them).  Cached by the hash of the HTML: a rerun with the same
    layout and the same sample is only the HTML rendering."""
    sample_path = Path(sample_path)
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    stem = sample_path.stem
    page = sample_html(sample_path, layout)
    digest = hashlib.sha256(page.encode("utf-8")).hexdigest()
    stamp = workdir / f"{stem}.sha256"
    pdf = workdir / f"{stem}.pdf"
    outs = {lib: workdir / f"{stem}.{lib}.txt" for lib in libraries}
    fresh = stamp.exists() and stamp.read_text().split() == [digest] and pdf.exists()
    if fresh and all(p.exists() for p in outs.values()):
        return outs
    if not fresh:
        stamp.unlink(missing_ok=True)
        (workdir / f"{stem}.html").write_text(page, encoding="utf-8")
        print_pdf(page, pdf)
        for p in outs.values():
            p.unlink(missing_ok=True)
    todo = [lib for lib, p in outs.items() if not p.exists()]
    for lib, text in pdf_texts(pdf, todo).items():
        outs[lib].write_text(text, encoding="utf-8")
    stamp.write_text(digest + "\n")
    return outs
