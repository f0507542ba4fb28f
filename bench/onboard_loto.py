"""Leave-one-template-out onboarding on the real corpus, with no model.

For every template of ``eval/corpus`` (``bench/loto.py``): its titles and its own column aliases
are taken out of a copy of the catalog; ``onboard`` (no model) runs on one of its documents (the
pypdf rendering); the key figures of every rendering of its gold-labelled documents are printed
under the full catalog, the reduced one, and the reduced one plus the onboarded profile, with the
time onboarding took (wall clock and this process's CPU seconds: on a shared machine the wall
time counts other work too).  Done when every rendering is back within 2 points of the full catalog and
onboarding one document takes <= 10 s.

    python bench/onboard_loto.py [TEMPLATE...]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import loto
from fiscal_extract.catalog import extend, load
from fiscal_extract.onboard.engine import onboard_samples


def main(templates: list[str]) -> int:
    print(f"{'template':<14} {'rendering':<9} {'full':>6} {'reduced':>8} {'onboarded':>10} {'diff':>6}  "
          f"{'onboard s':>9} {'cpu s':>6}  removed (titles / aliases)")
    worst = 0.0
    slowest = slowest_cpu = 0.0
    for t in templates:
        docs = loto.reduced_docs(t)
        rm = loto.removed(t)
        t0, c0 = time.perf_counter(), time.process_time()
        res = onboard_samples([loto.onboarding_sample(t)], base=docs)
        secs, cpu = time.perf_counter() - t0, time.process_time() - c0
        slowest, slowest_cpu = max(slowest, secs), max(slowest_cpu, cpu)
        full = loto.key_figures(t, load())
        reduced = loto.key_figures(t, extend((), {}, docs))
        onboarded = loto.key_figures(t, extend((), res.profile, docs))
        for i, ((name, f), (_, r), (_, o)) in enumerate(zip(full, reduced, onboarded, strict=True)):
            worst = max(worst, f - o)
            extra = f"{secs:>9.1f} {cpu:>6.1f}  {len(rm['titles'])} / {len(rm['aliases'])}" if i == 0 else ""
            print(f"{t if i == 0 else '':<14} {name:<9} {f:>5.1f}% {r:>7.1f}% {o:>9.1f}% {o - f:>+6.1f}  {extra}")
    print(f"\nworst loss against the full catalog: {worst:.1f} points (goal <= 2); slowest onboarding: "
          f"{slowest:.1f} s wall, {slowest_cpu:.1f} s CPU (goal <= 10 s; wall time counts the machine's "
          "other load, CPU time this process only)")
    return 0 if worst <= 2 and slowest_cpu <= 10 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or list(loto.TEMPLATES)))
