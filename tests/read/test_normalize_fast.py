import pytest

from fiscal_extract.errors import InputError
from fiscal_extract.fold import _FOLD, fold
from fiscal_extract.read.normalize import _check_text

EVERY_CHARACTER = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)


def test_fold_is_the_fold_table_applied_to_every_character():
    assert fold(EVERY_CHARACTER) == EVERY_CHARACTER.translate(_FOLD)
    assert fold("（１２．５）万元，合计：") == "(12.5)万元，合计："


@pytest.mark.parametrize("ch", [chr(c) for c in range(32)])
def test_control_characters_that_text_does_not_hold_count_as_binary(ch: str):
    text = "正文" + ch * 20
    if ch in "\t\n\r\f\v":
        assert _check_text(text) == text
    else:
        with pytest.raises(InputError):
            _check_text(text)
