"""The parts of the OCR path that need no OCR model: ruling lines read from a page image, text
boxes cut at the rules they cross, and figures OCR was unsure of flagged in the record."""

from __future__ import annotations

import numpy as np
import pytest

from fiscal_extract.models import Disclosure, Row, Source, Span, Table
from fiscal_extract.read.pdf_rules import Rules, image_rules, ruled_tables
from fiscal_extract.read.pdf_spans import OCR_UNCERTAIN, flag_uncertain

SCALE = 150 / 72


def _page() -> np.ndarray:
    """A white page image with a ruled grid of 3 columns x 2 rows (1-pixel lines), a heading's
    tall vertical stroke above it, and a dash inside one cell."""
    img = np.full((600, 800, 3), 255, dtype=np.uint8)
    xs, ys = (100, 300, 500, 700), (200, 260, 320)
    for y in ys:
        img[y, xs[0]:xs[-1] + 1] = 0
    for x in xs:
        img[ys[0]:ys[-1] + 1, x] = 0
    img[40:110, 400:403] = 0  # a stroke of a large heading character: long, thin, meets no rule
    img[290, 340:370] = 0  # a dash printed in an empty cell: shorter than any rule
    return img


def test_the_grid_of_a_page_image_is_read_and_nothing_else() -> None:
    rules = image_rules(_page(), SCALE)
    assert sorted(round(y * SCALE) for y, _, _ in rules.h) == [200, 260, 320]
    assert sorted(round(x * SCALE) for x, _, _ in rules.v) == [100, 300, 500, 700]
    (table,) = ruled_tables(rules)
    assert len(table.xs) == 4 and len(table.ys) == 3


def test_a_blank_page_has_no_rules() -> None:
    assert image_rules(np.full((300, 200), 255, dtype=np.uint8), SCALE) == Rules()


def test_a_box_spanning_two_ruled_cells_is_cut_at_the_rule() -> None:
    from fiscal_extract.read.ocr import _cut_at_rules

    rules = Rules(h=[(100 / SCALE, 0, 800 / SCALE)], v=[(300 / SCALE, 80 / SCALE, 400 / SCALE)])
    across = np.array([[[220, 200], [380, 200], [380, 224], [220, 224]]], dtype=np.float32)
    inside = np.array([[[310, 200], [380, 200], [380, 224], [310, 224]]], dtype=np.float32)
    below = np.array([[[220, 500], [380, 500], [380, 524], [220, 524]]], dtype=np.float32)  # the rule ends above
    up_to = np.array([[[260, 200], [301, 200], [301, 224], [260, 224]]], dtype=np.float32)  # a right-aligned 0
    under = np.array([[[220, 98], [280, 98], [280, 122], [220, 122]]], dtype=np.float32)  # the row rule in its top
    pieces = _cut_at_rules(np.concatenate([across, inside, below, up_to, under]), rules, SCALE)
    spans = [(round(float(p[:, 0].min())), round(float(p[:, 0].max()))) for p in pieces]
    assert spans == [(220, 297), (303, 380), (310, 380), (220, 380), (260, 297), (220, 280)]
    assert round(float(pieces[-1][:, 1].min())) == 103  # kept off the rule


def _record(confidence: float | None) -> Disclosure:
    span = Span(start=0, end=6, line=1, page=3, bbox=[1, 2, 3, 4], confidence=confidence)
    row = Row(name="合计", values={"total": 524.8}, cells={"total": span})
    table = Table(kind="general_budget_expenditure", title="一般公共预算支出情况表", rows=[row])
    return Disclosure(source=Source(path="x.pdf", sha256="0" * 64, chars=6), tables=[table])


@pytest.mark.parametrize(("confidence", "flagged"), [(0.61, 1), (OCR_UNCERTAIN, 0), (0.999, 0), (None, 0)])
def test_a_figure_ocr_was_unsure_of_is_flagged(confidence: float | None, flagged: int) -> None:
    record = _record(confidence)
    assert flag_uncertain(record, "524.8 ") == flagged
    notices = [n for n in record.notices if n.code == "ocr_uncertain"]
    assert len(notices) == flagged
    if flagged:
        assert "tables[0].rows[0].values.total" in notices[0].message and "'524.8'" in notices[0].message
        assert notices[0].span is not None and notices[0].span.page == 3


