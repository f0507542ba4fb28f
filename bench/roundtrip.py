"""Round trip: each sample printed to PDF (headless Chromium), read back by pdfminer.six, pypdf and
pypdfium2, extracted, and scored against the sample's hand-labelled gold.

    python bench/roundtrip.py [--out bench/out/roundtrip] [--layouts default,plain,...]
                              [--samples GLOB] [--jobs N] [--json FILE] [--mismatches N]

The texts go to ``OUT/<layout>/<stem>.<lib>.txt`` (beside the ``.html`` and ``.pdf``), cached by
the hash of the HTML, so a rerun only extracts and scores.  The extraction of ``<stem>.<lib>.txt``
is compared with the gold ``eval/gold/<stem>.json`` (the eval CLI pairs files by name, so the
pairing is done here, with the project's own scoring function).  The table is, per sample and
library: field F1 / the share of gold figures found (recall) / gold tables found; the ``sample``
column is the sample's own OCR text, for reference.  Layouts: ``tests.roundtrip.LAYOUTS``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.roundtrip import LAYOUTS, LIBRARIES, roundtrip_texts  # noqa: E402

DEFAULT_OUT = Path(__file__).resolve().parent / "out" / "roundtrip"


def _fx() -> SimpleNamespace:
    """Every import of fiscal_extract in this script (the modules may move to stage packages)."""
    from fiscal_extract.catalog import load
    from fiscal_extract.errors import FiscalExtractError
    from fiscal_extract.evaluate.run import load_gold
    from fiscal_extract.evaluate.score import evaluate_pair
    from fiscal_extract.pipeline import extract_file

    return SimpleNamespace(
        load=load,
        FiscalExtractError=FiscalExtractError,
        evaluate_pair=evaluate_pair,
        load_gold=load_gold,
        extract_file=extract_file,
    )


def _generate(job: tuple[str, str, str]) -> tuple[str, str, float]:
    sample, workdir, layout = job
    t0 = time.perf_counter()
    roundtrip_texts(Path(sample), Path(workdir), LAYOUTS[layout])
    return layout, Path(sample).stem, time.perf_counter() - t0


def _score(fx: SimpleNamespace, cat: Any, stem: str, text: Path, gold: dict[str, Any]) -> dict[str, Any]:
    t0 = time.perf_counter()
    error = None
    try:
        pred: Any = fx.extract_file(text)
    except fx.FiscalExtractError as exc:
        pred, error = {"tables": []}, f"{type(exc).__name__}: {exc}"
    ms = (time.perf_counter() - t0) * 1000
    res = fx.evaluate_pair(stem, gold, pred, cat)
    tables = [0, 0]
    for c in res.tables.values():
        tables[0] += c.tp
        tables[1] += c.tp + c.fn
    return {
        "f1": round(res.fields.f1, 4),
        "recall": round(res.fields.recall, 4),
        "precision": round(res.fields.precision, 4),
        "tp": res.fields.tp,
        "fn": res.fields.fn,
        "fp": res.fields.fp,
        "tables_found": tables[0],
        "tables_gold": tables[1],
        "extract_ms": round(ms, 1),
        "error": error,
        "mismatches": [m.as_dict() for m in res.mismatches],
    }


def _cell(r: dict[str, Any]) -> str:
    return f"{r['f1']:.2f}/{r['recall']:.2f}/{r['tables_found']}of{r['tables_gold']}" + ("!" if r["error"] else "")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder of the generated texts")
    ap.add_argument("--layouts", default="default", help=f"comma-separated, of: {', '.join(LAYOUTS)} (or 'all')")
    ap.add_argument("--samples", default="eval/samples/*.txt", help="glob, relative to the repository")
    ap.add_argument("--gold", type=Path, default=ROOT / "eval" / "gold")
    ap.add_argument("--jobs", type=int, default=2, help="samples printed in parallel")
    ap.add_argument("--json", type=Path, help="write every score (with its mismatches) here")
    ap.add_argument("--mismatches", type=int, default=0, help="print the first N mismatches per text")
    args = ap.parse_args()

    layouts = list(LAYOUTS) if args.layouts == "all" else [s.strip() for s in args.layouts.split(",") if s.strip()]
    unknown = [name for name in layouts if name not in LAYOUTS]
    if unknown:
        ap.error(f"unknown layout(s): {', '.join(unknown)}")
    samples = sorted(ROOT.glob(args.samples))
    if not samples:
        ap.error(f"no samples match {args.samples}")

    jobs = [(str(s), str(args.out / lay), lay) for lay in layouts for s in samples]
    t0 = time.perf_counter()
    gen: dict[tuple[str, str], float] = {}
    if args.jobs > 1:
        with ProcessPoolExecutor(args.jobs) as pool:
            for lay, stem, secs in pool.map(_generate, jobs):
                gen[(lay, stem)] = secs
    else:
        for job in jobs:
            lay, stem, secs = _generate(job)
            gen[(lay, stem)] = secs
    gen_total = time.perf_counter() - t0

    fx = _fx()
    cat = fx.load()
    results: dict[str, Any] = {}
    cols = ["sample", *LIBRARIES]
    print("field F1 / share of gold figures found / gold tables found  ('!' = extraction refused the text)")
    for lay in layouts:
        print(f"\nlayout {lay}: {LAYOUTS[lay].key()}")
        print(f"{'document':24} {'gen s':>6}  " + "  ".join(f"{c:>17}" for c in cols))
        totals = {c: [0, 0, 0] for c in cols}
        for s in samples:
            stem = s.stem
            gold = fx.load_gold(args.gold / f"{stem}.json")
            texts = {"sample": s} | {lib: args.out / lay / f"{stem}.{lib}.txt" for lib in LIBRARIES}
            row = {c: _score(fx, cat, stem, p, gold) for c, p in texts.items()}
            results.setdefault(lay, {})[stem] = row
            for c, r in row.items():
                totals[c][0] += r["tp"]
                totals[c][1] += r["fn"]
                totals[c][2] += r["fp"]
            print(f"{stem:24} {gen[(lay, stem)]:6.1f}  " + "  ".join(f"{_cell(row[c]):>17}" for c in cols))
            for c in LIBRARIES:
                if row[c]["error"]:
                    print(f"    {c}: {row[c]['error']}")
                for m in row[c]["mismatches"][: args.mismatches]:
                    print(f"    {c}: {m['table']} | {m['row']} | {m['key']}: expected {m['expected']}, got {m['got']}")
        cells = []
        for c in cols:
            tp, fn, fp = totals[c]
            p = tp / (tp + fp) if tp + fp else 1.0
            r = tp / (tp + fn) if tp + fn else 1.0
            f1 = 2 * p * r / (p + r) if p + r else 0.0
            cells.append(f"{f1:.2f}/{r:.2f}")
        print(f"{'all (micro)':24} {'':6}  " + "  ".join(f"{c:>17}" for c in cells))
    print(f"\ngeneration (render, print, read back; cached by HTML hash): {gen_total:.1f} s for {len(jobs)} documents")
    if args.json:
        args.json.write_text(
            json.dumps(
                {"generation_s": {f"{k[0]}/{k[1]}": round(v, 2) for k, v in gen.items()}, "results": results},
                ensure_ascii=False,
                indent=1,
                default=str,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
