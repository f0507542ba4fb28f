"""The review page's view of a PDF: each page holding figures as an image, with every figure's box.

A reviewer checks a figure against the printed cell, not against another rendering of it: the
boxes come from where the PDF prints the figure (:func:`fiscal_extract.read.pdf_layout.locate`,
the same placement that gives every span its ``page`` and ``bbox``), positioned in percent of the
page so the image may be drawn at any width.  Clicking a box selects the figure in the text,
clicking a figure in the text shows its box (``review.js``).
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..read.normalize import SourceText

MAX_PAGES = 80
"""Pages shown at most (those holding the most figures first are kept, in page order)."""
SCALE = 1.25
"""Pages are drawn at 90 dpi: cells legible, the page a few tens of kilobytes."""


@dataclass(frozen=True)
class BoxView:
    mark: str
    """The id of the figure's mark in the text."""
    left: float
    top: float
    width: float
    height: float
    """Percent of the page's width and height."""


@dataclass
class PageView:
    number: int
    width: float
    height: float
    """The page's size in points."""
    image: str
    """A ``data:image/png;base64,...`` URI."""
    boxes: list[BoxView] = field(default_factory=list)


def page_views(src: SourceText, marks: Sequence[tuple[str, int, int]], data: bytes | None = None) -> list[PageView]:
    """The pages of a PDF source that hold figures, with the box of every mark
    ``(id, start, end)``; [] for a text source or a PDF whose file is gone."""
    from ..read.pdf import render_pages
    from ..read.pdf_layout import locate

    layout = src.layout
    if layout is None:
        return []
    boxes: dict[int, list[BoxView]] = {}
    for mark, start, end in marks:
        hit = locate(layout, start, end)
        if hit is None:
            continue
        page, (x0, top, x1, bottom), _ = hit
        w, h = layout.sizes.get(page, (0.0, 0.0))
        if w <= 0 or h <= 0:
            continue
        boxes.setdefault(page, []).append(BoxView(
            mark, round(100 * x0 / w, 3), round(100 * top / h, 3), round(100 * (x1 - x0) / w, 3),
            round(100 * (bottom - top) / h, 3)))
    if not boxes:
        return []
    keep = sorted(sorted(boxes, key=lambda p: -len(boxes[p]))[:MAX_PAGES])
    if data is None:
        try:
            data = Path(src.path).read_bytes()
        except OSError:
            return []
        if hashlib.sha256(data).hexdigest() != src.sha256:
            return []  # the file changed since it was read: its pages would not match the figures
    images = render_pages(data, keep, SCALE)
    out = []
    for n in keep:
        if n in images:
            w, h = layout.sizes[n]
            uri = "data:image/png;base64," + base64.b64encode(images[n]).decode("ascii")
            out.append(PageView(n, w, h, uri, boxes[n]))
    return out
