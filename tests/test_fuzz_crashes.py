"""Crashes fuzzing found (bench/fuzz.py), each at its root: a record or a clean error, never a traceback."""

from __future__ import annotations

import re
import time
from decimal import Decimal as D

from fiscal_extract.checks.terms import rounded
from fiscal_extract.pipeline import extract_bytes
from fiscal_extract.read.cells import Style, read_value
from fiscal_extract.read.grid import Cell, GridRow
from fiscal_extract.read.grid_html import MAX_COLUMNS, html_grid
from fiscal_extract.read.normalize import from_bytes
from fiscal_extract.read.numbers import MAX_DIGITS, parse_number, parse_text_amount
from fiscal_extract.tables.header import is_numbering_row

from .checks.factories import expenditure, record, results
from .conftest import sample

FIGURE = re.compile(r"(?<![\d.])\d{2,6}\.\d{1,2}(?![\d.])")


def _sample_text(prefix: str) -> str:
    return sample(prefix).read_text(encoding="utf-8")


def test_an_amount_has_at_most_18_digits():
    assert parse_number("9" * MAX_DIGITS) == parse_number("999999999999999999")
    assert parse_number("9" * MAX_DIGITS).value == D("9" * MAX_DIGITS)  # type: ignore[union-attr]
    assert parse_number("9" * (MAX_DIGITS + 1)) is None
    assert parse_number("1" * 26 + ".55") is None
    assert parse_number("1," * 10 + "000.00") is None  # 23 digits with separators
    assert parse_text_amount("支出" + "7" * 40 + "万元") is None
    cv = read_value("9" * 5000, Style(2, True), True)
    assert cv.value is None and cv.kind == "too_long" and "5000 digits" in (cv.repair or "")


def test_long_figure_in_a_table_is_no_amount_and_no_crash():
    # a 28-significant-digit figure failed in the checks' rounding (decimal.InvalidOperation)
    text = _sample_text("000")
    at = text.index("\n\t\t\t", text.index("\n部门支出总体情况表"))
    first = FIGURE.search(text, at)
    assert first
    damaged = text[: first.start()] + "1234567890123456789012345678.55" + text[first.end() :]
    rec = extract_bytes(damaged.encode(), "long.txt")  # InvalidOperation before
    values = [v for t in rec.tables for r in t.rows for v in r.values.values() if v is not None]
    assert values and max(len(v.as_tuple().digits) for v in values) <= MAX_DIGITS


def test_many_huge_figures_in_tables_a_check_needs():
    # a very large figure in a table a completion needs: reconcile's rounding raised as well
    text = _sample_text("003")
    out, last = [], 0
    for k, m in enumerate(FIGURE.finditer(text)):
        if k % 7 == 0:
            out += [text[last : m.start()], "8" * 17 + "." + "1"]
            last = m.end()
    rec = extract_bytes(("".join(out) + text[last:]).encode(), "huge.txt")
    assert rec.tables and rec.checks


def test_checks_round_long_figures_exactly():
    # the default decimal context (28 digits) cannot quantize this; the checks must
    assert rounded(D("1" * 27 + ".55"), 1) == D("1" * 27 + ".6")
    t = expenditure(total="9" * 27 + ".5", basic="60.0", project="40.0")
    failed = [c for c in results(record(t), "row.total_eq_basic_plus_project") if c.status == "fail"]
    assert failed and failed[0].cause in {"source", "extraction", "unknown"}


def _row(*texts: str) -> GridRow:
    return GridRow([Cell(t, t, 0, 0) for t in texts], 1, 0, 0)


def test_superscript_numbering_row_is_not_a_numbering_row():
    assert is_numbering_row(_row("栏次", "1", "2", "3"))
    assert is_numbering_row(_row("1", "2", "3", "4"))
    assert not is_numbering_row(_row("⁰", "¹", "²", "³"))  # int("²") raised ValueError
    lines = _sample_text("002").split("\n")
    k = next(i for i, ln in enumerate(lines) if ln.count("\t") >= 4)
    lines.insert(k + 1, "\t".join("⁰¹²³⁴⁵⁶⁷⁸⁹"[i % 10] for i in range(lines[k].count("\t") + 1)))
    assert extract_bytes("\n".join(lines).encode(), "sup.txt").tables


