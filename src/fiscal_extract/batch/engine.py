"""Bulk conversion of an archive: walk the folder tree, convert documents in parallel, resume
where an earlier run stopped, and export the output set to data stores.

Output folder::

    records/<path>.json   one record per document (compact JSON, one line), named after the
                          document's path in the archive
    manifest.sqlite       what each record was made from (see :mod:`fiscal_extract.batch.manifest`)
    errors.jsonl          one line per document that could not be converted, with the reason
    disclosures.jsonl, csv/, parquet/, disclosures.sqlite      the exports asked for

Records stream into SQLite as they are converted (:mod:`.stream`, from the thread that commits
the manifest: one writer); the export at the end completes it and writes the file stores.
Nothing grows with the archive in memory: the manifest and the stores are asked, never copied.

A document is skipped when its record exists for the same source bytes (SHA-256), the same
extractor version, catalog version (data files and profiles), backend and checks setting, and
for a PDF the same reading options (``--ocr``, ``--pages``, ``--as-one``).  Records are written under a
temporary name and renamed, so a run killed at any moment -- even ``kill -9`` -- and started again
loses nothing and duplicates nothing.  A document that fails gets an error line and never stops
the batch; SIGINT / SIGTERM stop it cleanly (no new documents are started, those in progress are
finished) and leave a state the next run resumes.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import hashlib
import os
import signal
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from .. import __version__
from ..atomic import atomic_write_bytes, remove_temporaries
from ..catalog import load
from ..errors import FiscalExtractError, InputError
from ..options import ExtractOptions
from ..pipeline import extract_source
from ..read.normalize import from_bytes
from .export import record_bytes
from .manifest import DEGRADED, RETRIED, Entry, GroupCommit, Key, Manifest
from .process import _locked, _quiet_worker
from .profiles import ProfileRule, for_document, plan_profiles
from .stores import ExportReport, export
from .stream import Rows, Streamer, rows_of
from .walk import DEFAULT_GLOBS, document_bytes, find_documents, record_path

if TYPE_CHECKING:
    from ..llm.client import LLMClient

Task = tuple[str, Entry | None]
"""A document to convert: its path in the archive and its state from earlier runs."""
T = TypeVar("T")


@dataclass(frozen=True)
class BatchOptions:
    extract: ExtractOptions = field(default_factory=ExtractOptions)
    jobs: int = 0
    """Worker processes for the rules backend (0: one per CPU).  The model backends run
    ``llm.concurrency`` documents at a time in threads sharing one client instead."""
    globs: tuple[str, ...] = DEFAULT_GLOBS
    exports: tuple[str, ...] = ("sqlite",)
    chunk: int = 2
    """Documents sent to a worker process at a time (one more chunk than workers is in flight:
    enough to keep them busy, little to finish when asked to stop)."""
    as_one: bool = False
    """The PDFs of one folder are one document (narrative and tables published apart)."""
    scheduler: str | None = None
    """The address of a dask.distributed scheduler (``tcp://host:8786``): the rules backend's
    documents then run on its workers (:mod:`.cluster`) instead of local processes."""
    profile_rules: tuple[ProfileRule, ...] = ()  # profiles for some documents only (--profile-map: .profiles)


@dataclass(frozen=True)
class Outcome:
    path: str
    status: Literal["ok", "partial", "failed", "skipped"]
    entry: Entry | None = None
    """The document's new state (``None`` when skipped: the old one stands)."""
    rows: Rows | None = None
    """The record's rows for the SQLite store (``Job.stream``), packed where it was made."""


@dataclass
class BatchSummary:
    documents: int = 0
    """Documents found in the archive."""
    ok: int = 0
    partial: int = 0
    """Records written whose model calls failed (redone on the next run)."""
    failed: int = 0
    skipped: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    """Failures of this run, by reason."""
    records: int = 0
    """Records the output folder holds (this run's and earlier runs', whatever their ``--glob``)."""
    errors: int = 0
    """Lines in errors.jsonl (documents of the folder whose latest state is a failure)."""
    failed_checks: Counter[str] = field(default_factory=Counter)
    """Failed checks in the folder's records, by cause."""
    profiles: Counter[str] = field(default_factory=Counter)  # records by the profiles read with ("": none)
    seconds: float = 0.0
    """Time spent converting (exports excluded)."""
    export: ExportReport | None = None
    stopped_by: int | None = None
    """The signal that stopped the run early, if one did."""

    @property
    def done(self) -> int:
        return self.ok + self.partial + self.failed + self.skipped

    @property
    def rate(self) -> float:
        """Documents converted or failed per second (skipped ones excluded)."""
        return (self.ok + self.partial + self.failed) / self.seconds if self.seconds > 0 else 0.0


Progress = Callable[[str, int, int], None]
"""``progress(phase, done, total)``; phase is ``convert`` or ``export``."""


class StopFlag(threading.Event):
    """Set when the run should stop; ``signum`` says which signal asked for it."""

    signum: int | None = None


@contextlib.contextmanager
def stop_on_signals(signals: Sequence[int] = (signal.SIGINT, signal.SIGTERM)) -> Iterator[StopFlag]:
    """While the block runs, the first SIGINT / SIGTERM sets the flag (a clean stop); a second
    one raises KeyboardInterrupt (stop now: records in progress are abandoned, the state stays
    resumable)."""
    flag = StopFlag()

    def handler(signum: int, frame: FrameType | None) -> None:
        if flag.is_set():
            raise KeyboardInterrupt
        flag.signum = signum
        flag.set()

    old = {s: signal.signal(s, handler) for s in signals}
    try:
        yield flag
    finally:
        for s, h in old.items():
            signal.signal(s, h)


@dataclass(frozen=True)
class Job:
    """What converting one document needs (sent to the workers with every chunk)."""

    in_dir: Path
    out_dir: Path
    options: ExtractOptions
    key: Key
    rules: tuple[ProfileRule, ...] = ()  # profiles for the documents they match (``key``: for all)
    durable: bool = False
    """Sync each record to disk as it is written (on a cluster: the client cannot sync the
    workers' disks in groups)."""
    as_one: bool = False
    """The PDFs of a folder are one document, read joined (``rel`` names the first)."""
    globs: tuple[str, ...] = DEFAULT_GLOBS
    stream: bool = False
    """Pack each record into the SQLite store's rows (:func:`.stream.rows_of`) in the worker."""

    def reading(self, key: Key, rel: str) -> Key:
        """What the record of ``rel`` depends on: a PDF's also on how it is read."""
        if not rel.lower().endswith(".pdf"):
            return key
        return dataclasses.replace(key, options=reading_key(self.options, self.as_one))


def reading_key(options: ExtractOptions, as_one: bool) -> str:
    """The PDF reading options that change a record (``--ocr``, ``--pages``, ``--as-one``), as
    :attr:`Key.options`: empty for the defaults, so manifests made before they were recorded hold."""
    parts = [f"ocr={options.ocr}" if options.ocr != "auto" else "", f"pages={options.pages}" if options.pages else ""]
    return ";".join(p for p in [*parts, "as-one" if as_one else ""] if p)


def convert_one(job: Job, rel: str, prev: Entry | None, client: LLMClient | None = None) -> Outcome:
    """Convert the document at ``rel`` unless its state ``prev`` still holds; never raises for a
    bad document (the failure becomes its state)."""
    out_rel = record_path(rel)
    out = job.out_dir / out_rel
    sha: str | None = None
    key, options = for_document(job.key, job.options, rel, job.rules)
    key = job.reading(key, rel)
    try:
        data = document_bytes(job.in_dir, rel, options.max_bytes, job.as_one, job.globs)
        sha = hashlib.sha256(data).hexdigest()
        if prev is not None and prev.up_to_date(sha, key) and (prev.status == "failed" or out.exists()):
            return Outcome(rel, "skipped")
        src = from_bytes(data, rel, options.pdf())
        record = extract_source(src, options, client=client)
        data = record_bytes(record, "jsonl") + b"\n"
        atomic_write_bytes(out, data, durable=job.durable)  # else made durable in groups by the parent (GroupCommit)
        causes = Counter(c.cause or "unknown" for c in record.checks if c.status == "fail")
        status: Literal["ok", "partial"] = "partial" if any(n.code in DEGRADED for n in record.notices) else "ok"
        entry = Entry(
            rel, status, sha, key.version, key.catalog, key.backend, key.checks,
            options=key.options,
            record=out_rel,
            record_sha256=hashlib.sha256(data).hexdigest(),
            tables=len(record.tables),
            rows=sum(len(t.rows) for t in record.tables),
            failed_checks=dict(sorted(causes.items())),
            profiles=list(key.profiles),
        )  # fmt: skip
        rows = rows_of(entry, record, data) if job.stream and status == "ok" else None
        return Outcome(rel, status, entry, rows)
    except InputError as exc:
        reason, message = exc.reason, str(exc)
    except FiscalExtractError as exc:
        reason, message = exc.code, str(exc)
    except Exception as exc:  # noqa: BLE001 - a bug must not stop the batch: the document gets an error line
        reason, message = "internal", _describe(exc)
    out.unlink(missing_ok=True)  # a record of what this source was before is no longer its record
    entry = Entry(rel, "failed", sha, key.version, key.catalog, key.backend, key.checks, reason=reason, message=message,
                  profiles=list(key.profiles), options=key.options)
    if entry == prev and reason not in RETRIED:
        return Outcome(rel, "skipped")
    return Outcome(rel, "failed", entry)


def convert_chunk(job: Job, tasks: list[Task], client: LLMClient | None = None) -> list[Outcome]:
    return [convert_one(job, rel, prev, client) for rel, prev in tasks]


def _describe(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" (at {Path(frames[-1].filename).name}:{frames[-1].lineno})" if frames else ""
    return f"{type(exc).__name__}: {exc}{where}"


def run_batch(
    in_dir: Path,
    out_dir: Path,
    options: BatchOptions | None = None,
    stop: threading.Event | None = None,
    progress: Progress | None = None,
    client: LLMClient | None = None,
) -> BatchSummary:
    """Convert every document of ``in_dir`` into ``out_dir`` and export the output set.

    The model backends share ``client`` (or one made from ``options.extract.llm_settings()``).

    Raises :class:`InputError` when ``in_dir`` is not a folder or another run holds ``out_dir``,
    and :class:`CatalogError` for a bad profile; a bad document never raises.
    """
    options = options or BatchOptions()
    stop = stop or threading.Event()
    if not in_dir.is_dir():
        raise InputError("missing", f"no such folder: {in_dir}")
    always, rules = plan_profiles(options.extract.profiles, options.profile_rules)
    cat = load(always)
    if options.scheduler is not None and options.extract.backend != "rules":
        raise InputError("usage", "a dask cluster runs the rules backend only (--backend rules)")
    job = Job(
        in_dir.resolve(),
        out_dir.resolve(),
        replace(options.extract, profiles=always),
        Key(__version__, cat.version, options.extract.backend, options.extract.checks, always),
        rules,
        durable=options.scheduler is not None,
        as_one=options.as_one,
        globs=options.globs,
        stream="sqlite" in options.exports,
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    summary = BatchSummary()
    with _locked(out_dir) as lock_fd:
        remove_temporaries(out_dir)
        manifest = Manifest.open(out_dir)
        try:
            summary.documents = sum(1 for _ in find_documents(in_dir, options.globs, out_dir, options.as_one))
            paths = find_documents(in_dir, options.globs, out_dir, options.as_one)  # walked again, never held
            t0 = time.perf_counter()
            with Streamer(out_dir, "sqlite" in options.exports) as streamer, GroupCommit(
                manifest, then=streamer.add
            ) as commit:
                _convert(job, options, paths, summary.documents, manifest, commit, summary, stop, progress, lock_fd,
                         client)  # fmt: skip
            summary.seconds = time.perf_counter() - t0
            _tally(manifest, summary)
            if stop.is_set():
                summary.stopped_by = getattr(stop, "signum", None) or signal.SIGINT
            elif options.exports:
                with _export_pool(options, lock_fd) as pool:
                    summary.export = export(
                        out_dir,
                        manifest,
                        options.exports,
                        stop,
                        None if progress is None else partial(progress, "export"),
                        pool,
                    )
                if summary.export.interrupted:
                    summary.stopped_by = getattr(stop, "signum", None) or signal.SIGINT
        finally:
            manifest.close()
    return summary


def _tally(manifest: Manifest, summary: BatchSummary) -> None:
    """What the folder holds: error lines, records and their failed checks (streamed)."""
    summary.errors = manifest.write_errors()
    summary.records, summary.failed_checks, summary.profiles = manifest.tally()


def _convert(
    job: Job,
    options: BatchOptions,
    paths: Iterator[str],
    total: int,
    manifest: Manifest,
    commit: GroupCommit,
    summary: BatchSummary,
    stop: threading.Event,
    progress: Progress | None,
    lock_fd: int,
    client: LLMClient | None,
) -> None:
    def record(o: Outcome) -> None:
        if o.entry is not None:
            commit.put(o.entry, o.rows)
        if o.status == "ok":
            summary.ok += 1
        elif o.status == "partial":
            summary.partial += 1
        elif o.status == "failed":
            summary.failed += 1
            summary.reasons[(o.entry.reason if o.entry else None) or "error"] += 1
        else:
            summary.skipped += 1
        if progress is not None:
            progress("convert", summary.done, total)

    if progress is not None:
        progress("convert", 0, total)
    if job.options.backend == "rules":
        jobs = options.jobs or os.cpu_count() or 1
        size = max(1, options.chunk)
        chunks = _task_chunks(((p, manifest.get(p)) for p in paths), size, job.key)
        crashed = partial(_crashed, job.key)
        if options.scheduler is not None:
            from .cluster import connect

            with connect(options.scheduler) as cluster:
                work, slots = partial(convert_chunk, job), 2 * cluster.slots
                _schedule(cluster.make_executor, work, chunks, slots, stop, record, crashed, cluster.crashes)
        elif jobs == 1:
            _schedule(_Inline, partial(convert_chunk, job), chunks, 1, stop, record, crashed)
        else:
            make = partial(
                ProcessPoolExecutor, jobs, initializer=_worker_init, initargs=(lock_fd, os.getpid(), job.options)
            )
            _schedule(make, partial(convert_chunk, job), chunks, jobs + 1, stop, record, crashed)
        return
    # the model backends: threads sharing one client (its cache, retries and token budget)
    settings = job.options.llm_settings()
    own = client is None and settings.configured
    if own:
        from ..llm.client import LLMClient

        client = LLMClient(settings)
    n = max(1, settings.concurrency)
    try:
        chunks = _chunks(((p, manifest.get(p)) for p in paths), 1)
        work = partial(convert_chunk, job, client=client)
        _schedule(partial(ThreadPoolExecutor, n), work, chunks, n, stop, record, partial(_crashed, job.key))
    finally:
        if own and client is not None:
            client.close()


@contextlib.contextmanager
def _export_pool(options: BatchOptions, lock_fd: int) -> Iterator[Executor | None]:
    """Worker processes that read and cut the records into tidy rows while this process writes the
    stores (about half an export's work), or ``None`` with one job."""
    jobs = options.jobs or os.cpu_count() or 1
    if jobs == 1:
        yield None
        return
    pool = ProcessPoolExecutor(jobs, initializer=_quiet_worker, initargs=(lock_fd, os.getpid()))
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


SKIP_CHUNK = 32
"""Documents sent to a worker at a time when they are likely to be skipped (a state of this
extractor and catalog): a rerun with little to do is mostly reading and hashing sources, and one
task per two documents would spend more on passing them to the workers than on that."""


def _task_chunks(tasks: Iterator[Task], size: int, key: Key) -> Iterator[list[Task]]:
    """Chunks of ``size`` tasks, but of :data:`SKIP_CHUNK` for the tasks whose state was made by
    this extractor and catalog (the worker decides whether they are skipped, as for every task)."""
    convert: list[Task] = []
    skip: list[Task] = []
    for task in tasks:
        prev, mine = task[1], (key.version, key.catalog)
        likely = prev is not None and prev.status != "partial" and (prev.version, prev.catalog) == mine
        chunk, limit = (skip, SKIP_CHUNK) if likely else (convert, size)
        chunk.append(task)
        if len(chunk) >= limit:
            yield chunk[:]
            chunk.clear()
    for chunk in (convert, skip):
        if chunk:
            yield chunk


def _chunks(items: Iterator[T], size: int) -> Iterator[list[T]]:
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _schedule(
    make_executor: Callable[[], Executor],
    work: Callable[[list[Task]], list[Outcome]],
    chunks: Iterator[list[Task]],
    in_flight: int,
    stop: threading.Event,
    record: Callable[[Outcome], None],
    crashed: Callable[[Task], Outcome],
    crashes: tuple[type[BaseException], ...] = (),
) -> None:
    """Feed ``chunks`` to an executor, at most ``in_flight`` at a time, until done or stopped.

    A worker process that dies (killed, out of memory) fails the documents it and its siblings
    held (reason ``crash``, tried again next run); a new pool carries on.  ``crashes`` are the
    exceptions by which another executor (a cluster) says the same of a task.
    """
    executor = make_executor()
    pending: dict[Future[list[Outcome]], list[Task]] = {}
    try:
        while True:
            while len(pending) < in_flight and not stop.is_set():
                chunk = next(chunks, None)
                if chunk is None:
                    break
                pending[executor.submit(work, chunk)] = chunk
            if not pending:
                return
            done, _ = wait(pending, timeout=0.25, return_when=FIRST_COMPLETED)
            broken = False
            for fut in done:
                chunk = pending.pop(fut)
                try:
                    outcomes = fut.result()
                except (BrokenProcessPool, *crashes) as exc:
                    broken = broken or isinstance(exc, BrokenProcessPool)
                    if stop.is_set():
                        continue  # stopping anyway: these are redone next run
                    outcomes = [crashed(task) for task in chunk]
                for o in outcomes:
                    record(o)
            if broken and not stop.is_set():
                executor.shutdown(wait=True)
                executor = make_executor()
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _crashed(key: Key, task: Task) -> Outcome:
    rel = task[0]
    message = "the worker process converting this document died (killed or out of memory)"
    e = Entry(rel, "failed", None, key.version, key.catalog, key.backend, key.checks, reason="crash", message=message)
    return Outcome(rel, "failed", e)


class _Inline(Executor):
    """Runs each task at once in the calling thread (``--jobs 1``)."""

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        f: Future[T] = Future()
        try:
            f.set_result(fn(*args, **kwargs))
        except Exception as exc:  # noqa: BLE001 - handed to the caller through the future, as a pool does
            f.set_exception(exc)
        return f


def _worker_init(lock_fd: int, parent: int, options: ExtractOptions) -> None:
    """In each converting worker: :func:`_quiet_worker`, then load the catalog once -- and freeze
    it out of the garbage collector's sight (it lives as long as the worker; scanning it again and
    again costs ~8 %) and collect less often (another ~8 %)."""
    _quiet_worker(lock_fd, parent)
    load(options.profiles)
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)  # a document makes ~100k short-lived objects and few cycles
