"""JSON in and out with exact decimals: figures are written as JSON numbers with the digits
the document printed (``0.00`` stays ``0.00``) and read back as ``Decimal``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import simplejson

from .models import Disclosure


def to_data(record: Disclosure) -> dict[str, Any]:
    return record.model_dump(mode="python", exclude_none=False)


def dumps(obj: Any, indent: int | None = 2) -> str:
    """Serialise a model (or plain data holding Decimals) to JSON text."""
    if hasattr(obj, "model_dump"):
        obj = obj.model_dump(mode="python")
    return simplejson.dumps(obj, use_decimal=True, ensure_ascii=False, indent=indent, default=_default)


def _default(o: Any) -> Any:
    if isinstance(o, (set, frozenset, tuple)):
        return list(o)
    raise TypeError(f"cannot serialise {type(o).__name__}")


def loads(text: str | bytes) -> Any:
    """Parse JSON with every non-integer number as an exact Decimal."""
    return simplejson.loads(text, use_decimal=True)


def load_disclosure(text: str | bytes) -> Disclosure:
    return Disclosure.model_validate(loads(text))


def as_decimal(v: Any) -> Decimal | None:
    if v is None:
        return None
    if isinstance(v, Decimal):
        return v
    return Decimal(str(v))
