"""A synthetic archive made from the sample documents, for the batch bench and tests.

    python bench/synth.py DEST N [--seed S] [--bad F]

Each document is a sample with another department name (city + district + bureau) and a few
figures changed by one digit, saved under ``<city>/<year>/`` as UTF-8 (most), GB18030 or UTF-16
with a byte-order mark.  Some share a file name with a document in another folder, a few are
byte-identical copies of another document, and a fraction ``--bad`` are damaged or not documents
at all: empty, binary, in an unknown encoding, prose that is no disclosure, cut short, or larger
than the default input limit (a sparse file: no disk used).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "eval" / "samples").glob("*.txt"))

CITIES = ("平顶山市", "洛阳市", "郑州市", "开封市", "安阳市", "新乡市", "许昌市", "南阳市", "信阳市", "登封市")
DISTRICTS = ("石龙区", "新华区", "卫东区", "湛河区", "高新区", "经开区", "西工区", "金水区", "龙亭区", "文峰区")
BUREAUS = (
    "政务服务和大数据管理局",
    "财政局",
    "教育局",
    "卫生健康委员会",
    "农业农村局",
    "自然资源局",
    "交通运输局",
    "民政局",
    "人力资源和社会保障局",
    "市场监督管理局",
)
BAD_KINDS = ("empty", "binary", "encoding", "not_a_disclosure", "truncated", "huge")
HUGE_BYTES = 60 * 1024 * 1024
"""Over the default input limit (2 MiB)."""
_FIGURE = re.compile(r"(?<![\d.])\d{1,6}\.\d{2}(?![\d.])")
_PROSE = "今天天气很好，我们去公园散步，看见湖边的柳树发了新芽。\n" * 40


@dataclass
class Archive:
    root: Path
    documents: list[str] = field(default_factory=list)
    """Relative paths of every file written."""
    bad: dict[str, str] = field(default_factory=dict)
    """Relative path -> kind of damage, for the bad files."""
    copies: list[str] = field(default_factory=list)
    """Byte-identical copies of another document."""

    def counts(self) -> Counter[str]:
        return Counter(self.bad.values())


@cache
def _samples() -> tuple[tuple[str, str], ...]:
    """(text, department) of every sample."""
    from fiscal_extract.pipeline import extract_file

    out = []
    for f in SAMPLES:
        dept = extract_file(f).meta.department or ""
        out.append((f.read_text(encoding="utf-8"), dept))
    return tuple(out)


def vary(text: str, dept: str, rng: random.Random) -> tuple[str, str]:
    """Another department's copy: renamed, with one digit changed in a few figures."""
    name = rng.choice(CITIES) + rng.choice(DISTRICTS) + rng.choice(BUREAUS)
    if dept:
        text = text.replace(dept, name)
    figures = list(_FIGURE.finditer(text))
    parts: list[str] = []
    last = 0
    for m in sorted(rng.sample(figures, min(3, len(figures))), key=lambda m: m.start()):
        old = m.group()
        new = old[:-1] + str((int(old[-1]) + rng.randint(1, 9)) % 10)
        parts += [text[last : m.start()], new]
        last = m.end()
    parts.append(text[last:])
    return "".join(parts), name


def make_archive(dest: Path, n: int, seed: int = 0, bad: float = 0.03, samples: int | None = None) -> Archive:
    """Write ``n`` files under ``dest`` (``samples``: use only the first k sample documents)."""
    rng = random.Random(seed)
    pool = _samples()[: samples or None]
    arch = Archive(dest)
    n_bad = round(n * bad)
    bad_at = set(rng.sample(range(n), n_bad)) if n_bad else set()
    k = 0
    for i in range(n):
        city, year = rng.choice(CITIES), rng.choice((2022, 2023, 2024))
        folder = f"{city}/{year}"
        if i in bad_at:
            kind = BAD_KINDS[k % len(BAD_KINDS)]
            k += 1
            rel = f"{folder}/damaged_{i:05d}.txt"
            _write_bad(dest / rel, kind, rng)
            arch.bad[rel] = kind
            arch.documents.append(rel)
            continue
        if arch.documents and i % 97 == 96:
            src = next(d for d in reversed(arch.documents) if d not in arch.bad)
            rel = f"副本/{i:05d}_{Path(src).name}"
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            (dest / rel).write_bytes((dest / src).read_bytes())
            arch.copies.append(rel)
            arch.documents.append(rel)
            continue
        text, dept = pool[i % len(pool)]
        text, name = vary(text, dept, rng)
        stem = "部门预算" if i % 25 == 0 else f"{name}_{i:05d}"  # same names in different folders
        rel = f"{folder}/{stem}.txt"
        if (dest / rel).exists():
            rel = f"{folder}/{stem}_{i:05d}.txt"
        r = rng.random()
        data = text.encode("gb18030") if r < 0.10 else text.encode("utf-16") if r < 0.15 else text.encode("utf-8")
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        (dest / rel).write_bytes(data)
        arch.documents.append(rel)
    return arch


def _write_bad(path: Path, kind: str, rng: random.Random) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "empty":
        path.write_bytes(b"" if rng.random() < 0.5 else b"  \n\n ")
    elif kind == "binary":
        path.write_bytes(bytes(rng.randrange(256) for _ in range(4096)) + b"\x00" * 64)
    elif kind == "encoding":
        path.write_bytes(bytes([0x81, 0x20]) * 200 + "预算".encode())
    elif kind == "not_a_disclosure":
        path.write_text(_PROSE, encoding="utf-8")
    elif kind == "truncated":
        text, _ = _samples()[rng.randrange(len(_samples()))]
        data = text.encode("utf-8")
        path.write_bytes(data[: rng.randrange(len(data) // 20, len(data) // 2)])
    elif kind == "huge":
        with path.open("wb") as fh:
            fh.truncate(HUGE_BYTES)
    else:
        raise ValueError(kind)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("dest", type=Path)
    ap.add_argument("n", type=int)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--bad", type=float, default=0.03)
    args = ap.parse_args()
    if args.dest.exists() and any(args.dest.iterdir()):
        print(f"{args.dest} is not empty", file=sys.stderr)
        return 2
    arch = make_archive(args.dest, args.n, args.seed, args.bad)
    size = sum(os.path.getsize(args.dest / d) for d in arch.documents if arch.bad.get(d) != "huge")
    damaged = dict(arch.counts())
    print(f"{len(arch.documents)} files ({size / 1e6:.0f} MB), damaged: {damaged}, copies: {len(arch.copies)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
