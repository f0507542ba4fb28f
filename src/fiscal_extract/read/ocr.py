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


ENGINE_SETTINGS: dict[str, Any] = {
    "intra_op_num_threads": 2,  # the two cores of the machines this runs on; -1 (all) oversubscribes a busy one
    "inter_op_num_threads": 1,
    "use_cls": False,  # printed pages are upright: no text line needs turning (saves a tenth of the time)
    "det_limit_type": "max",  # detection on the page scaled to at most 960 px: boxes as good, a third fewer pixels
    "det_limit_side_len": 960,
}
"""RapidOCR settings, measured on a rasterised corpus table page (132 of 132 figures read either way;
CPU 14.2 s with the defaults, 12.2 s with these; recognition is most of it)."""


@lru_cache(maxsize=1)
def _engine() -> Any:
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError:
        raise InputError(
            "ocr_missing",
            "this PDF page is scanned and OCR needs rapidocr-onnxruntime (pip install rapidocr-onnxruntime)",
        ) from None
    return RapidOCR(**ENGINE_SETTINGS)


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
