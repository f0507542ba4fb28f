"""Issue 19's profile run: sample 000 with its titles and header words renamed, onboarded with a
model that answers right.  The accepted alias 日常运转 -> basic once also captured the banner
本年公共财政日常运转 of the table where that naming was rejected (its 合计 read as basic: field F1
0.958).  A profile's aliases match whole cells, so the onboarded profile now reads the sample as
the model meant it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from fiscal_extract.evaluate.run import load_gold
from fiscal_extract.evaluate.score import evaluate_pair
from fiscal_extract.options import ExtractOptions
from fiscal_extract.pipeline import extract_file

from ..conftest import GOLD, sample
from ..fake_openai import FakeOpenAI
from ..oracle_model import Oracle, renamed_sample


def test_the_onboarded_profile_reads_the_renamed_sample_whole(tmp_path: Path):
    renamed = renamed_sample(sample("000"), tmp_path / "renamed_000.txt")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FISCAL_LLM_", "OPENAI_"))}
    with FakeOpenAI(Oracle()) as fake:
        env.update(FISCAL_LLM_BASE_URL=fake.url, FISCAL_LLM_MODEL="oracle", OPENAI_API_KEY="sk-whole-0123456789",
                   FISCAL_LLM_CACHE_DIR=str(tmp_path / "cache"))
        run = subprocess.run([sys.executable, "-m", "fiscal_extract.cli", "onboard", str(renamed), "--profile", "p",
                              "--dir", str(tmp_path)], env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    profile = tmp_path / "p.toml"
    assert "日常运转" in profile.read_text(encoding="utf-8")
    gold = load_gold(GOLD / "000_0af22c00480e84fb.json")

    def f1(prof: Path) -> float:
        return evaluate_pair("p", gold, extract_file(renamed, ExtractOptions(profiles=(str(prof),)))).fields.f1

    # the same profile, its aliases matched inside longer cells as before
    within = tmp_path / "within.toml"
    within.write_text(profile.read_text(encoding="utf-8") + '\n[columns]\nmatch = "within"\n', encoding="utf-8")
    assert f1(within) < 0.97
    assert f1(profile) >= 0.995
