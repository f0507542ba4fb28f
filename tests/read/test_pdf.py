"""PDF input: pages read by position (text layer) or by OCR (scanned), figures placed on the page.

The PDFs are made here: HTML printed by headless Chromium (tests/roundtrip.py), and for the OCR
path that PDF's page rasterised at 150 dpi into an image-only PDF."""

from __future__ import annotations

from pathlib import Path

import pytest

from fiscal_extract.errors import InputError
from fiscal_extract.evaluate.run import _rendering_name
from fiscal_extract.options import ExtractOptions
from fiscal_extract.pipeline import extract_file
from fiscal_extract.read.normalize import from_bytes
from fiscal_extract.read.pdf import PdfOptions, parse_pages, read_pdf
from tests.roundtrip import chromium_path, print_pdf

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(chromium_path() is None, reason="needs the system's Chromium to print PDFs")

TABLE = """<html><head><meta charset="utf-8"><style>
body { font-family: sans-serif; font-size: 12pt; }
td, th { border: 1px solid black; padding: 2pt 6pt; }
table { border-collapse: collapse; } td.n { text-align: right; }
</style></head><body>
<p>一般公共预算支出表</p>
<table>
<tr><th>科目编码</th><th>科目名称</th><th>合计</th><th>基本支出</th><th>项目支出</th></tr>
<tr><td>201</td><td>一般公共服务支出</td>
<td class="n">1,265.60</td><td class="n">372.00</td><td class="n">893.60</td></tr>
<tr><td>2010301</td><td>行政运行</td><td class="n">372.00</td><td class="n">372.00</td><td class="n"></td></tr>
<tr><td>2010350</td><td>事业运行</td><td class="n">893.60</td><td class="n"></td><td class="n">893.60</td></tr>
</table></body></html>"""


@pytest.fixture(scope="module")
def table_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return print_pdf(TABLE, tmp_path_factory.mktemp("pdf") / "table.pdf")


def _rows(text: str) -> list[list[str]]:
    return [line.split("\t") for line in text.splitlines() if "\t" in line]


def test_an_empty_cell_keeps_its_column(table_pdf: Path) -> None:
    layout, notes = read_pdf(table_pdf.read_bytes())
    rows = _rows(layout.text)
    assert not notes
    assert ["2010301", "行政运行", "372.00", "372.00", ""] in rows
    assert ["2010350", "事业运行", "893.60", "", "893.60"] in rows
    assert len({len(r) for r in rows}) == 1  # header and rows: one width


def test_every_word_is_placed_on_its_page(table_pdf: Path) -> None:
    src = from_bytes(table_pdf.read_bytes(), "t.pdf")
    assert src.encoding == "pdf" and src.layout is not None
    at = src.text.index("893.60")
    word = next(p for p in src.layout.placed if p.start == at)
    width, height = src.layout.sizes[word.page]
    x0, top, x1, bottom = word.box
    assert word.page == 1 and 0 <= x0 < x1 <= width and 0 <= top < bottom <= height


def test_a_sample_printed_to_pdf_reads_with_page_and_box(tmp_path: Path) -> None:
    from tests.roundtrip import sample_html

    pdf = print_pdf(sample_html(ROOT / "eval" / "samples" / "001_82514b48445ad530.txt"), tmp_path / "s.pdf")
    record = extract_file(pdf)
    table = next(t for t in record.tables if t.kind == "general_budget_expenditure")
    spans = [s for row in table.rows for s in row.cells.values()]
    assert spans and all(s.page is not None and s.bbox is not None for s in spans)
    assert '"bbox"' in record.model_dump_json()
    # --pages keeps to the pages asked for
    first = extract_file(pdf, ExtractOptions(pages="1"))
    assert first.source.chars < record.source.chars


def test_a_broken_pdf_is_a_clear_error() -> None:
    with pytest.raises(InputError, match="PDF cannot be opened"):
        from_bytes(b"%PDF-1.4\nnot really a pdf", "x.pdf")


def test_pages_spec() -> None:
    assert parse_pages("1-3,7", 10) == [0, 1, 2, 6]
    assert parse_pages(None, 2) == [0, 1]
    with pytest.raises(InputError):
        parse_pages("3-1", 10)
    with pytest.raises(InputError):
        parse_pages("20", 10)


def test_the_pdf_is_a_rendering_of_its_own() -> None:
    assert _rendering_name("eval/corpus/pdf/04_x.pdf") == "pdf"
    assert _rendering_name("eval/corpus/text/04_x.pypdf.txt") == "pypdf"


