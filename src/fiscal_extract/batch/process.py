"""The batch's process plumbing: worker processes that leave signals and the output folder's lock
to the parent and die with it, and the lock itself (one run per output folder)."""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Iterator
from pathlib import Path

from ..errors import InputError

try:
    import fcntl
except ImportError:  # Windows: the output folder is not locked
    fcntl = None  # type: ignore[assignment]

LOCK = ".lock"


def _quiet_worker(lock_fd: int, parent: int) -> None:
    """In each worker process: leave signals to the parent (it finishes the work in flight and
    stops cleanly), die with the parent (``kill -9`` of the batch leaves no orphans) and let go of
    the output folder's lock."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    with contextlib.suppress(OSError):
        os.close(lock_fd)
    _die_with_parent(parent)


def _die_with_parent(parent: int) -> None:
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG (Linux)
    except (OSError, AttributeError):
        return  # not Linux: a worker may outlive a killed parent (its writes stay atomic)
    if os.getppid() != parent:
        os._exit(1)


@contextlib.contextmanager
def _locked(out_dir: Path) -> Iterator[int]:
    """Hold the output folder for this run (another run on the same folder is refused; where
    ``fcntl`` is missing -- Windows -- the folder is not locked)."""
    fd = os.open(out_dir / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise InputError("locked", f"another batch run is writing to {out_dir}") from None
        yield fd
    finally:
        os.close(fd)
