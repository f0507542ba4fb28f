"""Does every corpus text convert, is its general-budget table found, and do its identities hold?

    python bench/corpus_identities.py [--text eval/corpus/text] [--kind general_budget_expenditure]

Issue 13's second target, measured: every text in the corpus folder (each document in the three
renderings pdfminer.six, pypdf and pypdfium2 make of its PDF) is converted with the packaged
catalog; per text it prints whether it converted, how many tables of ``--kind`` the record holds,
and the checks whose every term lies in one of those tables (class = Σ its rows, total = basic +
project, the table total = Σ its classes...): passed / tested.  Then the totals per rendering:
texts converted, texts with the table found, and the share of its identities holding.

A check that could not run for want of a figure ("skip") is not counted as tested: the share is
of the identities the record prints both sides of.  Failures are listed with the check's message so
a reader can tell a misread figure from a source's own inconsistency.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from pathlib import Path

from fiscal_extract.errors import FiscalExtractError
from fiscal_extract.models import Disclosure
from fiscal_extract.pipeline import extract_file

ROOT = Path(__file__).resolve().parents[1]
_TABLE_REF = re.compile(r"^tables\[(\d+)\]")


def _table_checks(rec: Disclosure, kind: str) -> tuple[int, int, int, list[str]]:
    """(tables of the kind, checks passed, checks tested, failure lines) of one record."""
    wanted = {i for i, t in enumerate(rec.tables) if t.kind == kind}
    passed = tested = 0
    fails: list[str] = []
    for c in rec.checks:
        if c.status not in ("pass", "fail") or not c.refs:
            continue
        tables = {m.group(1) for r in c.refs if (m := _TABLE_REF.match(r))}
        if len(tables) != 1 or len(tables) != len({r.split(".")[0] for r in c.refs}):
            continue  # a check across tables, or with a term outside any table
        if int(next(iter(tables))) not in wanted:
            continue
        tested += 1
        if c.status == "pass":
            passed += 1
        else:
            fails.append(f"{c.id}: {c.message} (expected {c.expected}, printed {c.actual})")
    return len(wanted), passed, tested, fails


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--text", type=Path, default=ROOT / "eval" / "corpus" / "text")
    ap.add_argument("--kind", default="general_budget_expenditure")
    ap.add_argument("--failures", type=int, default=3, help="failures listed per text")
    a = ap.parse_args()
    texts = sorted(a.text.glob("*.txt"))
    if not texts:
        print(f"no .txt files in {a.text}", file=sys.stderr)
        return 2
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])  # texts, converted, found, pass, tested
    for path in texts:
        rendering = path.suffixes[-2].lstrip(".") if len(path.suffixes) >= 2 else "text"
        agg = per[rendering]
        agg[0] += 1
        try:
            rec = extract_file(path)
        except FiscalExtractError as e:
            print(f"{path.name:80} NOT CONVERTED: {e}")
            continue
        agg[1] += 1
        n, ok, tested, fails = _table_checks(rec, a.kind)
        agg[2] += n > 0
        agg[3] += ok
        agg[4] += tested
        share = f"{ok}/{tested}" + (f" {ok / tested:6.1%}" if tested else "")
        print(f"{path.name:80} tables {n}  identities {share}")
        for f in fails[: a.failures]:
            print(f"    fail {f}")
    print()
    print(f"{'rendering':10} {'texts':>5} {'converted':>9} {'table found':>11} {'identities holding':>22}")
    for rendering, (n, conv, found, ok, tested) in sorted(per.items()):
        share = f"{ok}/{tested} = {ok / tested:.1%}" if tested else "none tested"
        print(f"{rendering:10} {n:5} {conv:9} {found:11} {share:>22}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
