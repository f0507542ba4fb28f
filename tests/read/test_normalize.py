import codecs

import pytest

from fiscal_extract.errors import InputError
from fiscal_extract.fold import fold
from fiscal_extract.read.normalize import decode, from_bytes, read_source

TEXT = "部门收支总体情况表\n收入总计\t524.8\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8"),
        (TEXT.encode("gb18030"), "gb18030"),
        (TEXT.encode("gbk"), "gb18030"),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16-be"),
    ],
)
def test_encodings(data, encoding):
    text, enc, _ = decode(data)
    assert text.lstrip("\ufeff") == TEXT
    assert enc == encoding


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"   \n\t\n", "empty"),
        (b"\x00\x01\x02PK\x03\x04" * 10, "binary"),
        (bytes(range(256)) * 4, "binary"),
        (b"\x80abc\x80 text \x80" * 3, "encoding"),
    ],
)
def test_refused_input(data, reason):
    with pytest.raises(InputError) as exc:
        decode(data)
    assert exc.value.reason == reason
    assert str(exc.value)  # a readable message


def test_truncated_utf8_keeps_what_is_whole():
    data = TEXT.encode("utf-8") + "表".encode()[:2]
    src = from_bytes(data)
    assert src.text == TEXT
    assert src.notes and "truncated" in src.notes[0]


def test_too_large_and_missing(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(TEXT.encode("utf-8") * 100)
    with pytest.raises(InputError) as exc:
        read_source(big, max_bytes=100)
    assert exc.value.reason == "too_large"
    with pytest.raises(InputError) as exc:
        read_source(tmp_path / "nope.txt")
    assert exc.value.reason == "missing"
    with pytest.raises(InputError) as exc:
        read_source(tmp_path)
    assert exc.value.reason == "unreadable"


def test_fold_is_one_to_one_and_keeps_sentence_punctuation():
    s = "收入总计５２４．８万元，增长４０．８％：（一）"
    f = fold(s)
    assert len(f) == len(s)
    assert f == "收入总计524.8万元，增长40.8%：(一)"


def test_offsets_are_exact_into_the_source():
    src = from_bytes("一\r\n二\t3.5\n".encode())
    assert src.lines() == [(0, 1), (3, 8), (9, 9)]
    assert src.line_of(4) == 2


def test_a_pdf_has_a_larger_limit_than_text(tmp_path):
    """A PDF's size is its fonts and images: a 2.7 MB corpus PDF was refused by the text limit."""
    from fiscal_extract.read.normalize import PDF_SIZE_FACTOR, read_bytes

    pdf = tmp_path / "doc.pdf"
    pdf.write_bytes(b"%PDF-1.7\n" + b"0" * 5000)
    assert read_bytes(pdf, max_bytes=1000)[:5] == b"%PDF-"
    with pytest.raises(InputError) as exc:
        read_bytes(pdf, max_bytes=5000 // PDF_SIZE_FACTOR)
    assert exc.value.reason == "too_large" and "a PDF may be" in str(exc.value)
    text = tmp_path / "doc.txt"
    text.write_bytes(b"x" * 5000)
    with pytest.raises(InputError) as exc:
        read_bytes(text, max_bytes=1000)
    assert "--max-bytes" in str(exc.value)
