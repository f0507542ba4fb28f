import json
from decimal import Decimal

from fiscal_extract import jsonio
from fiscal_extract.models import Row, Table


def _table(name: str) -> Table:
    return Table(
        kind="other",
        title="收支总表",
        rows=[Row(name=name, values={"total": Decimal("0.00"), "basic": Decimal("447.48"), "project": None})],
    )


def test_amounts_are_json_numbers_with_their_printed_digits():
    text = jsonio.dumps(_table("合计"), indent=None)
    assert '"total":0.00' in text and '"basic":447.48' in text and '"project":null' in text
    back = jsonio.loads(text)
    assert back["rows"][0]["values"]["total"] == Decimal("0.00")
    assert str(back["rows"][0]["values"]["total"]) == "0.00"
    assert Table.model_validate(back) == _table("合计")


def test_a_nul_character_in_a_text_does_not_break_the_json():
    # the fast path fences amounts with NUL characters; a NUL of the record's own must not be cut
    for name in ("\x00447.48\x00", "a\x00b", "\\u0000"):
        text = jsonio.dumps(_table(name), indent=None)
        data = json.loads(text)  # valid JSON either way
        assert data["rows"][0]["name"] == name
        assert str(jsonio.loads(text)["rows"][0]["values"]["basic"]) == "447.48"
