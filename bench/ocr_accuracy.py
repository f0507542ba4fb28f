"""OCR accuracy: the samples printed to PDF (headless Chromium), every page rasterised at 150 dpi
into an image-only PDF, read back by OCR and scored against the samples' hand-labelled gold.

    .venv/bin/python bench/ocr_accuracy.py [--samples GLOB] [--layout default] [--out bench/out/ocr] [--no-cache]

Prints, per sample: the key figures read (target >= 97 %), and every key figure the OCR path got
wrong -- whether a failed check names its cell (*caught*), whether it is flagged (a notice names it:
``ocr_uncertain``), or neither (*silent*: the target is none); then OCR pages per second (CPU and
wall, with the machine's load).  The PDFs and scans are kept under ``--out``; the OCR boxes of each
page image are cached there too (by the image's hash and the OCR settings), so a rerun measures the
reading of the boxes without the OCR itself -- ``--no-cache`` to time the OCR.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import re
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.roundtrip import LAYOUTS, Layout, print_pdf, sample_html  # noqa: E402

from fiscal_extract.catalog import load  # noqa: E402
from fiscal_extract.evaluate.results import KEY_KINDS  # noqa: E402
from fiscal_extract.evaluate.run import load_gold  # noqa: E402
from fiscal_extract.evaluate.score import evaluate_pair  # noqa: E402
from fiscal_extract.options import ExtractOptions  # noqa: E402
from fiscal_extract.pipeline import extract_file  # noqa: E402
from fiscal_extract.read import ocr  # noqa: E402
from fiscal_extract.read.pdf_layout import Glyph  # noqa: E402

DEFAULT_OUT = ROOT / "bench" / "out" / "ocr"
MAX_BYTES = 1 << 30
"""Scans are large (a 77-page sample at 150 dpi is 5 MB): past the default limit meant for text."""


def rasterise(pdf: Path, out: Path, dpi: int = 150) -> Path:
    """Every page of ``pdf`` as one image at ``dpi``: a PDF without a text layer, as a scanner makes."""
    import pypdfium2 as pdfium

    src = pdfium.PdfDocument(pdf)
    dst = pdfium.PdfDocument.new()
    for page in src:
        w, h = page.get_size()
        image = pdfium.PdfImage.new(dst)
        image.set_bitmap(page.render(scale=dpi / 72, grayscale=True))
        image.set_matrix(pdfium.PdfMatrix().scale(w, h))
        new = dst.new_page(w, h)
        new.insert_obj(image)
        new.gen_content()
    buf = io.BytesIO()
    dst.save(buf)
    out.write_bytes(buf.getvalue())
    return out


def scanned_sample(sample: Path, out: Path, layout: Layout) -> Path:
    """The sample printed to PDF and rasterised (both cached by the hash of the sample's HTML)."""
    html = sample_html(sample, layout)
    digest = hashlib.sha256(html.encode("utf-8")).hexdigest()[:16]
    scan = out / f"{sample.stem}.{digest}.scan.pdf"
    if not scan.exists():
        pdf = print_pdf(html, out / f"{sample.stem}.{digest}.pdf")
        rasterise(pdf, scan)
    return scan


class OcrStats:
    """Pages read by OCR (not from the cache), and the CPU and wall seconds they took."""

    def __init__(self) -> None:
        self.pages = self.cached = 0
        self.cpu = self.wall = 0.0


def cache_ocr(cache: Path | None, stats: OcrStats) -> None:
    """Wrap :func:`ocr.read_boxes`: time every page it reads, and keep its boxes in ``cache``;
    time :func:`ocr.reread` too."""
    real = ocr.read_boxes
    settings = json.dumps([ocr.DET_MAX_SIDE, ocr.RULE_CLEAR, ocr.MIN_PIECE, ocr.ENGINE_SETTINGS], sort_keys=True)

    def cached(image: Any, scale: float, rules: Any = None) -> list[Glyph]:
        path = None
        if cache is not None:
            key = hashlib.sha256(settings.encode() + repr((scale, rules)).encode() + image.tobytes()).hexdigest()[:24]
            path = cache / f"{key}.json"
            if path.exists():
                stats.cached += 1
                return [Glyph(*g) for g in json.loads(path.read_text())]
        c0, w0 = time.process_time(), time.perf_counter()
        glyphs = real(image, scale, rules)
        stats.cpu += time.process_time() - c0
        stats.wall += time.perf_counter() - w0
        stats.pages += 1
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            boxes = [[g.text, g.x0, g.top, g.x1, g.bottom, g.conf] for g in glyphs]
            path.write_text(json.dumps(boxes, ensure_ascii=False))
        return glyphs

    ocr.read_boxes = cached  # type: ignore[assignment]
    real_reread = ocr.reread

    def timed_reread(image: Any, glyphs: list[Glyph], scale: float) -> list[Glyph]:
        """The doubtful boxes read again (not cached: it reads a few boxes); its time is OCR time."""
        c0, w0 = time.process_time(), time.perf_counter()
        try:
            return real_reread(image, glyphs, scale)
        finally:
            stats.cpu += time.process_time() - c0
            stats.wall += time.perf_counter() - w0

    ocr.reread = timed_reread  # type: ignore[assignment]


_REF = re.compile(r"tables\[(\d+)\]\.rows\[(\d+)\]\.values\.(\w+)")


def _cell(record: Any, ref: str | None) -> Any:
    """The span of the cell a ``tables[i].rows[j].values.key`` ref names, or None."""
    m = _REF.fullmatch(ref or "")
    if not m:
        return None
    t, r, key = int(m.group(1)), int(m.group(2)), m.group(3)
    try:
        return record.tables[t].rows[r].cells.get(key)
    except IndexError:
        return None


def verdicts(record: Any, result: Any) -> list[dict[str, Any]]:
    """Every key figure not read right: what gold says, what was read, and whether a failed check
    or a notice names its cell."""
    failed = {ref for c in record.checks if c.status == "fail" for ref in c.refs}
    flagged = {n.span.start for n in record.notices if n.code == "ocr_uncertain" and n.span is not None}
    out = []
    for m in result.mismatches:
        kind = m.table.split("#")[0]
        if kind not in KEY_KINDS or m.expected is None or m.key in ("(row)", "(table)"):
            continue
        span = _cell(record, m.ref)
        out.append({
            "table": m.table[:40], "row": m.row[:20], "key": m.key, "expected": m.expected, "got": m.got,
            "conf": span.confidence if span is not None else None,
            "caught": m.ref in failed,
            "flagged": span is not None and span.start in flagged,
        })
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--samples", default="eval/samples/*.txt")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--layout", choices=sorted(LAYOUTS), default="default",
                    help="how the samples are printed (tests.roundtrip.LAYOUTS; portrait: 7.5-point tables)")
    ap.add_argument("--no-cache", action="store_true", help="read every page by OCR (to time it)")
    ap.add_argument("--json", type=Path, help="write the per-sample figures here")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    stats = OcrStats()
    cache_ocr(None if args.no_cache else args.out / "cache", stats)
    cat = load()
    correct = total = 0
    silent = 0
    rows: list[dict[str, Any]] = []
    for sample in sorted(ROOT.glob(args.samples)):
        gold_path = ROOT / "eval" / "gold" / f"{sample.stem}.json"
        if not gold_path.exists():
            continue
        scan = scanned_sample(sample, args.out, LAYOUTS[args.layout])
        record = extract_file(scan, ExtractOptions(ocr="auto", max_bytes=MAX_BYTES))
        result = evaluate_pair(sample.stem, load_gold(gold_path), record, cat)
        ok, n = result.key_figures()
        correct, total = correct + ok, total + n
        wrong = verdicts(record, result)
        silent += sum(1 for w in wrong if w["got"] is not None and not (w["caught"] or w["flagged"]))
        misread = sum(1 for w in wrong if w["got"] is not None)
        flags = sum(1 for x in record.notices if x.code == "ocr_uncertain")
        cells = sum(len(r.cells) for t in record.tables for r in t.rows)
        print(f"{sample.stem}: key figures {ok}/{n} = {ok / max(n, 1):.1%}; misread {misread}, "
              f"missed {len(wrong) - misread}; {flags} of {cells} table figures flagged ocr_uncertain", flush=True)
        for w in wrong:
            how = ("caught" if w["caught"] else "flagged" if w["flagged"] else
                   "SILENT" if w["got"] is not None else "missed")
            print(f"    {how:7} {w['table']} | {w['row']} | {w['key']}: gold {w['expected']} read {w['got']} "
                  f"(conf {w['conf']})")
        rows.append({"sample": sample.stem, "correct": ok, "total": n, "wrong": wrong, "flagged": flags,
                     "cells": cells})
    print(f"all: key figures {correct}/{total} = {correct / max(total, 1):.1%} (target >= 97 %); "
          f"misread and neither caught nor flagged: {silent} (target 0)")
    load_avg = " ".join(f"{x:.1f}" for x in os.getloadavg())
    if stats.pages:
        print(f"OCR: {stats.pages} pages in {stats.wall:.1f} s = {stats.pages / stats.wall:.2f} pages/s wall; "
              f"CPU {stats.cpu / stats.pages:.2f} s a page "
              f"({2 * stats.pages / stats.cpu:.2f} pages/s on 2 idle cores); "
              f"load average {load_avg}; {stats.cached} pages from the cache")
    else:
        print(f"OCR: all {stats.cached} pages from the cache (--no-cache to time the OCR)")
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