def test_a_page_without_text_is_not_read_when_ocr_is_off(table_pdf: Path, tmp_path: Path) -> None:
    scanned = _rasterise(table_pdf, tmp_path / "scan.pdf")
    with pytest.raises(InputError, match="OCR is off"):
        read_pdf(scanned.read_bytes(), PdfOptions(ocr="never"))


def test_a_scanned_page_is_read_by_ocr(table_pdf: Path, tmp_path: Path) -> None:
    scanned = _rasterise(table_pdf, tmp_path / "scan.pdf")
    layout, _ = read_pdf(scanned.read_bytes())
    assert "893.60" in layout.text
    assert all(p.conf is not None and 0 < p.conf <= 1 for p in layout.placed)
    # the ruling lines printed in the image put every box in its cell, as the text layer's do
    printed, _ = read_pdf(table_pdf.read_bytes())
    assert _rows(layout.text) == _rows(printed.text)


def _rasterise(pdf: Path, out: Path, dpi: int = 150) -> Path:
    """An image-only copy of ``pdf``: every page rendered at ``dpi`` and placed as one image."""
    import pypdfium2 as pdfium

    src = pdfium.PdfDocument(pdf)
    dst = pdfium.PdfDocument.new()
    for i in range(len(src)):
        page = src[i]
        w, h = page.get_size()
        image = pdfium.PdfImage.new(dst)
        image.set_bitmap(page.render(scale=dpi / 72))
        image.set_matrix(pdfium.PdfMatrix().scale(w, h))
        new = dst.new_page(w, h)
        new.insert_obj(image)
        new.gen_content()
    dst.save(out)
    return out


WRAPPED = """<html><head><meta charset="utf-8"><style>
body { font-family: sans-serif; font-size: 12pt; }
td, th { border: 1px solid black; padding: 2pt 6pt; }
table { border-collapse: collapse; } td.n { text-align: right; } th { width: 4.5em; }
</style></head><body>
<table>
<tr><th rowspan="2">科目名称</th><th colspan="2">一般公共预算财政拨款</th><th rowspan="2">事业单位经营收入</th></tr>
<tr><th>基本支出</th><th>项目支出</th></tr>
<tr><td style="width: 5em">机关事业单位基本养老保险缴费支出</td>
<td class="n">175.83</td><td class="n">0.00</td><td class="n">12.00</td></tr>
<tr><td>行政运行</td><td class="n">372.00</td><td class="n"></td><td class="n">1.00</td></tr>
</table></body></html>"""


def test_ruled_cells_hold_their_wrapped_lines(tmp_path: Path) -> None:
    """Header and label cells wrapping over several lines are one cell each (the rules part the
    cells, not the line breaks); a group label spans its columns from the first."""
    pdf = print_pdf(WRAPPED, tmp_path / "wrapped.pdf")
    layout, _ = read_pdf(pdf.read_bytes())
    rows = _rows(layout.text)
    assert rows == [
        ["科目名称", "一般公共预算财政拨款", "", "事业单位经营收入"],
        ["", "基本支出", "项目支出", ""],
        ["机关事业单位基本养老保险缴费支出", "175.83", "0.00", "12.00"],
        ["行政运行", "372.00", "", "1.00"],
    ]


def test_a_text_layer_pdf_is_read_two_ways_and_says_which_was_kept(tmp_path: Path) -> None:
    from tests.roundtrip import sample_html

    pdf = print_pdf(sample_html(ROOT / "eval" / "samples" / "001_82514b48445ad530.txt"), tmp_path / "s.pdf")
    src = from_bytes(pdf.read_bytes(), "s.pdf")
    assert src.alternate is not None and src.alternate.layout is not None
    record = extract_file(pdf)
    notice = next(n for n in record.notices if n.code == "pdf_reading")
    assert record.extractor["pdf_reading"] in notice.message


def test_a_blank_page_is_not_read_by_ocr(table_pdf: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A page with neither text nor an image (a separator page) holds nothing OCR could read: it is
    passed over without loading the OCR models (reading it took seconds)."""
    import pypdfium2 as pdfium

    import fiscal_extract.read.pdf as pdf_mod

    doc = pdfium.PdfDocument(table_pdf)
    doc.new_page(595, 842).gen_content()
    doc.save(tmp_path / "with_blank.pdf")
    doc.close()

    def no_ocr(*_: object) -> list[object]:
        raise AssertionError("a blank page was sent to OCR")

    monkeypatch.setattr(pdf_mod, "_ocr", no_ocr)
    layout, notes = read_pdf((tmp_path / "with_blank.pdf").read_bytes())
    assert "893.60" in layout.text and len(layout.sizes) == 2 and not notes
    assert layout.plain is not None  # still a text-layer PDF: read both ways
