"""Running an evaluation: the gold records of a folder against records extracted now (or read from a
folder of predictions)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from ..catalog import load
from ..errors import InputError
from ..jsonio import loads
from .results import EvalResult
from .score import evaluate_pair


def load_gold(path: Path) -> dict[str, Any]:
    try:
        data = loads(path.read_bytes())
    except FileNotFoundError:
        raise InputError("missing", f"no such gold file: {path}") from None
    except json.JSONDecodeError as exc:
        raise InputError("gold", f"{path} is not valid JSON: {exc}") from None
    if not isinstance(data, dict) or "tables" not in data:
        raise InputError("gold", f"{path} is not a gold record (no tables)")
    return data


def _source_for(gold: dict[str, Any], gold_path: Path, src: str | None = None) -> Path:
    src = src if src is not None else (gold.get("source") or {}).get("path", "")
    cands = [Path(src), gold_path.parent.parent.parent / src, gold_path.parent.parent / "samples" / Path(src).name]
    for c in cands:
        if c.exists():
            return c
    raise InputError("missing", f"the document of {gold_path.name} ({src}) was not found")


def _rendering_name(path: str) -> str:
    """``x.pypdf.txt`` -> ``pypdf``; ``x.pdf`` -> ``pdf``."""
    name = Path(path).name
    if name.lower().endswith(".pdf"):
        return "pdf"
    return name.rsplit(".", 2)[-2] if name.count(".") >= 2 else Path(path).stem


def run_eval(gold_dir: Path, pred_dir: Path | None = None, profiles: tuple[str, ...] = (),
             pdf: bool = False) -> EvalResult:
    """Evaluate predictions (a directory of extracted JSON, or a fresh extraction) against gold.
    With ``pdf`` a gold record whose source is a PDF with text renderings also scores the PDF
    itself, read by position, as one more rendering (``[pdf]``)."""
    from ..jsonio import load_disclosure
    from ..options import ExtractOptions
    from ..pipeline import extract_file

    cat = load(profiles)
    files = sorted(gold_dir.glob("*.json"))
    if not files:
        raise InputError("missing", f"no gold files in {gold_dir}")
    docs = []
    for gp in files:
        gold = load_gold(gp)
        renderings = list((gold.get("source") or {}).get("renderings") or [])
        original = (gold.get("source") or {}).get("path", "")
        if pdf and renderings and original.lower().endswith(".pdf") and original not in renderings:
            # the PDF itself is one more rendering: read by position, page by page
            renderings.append(original)
        if renderings:
            # one gold record serves every rendering of a document: each is scored on its own
            for r in renderings:
                lib = _rendering_name(r)
                if pred_dir is not None:
                    pp = pred_dir / (Path(r).stem + ".json")
                    if not pp.exists():
                        raise InputError("missing", f"no prediction {pp} for gold {gp.name} ({lib})")
                    rpred: Any = load_disclosure(pp.read_bytes())
                else:
                    rpred = extract_file(_source_for(gold, gp, r), ExtractOptions(profiles=profiles))
                docs.append(evaluate_pair(f"{gp.stem} [{lib}]", gold, rpred, cat))
            continue
        if pred_dir is not None:
            pp = pred_dir / gp.name
            if not pp.exists():
                raise InputError("missing", f"no prediction {pp} for gold {gp.name}")
            pred: Any = load_disclosure(pp.read_bytes())
        else:
            src = _source_for(gold, gp)
            want = (gold.get("source") or {}).get("sha256")
            if want and hashlib.sha256(src.read_bytes()).hexdigest() != want:
                raise InputError("gold", f"{src} does not match the sha256 recorded in {gp.name}")
            pred = extract_file(src, ExtractOptions(profiles=profiles))
        docs.append(evaluate_pair(gp.stem, gold, pred, cat))
    return EvalResult(docs)
