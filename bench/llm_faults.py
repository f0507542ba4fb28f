"""The model path against an endpoint that accepts connections and never answers.

    python bench/llm_faults.py                    # the defaults: 120 s per document, breaker after 5
    python bench/llm_faults.py --doc-seconds 10   # quicker, same shape

Two figures:

1. one document (sample 000 rendered in a format the catalog does not know, so the hybrid
   backend needs the model) with the default settings -- 60 s per request, 4 attempts, 180 s per
   call -- finishes within its per-document deadline (``doc_seconds``, default 120 s) instead of
   the 30-45 minutes its 10+ calls would take, with every table the rules read kept;
2. a batch of 20 such documents (``llm.concurrency`` at a time sharing one client) stops calling
   the endpoint once the breaker opens (``breaker`` failed calls in a row, default 5): the
   documents started after that make no request and are left to the rules, marked ``partial``.

Everything runs against a scripted server on 127.0.0.1 (``tests/fake_openai.py``); nothing is
downloaded and no key is real.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import sample  # noqa: E402
from tests.fake_openai import FakeOpenAI  # noqa: E402
from tests.oracle_model import renamed_sample  # noqa: E402


class Hang:
    """Accept every request and never answer (within the run); note when each arrived."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.times: list[float] = []
        self._lock = threading.Lock()

    def __call__(self, body: dict) -> dict:
        with self._lock:
            self.times.append(time.monotonic())
        return {"hang": self.seconds, "then": {"json": {}}}


def main() -> None:
    from fiscal_extract.batch.engine import BatchOptions, run_batch
    from fiscal_extract.llm.settings import LLMSettings
    from fiscal_extract.options import ExtractOptions
    from fiscal_extract.pipeline import extract_file

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    defaults = LLMSettings()
    ap.add_argument("--doc-seconds", type=float, default=defaults.doc_seconds)
    ap.add_argument("--breaker", type=int, default=defaults.breaker)
    ap.add_argument("--documents", type=int, default=20)
    ap.add_argument("--concurrency", type=int, default=defaults.concurrency)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="llm_faults_"))
    doc = renamed_sample(sample("000"), tmp / "renamed.txt")
    rules = extract_file(doc)
    hang_for = 3 * 3600.0  # longer than any bound under test
    print(f"settings: timeout {defaults.timeout:g} s per request, {defaults.max_attempts} attempts, "
          f"{defaults.max_seconds:g} s per call, deadline {args.doc_seconds:g} s per document, breaker after "
          f"{args.breaker} failed calls in a row, {args.concurrency} documents at a time")

    # 1. one document
    hang = Hang(hang_for)
    with FakeOpenAI(hang) as fake:
        s = LLMSettings(base_url=fake.url, api_key="bench-key-0123456789", model="m", use_cache=False,
                        doc_seconds=args.doc_seconds, breaker=args.breaker)
        t0 = time.perf_counter()
        rec = extract_file(doc, ExtractOptions(backend="hybrid", llm=s))
        took = time.perf_counter() - t0
        sent = len(fake.requests)
    kept = [len(t.rows) for t in rec.tables] == [len(t.rows) for t in rules.tables]
    failed = [n.message for n in rec.notices if n.code == "llm_failed"]
    model_s = rec.extractor["llm"]["seconds"]
    print(json.dumps({"phase": "one document", "seconds": round(took, 1), "model_call_seconds": round(model_s, 1),
                      "deadline": args.doc_seconds, "within_deadline": model_s <= args.doc_seconds + 1,
                      "requests_sent": sent,
                      "rules_rows_kept": kept, "llm_failed_notices": len(failed),
                      "notice": failed[0][:160] if failed else None}, ensure_ascii=False))

    # 2. a batch of documents
    arch = tmp / "archive"
    arch.mkdir()
    text = doc.read_text(encoding="utf-8")
    for i in range(args.documents):
        (arch / f"doc{i:02d}.txt").write_text(text + f"\n附注 {i}\n", encoding="utf-8")
    hang = Hang(hang_for)
    with FakeOpenAI(hang) as fake:
        s = LLMSettings(base_url=fake.url, api_key="bench-key-0123456789", model="m", use_cache=False,
                        doc_seconds=args.doc_seconds, breaker=args.breaker, concurrency=args.concurrency)
        opts = BatchOptions(extract=ExtractOptions(backend="hybrid", llm=s), exports=())
        t0 = time.perf_counter()
        summary = run_batch(arch, tmp / "out", opts)
        took = time.perf_counter() - t0
        sent = len(fake.requests)
        first, last = (hang.times[0] - hang.times[0], hang.times[-1] - hang.times[0]) if hang.times else (0, 0)
    not_called = 0
    for p in sorted((tmp / "out" / "records").glob("*.json")):
        r = json.loads(p.read_text(encoding="utf-8"))
        if any(n["code"] == "llm_unavailable" and "not called" in n["message"] for n in r["notices"]):
            not_called += 1
    print(json.dumps({"phase": f"batch of {args.documents}", "seconds": round(took, 1),
                      "partial": summary.partial, "ok": summary.ok, "failed": summary.failed,
                      "requests_sent": sent, "last_request_at_s": round(last - first, 1),
                      "documents_left_to_rules_without_a_call": not_called,
                      "without_breaker_estimate_s": round(args.documents / args.concurrency * args.doc_seconds, 1)},
                     ensure_ascii=False))


if __name__ == "__main__":
    main()
