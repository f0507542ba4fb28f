"""Damaged documents through the whole pipeline: no internal error, no hang, bounded memory.

    python bench/fuzz.py [--n 10000] [--seed 0] [--seeds 447,784] [--jobs 2] [--timeout 30] [--wall]
                         [--max-seconds S] [--keep DIR]

Each document is a sample (``eval/samples/*.txt``) or a corpus text (``eval/corpus/text/*.pypdf.txt``)
damaged by one to three of :data:`MUTATIONS`: cut short, bytes flipped, lines shuffled, figures made
huge (19, 28 and 5,000 digits), tab-separated tables rewritten as ragged markdown or as HTML
(absurd ``colspan`` / ``rowspan``, a table nested in a cell), digits replaced by superscripts and
other Unicode digits.  Every document runs through :func:`fiscal_extract.pipeline.extract_bytes` in
a worker process with a per-document timeout; the result must be a record or a
:class:`~fiscal_extract.errors.FiscalExtractError`.  The timeout counts the worker's CPU seconds
(``--wall``: seconds on the clock), so that a document is a hang because of what it costs, not
because the machine is shared: at a load of 15 on two cores a document of 4 CPU seconds takes 30 on
the clock.  Printed: documents run, records, clean errors
by reason, internal errors (exception, where, mutations, seed), hangs, the slowest document and the
peak resident memory of a worker.  ``--keep DIR`` saves each failing document for a test.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import re
import resource
import signal
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted((ROOT / "eval" / "samples").glob("*.txt")) + sorted(
    (ROOT / "eval" / "corpus" / "text").glob("*.pypdf.txt"))

_FIGURE = re.compile(r"(?<![\d.])\d{1,7}\.\d{1,2}(?![\d.])")
_DIGIT = re.compile(r"\d")
SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
DIGIT_SETS = (SUPERSCRIPTS, "₀₁₂₃₄₅₆₇₈₉", "٠١٢٣٤٥٦٧٨٩", "०१२३४५६७८९", "０１２３４５６７８９", "𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗",
              "〇一二三四五六七八九", "①②③④⑤⑥⑦⑧⑨⑩")


# --------------------------------------------------------------------------------- mutations

def truncate(text: str, rng: random.Random) -> str:
    return text[: rng.randrange(len(text) + 1)]


def flip_bytes(text: str, rng: random.Random) -> str:
    data = bytearray(text.encode("utf-8"))
    for _ in range(rng.randint(1, 40)):
        if data:
            data[rng.randrange(len(data))] = rng.randrange(256)
    return data.decode("utf-8", errors="replace") if rng.random() < 0.5 else data.decode("latin-1")


def shuffle_lines(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    if len(lines) < 3:
        return text
    i = rng.randrange(len(lines))
    j = min(len(lines), i + rng.randint(2, 200))
    part = lines[i:j]
    rng.shuffle(part)
    return "\n".join(lines[:i] + part + lines[j:])


def huge_numbers(text: str, rng: random.Random) -> str:
    figures = list(_FIGURE.finditer(text))
    if not figures:
        return text + "\n合计\t" + "9" * 28 + "\n"
    out, last = [], 0
    for m in sorted(rng.sample(figures, min(len(figures), rng.randint(1, 8))), key=lambda m: m.start()):
        digits = rng.choice((19, 20, 28, 29, 40, 400, 5000))
        big = "".join(rng.choice("123456789") for _ in range(digits))
        if rng.random() < 0.5:
            big += "." + "".join(rng.choice("0123456789") for _ in range(rng.choice((1, 2, 30))))
        out += [text[last: m.start()], big]
        last = m.end()
    return "".join([*out, text[last:]])


def _table_blocks(lines: list[str]) -> list[tuple[int, int]]:
    blocks, i = [], 0
    while i < len(lines):
        if "\t" in lines[i]:
            j = i
            while j < len(lines) and "\t" in lines[j]:
                j += 1
            if j - i >= 2:
                blocks.append((i, j))
            i = j
        else:
            i += 1
    return blocks


def _pick_block(text: str, rng: random.Random) -> tuple[list[str], int, int] | None:
    lines = text.split("\n")
    blocks = _table_blocks(lines)
    if not blocks:
        return None
    i, j = rng.choice(blocks)
    return lines, i, j


def ragged_markdown(text: str, rng: random.Random) -> str:
    picked = _pick_block(text, rng)
    if picked is None:
        return text
    lines, i, j = picked
    rows = [ln.split("\t") for ln in lines[i:j]]
    out = []
    for k, cells in enumerate(rows):
        if rng.random() < 0.4 and len(cells) > 1:
            cells = cells[: rng.randrange(1, len(cells))] if rng.random() < 0.7 else cells + [""] * rng.randint(1, 5)
        out.append("| " + " | ".join(cells) + " |")
        if k == 0:
            out.append("|" + "---|" * max(1, len(cells) + rng.randint(-2, 2)))
    return "\n".join(lines[:i] + out + lines[j:])


def html_table(text: str, rng: random.Random) -> str:
    picked = _pick_block(text, rng)
    if picked is None:
        return text
    lines, i, j = picked
    spans = (0, 0, 0, 2, 3, 100, 10_000, 10_000_000, 10**8, -1, 10**30)

    def cell(c: str) -> str:
        attrs = ""
        if rng.random() < 0.15:
            attrs += f' colspan="{rng.choice(spans)}"'
        if rng.random() < 0.1:
            attrs += f' rowspan="{rng.choice(spans)}"'
        if rng.random() < 0.03:
            c = "<table><tr><td>" + c + "</td><td>1.00</td></tr></table>"
        return f"<td{attrs}>{c}</td>"

    rows = ["<tr>" + "".join(cell(c) for c in ln.split("\t")) + "</tr>" for ln in lines[i:j]]
    return "\n".join([*lines[:i], "<table>", *rows, "</table>", *lines[j:]])


def unicode_digits(text: str, rng: random.Random) -> str:
    digits = rng.choice(DIGIT_SETS)
    lines = text.split("\n")
    for _ in range(rng.randint(1, 20)):
        k = rng.randrange(len(lines))
        lines[k] = _DIGIT.sub(lambda m: digits[int(m.group()) % len(digits)] if rng.random() < 0.6 else m.group(),
                              lines[k])
    return "\n".join(lines)


def superscript_header(text: str, rng: random.Random) -> str:
    """A numbering row of a table header (栏次 1 2 3 ...) printed in superscripts."""
    picked = _pick_block(text, rng)
    if picked is None:
        return text
    lines, i, j = picked
    width = len(lines[i].split("\t"))
    row = "\t".join(SUPERSCRIPTS[k % 10] * (1 + k // 10) for k in range(width))
    k = rng.randint(i, min(j, i + 3))
    return "\n".join([*lines[:k], row, *lines[k:]])


def repeat_cells(text: str, rng: random.Random) -> str:
    """A line of a table with many more cells than its neighbours."""
    picked = _pick_block(text, rng)
    if picked is None:
        return text
    lines, i, j = picked
    k = rng.randrange(i, j)
    lines[k] = lines[k] + ("\t1.00" * rng.choice((5, 50, 500)))
    return "\n".join(lines)


MUTATIONS: dict[str, Callable[[str, random.Random], str]] = {
    "truncate": truncate,
    "flip_bytes": flip_bytes,
    "shuffle_lines": shuffle_lines,
    "huge_numbers": huge_numbers,
    "ragged_markdown": ragged_markdown,
    "html_table": html_table,
    "unicode_digits": unicode_digits,
    "superscript_header": superscript_header,
    "repeat_cells": repeat_cells,
}


@cache
def _source(k: int) -> str:
    return SOURCES[k].read_text(encoding="utf-8")


@dataclass(frozen=True)
class Case:
    seed: int
    source: str
    mutations: tuple[str, ...]


def make(seed: int) -> tuple[Case, bytes]:
    """Document number ``seed``: the same bytes on every run."""
    rng = random.Random(seed)
    k = rng.randrange(len(SOURCES))
    text = _source(k)
    names = tuple(rng.sample(sorted(MUTATIONS), rng.randint(1, 3)))
    for name in names:
        text = MUTATIONS[name](text, rng)
    return Case(seed, SOURCES[k].name, names), text.encode("utf-8", errors="surrogatepass")


# ------------------------------------------------------------------------------------- running

_TIMEOUT = 30
_TIMER = signal.ITIMER_PROF
"""CPU seconds of the worker (user + system); ``ITIMER_REAL`` with ``--wall``."""


class Hang(Exception):
    pass


def _alarm(signum: int, frame: object) -> None:
    raise Hang


def _init(timeout: int, limit_mb: int, wall: bool = False) -> None:
    global _TIMEOUT, _TIMER
    _TIMEOUT = timeout
    _TIMER = signal.ITIMER_REAL if wall else signal.ITIMER_PROF
    signal.signal(signal.SIGALRM if wall else signal.SIGPROF, _alarm)
    resource.setrlimit(resource.RLIMIT_AS, (limit_mb * 1024 * 1024, resource.RLIM_INFINITY))
    from fiscal_extract.pipeline import extract_bytes

    extract_bytes(SOURCES[0].read_bytes())  # load the catalog once per worker, not in a timed run


def run_one(seed: int) -> tuple[int, str, str, float, int, float]:
    """(seed, outcome, detail, CPU seconds, peak RSS KiB, seconds on the clock): outcome ``record``,
    ``error``, ``internal`` or ``hang``."""
    from fiscal_extract.errors import FiscalExtractError
    from fiscal_extract.pipeline import extract_bytes

    _, data = make(seed)
    t0, c0 = time.perf_counter(), time.process_time()
    signal.setitimer(_TIMER, _TIMEOUT)
    try:
        extract_bytes(data, path=f"fuzz-{seed}.txt")
        outcome, detail = "record", ""
    except Hang:
        outcome, detail = "hang", ""
    except FiscalExtractError as e:
        outcome, detail = "error", getattr(e, "reason", e.code)
    except Exception as e:  # noqa: BLE001 -- the very thing this bench counts
        tb = traceback.extract_tb(e.__traceback__)[-1]
        outcome, detail = "internal", f"{type(e).__name__}: {str(e)[:120]} at {Path(tb.filename).name}:{tb.lineno}"
    finally:
        signal.setitimer(_TIMER, 0)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    return seed, outcome, detail, cpu, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, wall


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0, help="first document number")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--seeds", help="these document numbers only, comma-separated (e.g. the hangs of a run)")
    ap.add_argument("--timeout", type=int, default=30, help="CPU seconds one document may take")
    ap.add_argument("--wall", action="store_true", help="the timeout in seconds on the clock, not CPU seconds")
    ap.add_argument("--memory-mb", type=int, default=4096, help="address-space limit of a worker")
    ap.add_argument("--max-seconds", type=float, help="stop after this long and report what was run")
    ap.add_argument("--keep", type=Path, help="save each failing document here")
    args = ap.parse_args(argv)

    seeds = [int(x) for x in args.seeds.split(",")] if args.seeds else range(args.seed, args.seed + args.n)
    outcomes: Counter[str] = Counter()
    errors: Counter[str] = Counter()
    internal: list[tuple[int, str]] = []
    hangs: list[int] = []
    slowest = (0.0, -1, 0.0)
    peak = 0
    t0 = time.perf_counter()
    ctx = multiprocessing.get_context("fork")
    init = (args.timeout, args.memory_mb, args.wall)
    with ctx.Pool(args.jobs, initializer=_init, initargs=init, maxtasksperchild=1000) as pool:
        for seed, outcome, detail, seconds, rss, wall in pool.imap_unordered(run_one, seeds, chunksize=4):
            outcomes[outcome] += 1
            if outcome == "error":
                errors[detail] += 1
            elif outcome == "internal":
                internal.append((seed, detail))
            elif outcome == "hang":
                hangs.append(seed)
            slowest = max(slowest, (seconds, seed, wall))
            peak = max(peak, rss)
            done = sum(outcomes.values())
            if args.max_seconds and time.perf_counter() - t0 > args.max_seconds:
                pool.terminate()
                break
            if done % 100 == 0:
                print(f"\r{done}/{len(seeds)} documents, {len(internal)} internal, {len(hangs)} hangs",
                      end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    elapsed = time.perf_counter() - t0
    print(f"documents: {sum(outcomes.values())} in {elapsed:.0f} s ({args.jobs} workers, "
          f"{sum(outcomes.values()) / elapsed:.1f} per second)")
    print(f"records: {outcomes['record']}")
    print(f"clean errors: {outcomes['error']} " + ", ".join(f"{k} {v}" for k, v in errors.most_common()))
    print(f"internal errors: {len(internal)}")
    for seed, detail in sorted(internal)[:50]:
        case, _ = make(seed)
        print(f"  seed {seed} {case.source} {'+'.join(case.mutations)}: {detail}")
    unit = "s on the clock" if args.wall else "CPU s"
    print(f"hangs (> {args.timeout} {unit}): {len(hangs)} {sorted(hangs)[:20]}")
    if slowest[1] >= 0:
        case, data = make(slowest[1])
        print(f"slowest: {slowest[0]:.2f} CPU s ({slowest[2]:.2f} s on the clock), seed {slowest[1]} "
              f"({case.source} {'+'.join(case.mutations)}, {len(data):,} bytes)")
    print(f"peak worker memory: {peak / 1024:.0f} MB (max RSS)")
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        for seed in [s for s, _ in internal] + hangs:
            (args.keep / f"fuzz-{seed}.txt").write_bytes(make(seed)[1])
    return 1 if internal or hangs else 0


if __name__ == "__main__":
    sys.exit(main())
