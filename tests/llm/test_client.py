"""The model client against a real OpenAI-compatible server on 127.0.0.1: retries, re-asks and
their messages, the cache, token accounting, the budget, and keeping the key secret."""

from __future__ import annotations

import asyncio
import json
import time
from decimal import Decimal
from pathlib import Path

import pytest

from fiscal_extract.catalog import load
from fiscal_extract.errors import LLMError
from fiscal_extract.llm.client import AsyncLLMClient, BudgetExhausted, LLMClient, ValidationFailed
from fiscal_extract.llm.schemas import LLMTable
from fiscal_extract.llm.settings import LLMSettings, load_settings
from tests.fake_openai import FakeOpenAI

KEY = "sk-test-SECRET0123456789abcdef"
MESSAGES = [{"role": "system", "content": "Read the table."}, {"role": "user", "content": "合计 | 105.0 | 100.0 | 5.0"}]

GOOD = {"kind": "expenditure_overview", "unit": "万元",
        "rows": [{"name": "合计", "role": "total",
                  "values": [{"key": "total", "value": "105.0"}, {"key": "basic", "value": "100.0"},
                             {"key": "project", "value": "5.0"}]}]}
# total = basic + project fails: the answer puts 100.0 under total and 105.0 under basic
ARITH_BAD = {"kind": "expenditure_overview", "unit": "万元",
             "rows": [{"name": "合计", "role": "total",
                       "values": [{"key": "total", "value": "100.0"}, {"key": "basic", "value": "105.0"},
                                  {"key": "project", "value": "5.0"}]}]}


def _ctx() -> dict[str, object]:
    cat = load()
    return {"keys": {"total", "basic", "project"}, "identities": cat.identities_for("expenditure_overview"),
            "text_compact": "合计|105.0|100.0|5.0"}


def _settings(fake: FakeOpenAI, tmp_path: Path, **kw: object) -> LLMSettings:
    base: dict[str, object] = {
        "base_url": fake.url, "api_key": KEY, "model": "fake-model", "timeout": 5.0, "max_attempts": 3,
        "max_seconds": 30.0, "backoff": 0.01, "backoff_max": 0.05, "cache_dir": tmp_path / "cache", "reasks": 2,
    }
    base.update(kw)
    return LLMSettings(**base)  # type: ignore[arg-type]


def _call(client: LLMClient) -> LLMTable:
    return client.structured("table_extract", MESSAGES, LLMTable, _ctx())


def _last_messages(fake: FakeOpenAI) -> str:
    return "\n".join(str(m.get("content")) for m in fake.requests[-1]["body"]["messages"])


def test_valid_answer_json_schema_mode(tmp_path):
    with FakeOpenAI() as fake:
        fake.script({"json": GOOD})
        client = LLMClient(_settings(fake, tmp_path))
        ans = _call(client)
        assert ans.rows[0].values[0].value == "105.0"
        body = fake.requests[0]["body"]
        assert body["model"] == "fake-model"
        assert body["response_format"]["type"] == "json_schema"  # loopback endpoint: constrained output
        assert body["temperature"] == 0.0
        assert client.usage.requests == 1 and client.usage.prompt_tokens == 100
        assert client.usage.completion_tokens == 20


def test_tools_mode_sends_a_tool(tmp_path):
    with FakeOpenAI() as fake:
        fake.script({"json": GOOD})
        client = LLMClient(_settings(fake, tmp_path, mode="tools"))
        assert _call(client).kind == "expenditure_overview"
        assert fake.requests[0]["body"]["tools"][0]["function"]["name"] == "LLMTable"


def test_429_honours_retry_after(tmp_path):
    with FakeOpenAI() as fake:
        fake.script({"status": 429, "headers": {"Retry-After": "1"}, "body": {"error": {"message": "slow down"}}},
                    {"json": GOOD})
        client = LLMClient(_settings(fake, tmp_path))
        t0 = time.perf_counter()
        assert _call(client).rows
        waited = time.perf_counter() - t0
        assert len(fake.requests) == 2
        assert waited >= 1.0, "the retry came before the server's Retry-After"
        assert waited < 5.0


def test_500_is_retried_then_gives_up(tmp_path):
    with FakeOpenAI() as fake:
        fake.script({"status": 500}, {"json": GOOD})
        client = LLMClient(_settings(fake, tmp_path))
        assert _call(client).rows and len(fake.requests) == 2
    with FakeOpenAI() as fake:
        fake.script(*[{"status": 503}] * 10)
        client = LLMClient(_settings(fake, tmp_path, use_cache=False))
        with pytest.raises(LLMError) as err:
            _call(client)
        assert len(fake.requests) == 3  # max_attempts
        assert "3 attempts" in str(err.value)


def test_total_time_is_bounded(tmp_path):
    with FakeOpenAI() as fake:
        fake.script(*[{"status": 500}] * 50)
        client = LLMClient(_settings(fake, tmp_path, max_attempts=50, backoff=0.2, backoff_max=0.2,
                                     max_seconds=1.0))
        t0 = time.perf_counter()
        with pytest.raises(LLMError):
            _call(client)
        assert time.perf_counter() - t0 < 3.0
        assert 2 <= len(fake.requests) < 50


