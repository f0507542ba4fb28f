from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from fiscal_extract.models import FINANCIAL_KINDS, Disclosure
from fiscal_extract.pipeline import extract_file

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "eval" / "samples"
GOLD = ROOT / "eval" / "gold"
SAMPLE_FILES = sorted(SAMPLES.glob("*.txt"))
SAMPLE_IDS = [p.name[:3] for p in SAMPLE_FILES]
FIN = list(FINANCIAL_KINDS)


def sample(prefix: str) -> Path:
    return next(p for p in SAMPLE_FILES if p.name.startswith(prefix))


@cache
def extracted(prefix: str) -> Disclosure:
    return extract_file(sample(prefix))


@pytest.fixture(params=SAMPLE_IDS)
def sample_id(request: pytest.FixtureRequest) -> str:
    return request.param
