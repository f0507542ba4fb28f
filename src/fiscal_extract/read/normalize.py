"""Read a document's bytes into text, refuse what is not text, and fold widths.

Folding is one character for one character, so every offset into the folded text is also an
offset into the decoded source: provenance spans stay exact whatever the repairs.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path

from ..errors import InputError
from ..fold import fold
from .pdf import PdfOptions, is_pdf, read_pdf
from .pdf_layout import PageText

DEFAULT_MAX_BYTES = 2 * 1024 * 1024
"""2 MiB: one disclosure is well under 1 MB of text (the largest of the corpus is 0.3 MB; a 100-page
document about 0.5 MB in UTF-8).  Anything larger is several documents or not a disclosure."""

PDF_SIZE_FACTOR = 50
"""A PDF may be this many times ``max_bytes`` (100 MiB by default): its fonts and page images, not
its text, make its size -- corpus PDFs of 30 pages run to 2.7 MB, a scanned one to tens of MB."""


def size_limit(head: bytes, max_bytes: int) -> int:
    """The size limit for a file that begins with ``head``: ``max_bytes``, a PDF's a multiple of it."""
    return max_bytes * PDF_SIZE_FACTOR if is_pdf(head) else max_bytes


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_BAD_CONTROL = re.compile("[\x00-\x08\x0e-\x1f]")
"""Control characters that text does not hold (tab, line breaks, form feed and vertical tab do)."""



@dataclass(frozen=True)
class SourceText:
    """A decoded document: the text as decoded, its folded twin and where lines start."""

    text: str
    folded: str
    encoding: str
    sha256: str
    path: str
    line_starts: list[int] = field(repr=False)
    notes: tuple[str, ...] = ()
    layout: PageText | None = field(default=None, repr=False, compare=False)
    """For a PDF: where each word of ``text`` is printed (page and box)."""
    alternate: SourceText | None = field(default=None, repr=False, compare=False)
    """For a text-layer PDF: its second reading, the text in PDFium's own order (placed too)."""
    _lines: list[list[tuple[int, int]]] = field(default_factory=list, repr=False, compare=False)

    def line_of(self, offset: int) -> int:
        """1-based line number of a character offset."""
        return bisect_right(self.line_starts, offset)

    def lines(self) -> list[tuple[int, int]]:
        """``(start, end)`` of every line, without its line break (and without a trailing CR)."""
        cached = self._lines
        if cached:
            return cached[0]
        text = self.text
        starts = self.line_starts
        ends = [s - 1 for s in starts[1:]]
        ends.append(len(text))
        if "\r" in text:
            out = [(a, b - 1) if b > a and text[b - 1] == "\r" else (a, b) for a, b in zip(starts, ends, strict=True)]
        else:
            out = list(zip(starts, ends, strict=True))
        cached.append(out)
        return out


def _line_starts(text: str) -> list[int]:
    """The offset where each line starts (the running sum of the line lengths, breaks included)."""
    starts = list(accumulate([len(line) + 1 for line in text.split("\n")], initial=0))
    starts.pop()  # the offset past the end
    return starts


def decode(data: bytes) -> tuple[str, str, tuple[str, ...]]:
    """Decode bytes as UTF-8, UTF-16/32 with BOM, or GB18030; refuse binary and empty input.

    Returns ``(text, encoding, notes)``; notes mention a truncated final character.
    """
    if not data or not data.strip():
        raise InputError("empty", "the file is empty")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            body = data[len(bom) :]
            try:
                return _check_text(body.decode(enc)), enc, ()
            except UnicodeDecodeError as exc:
                raise InputError(
                    "encoding", f"the file starts with a {enc} byte-order mark but is not {enc}: {exc.reason}"
                ) from None
    if data.startswith(b"%PDF-"):
        raise InputError("binary", "this is a PDF, not the text of one: give its text (pdftotext, pypdf) "
                         "or an OCR'd copy")
    if b"\x00" in data[:65536]:
        raise InputError("binary", "the file is binary (it contains NUL bytes), not text")
    notes: tuple[str, ...] = ()
    try:
        return _check_text(data.decode("utf-8")), "utf-8", ()
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
            # a file cut in the middle of its last character: keep what is whole
            notes = ("the file ends in the middle of a UTF-8 character (truncated); the last bytes were dropped",)
            return _check_text(data[: exc.start].decode("utf-8")), "utf-8", notes
    try:
        return _check_text(data.decode("gb18030")), "gb18030", ()
    except UnicodeDecodeError:
        pass
    raise InputError("encoding", "the file is neither UTF-8, UTF-16/32 with a byte-order mark, nor GB18030/GBK text")


def _check_text(text: str) -> str:
    if not text.strip():
        raise InputError("empty", "the file contains only whitespace")
    sample = text[:20000]
    bad = len(_BAD_CONTROL.findall(sample))
    if bad > max(8, len(sample) // 100):
        raise InputError("binary", f"the file looks binary ({bad} control characters in the first {len(sample)})")
    return text


def from_bytes(data: bytes, path: str = "<bytes>", pdf: PdfOptions | None = None) -> SourceText:
    """Decode and fold a document given as bytes (a PDF is laid out by position, page by page)."""
    layout: PageText | None = None
    if is_pdf(data):
        layout, pdf_notes = read_pdf(data, pdf)
        text, encoding, notes = layout.text, "pdf", tuple(pdf_notes)
    else:
        text, encoding, notes = decode(data)
    if text.startswith("\ufeff"):
        text = text[1:]
    digest = hashlib.sha256(data).hexdigest()
    alternate = None
    if layout is not None and layout.plain is not None:
        alt = layout.plain
        alternate = SourceText(text=alt.text, folded=fold(alt.text), encoding="pdf", sha256=digest, path=path,
                               line_starts=_line_starts(alt.text), notes=notes, layout=alt)
    return SourceText(
        text=text,
        folded=fold(text),
        encoding=encoding,
        sha256=digest,
        path=path,
        line_starts=_line_starts(text),
        notes=notes,
        layout=layout,
        alternate=alternate,
    )


def read_source(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES, pdf: PdfOptions | None = None) -> SourceText:
    """Read and decode one document; raises :class:`InputError` with a clear reason."""
    return from_bytes(read_bytes(path, max_bytes), str(path), pdf)


def read_bytes(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """A document's bytes; raises :class:`InputError` for a missing, unreadable or too large file."""
    p = Path(path)
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        raise InputError("missing", f"no such file: {p}") from None
    except OSError as exc:
        raise InputError("unreadable", f"cannot read {p}: {exc.strerror}") from None
    if p.is_dir():
        raise InputError("unreadable", f"{p} is a directory, not a document")
    try:
        if size > max_bytes:
            with p.open("rb") as fh:
                head = fh.read(1024)
            if size > size_limit(head, max_bytes):
                raise InputError("too_large", too_large(size, head, max_bytes, "file"))
        return p.read_bytes()
    except OSError as exc:
        raise InputError("unreadable", f"cannot read {p}: {exc.strerror}") from None


def too_large(size: int, head: bytes, max_bytes: int, what: str) -> str:
    """Why a file of ``size`` bytes is refused, in the user's terms."""
    limit = size_limit(head, max_bytes)
    why = f"a PDF may be {PDF_SIZE_FACTOR} times --max-bytes" if is_pdf(head) else (
        "one disclosure is well under 1 MB of text; see --max-bytes")
    return f"the {what} is {size:,} bytes, over the {limit:,}-byte limit ({why})"