def test_hang_past_the_timeout_is_retried(tmp_path):
    with FakeOpenAI() as fake:
        fake.script({"hang": 3.0, "then": {"json": GOOD}}, {"json": GOOD})
        client = LLMClient(_settings(fake, tmp_path, timeout=0.5))
        t0 = time.perf_counter()
        assert _call(client).rows
        assert len(fake.requests) == 2
        assert time.perf_counter() - t0 < 2.5, "the client waited for the hung request"


def test_malformed_json_is_reasked(tmp_path):
    with FakeOpenAI() as fake:
        fake.script({"content": '{"kind": "expenditure_overview", "rows": [{"name": '}, {"json": GOOD})
        client = LLMClient(_settings(fake, tmp_path))
        assert _call(client).rows
        assert len(fake.requests) == 2
        assert "json" in _last_messages(fake).lower()
        assert client.usage.requests == 2 and client.usage.prompt_tokens == 200  # the failed attempt counts


def test_schema_invalid_answer_is_reasked_with_the_pydantic_error(tmp_path):
    bad = {"kind": "no_such_kind", "rows": [{"name": "合计", "values": [{"key": "colour", "value": "105.0"}]}]}
    with FakeOpenAI() as fake:
        fake.script({"json": bad}, {"json": GOOD})
        client = LLMClient(_settings(fake, tmp_path))
        assert _call(client).kind == "expenditure_overview"
        assert len(fake.requests) == 2
        reask = _last_messages(fake)
        assert "no_such_kind" in reask  # the pydantic error names the bad value
        assert "kind" in reask
        assert client.usage.completion_tokens == 40


def test_arithmetic_failure_is_reasked_with_row_expected_and_got(tmp_path):
    with FakeOpenAI() as fake:
        fake.script({"json": ARITH_BAD}, {"json": GOOD})
        client = LLMClient(_settings(fake, tmp_path))
        ans = _call(client)
        assert {kv.key: kv.value for kv in ans.rows[0].values}["total"] == "105.0"
        reask = _last_messages(fake)
        assert "row '合计'" in reask
        assert "total = basic + project" in reask
        assert "expected 110.0, got 100.0" in reask


def test_figure_not_printed_is_reasked(tmp_path):
    invented = json.loads(json.dumps(GOOD))
    invented["rows"][0]["values"][2]["value"] = "5.00"
    with FakeOpenAI() as fake:
        fake.script({"json": invented}, {"json": GOOD})
        client = LLMClient(_settings(fake, tmp_path))
        assert _call(client).rows
        assert "'5.00' is not printed in the segment" in _last_messages(fake)


def test_reasks_are_bounded(tmp_path):
    with FakeOpenAI() as fake:
        fake.script(*[{"json": ARITH_BAD}] * 5)
        client = LLMClient(_settings(fake, tmp_path, reasks=2))
        with pytest.raises(ValidationFailed) as err:
            _call(client)
        assert len(fake.requests) == 3  # the first answer and two re-asks
        assert "expected 110.0" in str(err.value)
        assert KEY not in str(err.value)


def test_cache_second_identical_run_makes_no_request(tmp_path):
    with FakeOpenAI() as fake:
        fake.script({"json": GOOD}, {"json": GOOD}, {"json": GOOD}, {"json": GOOD})
        s = _settings(fake, tmp_path)
        first = LLMClient(s)
        a = _call(first)
        first.close()
        second = LLMClient(s)  # a new process would open the same directory
        b = _call(second)
        assert a.model_dump() == b.model_dump()
        assert len(fake.requests) == 1
        assert second.usage.cache_hits == 1 and second.usage.requests == 0
        # another model, another prompt, another sampling: never an old entry
        _call(LLMClient(_settings(fake, tmp_path, model="other-model")))
        assert len(fake.requests) == 2
        edited = [*MESSAGES[:1], {"role": "user", "content": "合计 | 105.0 | 100.0 | 5.0 "}]
        LLMClient(s).structured("table_extract", edited, LLMTable, _ctx())
        assert len(fake.requests) == 3
        _call(LLMClient(_settings(fake, tmp_path, temperature=0.3)))
        assert len(fake.requests) == 4
        # --no-cache
        fake.script({"json": GOOD})
        _call(LLMClient(_settings(fake, tmp_path, use_cache=False)))
        assert len(fake.requests) == 5


def test_key_never_reaches_cache_or_errors(tmp_path):
    with FakeOpenAI() as fake:
        fake.script({"json": GOOD}, *[{"status": 500, "body": {"error": {"message": f"bad key {KEY}"}}}] * 3)
        s = _settings(fake, tmp_path)
        _call(LLMClient(s))
        headers = {k.lower(): v for k, v in fake.requests[0]["headers"].items()}
        assert headers["authorization"] == f"Bearer {KEY}"  # sent to the endpoint, nowhere else
        with pytest.raises(LLMError) as err:
            LLMClient(_settings(fake, tmp_path, use_cache=False, model="m2")).structured(
                "x", MESSAGES, LLMTable, _ctx())
        assert KEY not in str(err.value) and "bad key ***" in str(err.value)
        assert KEY not in repr(s) and KEY not in s.describe()
    blobs = b"".join(p.read_bytes() for p in (tmp_path / "cache").rglob("*") if p.is_file())
    assert blobs and KEY.encode() not in blobs


