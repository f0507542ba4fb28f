"""The model path under faults, against misbehaving OpenAI-compatible servers on 127.0.0.1: an
empty but valid answer never removes what the rules read; model calls end by the document's and
the run's deadlines; the breaker stops calling a failing endpoint; attempt counts are true; the
configured key is masked whatever its shape, and a refused key stops the run's calls."""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path

import pytest

from fiscal_extract.errors import LLMError
from fiscal_extract.llm.client import LLMClient
from fiscal_extract.llm.schemas import LLMTable
from fiscal_extract.llm.settings import LLMSettings
from fiscal_extract.options import ExtractOptions
from fiscal_extract.pipeline import extract_file

from ..conftest import sample
from ..fake_openai import FakeOpenAI
from ..oracle_model import renamed_sample

CANARY = "canaryNOPREFIX98765"  # a key with no sk- prefix
EMPTY = {"json": {"kind": "other", "labels": []}}


@pytest.fixture(scope="module")
def renamed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return renamed_sample(sample("000"), tmp_path_factory.mktemp("faults") / "renamed_000.txt")


def _settings(fake: FakeOpenAI, tmp_path: Path, **kw: object) -> LLMSettings:
    base: dict[str, object] = {"base_url": fake.url, "api_key": CANARY, "model": "m", "timeout": 5.0,
                               "max_attempts": 2, "backoff": 0.01, "backoff_max": 0.02,
                               "cache_dir": tmp_path / "cache"}
    base.update(kw)
    return LLMSettings(**base)  # type: ignore[arg-type]


def _rows(record: object) -> list[int]:
    return [len(t.rows) for t in record.tables]  # type: ignore[attr-defined]


# ------------------------------------------------------------------- an empty, valid answer

@pytest.mark.parametrize("backend", ["llm", "hybrid"])
def test_an_empty_valid_answer_never_removes_what_the_rules_read(backend, renamed, tmp_path):
    path = sample("000") if backend == "llm" else renamed
    rules = extract_file(path)
    with FakeOpenAI(lambda body: EMPTY) as fake:
        rec = extract_file(path, ExtractOptions(backend=backend, llm=_settings(fake, tmp_path)))
        assert fake.requests, "the model was not asked: the test would show nothing"
    assert _rows(rec) == _rows(rules)
    assert [t.kind for t in rec.tables] == [t.kind for t in rules.tables]
    decided = [c for c in rec.checks if c.status != "skip"]
    assert len(decided) == len([c for c in rules.checks if c.status != "skip"])
    kept = [n for n in rec.notices if n.code == "llm_rejected" and "is not kept" in n.message]
    assert kept and all("left as the rules read it" in n.message for n in kept)


def test_a_better_model_reading_still_replaces_the_rules(tmp_path):
    """The guard compares readings; it does not refuse every model answer."""
    from fiscal_extract.catalog import load
    from fiscal_extract.llm.hybrid import worse
    from fiscal_extract.models import Row, Table

    cat = load()
    empty = Table(kind="other", title="x", rows=[])
    read = Table(kind="expenditure_overview", title="x", rows=[Row(name="合计", values={"total": 1})])
    assert worse(cat, empty, read) is None
    assert worse(cat, read, empty) is not None
    assert "loses the kind" in (worse(cat, read, Table(kind="other", title="x", rows=read.rows)) or "")


# ------------------------------------------------------------------- time bounds

def test_a_hanging_endpoint_ends_by_the_documents_deadline(renamed, tmp_path):
    with FakeOpenAI(lambda body: {"hang": 30, "then": EMPTY}) as fake:
        s = _settings(fake, tmp_path, timeout=60.0, max_attempts=4, max_seconds=180.0, doc_seconds=1.5)
        t0 = time.perf_counter()
        rec = extract_file(renamed, ExtractOptions(backend="hybrid", llm=s))
        took = time.perf_counter() - t0
        seen = len(fake.requests)
    assert took < 6.0, f"the document took {took:.1f} s with a 1.5 s deadline"
    failed = [n for n in rec.notices if n.code == "llm_failed"]
    assert failed and "deadline for model calls (1.5 s) passed" in failed[0].message
    assert f"after {seen} attempt" in failed[0].message  # the attempts the server saw
    assert _rows(rec) == _rows(extract_file(renamed))


def test_attempt_counts_in_notices_are_true(tmp_path):
    """max_seconds stops the retries before max_attempts: the message says what happened."""
    with FakeOpenAI(lambda body: {"status": 500, "headers": {"Retry-After": "0.4"}}) as fake:
        s = _settings(fake, tmp_path, max_attempts=4, max_seconds=0.3)
        with pytest.raises(LLMError) as err:
            LLMClient(s).structured("t", [{"role": "user", "content": "x"}], LLMTable, {})
        assert len(fake.requests) == 2
    assert "after 2 attempts" in str(err.value)