def test_a_lone_zero_read_as_a_letter_is_a_zero_and_keeps_its_score() -> None:
    from fiscal_extract.read.ocr import kept
    from fiscal_extract.read.pdf_layout import Glyph

    boxes = [Glyph("o", 0, 0, 5, 10, 0.42), Glyph("○", 10, 0, 15, 10, 0.8), Glyph("0", 20, 0, 25, 10, 0.9),
             Glyph("o", 30, 0, 35, 10, 0.1), Glyph("合计", 40, 0, 60, 10, 0.45), Glyph("ok", 70, 0, 80, 10, 0.9),
             Glyph("", 90, 0, 95, 10, 0.99)]
    out = kept(boxes)
    assert [(g.text, g.conf) for g in out] == [("0", 0.42), ("0", 0.8), ("0", 0.9), ("ok", 0.9)]
    assert out[0].conf == 0.42  # the recogniser's doubt stays in the record


def test_a_lone_zero_is_not_flagged() -> None:
    record = _record(0.5)
    assert flag_uncertain(record, "0     ") == 0
    assert flag_uncertain(record, "60    ") == 1


def test_a_tall_narrow_box_is_recognised_upright() -> None:
    """RapidOCR turns a box half again as tall as wide on its side; on an upright page it is a
    lone narrow character (a ``1``), which turned reads as ``一``."""
    from fiscal_extract.read.ocr import _engine, _upright_crops

    img = np.full((200, 300, 3), 255, dtype=np.uint8)
    img[50:80, 100:110] = 0  # a bar 30 high, 10 wide
    box = np.array([[[95, 45], [115, 45], [115, 85], [95, 85]]], dtype=np.float32)
    (crop,) = _upright_crops(_engine(), img, box)
    assert crop.shape[:2] == (40, 20)
    assert ((crop[:, :, 0] < 128).sum(axis=0) == 30).sum() == 10  # ten dark columns, each 30 high


def _zero_in_a_wide_cell() -> np.ndarray:
    """A page image with a ``0`` printed at the right of a wide cell whose right rule's edge the
    box reaches (the box a detector gives a lone zero)."""
    import cv2

    img = np.full((120, 300, 3), 255, dtype=np.uint8)
    cv2.putText(img, "0", (200, 70), cv2.FONT_HERSHEY_SIMPLEX, 1.0, (0, 0, 0), 2, cv2.LINE_AA)
    img[20:100, 230] = 0  # the cell's right rule
    return img


def test_a_doubtful_box_is_cut_to_its_ink() -> None:
    from fiscal_extract.read.ocr import INK_MARGIN, _ink_crop
    from fiscal_extract.read.pdf_layout import Glyph

    img = _zero_in_a_wide_cell()
    box = Glyph("", 120 / SCALE, 40 / SCALE, 230 / SCALE, 80 / SCALE, 0.0)  # white on its left, the rule on its right
    crop = _ink_crop(img, box, SCALE)
    assert crop is not None
    ink = np.argwhere(img[40:81, 120:230].min(axis=2) < 128)
    assert crop.shape[0] == np.ptp(ink[:, 0]) + 1 + 2 * INK_MARGIN
    assert crop.shape[1] == np.ptp(ink[:, 1]) + 1 + 2 * INK_MARGIN  # the rule's column is not the text's ink
    assert crop.shape[1] < 40
    assert _ink_crop(img, Glyph("", 10 / SCALE, 10 / SCALE, 60 / SCALE, 30 / SCALE, 0.0), SCALE) is None


def test_a_lone_zero_read_as_nothing_is_read_again_from_its_ink() -> None:
    from fiscal_extract.read.ocr import reread
    from fiscal_extract.read.pdf_layout import Glyph

    img = _zero_in_a_wide_cell()
    lost = Glyph("", 120 / SCALE, 40 / SCALE, 229 / SCALE, 80 / SCALE, 0.0)
    sure = Glyph("12.5", 120 / SCALE, 40 / SCALE, 229 / SCALE, 80 / SCALE, 0.97)  # a sure reading is left alone
    blank = Glyph("", 10 / SCALE, 10 / SCALE, 60 / SCALE, 30 / SCALE, 0.0)  # no ink: nothing to read again
    out = reread(img, [lost, sure, blank], SCALE)
    assert [(g.text, g.conf is not None and g.conf >= 0.6) for g in out] == [("0", True), ("12.5", True), ("", False)]
