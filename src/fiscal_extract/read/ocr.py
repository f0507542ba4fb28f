"""Scanned PDF pages read by OCR, offline: RapidOCR (PP-OCRv4 Chinese models shipped in the
``rapidocr-onnxruntime`` wheel; nothing is downloaded).  Each text box becomes one positioned
:class:`~.pdf_layout.Glyph` carrying its confidence, laid out like a text layer's characters.

The page is read in RapidOCR's two steps, called here one by one so that each runs at the size it
needs: text boxes are *detected* on the page scaled down to :data:`DET_MAX_SIDE`, and each box is
*recognised* from the page at full resolution (:data:`OCR_DPI`).  ``bench/pdf_speed.py`` and
``bench/ocr_accuracy.py`` print what these settings cost and read.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from ..errors import InputError
from .pdf_layout import Glyph
from .pdf_rules import Rules, image_rules

OCR_DPI = 150
"""Pages are rendered at this resolution for OCR."""

DET_MAX_SIDE = 1024
"""Text boxes are detected on the page scaled so that its longer side is at most this many pixels
(a 150 dpi A4 page is 1754): 9-point text is still 11 pixels high there, detection costs some
40 % of what it costs on the full page, and its peak memory falls from 690 to 410 MB (RapidOCR's
own ``det_limit_side_len`` does not scale a page this size down: its ``max`` mode raises the limit
to 2000)."""

MIN_TEXT_SCORE = 0.5
"""A recognised box scored below this is noise (RapidOCR's own ``text_score``); kept boxes carry
their score as the figure's confidence."""

ENGINE_SETTINGS: dict[str, Any] = {
    "intra_op_num_threads": 2,  # the two cores of the machines this runs on; -1 (all) oversubscribes a busy one
    "inter_op_num_threads": 1,
    "use_cls": False,  # printed pages are upright: no text line needs turning (saves a tenth of the time)
    # Recognition resizes every box to 48 pixels high and pads each batch to the widest box in it,
    # but never narrower than rec_img_shape's width: the default 320 pads a table cell ("1,234.56",
    # about 90 wide) to 320 -- most of recognition's time went into padding.  Boxes are sorted by
    # width before batching, so a batch's boxes are of like width and little is padded.
    "rec_img_shape": [3, 48, 48],
    "rec_batch_num": 6,
}
"""RapidOCR settings (measured on three rasterised table pages of a sample, 2 threads: recognition
6.0 -> 3.3 CPU-s a page with the same 357 texts read, bar two page numbers' spaces)."""

SESSION_CONFIG = {"session.intra_op.allow_spinning": "0"}
"""onnxruntime's worker threads otherwise spin while waiting for work: on a machine whose cores
are busy that burns CPU another process needs (same pages, 2 threads: 5.9 -> 3.6 CPU-s a page;
with detection at :data:`DET_MAX_SIDE` too, 2.4; RapidOCR's defaults as this module had them: 8.3)."""


@lru_cache(maxsize=1)
def _engine() -> Any:
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError:
        raise InputError(
            "ocr_missing",
            "this PDF page is scanned and OCR needs rapidocr-onnxruntime (pip install rapidocr-onnxruntime)",
        ) from None
    engine = RapidOCR(**ENGINE_SETTINGS)
    _tune_sessions(engine)
    return engine


def _tune_sessions(engine: Any) -> None:
    """Reopen the detection and recognition models with :data:`SESSION_CONFIG` (RapidOCR opens
    its onnxruntime sessions without a way to pass these options)."""
    import onnxruntime as ort

    for holder in (engine.text_det.infer, engine.text_rec.session):
        old = holder.session
        opts = ort.SessionOptions()
        opts.log_severity_level = 4
        opts.enable_cpu_mem_arena = False  # as RapidOCR opens them: every page's tensors differ in size
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        opts.intra_op_num_threads = ENGINE_SETTINGS["intra_op_num_threads"]
        opts.inter_op_num_threads = ENGINE_SETTINGS["inter_op_num_threads"]
        for key, value in SESSION_CONFIG.items():
            opts.add_session_config_entry(key, value)
        holder.session = ort.InferenceSession(old._model_path, sess_options=opts, providers=old.get_providers())


def _detect(engine: Any, image: Any) -> Any:
    """Text boxes (RapidOCR's 4-point quadrilaterals, float32) found on the page scaled down to
    :data:`DET_MAX_SIDE`, in the full image's pixels; None when there is none."""
    import cv2
    import numpy as np

    h, w = image.shape[:2]
    f = min(1.0, DET_MAX_SIDE / max(h, w))
    size = (max(1, round(w * f)), max(1, round(h * f)))
    small = cv2.resize(image, size, interpolation=cv2.INTER_AREA) if f < 1 else image
    boxes, _ = engine.text_det(small)
    if boxes is None or len(boxes) == 0:
        return None
    boxes = np.asarray(boxes, dtype=np.float32) / np.float32(f)
    boxes[..., 0] = np.clip(boxes[..., 0], 0, w - 1)
    boxes[..., 1] = np.clip(boxes[..., 1], 0, h - 1)
    return boxes


def _cut_at_rules(boxes: Any, rules: Rules, scale: float) -> Any:
    """Text boxes kept off the ruling lines and cut where a vertical rule crosses them.  The
    detector frames a lone right-aligned ``0`` up to the cell's rule, and the rule's ink in the box
    makes the recogniser read nothing; seeing two cells' figures close together, it may frame them
    as one box ("524.8 189.8") -- the rule between them says they are two.  Boxes become upright
    rectangles (a rendered or scanned page is upright)."""
    import numpy as np

    v = [(x * scale, top * scale, bottom * scale) for x, top, bottom in rules.v]
    h = [(y * scale, a * scale, b * scale) for y, a, b in rules.h]
    gap = RULE_CLEAR * scale
    out = []
    for box in boxes:
        x0, y0, x1, y1 = float(box[:, 0].min()), float(box[:, 1].min()), float(box[:, 0].max()), float(box[:, 1].max())
        mid, centre = (y0 + y1) / 2, (x0 + x1) / 2
        for y, a, b in h:
            if a <= centre <= b and y0 - gap <= y <= y1 + gap:
                if y < mid:
                    y0 = max(y0, y + gap)
                else:
                    y1 = min(y1, y - gap)
        cuts: list[float] = []
        for x, top, bottom in v:
            if not (top <= mid <= bottom and x0 - gap <= x <= x1 + gap):
                continue
            if x <= x0 + gap:
                x0 = max(x0, x + gap)
            elif x >= x1 - gap:
                x1 = min(x1, x - gap)
            else:
                cuts.append(x)
        edges = [x0, *[c for x in sorted(cuts) for c in (x - gap, x + gap)], x1]
        height = y1 - y0
        for a, b in zip(edges[::2], edges[1::2], strict=True):
            if height > 0 and b - a >= MIN_PIECE * height:
                out.append([[a, y0], [b, y0], [b, y1], [a, y1]])
    return np.asarray(out, dtype=np.float32).reshape(-1, 4, 2)


RULE_CLEAR = 1.5
"""Points kept clear on either side of a rule a box is cut at (the rule's own ink)."""
MIN_PIECE = 0.3
"""A piece of a cut box narrower than this share of its height holds no character."""


LONE_ZERO = frozenset({"o", "O", "○", "〇", "°", "º"})
"""What the recogniser makes of a lone ``0`` (a cell holding only a zero): read from its box alone,
with no other digit beside it, the oval is as likely a letter.  A box holding nothing but one of
these is read as ``0``, its score kept as the recogniser gave it (on two table pages of a
rasterised sample, some 44 of 70 lone zeros came out as ``o``, scored 0.4-0.8; white margins
around the box made it worse: ``○``)."""
LONE_ZERO_SCORE = 0.3
"""A lone zero is kept from this score up (below :data:`MIN_TEXT_SCORE`: such zeros score low)."""


def _upright_crops(engine: Any, image: Any, boxes: Any) -> list[Any]:
    """The image of every box, as printed: RapidOCR turns a box half again as tall as it is wide
    on its side (a vertical line of text), but on an upright page such a box is a lone narrow
    character (``1``) or a cell's wrapped lines, which turned read as something else."""
    import numpy as np

    def turned(b: Any) -> bool:  # RapidOCR's own test (get_rotate_crop_image)
        w = int(max(np.linalg.norm(b[0] - b[1]), np.linalg.norm(b[2] - b[3])))
        h = int(max(np.linalg.norm(b[0] - b[3]), np.linalg.norm(b[1] - b[2])))
        return w > 0 and h / w >= 1.5

    crops = engine.get_crop_img_list(image, list(boxes))
    return [np.rot90(c, k=-1) if turned(b) else c for c, b in zip(crops, boxes, strict=True)]


def read_boxes(image: Any, scale: float, rules: Rules | None = None) -> list[Glyph]:
    """Every text box the recogniser read in an image (a numpy array, 3 channels), in points of a
    page rendered at ``scale``, with its score; boxes crossing one of ``rules``' vertical rules
    are read as two."""
    engine = _engine()
    boxes = _detect(engine, image)
    if boxes is None:
        return []
    if rules is not None and rules.v:
        boxes = _cut_at_rules(boxes, rules, scale)
    texts, _ = engine.text_rec(_upright_crops(engine, image, boxes))
    out: list[Glyph] = []
    for box, (text, score) in zip(boxes, texts, strict=True):
        xs, ys = box[:, 0], box[:, 1]
        out.append(Glyph(str(text).strip(), float(xs.min()) / scale, float(ys.min()) / scale,
                         float(xs.max()) / scale, float(ys.max()) / scale, round(float(score), 4)))
    return out


REREAD_BELOW = MIN_TEXT_SCORE
"""A box read as nothing or scored below this is read again, cut to its ink (:func:`reread`)."""
REREAD_SCORE = 0.6
"""The second reading replaces the first only when scored this much or more (a doubtful box's
second reading must be sure: a speck or a rule's end read again is noise that may come out as a
letter, scored 0.5-0.8)."""
INK_LEVEL = 128
"""A pixel darker than this (0-255, on every channel's darkest) is ink."""
RULE_SHARE = 0.9
"""A column or row of a box this much ink is a rule's edge (:func:`_ink_crop`)."""
INK_MARGIN = 2
"""Pixels of the page kept around the ink of a box read again."""


def _ink_crop(image: Any, g: Glyph, scale: float) -> Any:
    """The image of a box cut to the ink inside it, :data:`INK_MARGIN` pixels of the page around;
    None when the box holds no ink."""
    import numpy as np

    h, w = image.shape[:2]
    x0, y0 = max(0, int(g.x0 * scale)), max(0, int(g.top * scale))
    x1, y1 = min(w, int(g.x1 * scale) + 1), min(h, int(g.bottom * scale) + 1)
    dark = image[y0:y1, x0:x1].min(axis=2) < INK_LEVEL
    # a rule's edge caught in the box is a column (row) of ink across it: not the text's ink
    dark[:, dark.mean(axis=0) > RULE_SHARE] = False
    dark[dark.mean(axis=1) > RULE_SHARE, :] = False
    ink = np.argwhere(dark)
    if len(ink) == 0:
        return None
    (top, left), (bottom, right) = ink.min(axis=0), ink.max(axis=0)
    m = INK_MARGIN  # the page around the ink, anti-aliased rim included (white put around reads worse)
    return image[max(0, y0 + top - m):y0 + bottom + m + 1, max(0, x0 + left - m):x0 + right + m + 1]


def reread(image: Any, glyphs: list[Glyph], scale: float) -> list[Glyph]:
    """``glyphs`` with every box read with doubt (nothing, or scored below :data:`REREAD_BELOW`)
    read again from its ink alone.  The detector often frames a cell's lone ``0`` with white beside
    it (a box 16 points wide for a 6-point digit), and the recogniser reads such a box as nothing
    or as a letter scored low; cut to the digit's ink, it reads ``0`` scored 0.9 and more (a
    rasterised sample: 20 of its 240 key figures were such zeros, lost).  A second reading is kept
    only when scored :data:`REREAD_SCORE` or more."""
    doubtful = [g for g in glyphs if not g.text or (g.conf or 0.0) < REREAD_BELOW]
    crops = [(g, _ink_crop(image, g, scale)) for g in doubtful]
    crops = [(g, c) for g, c in crops if c is not None and c.shape[0] > 0 and c.shape[1] > 0]
    if not crops:
        return glyphs
    texts, _ = _engine().text_rec([c for _, c in crops])
    for (g, _), (text, score) in zip(crops, texts, strict=True):
        text = str(text).strip()
        if text and float(score) >= REREAD_SCORE:
            g.text, g.conf = text, round(float(score), 4)
    return glyphs


def kept(glyphs: list[Glyph]) -> list[Glyph]:
    """The boxes worth laying out: scored :data:`MIN_TEXT_SCORE` or more, a lone zero read as a
    letter (:data:`LONE_ZERO`) made ``0``."""
    out: list[Glyph] = []
    for g in glyphs:
        score = g.conf or 0.0
        if g.text in LONE_ZERO and score >= LONE_ZERO_SCORE:
            g.text = "0"
        elif not g.text or score < MIN_TEXT_SCORE:
            continue
        out.append(g)
    return out


def ocr_image(image: Any, scale: float, rules: Rules | None = None) -> list[Glyph]:
    """The text boxes of an image worth laying out (:func:`read_boxes`, the doubtful ones read
    again by :func:`reread`, then :func:`kept`)."""
    return kept(reread(image, read_boxes(image, scale, rules), scale))


def ocr_page(page: Any) -> tuple[list[Glyph], Rules]:
    """The text boxes of one pypdfium2 page read by OCR, and the ruling lines printed on it."""
    scale = OCR_DPI / 72
    bitmap = page.render(scale=scale, grayscale=False)
    try:
        image = bitmap.to_numpy()[:, :, :3][:, :, ::-1].copy()
    finally:
        bitmap.close()
    rules = image_rules(image, scale)
    return ocr_image(image, scale, rules), rules
