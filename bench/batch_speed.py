"""Throughput and peak memory of ``fiscal-extract batch`` on synthetic archives and the real one.

    python bench/batch_speed.py [--sizes 1000 10000] [--memory-sizes 1000 10000 100000] [--repeat 1]
                                [--jobs 2] [--export sqlite] [--no-checks] [--workdir /tmp/fiscal-bench]
                                [--keep] [--real ../shared/archive/text-pypdf] [--no-dask] [--no-real]

For each size an archive is made from the samples (``bench/synth.py``: renamed departments, a
few changed figures, 3 % damaged or bad files), then ``batch`` runs on it as a child process whose
memory is sampled four times a second (the peak of the summed proportional set size -- PSS, shared
pages counted once -- of the batch and its workers, and the peak RSS of the batch process alone):

* conversion only (``--export none``): documents per second converting;
* the whole command with the export (``--export sqlite``, records streamed into the database as they
  are converted), into a fresh folder: documents over the wall time, and that rate as a share of
  the conversion-only rate (the target is 90 %);
* the rerun of the whole command with nothing to do.

Converting 10^5 documents takes half an hour on two free cores, so the memory target (peak at
10^5 within 10 % of the peak at 10^3) is measured on the path that could grow with the archive
without converting (``--memory-sizes``): an output folder prefilled with ``n`` finished states
and their records (hard links), then ``batch --export sqlite`` (every document skipped, all
exported into a fresh database) and a rerun with nothing to do.  The load average is printed
before and after: on a shared machine rates are only comparable within one run.

Then on the real archive (``--real``, its text renderings): the local engine, and the dask engine
on a two-worker ``LocalCluster`` the bench starts on 127.0.0.1 (cluster start-up timed apart), with
their rates, the dask engine's overhead, and whether the two output folders are identical.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
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


def _cpu() -> float:
    """CPU seconds (user + system) of the finished child processes and theirs: a batch and its workers."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def run(archive: Path, out: Path, args: argparse.Namespace, export: str, *extra: str) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "fiscal_extract.cli", "batch", str(archive), "-o", str(out), "--json",
           "--no-progress", "--jobs", str(args.jobs), "--export", export, "--backend", "rules", *extra]  # fmt: skip
    if args.no_checks:
        cmd.append("--no-checks")
    t0, cpu0 = time.perf_counter(), _cpu()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = Sampler(proc.pid)
    sampler.start()
    stdout, stderr = proc.communicate()
    sampler.done.set()
    sampler.join()
    wall, cpu = time.perf_counter() - t0, _cpu() - cpu0
    if proc.returncode != 0:
        raise SystemExit(f"batch failed ({proc.returncode}): {stderr}")
    s = json.loads(stdout)
    return {
        "summary": s,
        "wall": wall,
        "cpu": cpu,
        "rate": s["docs_per_second"],
        "whole": s["documents"] / wall,
        "export": (s["export"] or {}).get("seconds", 0.0),
        "load": _load(),
        "pss_mb": sampler.peak_pss / 1024,
        "root_mb": sampler.peak_root / 1024,
    }


