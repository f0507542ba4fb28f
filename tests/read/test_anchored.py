import random
import re

import pytest

from fiscal_extract.catalog import load
from fiscal_extract.read.anchored import Anchored
from fiscal_extract.text.narrative import _patterns

PATTERNS = [
    r"(?<!上年)收入总计(?:为|是)?(?P<v>\d+)万元",
    r"(?:本年)?收入合计(?:为)?(?P<v>\d+)",
    r"(?P<subject>[^\d，。]{2,16}?)\(类\)(?P<v>\d+)",
    r"[\"“”]?三公[\"“”]?经费(?P<v>\d*)",
    r"(?:ab|a)ab",
    r"a*b",  # no bounded lead: run plainly
    r"(?i)abc",
    r"x?aa",
]


def _random_text(rng: random.Random, n: int) -> str:
    alphabet = "ab收入总计合计本年上年为是1234万元(类)，。三公经费“”x\n"
    return "".join(rng.choice(alphabet) for _ in range(n))


@pytest.mark.parametrize("pattern", PATTERNS)
def test_yields_exactly_what_finditer_yields(pattern: str) -> None:
    rng = random.Random(pattern)
    anchored = Anchored.compile(pattern)
    for _ in range(300):
        text = _random_text(rng, rng.randint(0, 80))
        want = [(m.span(), m.groupdict()) for m in re.finditer(pattern, text)]
        assert [(m.span(), m.groupdict()) for m in anchored.finditer(text)] == want


def test_anchors_are_found_for_the_catalog_patterns() -> None:
    pats = _patterns(load())
    anchored = [p for p, _ in pats.facts if p.literal]
    assert len(anchored) >= len(pats.facts) // 2
    assert Anchored.compile(r"(?<!上年)收入总计").literal == "收入总计"
    assert Anchored.compile(r"(?:本年)?收入合计").lead_max == 2
    assert Anchored.compile(r"(?i)abc").literal is None
    assert Anchored.compile(r"a*b").literal is None
