"""One grid type for every table rendering OCR tools emit.

Readers turn tab-separated lines, markdown pipe tables, HTML ``<table>`` markup and
space-aligned columns into :class:`Grid` rows of :class:`Cell` with exact source offsets: one
module each (``grid_tsv``, ``grid_markdown``, ``grid_html``, ``grid_aligned``), called by
:mod:`.segment`, which finds the lines of each rendering.
A spanning cell (HTML ``colspan``/``rowspan``) becomes the label in its first position and
empty cells after it -- the same shape tab-separated OCR output has -- so the table parsers
see one convention whatever the rendering.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..fold import fold
from .normalize import SourceText


@dataclass(slots=True)
class Cell:
    text: str
    """Folded, stripped text (what numbers and labels are read from)."""
    raw: str
    """The text as printed (stripped)."""
    start: int
    end: int

    @property
    def empty(self) -> bool:
        return not self.text


@dataclass(slots=True)
class GridRow:
    cells: list[Cell]
    line: int
    start: int
    end: int
    _nonempty: list[tuple[int, Cell]] | None = field(default=None, init=False, repr=False, compare=False)

    def texts(self) -> list[str]:
        return [c.text for c in self.cells]

    def joined(self) -> str:
        return "".join(c.text for c in self.cells)

    def nonempty(self) -> list[tuple[int, Cell]]:
        """The non-empty cells with their column index (worked out once per row: segmenting,
        header detection and the table parsers all ask; callers must not modify the list)."""
        ne = self._nonempty
        if ne is None:
            ne = self._nonempty = [(i, c) for i, c in enumerate(self.cells) if c.text]
        return ne


@dataclass
class Grid:
    rows: list[GridRow]
    fmt: str
    start: int
    end: int
    first_line: int
    last_line: int
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def width(self) -> int:
        return max((len(r.cells) for r in self.rows), default=0)


def cell_at(src: SourceText, a: int, b: int) -> Cell:
    """A cell for source offsets [a, b): whitespace trimmed, offsets kept exact."""
    raw = src.text[a:b]
    stripped = raw.strip()
    if not stripped:
        return Cell("", "", a, a)
    if stripped is not raw:
        a += len(raw) - len(raw.lstrip())
    b = a + len(stripped)
    return Cell(src.folded[a:b], stripped, a, b)


def cell_of_text(src: SourceText, a: int, b: int, raw: str) -> Cell:
    """A cell whose text is not a plain slice (HTML content with tags stripped)."""
    clean = " ".join(raw.split())
    return Cell(fold(clean), clean, a, b)


