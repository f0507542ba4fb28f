"""How often do the checks notice a single changed figure?

    python bench/check_sensitivity.py [--trials N] [--seed S]

For each sample: extract once, then N times change one figure of a financial table at random
(a different digit, a dropped or added digit, a shifted point, a few units up or down) and run
the checks; a change is caught when a check fails that did not fail before.  Prints the rate per
document and overall, the figures no check covers, and the time the checks take.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path

from fiscal_extract.catalog import load
from fiscal_extract.checks.run import run_checks
from fiscal_extract.models import FINANCIAL_KINDS
from fiscal_extract.pipeline import extract_file

ROOT = Path(__file__).resolve().parents[1]
FINANCIAL = set(FINANCIAL_KINDS)


def mutate(v: Decimal, rng: random.Random) -> Decimal:
    exp = v.as_tuple().exponent
    places = -exp if isinstance(exp, int) and exp < 0 else 0
    unit = Decimal(1).scaleb(-places)
    text = format(v, "f")
    # OCR-like damage: a wrong digit, a lost or doubled digit, a misplaced point, swapped digits
    kind = rng.choice(["digit", "digit", "drop", "insert", "point", "swap"])
    for _ in range(20):
        if kind == "digit":
            pos = [i for i, ch in enumerate(text) if ch.isdigit()]
            i = rng.choice(pos)
            new = text[:i] + rng.choice([d for d in "0123456789" if d != text[i]]) + text[i + 1 :]
        elif kind == "drop":
            pos = [i for i, ch in enumerate(text) if ch.isdigit()]
            if len(pos) < 2:
                kind = "delta"
                continue
            i = rng.choice(pos)
            new = text[:i] + text[i + 1 :]
        elif kind == "insert":
            i = rng.randrange(0, len(text) + 1)
            new = text[:i] + rng.choice("0123456789") + text[i:]
        elif kind == "swap":
            pos = [
                i
                for i in range(len(text) - 1)
                if text[i].isdigit() and text[i + 1].isdigit() and text[i] != text[i + 1]
            ]
            if not pos:
                kind = "digit"
                continue
            i = rng.choice(pos)
            new = text[:i] + text[i + 1] + text[i] + text[i + 2 :]
        elif kind == "point":
            new = format(v * rng.choice([Decimal(10), Decimal("0.1")]), "f")
        else:
            new = text
        try:
            out = Decimal(new.strip(".") or "0")
        except ArithmeticError:
            continue
        if out != v and out >= 0:
            return out.quantize(unit) if places else out
    return v + unit


def failing(record, cat) -> set[tuple]:
    """Failing checks with their figures: a change inside an already failing check shows too."""
    return {(c.id, "|".join(c.refs), c.expected, c.actual) for c in run_checks(record, cat) if c.status == "fail"}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--trials", type=int, default=300)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    cat = load()
    rng = random.Random(args.seed)
    total_caught = total = 0
    missed: Counter[str] = Counter()
    timing = []
    for f in sorted((ROOT / "eval" / "samples").glob("*.txt")):
        rec = extract_file(f)
        t0 = time.perf_counter()
        base = failing(rec, cat)
        timing.append((time.perf_counter() - t0) * 1000)
        cells = [
            (ti, ri, k)
            for ti, t in enumerate(rec.tables)
            if t.kind in FINANCIAL
            for ri, r in enumerate(t.rows)
            for k, v in r.values.items()
            if v is not None
        ]
        caught = 0
        for _ in range(args.trials):
            ti, ri, k = rng.choice(cells)
            row = rec.tables[ti].rows[ri]
            old = row.values[k]
            assert old is not None
            row.values[k] = mutate(old, rng)
            now = failing(rec, cat)
            row.values[k] = old
            if now - base:
                caught += 1
            else:
                t = rec.tables[ti]
                missed[f"{f.name[:3]} {t.kind} / {row.code or ''} {row.name[:14]} / {k}"] += 1
        total += args.trials
        total_caught += caught
        print(
            f"{f.name:28} figures {len(cells):4}  caught {caught}/{args.trials} = {caught / args.trials:6.1%}"
            f"  checks {len(run_checks(rec, cat)):4}  check time {timing[-1]:6.1f} ms"
        )
    print(f"{'overall':28} caught {total_caught}/{total} = {total_caught / total:.1%}")
    if missed:
        print("\nchanges no check caught (figure: times):")
        for k, n in missed.most_common(25):
            print(f"  {n:3}  {k}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
