"""Writing records: one JSON file per document, or JSON Lines."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from .. import jsonio
from ..atomic import atomic_write_bytes
from ..errors import FiscalExtractError, InputError
from ..models import Disclosure
from ..options import ExtractOptions
from ..pipeline import extract_file

if TYPE_CHECKING:
    from ..llm.client import LLMClient


def record_text(record: Disclosure, fmt: str) -> str:
    return jsonio.model_json(record, indent=None if fmt == "jsonl" else 2)


def record_bytes(record: Disclosure, fmt: str) -> bytes:
    """:func:`record_text` encoded as UTF-8 (cheaper to get than the text, for writing to a file)."""
    return jsonio.model_json_bytes(record, indent=None if fmt == "jsonl" else 2)


def output_names(files: list[Path]) -> dict[Path, str]:
    """The record file of each document: ``<stem>.json``; where two documents share a stem
    (``a/x.txt``, ``b/x.txt``), their paths below the folder the inputs share (``a/x.json``,
    ``b/x.json``), with the suffix kept where that still collides (``x.txt.json``, ``x.md.json``).
    Raises :class:`InputError` before anything is written if names still collide."""
    names = {f: f"{f.stem}.json" for f in files}
    if len(set(names.values())) == len(files):
        return names
    resolved = {f: f.resolve() for f in files}
    root = Path(os.path.commonpath([r.parent for r in resolved.values()]))
    names = {f: r.relative_to(root).with_suffix(".json").as_posix() for f, r in resolved.items()}
    if len(set(names.values())) < len(files):
        names = {f: r.relative_to(root).as_posix() + ".json" for f, r in resolved.items()}
    seen: dict[str, Path] = {}
    for f, name in names.items():
        if name in seen:
            raise InputError("collision", f"{seen[name]} and {f} would both be written to {name}: "
                             "nothing written (give them separately)")
        seen[name] = f
    return names


def write_records(
    files: Iterable[Path], options: ExtractOptions, out_dir: Path | None, fmt: str, stdout: TextIO,
    client: LLMClient | None = None,
) -> list[tuple[str, str]]:
    """Extract every file; a file that fails is reported and the others still written.

    With one file and no ``out_dir`` an unreadable input raises (the CLI prints the reason).
    Returns ``(path, message)`` for every failed document.  ``client`` is the model client the
    documents share (its cache and token budget are per run).
    """
    files = list(dict.fromkeys(files))  # a file named twice is one document
    names = output_names(files) if out_dir is not None and fmt == "json" else {}
    failures: list[tuple[str, str]] = []
    lines: list[bytes] = []
    for f in files:
        try:
            record = extract_file(f, options, client)
        except FiscalExtractError as exc:
            if len(files) == 1 and out_dir is None:
                raise
            failures.append((str(f), str(exc)))
            continue
        if out_dir is None:
            stdout.write(record_text(record, "jsonl" if len(files) > 1 or fmt == "jsonl" else "json") + "\n")
        elif fmt == "jsonl":
            lines.append(record_bytes(record, "jsonl"))
        else:
            atomic_write_bytes(out_dir / names[f], record_bytes(record, "json") + b"\n")
    if out_dir is not None and fmt == "jsonl":
        atomic_write_bytes(out_dir / "records.jsonl", b"".join(line + b"\n" for line in lines))
    return failures


def join_documents(files: list[Path], options: ExtractOptions) -> Path:
    """Several PDFs of one document (narrative and tables published apart) joined, in the order
    given, into one PDF in a fresh temporary folder, named after the first; raises InputError
    for a file that is not a PDF."""
    import tempfile

    from ..errors import InputError
    from ..read.normalize import read_bytes
    from ..read.pdf import is_pdf, join_pdfs

    parts = []
    for f in files:
        data = read_bytes(f, options.max_bytes)
        if not is_pdf(data):
            raise InputError("not_pdf", f"--as-one joins PDFs; {f} is not a PDF")
        parts.append(data)
    out = Path(tempfile.mkdtemp(prefix="fiscal-extract-")) / f"{Path(files[0]).stem}.pdf"
    atomic_write_bytes(out, join_pdfs(parts))
    return out
