"""Writing records: one JSON file per document, or JSON Lines."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from . import jsonio
from .errors import FiscalExtractError
from .models import Disclosure
from .options import ExtractOptions
from .pipeline import extract_file

if TYPE_CHECKING:
    from .llm.client import LLMClient


def atomic_write(path: Path, text: str) -> None:
    """Write a file so that readers see either the old content or the new, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def record_text(record: Disclosure, fmt: str) -> str:
    return jsonio.dumps(record, indent=None if fmt == "jsonl" else 2)


def write_records(
    files: Iterable[Path], options: ExtractOptions, out_dir: Path | None, fmt: str, stdout: TextIO,
    client: LLMClient | None = None,
) -> list[tuple[str, str]]:
    """Extract every file; a file that fails is reported and the others still written.

    With one file and no ``out_dir`` an unreadable input raises (the CLI prints the reason).
    Returns ``(path, message)`` for every failed document.  ``client`` is the model client the
    documents share (its cache and token budget are per run).
    """
    files = list(files)
    failures: list[tuple[str, str]] = []
    lines: list[str] = []
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
            lines.append(record_text(record, "jsonl"))
        else:
            atomic_write(out_dir / f"{Path(f).stem}.json", record_text(record, "json") + "\n")
    if out_dir is not None and fmt == "jsonl":
        atomic_write(out_dir / "records.jsonl", "".join(line + "\n" for line in lines))
    return failures