def test_the_breaker_stops_calling_a_failing_endpoint_for_the_run(renamed, tmp_path):
    with FakeOpenAI(lambda body: {"status": 500}) as fake:
        client = LLMClient(_settings(fake, tmp_path, breaker=3))
        first = extract_file(renamed, ExtractOptions(backend="hybrid"), client=client)
        assert len(fake.requests) == 3 * 2  # three calls of two attempts each, then no more
        second = extract_file(renamed, ExtractOptions(backend="hybrid"), client=client)
        assert len(fake.requests) == 6
    assert client.stopped and "3 calls in a row" in client.stopped
    assert any("no more model calls in this run" in n.message for n in first.notices if n.code == "llm_failed")
    left = [n for n in second.notices if n.code == "llm_unavailable"]
    assert left and all("not called" in n.message for n in left)
    assert _rows(second) == _rows(extract_file(renamed))


def test_the_runs_deadline_stops_every_later_call(tmp_path):
    from fiscal_extract.llm.faults import EndpointStopped

    with FakeOpenAI(lambda body: {"hang": 30}) as fake:
        client = LLMClient(_settings(fake, tmp_path, run_seconds=0.5, timeout=60.0, max_attempts=3))
        t0 = time.perf_counter()
        with pytest.raises(LLMError):
            client.structured("t", [{"role": "user", "content": "a"}], LLMTable, {})
        assert time.perf_counter() - t0 < 2.0
        with pytest.raises(EndpointStopped, match="run's deadline"):
            client.structured("t", [{"role": "user", "content": "b"}], LLMTable, {})
        assert len(fake.requests) == 1


def test_the_deadline_error_is_a_stop(tmp_path):
    from fiscal_extract.llm.faults import DeadlineExceeded, document_deadline

    with FakeOpenAI(lambda body: EMPTY) as fake:
        client = LLMClient(_settings(fake, tmp_path))
        with document_deadline(0.001):
            time.sleep(0.01)
            with pytest.raises(DeadlineExceeded):
                client.structured("t", [{"role": "user", "content": "a"}], LLMTable, {})
        assert fake.requests == []


# ------------------------------------------------------------------- secrets

def test_a_refused_key_of_any_shape_is_masked_and_stops_the_run(renamed, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    echo = {"status": 401, "body": {"error": {"message": f"Incorrect API key provided: {CANARY}",
                                              "type": "invalid_request_error", "code": "invalid_api_key"}}}
    with FakeOpenAI(lambda body: echo) as fake:
        client = LLMClient(_settings(fake, tmp_path))
        first = extract_file(renamed, ExtractOptions(backend="hybrid"), client=client)
        second = extract_file(renamed, ExtractOptions(backend="hybrid"), client=client)
        assert len(fake.requests) == 1  # the run's model calls stop at the first 401
        headers = {k.lower(): v for k, v in fake.requests[0]["headers"].items()}
        assert headers["authorization"] == f"Bearer {CANARY}"  # sent to the endpoint, nowhere else
    for rec in (first, second):
        assert CANARY not in rec.model_dump_json()
    failed = [n for n in first.notices if n.code == "llm_failed"]
    assert len(failed) == 1 and "authentication failed (HTTP 401)" in failed[0].message
    assert "re-ask" not in failed[0].message and "***" in failed[0].message
    assert all("authentication failed" in n.message for n in second.notices if n.code == "llm_unavailable")
    assert client.stopped and CANARY not in client.stopped
    assert all(CANARY not in r.getMessage() for r in caplog.records)
    blobs = b"".join(p.read_bytes() for p in (tmp_path / "cache").rglob("*") if p.is_file())
    assert CANARY.encode() not in blobs


def test_mask_covers_the_configured_key_and_authorization_values():
    from fiscal_extract.llm.faults import mask, register_secret

    register_secret("k3y.with/odd+chars==")
    text = ("key k3y.with/odd+chars== in a message; Authorization: Basic dXNlcjpwYXNz; "
            '{"authorization": "Token abc.def"}; headers Authorization=Bearer zzz')
    masked = mask(text)
    for secret in ("k3y.with/odd+chars==", "dXNlcjpwYXNz", "abc.def", "zzz"):
        assert secret not in masked, masked
    assert mask("nothing secret here") == "nothing secret here"
    register_secret("none")  # a placeholder for local servers is not masked everywhere
    assert mask("none of these") == "none of these"


def test_an_answer_echoing_the_key_is_masked_before_it_is_cached(tmp_path):
    answer = {"kind": "other", "unit": None, "rows": [{"name": f"x {CANARY}", "values": []}]}
    with FakeOpenAI(lambda body: {"json": answer}) as fake:
        client = LLMClient(_settings(fake, tmp_path))
        client.structured("t", [{"role": "user", "content": "x"}], LLMTable, {})
        client.close()
    blobs = b"".join(p.read_bytes() for p in (tmp_path / "cache").rglob("*") if p.is_file())
    assert blobs and CANARY.encode() not in blobs
    assert json.dumps(answer)  # the answer itself was valid
