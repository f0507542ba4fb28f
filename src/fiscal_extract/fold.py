"""Fold full-width digits, letters and punctuation to ASCII, one character for one character.

Shared by the reader (the folded twin of a document) and the catalog (its titles and aliases are
matched folded), so it sits below both.  Imports nothing of the package."""

from __future__ import annotations

import re

# Full-width ASCII (U+FF01..U+FF5E) folds to ASCII, except the Chinese sentence punctuation
# that must keep separating numbers in running text: "，" "：" "；" stay as they are.
_KEEP = {"，", "：", "；"}
_FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F) if chr(cp) not in _KEEP}
_FOLD[0x3000] = 0x20  # ideographic space
_FOLD[0x00A0] = 0x20  # no-break space
_FOLD[0x2002] = 0x20
_FOLD[0x2003] = 0x20
_FOLD[0xFEFF] = 0x20  # stray BOM inside the text
_FOLDABLE = re.compile("[" + "".join(re.escape(chr(cp)) for cp in sorted(_FOLD)) + "]+")
"""Runs of characters that fold: most of a document has none, so only these runs are translated
(``str.translate`` with a dict is slow on non-ASCII text, a lookup miss per character)."""


def _fold_run(m: re.Match[str]) -> str:
    return m.group().translate(_FOLD)


def fold(text: str) -> str:
    """Fold full-width digits, letters and punctuation to ASCII, one char for one char."""
    return _FOLDABLE.sub(_fold_run, text)
