"""How often do the checks notice a single changed figure of a performance table?

    python bench/perf_mutation.py [--trials N] [--seed S] [--docs 003,004]

For each sample with performance tables: extract once, then N times change one figure of a
performance table at random -- a 分值, 得分, 年初预算数 / 全年预算数 / 全年执行数, an amount, or a
printed 执行率 -- with OCR-like damage (a different digit, a dropped or added digit, a shifted
point), and run the checks; a change is caught when a check fails that did not fail before.
Prints the rate per document and overall, and the figures no check covers.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench.check_sensitivity import failing, mutate
from fiscal_extract.catalog import Catalog, load
from fiscal_extract.models import Disclosure
from fiscal_extract.pipeline import extract_file

ROOT = Path(__file__).resolve().parents[1]
RATE_KEYS = ("rate", "execution_rate")


def figures(rec: Disclosure, cat: Catalog) -> list[tuple[int, int, str, str]]:
    """(table, row, "values" | "texts", key) of every printed figure of the performance tables."""
    out = []
    for ti, t in enumerate(rec.tables):
        if cat.layout_of(t.kind) != "performance":
            continue
        for ri, r in enumerate(t.rows):
            out += [(ti, ri, "values", k) for k, v in r.values.items() if v is not None]
            out += [(ti, ri, "texts", k) for k in RATE_KEYS if _percent(r.texts.get(k)) is not None]
    return out


def _percent(text: str | None) -> Decimal | None:
    if not text or not text.replace(" ", "").endswith("%"):
        return None
    try:
        return Decimal(text.replace(" ", "").rstrip("%"))
    except ArithmeticError:
        return None


def trial(rec: Disclosure, cat: Catalog, cell: tuple[int, int, str, str], rng: random.Random, base: set[Any]) -> bool:
    """Change one figure, run the checks, put it back: whether a new failure showed."""
    ti, ri, part, key = cell
    row = rec.tables[ti].rows[ri]
    if part == "values":
        old = row.values[key]
        assert old is not None
        row.values[key] = mutate(old, rng)
        try:
            return bool(failing(rec, cat) - base)
        finally:
            row.values[key] = old
    text = row.texts[key]
    pct = _percent(text)
    assert pct is not None
    row.texts[key] = f"{mutate(pct, rng)}%"
    try:
        return bool(failing(rec, cat) - base)
    finally:
        row.texts[key] = text


def run(rec: Disclosure, cat: Catalog, trials: int, rng: random.Random, missed: Counter[str], tag: str = "") -> int:
    base = failing(rec, cat)
    cells = figures(rec, cat)
    caught = 0
    for _ in range(trials):
        cell = rng.choice(cells)
        if trial(rec, cat, cell, rng, base):
            caught += 1
        else:
            ti, ri, _, key = cell
            row = rec.tables[ti].rows[ri]
            missed[f"{tag} {rec.tables[ti].title[:10]} / {row.name[:16]} / {key}"] += 1
    return caught


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--trials", type=int, default=500)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--docs", default="", help="sample prefixes, comma-separated (default: all)")
    args = ap.parse_args()
    cat = load()
    rng = random.Random(args.seed)
    wanted = [d for d in args.docs.split(",") if d]
    total_caught = total = 0
    missed: Counter[str] = Counter()
    for f in sorted((ROOT / "eval" / "samples").glob("*.txt")):
        if wanted and not any(f.name.startswith(d) for d in wanted):
            continue
        rec = extract_file(f)
        cells = figures(rec, cat)
        if not cells:
            print(f"{f.name:28} no performance figures")
            continue
        caught = run(rec, cat, args.trials, rng, missed, f.name[:3])
        total += args.trials
        total_caught += caught
        print(f"{f.name:28} figures {len(cells):4}  caught {caught}/{args.trials} = {caught / args.trials:6.1%}")
    if total:
        print(f"{'overall':28} caught {total_caught}/{total} = {total_caught / total:.1%}")
    if missed:
        print("\nchanges no check caught (figure: times):")
        for k, n in missed.most_common(30):
            print(f"  {n:3}  {k}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
