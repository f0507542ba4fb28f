"""Files that appear whole or not at all: write to a temporary file next to the target, then rename.

Used by every writer of the package (records, manifests, stores, profiles).  Imports nothing of
the package."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    pass


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
    tmp = Path(name)
    try:
        os.fchmod(fd, file_mode())  # mkstemp makes 0600: every output follows the umask instead
        os.close(fd)
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
def file_mode() -> int:
    """The permissions a new file gets under the process's umask (what ``open(..., "w")`` gives)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


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