def test_token_budget_stops_new_calls(tmp_path):
    with FakeOpenAI() as fake:
        fake.script({"json": GOOD}, {"json": GOOD})
        client = LLMClient(_settings(fake, tmp_path, token_budget=100))
        _call(client)
        assert client.usage.tokens == 120
        with pytest.raises(BudgetExhausted):
            client.structured("table_extract", [*MESSAGES, {"role": "user", "content": "again"}], LLMTable, _ctx())
        assert len(fake.requests) == 1
        assert _call(client).rows  # a cached answer costs nothing and is still served


def test_async_client_bounds_concurrency(tmp_path):
    with FakeOpenAI() as fake:
        fake.responder = lambda body: {"hang": 0.3, "then": {"json": GOOD}}
        client = AsyncLLMClient(_settings(fake, tmp_path, concurrency=2))

        async def run() -> list[LLMTable]:
            calls = [client.structured("t", [*MESSAGES, {"role": "user", "content": f"n{i}"}], LLMTable, _ctx())
                     for i in range(4)]
            return await asyncio.gather(*calls)

        t0 = time.perf_counter()
        out = asyncio.run(run())
        took = time.perf_counter() - t0
        assert len(out) == 4 and all(o.rows for o in out)
        assert len(fake.requests) == 4 and client.usage.calls == 4
        assert took >= 0.55, "more than two calls were in flight at once"


def test_settings_from_env_and_config(tmp_path, monkeypatch):
    cfg = tmp_path / "llm.toml"
    cfg.write_text('[llm]\nmodel = "from-file"\nbase_url = "http://127.0.0.1:9/v1"\ntimeout = 7\n', encoding="utf-8")
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setenv("FISCAL_LLM_MODEL", "from-env")
    s = load_settings(cfg)
    assert s.model == "from-env" and s.timeout == 7 and s.base_url == "http://127.0.0.1:9/v1"
    assert s.api_key is not None and s.api_key.get_secret_value() == KEY
    assert s.resolved_mode() == "json_schema"
    assert load_settings(cfg, model="cli").model == "cli"
    monkeypatch.setenv("FISCAL_LLM_BASE_URL", "https://api.deepseek.com/v1")
    assert load_settings().resolved_mode() == "tools"
    assert LLMSettings(mode="json").resolved_mode() == "json"


def test_unreachable_endpoint_fails_cleanly(tmp_path):
    s = LLMSettings(base_url="http://127.0.0.1:9/v1", api_key=KEY, model="m", timeout=1.0, max_attempts=2,
                    backoff=0.01, backoff_max=0.02, cache_dir=tmp_path / "c")
    with pytest.raises(LLMError) as err:
        _call(LLMClient(s))
    assert "APIConnectionError" in str(err.value)


def test_decimal_figures_exact():
    from fiscal_extract.llm.schemas import _num

    assert _num("1,265.6") == Decimal("1265.6")
    assert _num("447. 48") == Decimal("447.48")


def test_key_never_reaches_logs(tmp_path, caplog):
    import logging

    caplog.set_level(logging.DEBUG)
    logging.getLogger("instructor").setLevel(logging.DEBUG)  # even when a user turns logging up
    try:
        with FakeOpenAI() as fake:
            fake.script(*[{"status": 500, "body": {"error": {"message": f"bad key {KEY}"}}}] * 3)
            with pytest.raises(LLMError):
                _call(LLMClient(_settings(fake, tmp_path, use_cache=False)))
    finally:
        logging.getLogger("instructor").setLevel(logging.CRITICAL)
    assert caplog.records, "nothing was logged: the test would not see a leak"
    assert all(KEY not in r.getMessage() for r in caplog.records)


def test_auto_mode_falls_back_to_tools_when_json_schema_is_refused(tmp_path):
    """llama-cpp-python's server refuses response_format json_schema (it constrains tool calls)."""

    def server(body: dict) -> dict:
        if (body.get("response_format") or {}).get("type") == "json_schema":
            return {"status": 500, "body": {"error": {"message": "1 validation error: ('body', 'response_format', "
                                                     "'type'): Input should be 'text' or 'json_object'"}}}
        return {"json": GOOD}

    with FakeOpenAI(server) as fake:
        client = LLMClient(_settings(fake, tmp_path))
        assert client.mode == "json_schema"
        assert _call(client).rows
        assert client.mode == "tools"
        assert len(fake.requests) == 2  # the refusal is not retried as a transport error
        assert fake.requests[1]["body"]["tools"]
    # an explicit mode is the user's choice: no fallback
    with FakeOpenAI(server) as fake, pytest.raises(LLMError):
        _call(LLMClient(_settings(fake, tmp_path, mode="json_schema", use_cache=False)))
