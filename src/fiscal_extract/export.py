"""Writing records: one JSON file per document, or JSON Lines."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from . import jsonio
from .errors import FiscalExtractError
from .models import Disclosure
from .options import ExtractOptions
from .pipeline import extract_file

if TYPE_CHECKING:
    from .llm.client import LLMClient


TMP_SUFFIX = ".tmp"
"""Temporary files are ``.<name>.<random>.tmp`` next to their target (a killed run may leave some)."""


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path to write that is renamed onto ``path`` when the block ends.

    Readers of ``path`` see the old file or the new one, never a part.  If the block raises, the
    temporary file is removed; if the process is killed, it is left for :func:`remove_temporaries`.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TMP_SUFFIX, dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@contextmanager
def atomic_open(path: Path, newline: str | None = None, durable: bool = True) -> Iterator[TextIO]:
    """A UTF-8 text file to write that appears at ``path`` whole, or not at all.

    ``durable``: flushed to disk (``fsync``) before it appears, so that it survives a power loss
    too.  A writer of many files can pass ``False`` and make them durable together with one
    :func:`sync_folder` (a crash of the process itself never loses a renamed file either way).
    """
    with atomic_path(path) as tmp, tmp.open("w", encoding="utf-8", newline=newline) as fh:
        yield fh
        if durable:
            fh.flush()
            os.fsync(fh.fileno())


def atomic_write(path: Path, text: str, durable: bool = True) -> None:
    """Write a file so that readers see either the old content or the new, never a part."""
    atomic_write_bytes(path, text.encode("utf-8"), durable)


def atomic_write_bytes(path: Path, data: bytes, durable: bool = True) -> None:
    """:func:`atomic_write` for UTF-8 text already encoded (line breaks written as text mode would);
    ``durable``: flushed to disk (``fsync``) before it appears."""
    if os.linesep != "\n":
        data = data.replace(b"\n", os.linesep.encode("ascii"))
    with atomic_path(path) as tmp, tmp.open("wb") as fh:
        fh.write(data)
        if durable:
            fh.flush()
            os.fsync(fh.fileno())


def sync_folder(path: Path) -> None:
    """Flush everything written to the file system that holds ``path`` to disk: one ``syncfs``
    for many files, instead of an ``fsync`` each (about 6 ms each here).  Where ``syncfs`` is
    missing (not Linux) the whole system is synced."""
    fd = os.open(path, os.O_RDONLY)
    try:
        syncfs = _syncfs()
        if syncfs is None or syncfs(fd) != 0:
            os.sync()
    finally:
        os.close(fd)


@cache
def _syncfs() -> Callable[[int], int] | None:
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).syncfs  # type: ignore[no-any-return]
    except (OSError, AttributeError):
        return None


def remove_temporaries(directory: Path) -> int:
    """Delete the temporary files a killed writer left under ``directory``; returns how many."""
    n = 0
    for tmp in directory.rglob(f".*{TMP_SUFFIX}"):
        if tmp.is_file():
            tmp.unlink(missing_ok=True)
            n += 1
    return n


def record_text(record: Disclosure, fmt: str) -> str:
    return jsonio.model_json(record, indent=None if fmt == "jsonl" else 2)


def record_bytes(record: Disclosure, fmt: str) -> bytes:
    """:func:`record_text` encoded as UTF-8 (cheaper to get than the text, for writing to a file)."""
    return jsonio.model_json_bytes(record, indent=None if fmt == "jsonl" else 2)


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
            atomic_write_bytes(out_dir / f"{Path(f).stem}.json", record_bytes(record, "json") + b"\n")
    if out_dir is not None and fmt == "jsonl":
        atomic_write_bytes(out_dir / "records.jsonl", b"".join(line + b"\n" for line in lines))
    return failures
