"""Scanned PDF pages read by OCR, offline: RapidOCR (PP-OCRv4 Chinese models shipped in the
``rapidocr-onnxruntime`` wheel; nothing is downloaded).  Each text box becomes one positioned
:class:`~.pdf_layout.Glyph` carrying its confidence, laid out like a text layer's characters."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from ..errors import InputError
from .pdf_layout import Glyph

OCR_DPI = 150
"""Pages are rendered at this resolution for OCR."""


@lru_cache(maxsize=1)
def _engine() -> Any:
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError:
        raise InputError(
            "ocr_missing",
            "this PDF page is scanned and OCR needs rapidocr-onnxruntime (pip install rapidocr-onnxruntime)",
        ) from None
    return RapidOCR()


def ocr_image(image: Any, scale: float) -> list[Glyph]:
    """Text boxes of an image (a numpy array), in points of a page rendered at ``scale``."""
    result, _ = _engine()(image)
    out: list[Glyph] = []
    for box, text, score in result or []:
        text = str(text).strip()
        if not text:
            continue
        xs = [p[0] for p in box]
        ys = [p[1] for p in box]
        out.append(Glyph(text, min(xs) / scale, min(ys) / scale, max(xs) / scale, max(ys) / scale, float(score)))
    return out


def ocr_page(page: Any) -> list[Glyph]:
    """The text boxes of one pypdfium2 page read by OCR."""
    scale = OCR_DPI / 72
    bitmap = page.render(scale=scale, grayscale=False)
    try:
        return ocr_image(bitmap.to_numpy()[:, :, :3][:, :, ::-1].copy(), scale)
    finally:
        bitmap.close()
