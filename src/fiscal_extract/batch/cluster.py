"""The documents of a batch on a dask.distributed cluster (``batch --engine dask --scheduler ADDR``).

The same per-document function as the local engine (:func:`~.engine.convert_chunk`) runs on the
cluster's workers, a chunk of documents per task; the workers read the archive and write the
records (atomically, and durably: the client cannot sync another machine's disk) to the output
folder, which must be the same path on every worker and on the client (a shared file system).
The client keeps the manifest and the stores and drives everything else exactly as a local run:
skips, resume, progress, summary, error lines.

A worker that dies takes its tasks with it; the scheduler hands them to another worker (dask
retries a task whose workers died up to ``distributed.scheduler.allowed-failures`` times), and a
record written twice is the same bytes renamed into place twice: nothing is lost or duplicated.
A task that kills every worker it lands on ends as ``KilledWorker``: its documents get the reason
``crash`` and are tried again on the next run, like a local worker process that died.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from concurrent.futures import Executor
from dataclasses import dataclass

from ..errors import InputError

CONNECT_SECONDS = 30.0
"""How long to try to reach the scheduler (and to wait for a first worker)."""


@dataclass(frozen=True)
class Cluster:
    make_executor: Callable[[], Executor]
    """A ``concurrent.futures`` executor whose tasks run on the cluster."""
    slots: int
    """Tasks the cluster runs at once (the workers' threads)."""
    crashes: tuple[type[BaseException], ...]
    """What a task raises when the workers that ran it died."""


@contextlib.contextmanager
def connect(address: str, timeout: float | None = None) -> Iterator[Cluster]:
    """A client of the scheduler at ``address`` (``tcp://host:8786``) for the block.

    Raises :class:`InputError` when dask.distributed is not installed or the scheduler cannot be
    reached in ``timeout`` seconds (default :data:`CONNECT_SECONDS`).
    """
    timeout = CONNECT_SECONDS if timeout is None else timeout
    try:
        from distributed import Client, KilledWorker
        from distributed.cfexecutor import ClientExecutor
    except ImportError:
        raise InputError("missing", "--engine dask needs dask.distributed: pip install 'dask[distributed]'") from None

    class _Executor(ClientExecutor):  # type: ignore[misc]
        def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
            super().shutdown(wait=wait and not cancel_futures)

    try:
        client = Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise InputError("missing", f"cannot reach the dask scheduler at {address}: {exc}") from None
    try:
        client.wait_for_workers(1, timeout=timeout)
        slots = max(1, sum(client.nthreads().values()))
        yield Cluster(lambda: _Executor(client, pure=False), slots, (KilledWorker,))
    except TimeoutError:
        raise InputError("missing", f"the dask scheduler at {address} has no workers") from None
    finally:
        client.close()
