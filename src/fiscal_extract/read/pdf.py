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
from .pdf_layout import Box, Glyph, PageText, Placed, lay_out_page
from .pdf_rules import Rules, page_rules

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


def text_layer(page: Any) -> tuple[list[Glyph], str, list[Box | None]]:
    """The printed characters of a page's text layer (boxes measured from the top-left corner),
    and the page's text in PDFium's own order with every character's box (None for the line
    breaks PDFium adds)."""
    height = page.get_height()
    tp = page.get_textpage()
    try:
        n = tp.count_chars()
        if n <= 0:
            return [], "", []
        text = tp.get_text_range(0, n)
        if len(text) != n:  # characters outside the BMP: one index each, two UTF-16 units
            text = "".join(tp.get_text_range(i, 1) for i in range(n))
        import pypdfium2.raw as pdfium_c

        out: list[Glyph] = []
        boxes: list[Box | None] = []
        rect = pdfium_c.FS_RECTF()
        loose, raw = pdfium_c.FPDFText_GetLooseCharBox, tp.raw
        for i, ch in enumerate(text):
            if ch.isspace() or not loose(raw, i, rect):
                boxes.append(None)
                continue
            top, bottom = height - rect.top, height - rect.bottom
            out.append(Glyph(ch, rect.left, top, rect.right, bottom))
            boxes.append((rect.left, top, rect.right, bottom))
        return out, text, boxes
    finally:
        tp.close()


def text_glyphs(page: Any) -> list[Glyph]:
    """The printed characters of a page's text layer, boxes measured from the top-left corner."""
    return text_layer(page)[0]


def _add_plain(plain: PageText, page: int, text: str, boxes: list[Box | None]) -> None:
    """Append one page of PDFium's own text (pages parted by a form feed, as PDF libraries print
    them), every run of printed characters placed where it is printed."""
    if plain.text:
        plain.text += "\f"
    base = len(plain.text)
    i = 0
    while i < len(text):
        box = boxes[i]
        if box is None:
            i += 1
            continue
        j, x0, top, x1, bottom = i + 1, *box
        while j < len(text) and (nb := boxes[j]) is not None and abs(nb[1] - top) < 0.5 * (bottom - top):
            x1, bottom = max(x1, nb[2]), max(bottom, nb[3])
            top = min(top, nb[1])
            j += 1
        plain.placed.append(Placed(base + i, base + j, page, (x0, top, x1, bottom)))
        i = j
    plain.text += text


def read_pdf(data: bytes, options: PdfOptions | None = None) -> tuple[PageText, list[str]]:
    """The laid-out text of a PDF and notes on the pages it could not read."""
    options = options or PdfOptions()
    pdf = _open(data)
    notes: list[str] = []
    out = PageText()
    plain: PageText | None = PageText()
    try:
        count = len(pdf)
        if count == 0:
            raise InputError("empty", "the PDF has no pages")
        for idx in parse_pages(options.pages, count):
            page = pdf[idx]
            try:
                glyphs, text, boxes = ([], "", []) if options.ocr == "always" else text_layer(page)
                rules: Rules | None = None
                scanned = len(glyphs) < MIN_TEXT_CHARS and (options.ocr != "auto" or _may_hold_print(page))
                if not scanned:
                    if plain is not None:
                        _add_plain(plain, idx + 1, text, boxes)
                elif options.ocr != "never":
                    plain = None  # a page read by OCR: no library text of the whole
                    glyphs, rules = _ocr(page, idx + 1, notes)
                else:
                    plain = None
                    notes.append(f"page {idx + 1} has no text layer and OCR is off (--ocr never): not read")
                    glyphs = []
                out.sizes[idx + 1] = (page.get_width(), page.get_height())
                if glyphs:
                    lay_out_page(glyphs, idx + 1, out, page_rules(page) if rules is None else rules)
            finally:
                page.close()
    finally:
        pdf.close()
    if not out.text.strip():
        raise InputError("empty", "no page of the PDF holds text or an image that OCR could read" +
                         (f" ({'; '.join(notes)})" if notes else ""))
    if plain is not None:
        plain.sizes = dict(out.sizes)
        out.plain = plain
    return out, notes


OUTLINED_TEXT_PATHS = 200
"""A page without text or images but with this many drawn paths may print its text as outlines."""


def _may_hold_print(page: Any) -> bool:
    """Whether a page without a text layer may hold print OCR can read: an image, or text drawn as
    outlines.  A blank page (a rule, a page number at most) is not worth reading by OCR."""
    import pypdfium2.raw as pdfium_c

    paths = 0
    for obj in page.get_objects(max_depth=3):
        if obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            return True
        paths += obj.type == pdfium_c.FPDF_PAGEOBJ_PATH
    return paths >= OUTLINED_TEXT_PATHS


def _ocr(page: Any, number: int, notes: list[str]) -> tuple[list[Glyph], Rules]:
    """The text boxes of a page read by OCR, and the ruling lines printed in its image."""
    from .ocr import ocr_page  # imported only for scanned pages: it loads the OCR models

    glyphs, rules = ocr_page(page)
    if not glyphs:
        notes.append(f"page {number} holds neither text nor anything OCR could read: not read")
    return glyphs, rules


def render_pages(data: bytes, numbers: Sequence[int], scale: float = 1.0) -> dict[int, bytes]:
    """PNG bytes (greyscale) of some pages (1-based), for the review page."""
    pdf = _open(data)
    out: dict[int, bytes] = {}
    try:
        for number in numbers:
            if not 1 <= number <= len(pdf):
                continue
            page = pdf[number - 1]
            bitmap = page.render(scale=scale, grayscale=True)
            try:
                pixels = bitmap.to_numpy()
                out[number] = png_grey(pixels if pixels.ndim == 2 else pixels[:, :, 0])
            finally:
                bitmap.close()
                page.close()
    finally:
        pdf.close()
    return out


def png_grey(pixels: Any) -> bytes:
    """A greyscale PNG of a 2-D uint8 array (no imaging library needed)."""
    import struct
    import zlib

    import numpy as np

    h, w = pixels.shape
    rows = np.zeros((h, w + 1), dtype=np.uint8)  # filter byte 0 (none) before every row
    rows[:, 1:] = pixels

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows.tobytes(), 6))
            + chunk(b"IEND", b""))


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
