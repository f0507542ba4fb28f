from decimal import Decimal

import simplejson

from fiscal_extract import jsonio
from fiscal_extract.models import CheckResult, Row, Table


def _exact(model: Table | CheckResult, indent: int | None) -> bytes:
    """The model as the exact (simplejson) writer puts it, with pydantic's separators."""
    separators = (",", ":") if indent is None else (",", ": ")
    data = model.model_dump(mode="python")
    text = simplejson.dumps(data, use_decimal=True, ensure_ascii=False, indent=indent, separators=separators)
    return text.encode("utf-8")


def test_cutting_the_fences_keeps_everything_around_the_amounts():
    values = {"a": Decimal("0.00"), "b": Decimal("-12.5"), "c": None, "d": Decimal("1E+3"), "e": Decimal("7")}
    models = [
        Table(kind="other", title="表", rows=[Row(name="x", values=values), Row(name="", values={"t": Decimal(1)})]),
        Table(kind="other", title="no amounts"),
        CheckResult(id="c", status="pass", message="m", expected=Decimal("0.10"), actual=Decimal("0.1")),
    ]
    for model in models:
        for indent in (None, 2):
            assert jsonio.model_json_bytes(model, indent) == _exact(model, indent)


def test_a_text_holding_a_fence_is_written_the_exact_way():
    for name in ("\x00", "\\u0000", "x\x00", "\x00\x00", "\x001.0\x00"):
        table = Table(kind="other", title="表", rows=[Row(name=name, values={"t": Decimal("1.0")})])
        assert jsonio.model_json(table) == jsonio._exact_json(table, None)
    table = Table(kind="other", title="\x00")  # and without any amount
    assert jsonio.model_json(table) == jsonio._exact_json(table, None)
