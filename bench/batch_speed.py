"""Throughput and peak memory of ``fiscal-extract batch`` on synthetic archives.

    python bench/batch_speed.py [--sizes 1000 10000] [--repeat 3] [--jobs 2] [--export sqlite]
                                [--no-checks] [--workdir /tmp/fiscal-bench] [--keep]

For each size an archive is made from the samples (``bench/synth.py``: renamed departments, a
few changed figures, 3 % damaged or bad files), then ``batch`` runs on it ``--repeat`` times into a
fresh output folder, as a child process whose memory is sampled four times a second: the peak of
the summed proportional set size (PSS: shared pages counted once) of the batch and its workers,
and the peak RSS of the batch process alone.  Printed per run: documents per second converting
(the summary's rate: converted + failed over the conversion time), the export time, wall time
(start-up, conversion and export: documents over it is the end-to-end rate) and memory; then min
and median over the runs, and the time of a rerun that has nothing to do.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.synth import make_archive  # noqa: E402


def _children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            out += [int(x) for x in (task / "children").read_text().split()]
        except OSError:
            continue
    return out


def _tree(pid: int) -> list[int]:
    todo, seen = [pid], []
    while todo:
        p = todo.pop()
        seen.append(p)
        todo += _children(p)
    return seen


def _kb(path: str, field: str) -> int:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        return 0
    return 0


class Sampler(threading.Thread):
    """Peak summed PSS of a process tree and peak RSS of its root, sampled every 0.25 s."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_pss = 0
        self.peak_root = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            pss = sum(_kb(f"/proc/{p}/smaps_rollup", "Pss") for p in _tree(self.pid))
            self.peak_pss = max(self.peak_pss, pss)
            self.peak_root = max(self.peak_root, _kb(f"/proc/{self.pid}/status", "VmHWM"))
            self.done.wait(0.25)


def run(archive: Path, out: Path, args: argparse.Namespace) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "fiscal_extract.cli", "batch", str(archive), "-o", str(out), "--json",
           "--no-progress", "--jobs", str(args.jobs), "--export", args.export, "--backend", "rules"]  # fmt: skip
    if args.no_checks:
        cmd.append("--no-checks")
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = Sampler(proc.pid)
    sampler.start()
    stdout, stderr = proc.communicate()
    sampler.done.set()
    sampler.join()
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"batch failed ({proc.returncode}): {stderr}")
    s = json.loads(stdout)
    return {
        "summary": s,
        "wall": wall,
        "rate": s["docs_per_second"],
        "export": (s["export"] or {}).get("seconds", 0.0),
        "pss_mb": sampler.peak_pss / 1024,
        "root_mb": sampler.peak_root / 1024,
    }


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--export", default="sqlite")
    ap.add_argument("--no-checks", action="store_true")
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/fiscal-bench"))
    ap.add_argument("--keep", action="store_true", help="keep the archives and outputs")
    args = ap.parse_args()
    checks = "without checks" if args.no_checks else "with checks"
    print(f"batch --jobs {args.jobs} --export {args.export} ({checks}); rules backend")
    for n in args.sizes:
        archive = args.workdir / f"archive-{n}"
        if not archive.exists():
            t0 = time.perf_counter()
            arch = make_archive(archive, n, seed=n)
            took = time.perf_counter() - t0
            print(f"made {len(arch.documents)} files in {took:.0f} s: damaged {dict(arch.counts())}")
        runs = []
        out = args.workdir / f"out-{n}"
        for i in range(args.repeat):
            shutil.rmtree(out, ignore_errors=True)
            r = run(archive, out, args)
            runs.append(r)
            s = r["summary"]
            print(
                f"  {n:>6} docs run {i + 1}: {s['ok']} ok, {s['failed']} failed; convert {s['seconds']:7.1f} s ="
                f" {r['rate']:6.1f} docs/s; export {r['export']:6.1f} s; wall {r['wall']:7.1f} s ="
                f" {s['documents'] / r['wall']:6.1f} docs/s end to end;"
                f" peak PSS (batch + workers) {r['pss_mb']:6.0f} MB, batch process RSS {r['root_mb']:5.0f} MB"
            )
        rates = [r["rate"] for r in runs]
        whole = [r["summary"]["documents"] / r["wall"] for r in runs]
        pss = [r["pss_mb"] for r in runs]
        exports = [r["export"] for r in runs]
        print(
            f"  {n:>6} docs: docs/s min {min(rates):.1f} median {statistics.median(rates):.1f} max {max(rates):.1f};"
            f" export s min {min(exports):.1f} median {statistics.median(exports):.1f};"
            f" end to end docs/s median {statistics.median(whole):.1f};"
            f" peak PSS MB min {min(pss):.0f} median {statistics.median(pss):.0f} max {max(pss):.0f}"
        )
        again = run(archive, out, args)
        s = again["summary"]
        print(f"  {n:>6} docs, rerun with nothing to do: {s['skipped']} skipped in {again['wall']:.1f} s wall")
        if not args.keep:
            shutil.rmtree(out, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
