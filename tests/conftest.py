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


def planted_gold(folder: Path, prefix: str = "003") -> Path:
    """A copy of a sample's gold with one figure of a financial table changed (+1): a mismatch that
    stays whatever the extractor reads right, for tests of how mismatches are shown and linked.
    Returns the gold folder (holding only that sample's gold)."""
    import json

    src = GOLD / f"{sample(prefix).stem}.json"
    data = json.loads(src.read_text(encoding="utf-8"))
    for t in reversed(data["tables"]):  # (the last financial table: away from what tests click first)
        if t["kind"] not in FIN:
            continue
        for r in reversed(t["rows"]):
            for k, v in (r.get("values") or {}).items():
                if isinstance(v, (int, float)) and v:
                    r["values"][k] = v + 1
                    folder.mkdir(parents=True, exist_ok=True)
                    (folder / src.name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
                    return folder
    raise AssertionError(f"no figure to plant a mismatch in {src.name}")
