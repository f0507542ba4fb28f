"""PDF input speed: text-layer pages per second (target >= 20) over the corpus PDFs, OCR pages per
second (target >= 0.5) over a few of their pages rasterised at 150 dpi, and peak memory.

    .venv/bin/python bench/pdf_speed.py [--ocr-pages 3]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import pypdfium2 as pdfium

from fiscal_extract.read.pdf import PdfOptions, read_pdf

ROOT = Path(__file__).resolve().parents[1]


def _rasterise(pdf: Path, pages: int, dpi: int = 150) -> bytes:
    import io

    src = pdfium.PdfDocument(pdf)
    dst = pdfium.PdfDocument.new()
    for i in range(min(pages, len(src))):
        page = src[len(src) // 2 + i if len(src) > 2 * pages else i]
        w, h = page.get_size()
        image = pdfium.PdfImage.new(dst)
        image.set_bitmap(page.render(scale=dpi / 72))
        image.set_matrix(pdfium.PdfMatrix().scale(w, h))
        new = dst.new_page(w, h)
        new.insert_obj(image)
        new.gen_content()
    buf = io.BytesIO()
    dst.save(buf)
    return buf.getvalue()


def _load() -> str:
    import os

    return "load average " + " ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ocr-pages", type=int, default=3)
    args = ap.parse_args()
    pdfs = sorted((ROOT / "eval" / "corpus" / "pdf").glob("*.pdf"))
    pages = 0
    t, cpu = time.perf_counter(), time.process_time()
    for p in pdfs:
        layout, _ = read_pdf(p.read_bytes())
        pages += len(layout.sizes)
    dt, dc = time.perf_counter() - t, time.process_time() - cpu
    text_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"text layer: {pages} pages of {len(pdfs)} PDFs in {dt:.2f} s = {pages / dt:.1f} pages/s (target >= 20); "
          f"CPU {dc:.2f} s = {pages / dc:.1f} pages per CPU-second (the machine's load: {_load()})")
    scan = _rasterise(pdfs[0], args.ocr_pages)
    read_pdf(scan, PdfOptions(pages="1"))  # loads the OCR models once
    t, cpu = time.perf_counter(), time.process_time()
    layout, _ = read_pdf(scan)
    dt, dc = time.perf_counter() - t, time.process_time() - cpu
    n = len(layout.sizes)
    print(f"OCR (150 dpi): {n} pages in {dt:.2f} s = {n / dt:.2f} pages/s (target >= 0.5); "
          f"CPU {dc:.2f} s (both cores: {2 * n / dc:.2f} pages/s when the machine is idle; {_load()})")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {text_peak:.0f} MB after the text-layer PDFs, {peak:.0f} MB with the OCR models loaded")
    return 0


if __name__ == "__main__":
    sys.exit(main())
