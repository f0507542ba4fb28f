"""A document whose model calls failed in an outage is ``partial`` in the manifest and the summary,
and the next run redoes it -- making only the calls that failed (the cache keeps the rest)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from fiscal_extract.batch.engine import BatchOptions, run_batch
from fiscal_extract.batch.manifest import Manifest
from fiscal_extract.llm.settings import LLMSettings
from fiscal_extract.options import ExtractOptions

from ..conftest import sample
from ..fake_openai import FakeOpenAI
from ..oracle_model import Oracle, renamed_sample, user_text

OUTAGE = "总览"
"""Calls whose text names this table fail (HTTP 500) during the outage."""


class Outage:
    def __init__(self) -> None:
        self.oracle = Oracle()
        self.down = True

    def __call__(self, body: dict[str, Any]) -> dict[str, Any]:
        if self.down and OUTAGE in user_text(body):
            return {"status": 500, "body": {"error": {"message": "upstream unavailable"}}}
        return self.oracle(body)  # type: ignore[no-any-return]


def _codes(out: Path, name: str) -> list[str]:
    rec = json.loads((out / "records" / f"{name}.txt.json").read_text(encoding="utf-8"))
    return [n["code"] for n in rec["notices"]]


def test_a_document_degraded_by_an_outage_is_partial_and_redone(tmp_path):
    arch, out = tmp_path / "arch", tmp_path / "out"
    arch.mkdir()
    renamed_sample(sample("000"), arch / "renamed.txt")  # needs the model
    shutil.copy(sample("000"), arch / "known.txt")  # the rules read it all: no model call
    server = Outage()
    with FakeOpenAI(server) as fake:
        settings = LLMSettings(base_url=fake.url, api_key="sk-test", model="oracle", timeout=5.0, max_attempts=2,
                               backoff=0.01, backoff_max=0.02, cache_dir=tmp_path / "cache", concurrency=1)
        opts = BatchOptions(extract=ExtractOptions(backend="hybrid", llm=settings), exports=())
        first = run_batch(arch, out, opts)
        failed_calls = _codes(out, "renamed").count("llm_failed")
        assert failed_calls >= 1
        assert (first.ok, first.partial, first.failed) == (1, 1, 0)
        assert first.records == 2  # a partial record is written (and exported) all the same
        m = Manifest.open(out)
        assert m.get("renamed.txt").status == "partial" and m.get("known.txt").status == "ok"
        m.close()
        asked = len(fake.requests)

        server.down = False  # the endpoint is back
        second = run_batch(arch, out, opts)
        assert (second.ok, second.partial, second.skipped) == (1, 0, 1)
        redone = fake.requests[asked:]
        assert len(redone) == failed_calls  # only the failed calls: the cache answers the rest
        assert all(OUTAGE in user_text(r["body"]) for r in redone)
        assert "llm_failed" not in _codes(out, "renamed")
        m = Manifest.open(out)
        assert m.get("renamed.txt").status == "ok"
        m.close()

        third = run_batch(arch, out, opts)
        assert third.skipped == 2 and len(fake.requests) == asked + len(redone)
