"""Drafting types every table layout shares: the parsing context, a drafted row and its value cells.

Both the layout modules and :mod:`.realign` / :mod:`.rows` import this module, and it imports none
of them (this is what keeps the table package free of cycles)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..caching import TEXT_CACHE
from ..catalog import Catalog
from ..models import Notice, Repair, Span
from ..read.cells import Style
from ..read.grid import Cell, GridRow
from ..read.normalize import SourceText

_CJK_WRAP = re.compile(r"(?<=[\u4e00-\u9fff（）()、])\s+(?=[\u4e00-\u9fff（）()、])")


@lru_cache(maxsize=TEXT_CACHE)
def clean_name(raw: str) -> str:
    """A printed name with OCR line-wrap spaces removed ("平顶山市石龙 区" -> "平顶山市石龙区")."""
    return _CJK_WRAP.sub("", raw.strip())


@dataclass
class Ctx:
    """What table parsing needs from the document."""

    cat: Catalog
    src: SourceText
    unit: str | None
    department: str | None
    style: Style
    repairs: list[Repair] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    packed: set[int] = field(default_factory=set)
    """Grid rows (by ``id``) printed with empty cells dropped: their amounts await placement."""

    def span(self, start: int, end: int) -> Span:
        return Span(start=start, end=end, line=self.src.line_of(start))


@dataclass(slots=True)
class VCell:
    key: str
    cell: Cell | None


@dataclass(slots=True)
class Draft:
    """A row before its figures are read: label fields and value cells in column order."""

    name: str = ""
    code: str | None = None
    side: str | None = None
    role: str = "item"
    level: int | None = None
    category: str | None = None
    texts: dict[str, str] = field(default_factory=dict)
    text_cells: dict[str, Cell] = field(default_factory=dict)
    vcells: list[VCell] = field(default_factory=list)
    row: GridRow | None = None
    extra: list[Cell] = field(default_factory=list)


@dataclass
class Part:
    meta: list[GridRow]
    header: list[GridRow]
    data: list[GridRow]
