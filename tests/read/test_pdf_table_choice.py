"""A text-layer PDF is read two ways (by position, and in PDFium's text order); each table is
taken from the reading whose own checks hold better, its spans moved onto the kept text."""

from decimal import Decimal
from pathlib import Path

from fiscal_extract.catalog import load
from fiscal_extract.evaluate.run import load_gold
from fiscal_extract.evaluate.score import evaluate_pair
from fiscal_extract.models import Row, Table
from fiscal_extract.pipeline import _reads_better, extract_file
from fiscal_extract.read.normalize import read_source

CORPUS = Path(__file__).resolve().parents[2] / "eval" / "corpus"
STEM = "01_jiangsu-procuratorate-dept_budget-2019"


def test_a_table_the_other_reading_reads_better_is_taken_from_it() -> None:
    pdf = CORPUS / "pdf" / f"{STEM}.pdf"
    record = extract_file(pdf)
    # the document as a whole reads better in PDFium's order; its 财政拨款收支总表 by position
    assert record.extractor["pdf_reading"] == "pdfium"
    assert record.extractor["pdf_tables"] == {"position": [3]}
    table = record.tables[3]
    assert table.kind == "fiscal_grant_overview"
    notice = next(n for n in record.notices if n.code == "pdf_reading")
    assert "财政拨款收支" in notice.message
    assert not [c.id for c in record.checks if c.status == "fail" and all("tables[3]" in r for r in c.refs)]
    # every figure of the table taken points at its printed text in the kept (PDFium) reading
    text = read_source(pdf).alternate.text  # type: ignore[union-attr]
    figures = [(r.cells[k], v) for r in table.rows for k, v in r.values.items() if v is not None and k in r.cells]
    assert len(figures) >= 6
    for span, value in figures:
        assert Decimal(text[span.start:span.end].replace(",", "")) == value
        assert span.page is not None and span.bbox is not None
    # and it is right: the fiscal-grant overview scores every gold figure
    result = evaluate_pair(STEM, load_gold(CORPUS / "gold" / f"{STEM}.json"), record, load())
    fg = result.fields_by_kind["fiscal_grant_overview"]
    assert (fg.fn, fg.fp) == (0, 0)


def _table(names: list[str], values: list[str | None]) -> Table:
    return Table(kind="general_budget_expenditure", title="t", rows=[
        Row(name=n, values={"total": None if v is None else Decimal(v)}) for n, v in zip(names, values, strict=True)])


def test_a_reading_is_better_only_if_fewer_checks_fail_and_nothing_read_is_lost() -> None:
    full = _table(["一般公共服务", "教育"], ["1.0", "2.0"])
    assert _reads_better(full, full, [3, 0], [1, 2])
    assert not _reads_better(full, full, [3, 2], [1, 2])  # no fewer failures
    assert not _reads_better(full, full, [0, 0], [1, 1])  # fewer passes
    assert not _reads_better(_table(["", ""], ["1.0", "2.0"]), full, [3, 0], [1, 2])  # labels lost
    assert not _reads_better(_table(["一般公共服务", "教育"], ["1.0", None]), full, [3, 0], [1, 2])  # a figure lost
