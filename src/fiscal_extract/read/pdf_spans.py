"""Every span of a record read from a PDF gains the page and box where it is printed."""

from __future__ import annotations

from pydantic import BaseModel

from ..models import Span
from .pdf_layout import PageText, locate


def place_spans(record: BaseModel, layout: PageText) -> int:
    """Set ``page``, ``bbox`` and (OCR) ``confidence`` on every :class:`Span` in ``record``;
    returns how many were placed."""
    layout.index()
    placed = 0
    stack: list[object] = [record]
    while stack:
        obj = stack.pop()
        if isinstance(obj, Span):
            hit = locate(layout, obj.start, obj.end)
            if hit is not None:
                obj.page, box, obj.confidence = hit[0], hit[1], hit[2]
                obj.bbox = [round(v, 1) for v in box]
                placed += 1
        elif isinstance(obj, BaseModel):
            stack.extend(getattr(obj, name) for name in type(obj).model_fields)
        elif isinstance(obj, dict):
            stack.extend(obj.values())
        elif isinstance(obj, list | tuple):
            stack.extend(obj)
    return placed
