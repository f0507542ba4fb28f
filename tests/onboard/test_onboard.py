"""Onboarding a format the catalog does not know: the model sees headers only, the checks keep
or reject its naming, and the written profile then extracts the format with no model at all."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from fiscal_extract.evaluate.run import load_gold
from fiscal_extract.evaluate.score import evaluate_pair

from ..conftest import GOLD, ROOT, sample
from ..fake_openai import FakeOpenAI
from ..oracle_model import Oracle, renamed_sample, task_of, user_text

CLI = [sys.executable, "-m", "fiscal_extract.cli"]


@pytest.fixture(scope="module")
def renamed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return renamed_sample(sample("000"), tmp_path_factory.mktemp("fmt") / "renamed_000.txt")


def _env(url: str | None, tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FISCAL_LLM_", "OPENAI_"))}
    if url:
        env.update(FISCAL_LLM_BASE_URL=url, FISCAL_LLM_MODEL="oracle", OPENAI_API_KEY="sk-onboard-0123456789")
    env["FISCAL_LLM_CACHE_DIR"] = str(tmp / "cache")
    return env


def _run(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=300)


def _onboard(renamed: Path, tmp: Path, oracle: Any) -> tuple[subprocess.CompletedProcess[str], list[dict[str, Any]]]:
    with FakeOpenAI(oracle) as fake:
        out = _run(["onboard", str(renamed), "--profile", "newfmt", "--dir", str(tmp / "profiles"),
                    "--review", str(tmp / "review.html")],
                   _env(fake.url, tmp), tmp)
        return out, fake.requests


def test_onboard_writes_a_profile_that_then_works_offline(renamed, tmp_path):
    out, requests = _onboard(renamed, tmp_path, Oracle())
    assert out.returncode == 0, out.stderr
    profile = tmp_path / "profiles" / "newfmt.toml"
    text = profile.read_text(encoding="utf-8")
    assert '"预算支出明细"' in text and 'labels = ["日常运转"]' in text  # titles as the catalog compares them
    assert "accepted" in out.stdout and "mapped" in out.stdout
    # the review page of the sample under the new profile carries the coverage report
    page = (tmp_path / "review.html").read_text(encoding="utf-8")
    assert 'data-tab="coverage"' in page and "newfmt.toml" in page and "Namings tried" in page
    assert "tokens" in out.stderr and "sk-onboard" not in out.stderr + out.stdout
    # the model saw titles, headers and a few rows of the unknown tables: never the document
    assert {task_of(r["body"]) for r in requests} == {"TableClassification"}
    doc = renamed.read_text(encoding="utf-8")
    assert all("与2023年预算相比" not in user_text(r["body"]) and len(user_text(r["body"])) < len(doc) / 10
               for r in requests)

    # afterwards: rules only, the profile by name, no model configured, no server running
    ext = _run(["extract", str(renamed), "--backend", "rules", "--profile", "newfmt"],
               {**_env(None, tmp_path), "FISCAL_PROFILES_DIR": str(tmp_path / "profiles")}, tmp_path)
    assert ext.returncode == 0, ext.stderr
    rec = json.loads(ext.stdout)
    assert rec["extractor"]["backend"] == "rules" and "llm" not in rec["extractor"]
    assert not [n for n in rec["notices"] if n["code"].startswith("llm_")]
    gold = load_gold(GOLD / "000_0af22c00480e84fb.json")
    plain = _run(["extract", str(renamed), "--backend", "rules"], _env(None, tmp_path), tmp_path)
    f1_plain = evaluate_pair("plain", gold, json.loads(plain.stdout)).fields.f1
    f1_profile = evaluate_pair("profile", gold, rec).fields.f1
    assert f1_plain < 0.85 and f1_profile >= 0.95, (f1_plain, f1_profile)


class SwappingOracle(Oracle):
    """A model that confuses the two spending groups: 日常运转 (basic) read as project and back."""

    def classify(self, text: str) -> dict[str, Any]:
        ans = super().classify(text)
        swap = {"basic": "project", "project": "basic"}
        for lab in ans["labels"]:
            lab["key"] = swap.get(lab["key"], lab["key"])
        return ans


def test_a_wrong_mapping_is_rejected_by_the_checks(renamed, tmp_path):
    out, _ = _onboard(renamed, tmp_path, SwappingOracle())
    text = (tmp_path / "profiles" / "newfmt.toml").read_text(encoding="utf-8")
    assert 'labels = ["日常运转"]' not in text and 'labels = ["专项业务"]' not in text  # never written
    assert "rejected" in out.stdout and "its checks fail" in out.stdout
    assert '数额' in text  # the right part of the answer is kept


def test_onboard_with_nothing_to_learn_exits_non_zero_and_writes_nothing(tmp_path):
    out = _run(["onboard", str(sample("003")), "--profile", "x", "--dir", str(tmp_path)], _env(None, tmp_path), ROOT)
    assert out.returncode == 1, out.stdout + out.stderr
    assert "nothing useful" in out.stderr and "no profile written" in out.stderr
    assert not (tmp_path / "x.toml").exists()
