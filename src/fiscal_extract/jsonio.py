"""JSON in and out with exact decimals: figures are written as JSON numbers with the digits
the document printed (``0.00`` stays ``0.00``) and read back as ``Decimal``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import jiter
import simplejson
from pydantic import BaseModel

from .models import RAW_DECIMALS, Disclosure


def to_data(record: Disclosure) -> dict[str, Any]:
    return record.model_dump(mode="python", exclude_none=False)


def dumps(obj: Any, indent: int | None = 2) -> str:
    """Serialise a model (or plain data holding Decimals) to JSON text."""
    if isinstance(obj, BaseModel):
        return model_json(obj, indent)
    return simplejson.dumps(obj, use_decimal=True, ensure_ascii=False, indent=indent, default=_default)


def model_json(model: BaseModel, indent: int | None = None) -> str:
    """A model as JSON text, amounts as numbers with their printed digits (see :func:`model_json_bytes`)."""
    raw = _fast_json(model, indent)
    return raw.decode("utf-8") if raw is not None else _exact_json(model, indent)


def model_json_bytes(model: BaseModel, indent: int | None = None) -> bytes:
    """:func:`model_json` encoded as UTF-8, without decoding (and a writer re-encoding) a text of
    several hundred kilobytes."""
    raw = _fast_json(model, indent)
    return raw if raw is not None else _exact_json(model, indent).encode("utf-8")


def _fast_json(model: BaseModel, indent: int | None) -> bytes | None:
    """The model written by pydantic's own serialiser (several times faster than walking
    ``model_dump`` output in Python), amounts as numbers with their printed digits.

    Each amount comes out as ``"\\u0000<digits>\\u0000"`` and the fences are cut; should any text of
    the model itself hold a NUL character, the count of fences gives it away and ``None`` says to
    write the model the slow, exact way instead.
    """
    fenced = [0]
    token = RAW_DECIMALS.set(fenced)
    try:
        raw = model.__pydantic_serializer__.to_json(model, indent=indent)
    finally:
        RAW_DECIMALS.reset(token)
    amounts = fenced[0]
    if not amounts:
        return None if b"\\u0000" in raw else raw
    # split at the fences (one search of the text, where cutting ``"\\u0000`` and ``\\u0000"`` with
    # two replaces and counting them takes five): the parts alternate between the text around
    # the amounts, each but the first and last between the quotes of two amounts, and an
    # amount's digits
    parts = raw.split(b"\\u0000")
    if len(parts) != 2 * amounts + 1:
        return None
    parts[0] = parts[0][:-1]
    parts[-1] = parts[-1][1:]
    parts[2:-1:2] = [between[1:-1] for between in parts[2:-1:2]]
    return b"".join(parts)


def _exact_json(model: BaseModel, indent: int | None) -> str:
    data = model.model_dump(mode="python")
    return simplejson.dumps(data, use_decimal=True, ensure_ascii=False, indent=indent, default=_default)


def _default(o: Any) -> Any:
    if isinstance(o, (set, frozenset, tuple)):
        return list(o)
    raise TypeError(f"cannot serialise {type(o).__name__}")


def loads(text: str | bytes) -> Any:
    """Parse JSON with every non-integer number as an exact Decimal."""
    return jiter.from_json(text.encode("utf-8") if isinstance(text, str) else text, float_mode="decimal")


def load_disclosure(text: str | bytes) -> Disclosure:
    return Disclosure.model_validate(loads(text))


def as_decimal(v: Any) -> Decimal | None:
    if v is None:
        return None
    if isinstance(v, Decimal):
        return v
    return Decimal(str(v))
