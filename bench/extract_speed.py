"""Extraction time per sample document and peak memory (interpreter start excluded).

    python bench/extract_speed.py [--repeat N] [--scale]

Prints, per document: characters, tables, rows, median and fastest ms over N runs (the whole
pipeline, checks included), and the checks alone (median ms); then the peak traced
memory of one pass over all samples.  --scale also extracts each sample repeated 1x, 2x, 4x,
8x (tables and text concatenated) to show time is linear in document size.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

from fiscal_extract.catalog import load
from fiscal_extract.checks.run import run_checks
from fiscal_extract.options import ExtractOptions
from fiscal_extract.pipeline import extract_source
from fiscal_extract.read.normalize import from_bytes, read_source

RULES_ONLY = ExtractOptions(checks=False)

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--scale", action="store_true")
    ap.add_argument(
        "--corpus",
        action="store_true",
        help="also the real corpus texts (eval/corpus/text: pypdf, pdfium, pdfminer), with ms per 10,000 characters",
    )
    args = ap.parse_args()
    cat = load()
    files = sorted((ROOT / "eval" / "samples").glob("*.txt"))
    if args.corpus:
        files += sorted((ROOT / "eval" / "corpus" / "text").glob("*.txt"))
    print("extraction = rules extraction alone; checks = the arithmetic checks of the record (ms)")
    print("cpu = CPU ms of one extraction (median; the machine is shared, so CPU time is the fair figure)")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(
        f"{'document':28} {'chars':>7} {'tables':>6} {'rows':>5} {'extract med':>11} {'min':>6}"
        f" {'checks':>7} {'checks med':>10} {'min':>6} {'ms/10k ch':>9} {'cpu med':>8} {'cpu/10k':>8}"
    )
    total = []
    cpu_rates: list[tuple[str, int, float]] = []
    for f in files:
        src = read_source(f)
        rec = extract_source(src, cat=cat)  # warm caches (catalog, compiled patterns)
        times = []
        cpus = []
        for _ in range(args.repeat):
            t0, c0 = time.perf_counter(), time.process_time()
            extract_source(src, RULES_ONLY, cat=cat)
            times.append((time.perf_counter() - t0) * 1000)
            cpus.append((time.process_time() - c0) * 1000)
        rows = sum(len(t.rows) for t in rec.tables)
        med = statistics.median(times)
        total.append(med)
        ctimes = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            run_checks(rec, cat)
            ctimes.append((time.perf_counter() - t0) * 1000)
        per = med / max(1, len(src.text)) * 10000
        cpu = statistics.median(cpus)
        cpu_per = cpu / max(1, len(src.text)) * 10000
        cpu_rates.append((f.name, len(src.text), cpu_per))
        print(
            f"{f.name[:28]:28} {len(src.text):>7} {len(rec.tables):>6} {rows:>5} {med:>11.1f} {min(times):>6.1f}"
            f" {len(rec.checks):>7} {statistics.median(ctimes):>10.1f} {min(ctimes):>6.1f} {per:>9.1f}"
            f" {cpu:>8.1f} {cpu_per:>8.1f}"
        )
    print(f"{'mean of medians':28} {'':>7} {'':>6} {'':>5} {statistics.mean(total):>10.1f}")
    if args.corpus:
        _print_against_samples(cpu_rates)
    tracemalloc.start()
    for f in files:
        extract_source(read_source(f), RULES_ONLY, cat=cat)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"peak traced memory over the {len(files)} documents: {peak / 1e6:.1f} MB")
    if args.scale:
        print("\nlinearity (sample repeated k times):")
        for f in files:
            text = f.read_text(encoding="utf-8")
            line = []
            for k in (1, 2, 4, 8):
                src = from_bytes(("\n".join([text] * k)).encode("utf-8"), str(f))
                t0 = time.perf_counter()
                extract_source(src, RULES_ONLY, cat=cat)
                line.append(f"x{k}: {(time.perf_counter() - t0) * 1000:7.1f} ms")
            print(f"  {f.name[:3]}  " + "  ".join(line))
    return 0


def _print_against_samples(rates: list[tuple[str, int, float]]) -> None:
    """Each corpus text's CPU ms per 10k characters over that of the sample closest in size."""
    samples = [r for r in rates if "/" not in r[0] and r[0][:3].isdigit() and r[0][3] == "_"]
    corpus = [r for r in rates if r not in samples]
    if not samples:
        return
    print("\ncorpus against the sample closest in size (CPU ms per 10k characters; target: ratio <= 2)")
    print(f"{'document':44} {'chars':>7} {'cpu/10k':>8} {'sample':>6} {'its cpu/10k':>11} {'ratio':>6}")
    for name, chars, rate in corpus:
        near = min(samples, key=lambda s: abs(s[1] - chars))
        print(f"{name[:44]:44} {chars:>7} {rate:>8.1f} {near[0][:3]:>6} {near[2]:>11.1f} {rate / near[2]:>6.2f}")


if __name__ == "__main__":
    sys.exit(main())
