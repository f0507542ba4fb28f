"""``finditer`` for patterns that hold a fixed word, without trying the pattern at every position.

Python's regex engine skips ahead quickly only when a pattern *starts* with literal text.  The
catalog's narrative patterns often start with an optional word or a look-behind
(``(?:本年)?收入合计``, ``(?<!上年)收入总计``, ``(?P<subject>...{2,16}?)\\(类\\)``), so the engine
tries them at every character of the document.  Each of them, though, holds a literal word
(``收入合计``, ``(类)``) a bounded distance after the start of any match.  :class:`Anchored`
finds that word with ``str.find`` and tries the pattern only at the few starts that could put
the word there -- in increasing order and resuming after each match, so it yields exactly the
matches ``pattern.finditer`` yields.

A pattern without such a word (or with a case-insensitive one) is simply run with ``finditer``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

try:  # the parser behind ``re.compile``; private, so its absence only costs speed
    from re import _constants as _sre_constants
    from re import _parser as _sre_parser
except ImportError:  # pragma: no cover - other Python versions
    _sre_parser = None  # type: ignore[assignment]

_MAX_LEAD = 64
"""Patterns whose literal may stand further than this from the match start are run plainly."""


@dataclass(frozen=True)
class Anchored:
    pattern: re.Pattern[str]
    literal: str | None = None
    """A word every match holds, starting between ``lead_min`` and ``lead_max`` characters after
    the match start; ``None`` when the pattern has none (then it is run with ``finditer``)."""
    lead_min: int = 0
    lead_max: int = 0

    @classmethod
    def compile(cls, pattern: str) -> Anchored:
        compiled = re.compile(pattern)
        anchor = _anchor(compiled)
        if anchor is None:
            return cls(compiled)
        return cls(compiled, *anchor)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """The matches of ``pattern.finditer(text)``, in order."""
        literal = self.literal
        if literal is None:
            yield from self.pattern.finditer(text)
            return
        match = self.pattern.match
        find = text.find
        lead_min, lead_max = self.lead_min, self.lead_max
        resume = 0  # no match starts before this (tried already, or inside the last match)
        at = find(literal)
        while at != -1:
            start = max(resume, at - lead_max)
            last = at - lead_min
            while start <= last:
                m = match(text, start)
                if m is not None:
                    yield m
                    resume = m.end()
                    break
                start += 1
            else:
                resume = max(resume, last + 1)
            at = find(literal, at + 1)


def _anchor(pattern: re.Pattern[str]) -> tuple[str, int, int] | None:
    """``(word, lead_min, lead_max)``: the first literal run among the pattern's top-level items
    and the width range of the items before it; ``None`` if there is no usable one."""
    if _sre_parser is None or pattern.flags & re.IGNORECASE or not pattern.pattern:
        return None
    parsed = _sre_parser.parse(pattern.pattern, pattern.flags)  # re.compile accepted it
    if parsed.state.flags & re.IGNORECASE:  # an inline (?i)
        return None
    literal_op = _sre_constants.LITERAL
    lead_min = lead_max = 0
    items = list(parsed.data)
    for k, (op, av) in enumerate(items):
        if op is literal_op:
            word = []
            for op2, av2 in items[k:]:
                if op2 is not literal_op:
                    break
                word.append(chr(av2))
            return "".join(word), lead_min, lead_max
        lo, hi = _sre_parser.SubPattern(parsed.state, [(op, av)]).getwidth()
        lead_min += lo
        lead_max += hi
        if lead_max > _MAX_LEAD:
            return None
    return None
