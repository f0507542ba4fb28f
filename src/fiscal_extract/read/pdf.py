"""PDF documents: opened with pypdfium2, each page read from its text layer or, when scanned, by OCR.

``is_pdf`` tells a PDF by its magic bytes.  ``read_pdf`` lays every page out by position
(:mod:`.pdf_layout`) into one text -- cells separated by tabs, pages by form feeds -- which the
tab-separated reader reads exactly, and keeps where each word is printed (:class:`PageText`), so
every figure's provenance gains its page and box.  A page without a text layer is read by OCR
(:mod:`.ocr`) under ``ocr="auto"``; ``"always"`` reads every page by OCR, ``"never"`` none.
A broken or encrypted PDF is an :class:`~fiscal_extract.errors.InputError`; a page that can be
read neither way is skipped with a note, never stopping the document.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from ..errors import InputError
from .pdf_layout import Glyph, PageText, lay_out_page

OcrMode = Literal["auto", "always", "never"]
MIN_TEXT_CHARS = 8
"""A page with fewer printed characters than this has no usable text layer."""


@dataclass(frozen=True)
class PdfOptions:
    ocr: OcrMode = "auto"
    pages: str | None = None
    """Pages to read, as ``1-3,7`` (1-based); all when None."""


def is_pdf(data: bytes) -> bool:
    """A PDF starts with ``%PDF`` (some writers put a few bytes of junk before it)."""
    return b"%PDF-" in data[:1024]


def parse_pages(spec: str | None, count: int) -> list[int]:
    """0-based page indexes of a ``1-3,7`` spec (all pages when None); raises InputError."""
    if not spec:
        return list(range(count))
    out: list[int] = []
    for part in spec.split(","):
        m = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+)\s*)?", part)
        if not m:
            raise InputError("pages", f"--pages {spec!r}: expected page numbers and ranges like 1-3,7")
        a = int(m.group(1))
        b = int(m.group(2) or a)
        if a < 1 or b < a:
            raise InputError("pages", f"--pages {spec!r}: {part.strip()} is not a range of pages from 1")
        out.extend(p - 1 for p in range(a, b + 1) if p <= count)
    if not out:
        raise InputError("pages", f"--pages {spec!r}: the PDF has {count} pages")
    return sorted(set(out))


def _open(data: bytes) -> Any:
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        msg = str(exc)
        if "password" in msg.lower():
            raise InputError("encrypted", "the PDF is encrypted (password-protected); give an unlocked copy") from None
        raise InputError("broken_pdf", f"the PDF cannot be opened: {msg}") from None


def text_glyphs(page: Any) -> list[Glyph]:
    """The printed characters of a page's text layer, boxes measured from the top-left corner."""
    height = page.get_height()
    tp = page.get_textpage()
    try:
        n = tp.count_chars()
        if n <= 0:
            return []
        text = tp.get_text_range(0, n)
        out: list[Glyph] = []
        if len(text) != n:  # characters outside the BMP: one index each, two UTF-16 units
            text = "".join(tp.get_text_range(i, 1) for i in range(n))
        for i, ch in enumerate(text):
            if not ch.strip():
                continue
            x0, y0, x1, y1 = tp.get_charbox(i, loose=True)
            out.append(Glyph(ch, x0, height - y1, x1, height - y0))
        return out
    finally:
        tp.close()


def vertical_rules(page: Any) -> list[tuple[float, float, float]]:
    """The page's vertical ruling lines ``(x, top, bottom)``: thin path objects, and the sides of
    stroked rectangles no wider than a column."""
    import pypdfium2.raw as pdfium_c

    height = page.get_height()
    out: list[tuple[float, float, float]] = []
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=3):
        x0, y0, x1, y1 = obj.get_bounds()
        if x1 - x0 < 2.5 and y1 - y0 > 4:
            out.append(((x0 + x1) / 2, height - y1, height - y0))
    return out


def read_pdf(data: bytes, options: PdfOptions | None = None) -> tuple[PageText, list[str]]:
    """The laid-out text of a PDF and notes on the pages it could not read."""
    options = options or PdfOptions()
    pdf = _open(data)
    notes: list[str] = []
    out = PageText()
    try:
        count = len(pdf)
        if count == 0:
            raise InputError("empty", "the PDF has no pages")
        for idx in parse_pages(options.pages, count):
            page = pdf[idx]
            try:
                glyphs = [] if options.ocr == "always" else text_glyphs(page)
                if len(glyphs) < MIN_TEXT_CHARS and options.ocr != "never":
                    glyphs = _ocr(page, idx + 1, notes)
                elif len(glyphs) < MIN_TEXT_CHARS:
                    notes.append(f"page {idx + 1} has no text layer and OCR is off (--ocr never): not read")
                    glyphs = []
                out.sizes[idx + 1] = (page.get_width(), page.get_height())
                if glyphs:
                    lay_out_page(glyphs, idx + 1, out, vertical_rules(page))
            finally:
                page.close()
    finally:
        pdf.close()
    if not out.text.strip():
        raise InputError("empty", "no page of the PDF holds text or an image that OCR could read" +
                         (f" ({'; '.join(notes)})" if notes else ""))
    return out, notes


def _ocr(page: Any, number: int, notes: list[str]) -> list[Glyph]:
    from .ocr import ocr_page  # imported only for scanned pages: it loads the OCR models

    glyphs = ocr_page(page)
    if not glyphs:
        notes.append(f"page {number} holds neither text nor anything OCR could read: not read")
    return glyphs


def render_page(data: bytes, number: int, scale: float = 1.0) -> bytes:
    """PNG bytes of one page (1-based), for the review page."""
    import io

    pdf = _open(data)
    try:
        page = pdf[number - 1]
        image = page.render(scale=scale).to_pil()
        buf = io.BytesIO()
        image.save(buf, format="PNG", optimize=True)
        page.close()
        return buf.getvalue()
    finally:
        pdf.close()


def join_pdfs(parts: Sequence[bytes]) -> bytes:
    """Several PDFs as one document (``--as-one``: narrative and tables published apart)."""
    import io

    import pypdfium2 as pdfium

    dest = pdfium.PdfDocument.new()
    for data in parts:
        src = _open(data)
        dest.import_pages(src)
    buf = io.BytesIO()
    dest.save(buf)
    return buf.getvalue()