def test_absurd_colspan_is_capped_at_a_page():
    html = (
        '<table><tr><td colspan="10000000">部门预算</td></tr>'
        '<tr><td>1.00</td><td rowspan="99999999">x</td></tr></table>'
    )
    t0 = time.perf_counter()
    g = html_grid(from_bytes(html.encode()), 0, len(html))
    assert len(g.rows[0].cells) == MAX_COLUMNS and time.perf_counter() - t0 < 1.0
    # a 10**8 span ended in MemoryError; the pipeline gives a clean answer instead
    bad = ('<table><tr><td colspan="100000000">支出</td></tr>' * 3 + "</table>").encode()
    try:
        extract_bytes(bad, "span.html")
    except Exception as e:  # noqa: BLE001 -- which error is what this asserts
        from fiscal_extract.errors import FiscalExtractError

        assert isinstance(e, FiscalExtractError)


def test_a_file_of_several_documents_is_refused_with_where_they_start():
    from fiscal_extract.errors import InputError

    one = sample("000").read_bytes()
    try:
        extract_bytes(one * 3, "three.txt")
    except InputError as e:
        assert e.reason == "several_documents" and "3 documents" in str(e) and "lines 3, 532, 1061" in str(e)
    else:
        raise AssertionError("three documents in one file were read as one")
    assert extract_bytes(one, "one.txt").tables


def test_default_size_limit_is_what_one_disclosure_can_be():
    from fiscal_extract.errors import InputError
    from fiscal_extract.read.normalize import DEFAULT_MAX_BYTES

    assert DEFAULT_MAX_BYTES <= 4 * 1024 * 1024
    try:
        extract_bytes(b"x" * (DEFAULT_MAX_BYTES + 1), "big.txt")
    except InputError as e:
        assert e.reason == "too_large" and "1 MB" in str(e)
    else:
        raise AssertionError("an over-large text was accepted")


def test_ragged_markdown_rows_in_a_performance_form():
    # bench/fuzz.py document 1524: sample 001 with a performance table as ragged markdown (and a
    # few bytes flipped): a row shorter than the header shifted left past its first cell (IndexError)
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from bench.fuzz import make

    case, data = make(1524)
    assert case.mutations == ("ragged_markdown", "flip_bytes")
    assert extract_bytes(data, "ragged.txt").tables


def test_header_words_of_a_long_line_of_short_words_in_linear_time():
    # bench/fuzz.py documents 447, 784, 798 (the Xi'an text decoded as latin-1: \xa0 and \x85 are
    # spaces to str.split, so a line is thousands of short words): every character looked for the
    # next word break among all of them -- 20 s a document, hangs under load.  A 60,000-word line
    # took minutes; now it is read once, in about a second.
    from fiscal_extract.catalog import load
    from fiscal_extract.read.pdftext_labels import header_labels

    cat = load()
    line = " ".join(["åä", "ç»", "支出", "é¢"] * 15_000)
    t0 = time.perf_counter()
    labels = header_labels(cat, line)
    assert labels.count("支出") == 15_000 and time.perf_counter() - t0 < 20.0


def test_a_list_row_shorter_than_the_shift_tried_is_no_crash():
    """Fuzz seed 7473 (sample 003 with superscript headers, other Unicode digits, ragged markdown):
    a one-cell row under a list header, tried two columns to the left, indexed past its start."""
    from fiscal_extract.tables.perf_shapes import FILLED, LABEL, Header, _list_shift

    h = Header({0: "name", 1: "value:total"})
    assert _list_shift((FILLED | LABEL,), h) in (0, 1, -1, 2, -2)
