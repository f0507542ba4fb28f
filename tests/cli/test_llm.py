"""The model options of the command line: hybrid by default when a model is configured, the
usage summary, the cache commands and the token budget."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ..conftest import sample
from ..fake_openai import FakeOpenAI
from ..onboard.test_onboard import _env, _run
from ..oracle_model import Oracle, renamed_sample


@pytest.fixture(scope="module")
def renamed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return renamed_sample(sample("000"), tmp_path_factory.mktemp("fmt") / "renamed_000.txt")


def test_hybrid_is_the_default_with_a_model_and_the_cache_commands_work(renamed, tmp_path):
    with FakeOpenAI(Oracle()) as fake:
        env = _env(fake.url, tmp_path)
        first = _run(["extract", str(renamed)], env, tmp_path)
        assert first.returncode == 0, first.stderr
        rec = json.loads(first.stdout)
        assert rec["extractor"]["backend"] == "hybrid"
        calls = len(fake.requests)
        assert calls == rec["extractor"]["llm"]["calls"] > 0
        m = re.search(r"(\d+) calls .* (\d+) tokens \((\d+) prompt \+ (\d+) completion\)", first.stderr)
        assert m and int(m.group(1)) == calls and int(m.group(2)) == 120 * calls

        stats = _run(["cache", "stats"], env, tmp_path)
        assert f"{calls} entries" in stats.stdout

        again = _run(["extract", str(renamed)], env, tmp_path)
        assert len(fake.requests) == calls, "a second identical run asked the model again"
        assert json.loads(again.stdout)["extractor"]["llm"]["cache_hits"] == calls

        nocache = _run(["extract", str(renamed), "--no-cache"], env, tmp_path)
        assert nocache.returncode == 0 and len(fake.requests) == 2 * calls

        cleared = _run(["cache", "clear"], env, tmp_path)
        assert f"removed {calls} entries" in cleared.stdout
        _run(["extract", str(renamed)], env, tmp_path)
        assert len(fake.requests) == 3 * calls

        rules = _run(["extract", str(renamed), "--backend", "rules"], env, tmp_path)
        assert len(fake.requests) == 3 * calls and json.loads(rules.stdout)["extractor"]["backend"] == "rules"


def test_token_budget_stops_calls_and_the_run_completes(renamed, tmp_path):
    with FakeOpenAI(Oracle()) as fake:
        out = _run(["extract", str(renamed), "--token-budget", "200", "--no-cache"], _env(fake.url, tmp_path), tmp_path)
        assert out.returncode == 0, out.stderr
        assert len(fake.requests) == 2  # 120 tokens each: the third call would pass the budget
    rec = json.loads(out.stdout)
    assert any(n["code"] == "llm_budget" for n in rec["notices"])
    assert len(rec["tables"]) == 14
