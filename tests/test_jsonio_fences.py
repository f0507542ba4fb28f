from decimal import Decimal

from fiscal_extract import jsonio
from fiscal_extract.models import CheckResult, Row, Table


def _by_replace(model: Table | CheckResult, indent: int | None) -> bytes:
    """The fences cut the way the writer first did (two replaces): the split must give the same."""
    raw = model.__pydantic_serializer__.to_json(model, indent=indent, context={"raw_decimals": 0})
    return raw.replace(b'"\\u0000', b"").replace(b'\\u0000"', b"")


def test_cutting_the_fences_keeps_everything_around_the_amounts():
    values = {"a": Decimal("0.00"), "b": Decimal("-12.5"), "c": None, "d": Decimal("1E+3"), "e": Decimal("7")}
    models = [
        Table(kind="other", title="表", rows=[Row(name="x", values=values), Row(name="", values={"t": Decimal(1)})]),
        Table(kind="other", title="no amounts"),
        CheckResult(id="c", status="pass", message="m", expected=Decimal("0.10"), actual=Decimal("0.1")),
    ]
    for model in models:
        for indent in (None, 2):
            assert jsonio.model_json_bytes(model, indent) == _by_replace(model, indent)


def test_a_text_holding_a_fence_is_written_the_exact_way():
    for name in ("\x00", "\\u0000", "x\x00", "\x00\x00"):
        table = Table(kind="other", title="表", rows=[Row(name=name, values={"t": Decimal("1.0")})])
        assert jsonio.model_json(table) == jsonio._exact_json(table, None)
    table = Table(kind="other", title="\x00")  # and without any amount
    assert jsonio.model_json(table) == jsonio._exact_json(table, None)
