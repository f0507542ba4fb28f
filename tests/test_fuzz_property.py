"""The whole pipeline on damaged documents: a record or a clean FiscalExtractError, never anything else.

The damage is bench/fuzz.py's (cut short, bytes flipped, lines shuffled, huge figures, ragged
markdown and HTML tables with absurd spans or nested tables, superscripts and other Unicode
digits); hypothesis picks the sample, the damage and its seed, and shrinks a failure to the
smallest.  ``python bench/fuzz.py --n 10000`` runs the same damage at scale.
"""

from __future__ import annotations

import random

from bench.fuzz import MUTATIONS, SOURCES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fiscal_extract.errors import FiscalExtractError
from fiscal_extract.models import Disclosure
from fiscal_extract.pipeline import extract_bytes

SAMPLES = [p for p in SOURCES if p.parent.name == "samples"]
TEXTS = {p.name: p.read_text(encoding="utf-8") for p in SAMPLES}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
@given(
    name=st.sampled_from(sorted(TEXTS)),
    damage=st.lists(st.sampled_from(sorted(MUTATIONS)), min_size=1, max_size=3),
    seed=st.integers(0, 2**32 - 1),
)
def test_damaged_document_gives_a_record_or_a_clean_error(name: str, damage: list[str], seed: int) -> None:
    rng = random.Random(seed)
    text = TEXTS[name]
    for m in damage:
        text = MUTATIONS[m](text, rng)
    try:
        rec = extract_bytes(text.encode("utf-8", errors="surrogatepass"), path=name)
    except FiscalExtractError as e:
        assert str(e)  # a one-line reason for the user
        return
    assert isinstance(rec, Disclosure)
    rec.model_dump_json()  # the record serialises (a figure too long for JSON/SQL would fail here)