def synthetic(n: int, args: argparse.Namespace) -> dict[str, Any]:
    archive = args.workdir / f"archive-{n}"
    if not archive.exists():
        t0 = time.perf_counter()
        arch = make_archive(archive, n, seed=n)
        print(f"  made {len(arch.documents)} files in {time.perf_counter() - t0:.0f} s: damaged {dict(arch.counts())}")
    out = args.workdir / f"out-{n}"
    conv, whole = [], []
    for _ in range(args.repeat):
        shutil.rmtree(out, ignore_errors=True)
        conv.append(run(archive, out, args, "none"))
        shutil.rmtree(out, ignore_errors=True)
        whole.append(run(archive, out, args, args.export))
    again = run(archive, out, args, args.export)
    c_rate = statistics.median(r["rate"] for r in conv)
    w_rate = statistics.median(r["whole"] for r in whole)
    w, c = whole[len(whole) // 2], conv[len(conv) // 2]
    s = w["summary"]
    c_cpu, w_cpu = 1000 * c["cpu"] / n, 1000 * w["cpu"] / n
    print(
        f"  {n:>6} docs: conversion only {c_rate:6.1f} docs/s ({n / c['wall']:.1f} end to end, {c_cpu:.0f} CPU ms/doc,"
        f" load {c['load']}) | whole command (--export {args.export}) {w_rate:6.1f}"
        f" docs/s end to end = {100 * w_rate / c_rate:4.0f} % of conversion only ({w_cpu:.0f} CPU ms/doc: conversion"
        f" only's CPU per document = {100 * c_cpu / w_cpu:.0f} % of it; convert {s['seconds']:.1f} s,"
        f" export completion {w['export']:.1f} s, wall {w['wall']:.1f} s, load {w['load']}) | peak PSS batch + workers"
        f" {max(r['pss_mb'] for r in whole):5.0f} MB (conversion only {max(r['pss_mb'] for r in conv):5.0f} MB),"
        f" batch process RSS {max(r['root_mb'] for r in whole):4.0f} MB | rerun with nothing to do"
        f" {again['wall']:.1f} s, {again['cpu']:.1f} CPU s ({again['summary']['skipped']} skipped)"
    )
    if not args.keep:
        shutil.rmtree(out, ignore_errors=True)
    return {"n": n, "conversion": c_rate, "whole": w_rate, "pss": max(r["pss_mb"] for r in whole)}


def prefilled(n: int, args: argparse.Namespace, full: bool) -> dict[str, Any]:
    """The manifest / export / rerun path at ``n`` documents without converting them: ``n`` distinct
    sources, each with a finished state in the manifest and a record, then ``batch`` (every
    document skipped) and a rerun with nothing to do.  ``full``: the sources are converted ones
    with a line of their own appended and the records the converted ones' with the new source hash,
    and ``batch --export sqlite`` exports all ``n`` into a fresh database (up to ``--export-max``
    documents: above, the export alone would take hours on the shared machine, the records tens
    of GB).  Else the sources are one line each, the records hard links, and ``--export none``:
    the manifest, the walk, the skip decisions, the error lines and the tally, at any size."""
    import dataclasses

    from fiscal_extract.batch.manifest import Manifest
    from fiscal_extract.batch.walk import record_path

    seed, seed_out = args.workdir / "prefill-seed", args.workdir / "prefill-seed-out"
    if not (seed_out / "manifest.sqlite").exists():
        shutil.rmtree(seed, ignore_errors=True)
        make_archive(seed, 40, seed=1, bad=0)
        run(seed, seed_out, args, "none")
    m = Manifest.open(seed_out)
    states = sorted(m.records(), key=lambda e: (e.rows, e.path))[:4]  # the smallest: the export's own cost
    m.close()
    archive, out = args.workdir / f"prefill-{n}", args.workdir / f"prefill-out-{n}"
    shutil.rmtree(archive, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    t0 = time.perf_counter()
    out.mkdir(parents=True)
    m = Manifest.open(out)
    group = []
    for i in range(n):
        e = states[i % len(states)]
        rel = f"g{i // 1000:03d}/{i:06d}.txt"
        data = (seed / e.path).read_bytes() + f"\n{i}\n".encode() if full else f"{i}\n".encode()
        (archive / rel).parent.mkdir(parents=True, exist_ok=True)
        (archive / rel).write_bytes(data)
        rec, sha = record_path(rel), hashlib.sha256(data).hexdigest()
        (out / rec).parent.mkdir(parents=True, exist_ok=True)
        if full:  # the converted one's record, with this source's hash (its key in the stores)
            record = (seed_out / str(e.record)).read_bytes().replace(str(e.sha256).encode(), sha.encode())
            (out / rec).write_bytes(record)
            e = dataclasses.replace(e, record_sha256=hashlib.sha256(record).hexdigest())
        else:
            os.link(seed_out / str(e.record), out / rec)
        group.append(dataclasses.replace(e, path=rel, sha256=sha, record=rec))
        if len(group) == 5000:
            m.put(*group)
            group = []
    m.put(*group)
    m.close()
    made = time.perf_counter() - t0
    export = "sqlite" if full else "none"
    first = run(archive, out, args, export)
    again = run(archive, out, args, export)
    fs, ags = first["summary"], again["summary"]
    what = f"export {first['export']:.1f} s of {fs['export']['documents']} documents" if full else "no export"
    print(f"  {n:>6} docs (prefilled in {made:.0f} s, not converted): batch --export {export} {first['wall']:.1f} s"
          f" ({first['cpu']:.1f} CPU s, load {first['load']}; {fs['skipped']} skipped, {what})"
          f" | peak PSS batch + workers {first['pss_mb']:5.0f} MB, batch process RSS {first['root_mb']:4.0f} MB"
          f" | rerun with nothing to do {again['wall']:.1f} s ({again['cpu']:.1f} CPU s, load {again['load']};"
          f" {ags['skipped']} skipped), peak PSS"
          f" {again['pss_mb']:.0f} MB, batch process RSS {again['root_mb']:.0f} MB")  # fmt: skip
    if not args.keep:
        shutil.rmtree(archive, ignore_errors=True)
        shutil.rmtree(out, ignore_errors=True)
    return {"n": n, "pss": max(first["pss_mb"], again["pss_mb"]), "root": max(first["root_mb"], again["root_mb"]),
            "export": export}


def _digest(out: Path) -> str:
    """Records, manifest states and SQLite rows of an output folder, as one hash."""
    import sqlite3

    from fiscal_extract.batch.manifest import Manifest

    h = hashlib.sha256()
    for p in sorted((out / "records").rglob("*.json")):
        h.update(p.relative_to(out).as_posix().encode() + p.read_bytes())
    h.update((out / "errors.jsonl").read_bytes())
    m = Manifest.open(out)
    for e in m.entries():
        h.update(e.to_json().encode())
    m.close()
    with sqlite3.connect(out / "disclosures.sqlite") as con:
        for (t,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"):
            h.update(repr(sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=repr)).encode())
    return h.hexdigest()


def real(args: argparse.Namespace) -> None:
    archive = args.real
    n = len(list(archive.rglob("*.txt")))
    print(f"real archive {archive} ({n} texts), --jobs {args.jobs} --export {args.export}")
    local = args.workdir / "real-local"
    shutil.rmtree(local, ignore_errors=True)
    r = run(archive, local, args, args.export)
    s = r["summary"]
    print(f"  local engine: {s['ok']} ok, {s['failed']} failed {s['failures']}; convert {r['rate']:.1f} docs/s,"
          f" whole command {r['whole']:.1f} docs/s (wall {r['wall']:.1f} s, {r['cpu']:.1f} CPU s, load {r['load']});"
          f" peak PSS {r['pss_mb']:.0f} MB;"
          f" failed checks by cause {s['failed_checks']}")  # fmt: skip
    if args.no_dask:
        return
    from distributed import Client, LocalCluster

    t0 = time.perf_counter()
    with LocalCluster(n_workers=args.jobs, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:  # fmt: skip
        up = time.perf_counter() - t0
        dask = args.workdir / "real-dask"
        shutil.rmtree(dask, ignore_errors=True)
        with Client(cluster.scheduler_address, set_as_default=False) as client:
            w0 = sum(client.run(_worker_cpu).values())
            d = run(archive, dask, args, args.export, "--engine", "dask", "--scheduler", cluster.scheduler_address)
            d["workers_cpu"] = sum(client.run(_worker_cpu).values()) - w0
        again = run(archive, dask, args, args.export, "--engine", "dask", "--scheduler", cluster.scheduler_address)
    same = _digest(local) == _digest(dask)
    ds = d["summary"]
    print(f"  dask engine, {args.jobs}-worker LocalCluster (started in {up:.1f} s): {ds['ok']} ok,"
          f" {ds['failed']} failed;"
          f" convert {d['rate']:.1f} docs/s, whole command {d['whole']:.1f} docs/s (wall {d['wall']:.1f} s, load"
          f" {d['load']}; {d['cpu'] + d['workers_cpu']:.1f} CPU s: the client {d['cpu']:.1f}, the workers"
          f" {d['workers_cpu']:.1f});"
          f" overhead vs local: convert {100 * (r['rate'] / d['rate'] - 1):+.0f} % time,"
          f" wall {d['wall'] - r['wall']:+.1f} s; rerun with nothing to do {again['wall']:.1f} s;"
          f" outputs identical to the local engine's: {same}")  # fmt: skip


def _worker_cpu() -> float:
    """CPU seconds of the dask worker process it runs in (``client.run``)."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _flat(rows: list[dict[str, Any]], what: str) -> None:
    for r in rows[1:]:
        share = 100 * r["pss"] / rows[0]["pss"]
        root = f", batch process peak RSS {100 * r['root'] / rows[0]['root']:.0f} %" if "root" in r else ""
        print(f"  peak memory at {r['n']} documents ({what}): {r['pss']:.0f} MB = {share:.0f} %"
              f" of the peak at {rows[0]['n']}{root}")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000], help="archives converted in full")
    ap.add_argument("--memory-sizes", type=int, nargs="*", default=[1000, 10000, 100000],
                    help="prefilled output folders (no conversion): memory and rerun of the manifest / export path")
    ap.add_argument("--export-max", type=int, default=10000,
                    help="largest prefilled size exported (above it: the manifest and rerun path only)")
    ap.add_argument("--no-real", action="store_true", help="skip the real archive")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--export", default="sqlite")
    ap.add_argument("--no-checks", action="store_true")
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/fiscal-bench"))
    ap.add_argument("--keep", action="store_true", help="keep the archives and outputs")
    ap.add_argument("--real", type=Path, default=ROOT.parent / "shared" / "archive" / "text-pypdf")
    ap.add_argument("--no-dask", action="store_true", help="skip the dask engine on the real archive")
    args = ap.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    checks = "without checks" if args.no_checks else "with checks"
    print(f"batch --jobs {args.jobs} ({checks}); rules backend; median of {args.repeat} run(s)")
    print(f"load: {Path('/proc/loadavg').read_text().strip()} on {os.cpu_count()} CPUs")
    rows = [synthetic(n, args) for n in args.sizes]
    _flat(rows, "converted")
    if args.memory_sizes:
        print("manifest / export / rerun path, prefilled (no conversion):")
        done = [prefilled(n, args, False) for n in args.memory_sizes]
        done += [prefilled(n, args, True) for n in args.memory_sizes if n <= args.export_max]
        for export in ("sqlite", "none"):
            _flat([r for r in done if r["export"] == export], f"prefilled, --export {export}")
    print(f"load: {Path('/proc/loadavg').read_text().strip()}")
    if args.no_real:
        return 0
    if args.real.is_dir():
        real(args)
    else:
        print(f"no real archive at {args.real}: skipped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
