"""The ``batch`` command: convert a whole archive.

Kept in its own module (registered on the app in :mod:`fiscal_extract.cli.app`).  It parses
arguments, shows a progress bar, calls :func:`fiscal_extract.batch.engine.run_batch` and prints its
summary; an interrupted run exits with 128 + the signal number (130 for Ctrl-C, 143 for SIGTERM).
"""

from __future__ import annotations

import json
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..read.normalize import DEFAULT_MAX_BYTES
from .llm import BudgetOpt, CacheDirOpt, LLMConfigOpt, ModelOpt, NoCacheOpt
from .options import BackendName, MaxBytesOpt, OcrMode, OcrOpt, PagesOpt, ProfileOpt, fail

if TYPE_CHECKING:
    from ..batch.engine import BatchSummary

EXPORT_HELP = "Stores to export the output set to, comma-separated: jsonl,csv,parquet,sqlite (or none)."


def batch(
    in_dir: Annotated[Path, typer.Argument(help="The archive: a folder searched recursively for documents.")],
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Output folder: records, manifest, errors, exports.")],
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", help="Worker processes for the rules backend (0: one per CPU).")
    ] = 0,
    backend: Annotated[
        BackendName | None,
        typer.Option(
            "--backend",
            "-b",
            help="rules (documents in worker processes); hybrid or llm (documents in threads sharing one "
            "model client, llm.concurrency at a time). Default: hybrid when a model is configured.",
        ),
    ] = None,
    engine: Annotated[
        str,
        typer.Option(
            "--engine",
            help="local (worker processes on this machine) or dask (the workers of a dask.distributed "
            "cluster: give --scheduler; the output folder must be on a file system they share).",
        ),
    ] = "local",
    scheduler: Annotated[
        str | None, typer.Option("--scheduler", help="Address of the dask scheduler, e.g. tcp://10.0.0.5:8786.")
    ] = None,
    exports: Annotated[str, typer.Option("--export", "-e", help=EXPORT_HELP)] = "sqlite",
    globs: Annotated[
        list[str] | None,
        typer.Option("--glob", "-g", help="File pattern to pick up; repeatable (default: *.txt *.md *.html *.htm)."),
    ] = None,
    checks: Annotated[bool, typer.Option("--checks/--no-checks", help="Run the arithmetic checks.")] = True,
    profile: ProfileOpt = None,
    profile_map: Annotated[
        Path | None,
        typer.Option(
            "--profile-map",
            help='TOML of "glob" = "profile" (or a list): the first glob a document\'s path in the archive '
            "matches gives its profiles (a mixed archive in one run). A --profile that declares "
            "[match] paths is used for the documents those globs match only.",
        ),
    ] = None,
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
    show_progress: Annotated[
        bool | None,
        typer.Option("--progress/--no-progress", help="Show a progress bar (default: when stderr is a terminal)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    llm_config: LLMConfigOpt = None,
    model: ModelOpt = None,
    no_cache: NoCacheOpt = False,
    cache_dir: CacheDirOpt = None,
    token_budget: BudgetOpt = None,
    ocr: OcrOpt = OcrMode.auto,
    pages: PagesOpt = None,
    as_one: Annotated[
        bool, typer.Option("--as-one", help="The PDFs of each folder are one document (narrative and tables "
                           "published apart), joined by file name; without it every PDF is a document.")
    ] = False,
) -> None:
    """Convert every document of an archive in parallel, resumably, and export the output set."""
    from ..batch.engine import BatchOptions, run_batch, stop_on_signals
    from ..batch.profiles import read_profile_map
    from ..batch.stores import FORMATS
    from ..batch.walk import DEFAULT_GLOBS
    from ..errors import FiscalExtractError
    from ..options import ExtractOptions, default_backend
    from .llm import model_client, settings_from

    formats = tuple(f.strip().lower() for f in exports.split(",") if f.strip() and f.strip().lower() != "none")
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise fail(f"unknown export format {', '.join(unknown)} (choose from {', '.join(FORMATS)}, or none)")
    if engine not in ("local", "dask"):
        raise fail(f"unknown engine {engine} (choose local or dask)")
    if (engine == "dask") != (scheduler is not None):
        raise fail("--engine dask needs --scheduler ADDR (and --scheduler needs --engine dask)")
    settings = settings_from(llm_config, model, no_cache, cache_dir, token_budget)
    try:
        rules = read_profile_map(profile_map) if profile_map is not None else ()
    except FiscalExtractError as exc:
        raise fail(str(exc)) from None
    chosen = backend.value if backend is not None else default_backend(settings)
    options = BatchOptions(
        extract=ExtractOptions(
            backend=chosen,
            profiles=tuple(str(p) for p in profile or ()),
            max_bytes=max_bytes,
            checks=checks,
            llm=settings,
            ocr=ocr.value,
            pages=pages,
        ),
        as_one=as_one,
        jobs=jobs,
        globs=tuple(globs) if globs else DEFAULT_GLOBS,
        exports=formats,
        scheduler=scheduler,
        profile_rules=rules,
    )
    bar = sys.stderr.isatty() if show_progress is None else show_progress
    try:
        with model_client(settings, chosen) as client, stop_on_signals() as stop, _progress(bar) as progress:
            summary = run_batch(in_dir, out_dir, options, stop, progress, client)
    except FiscalExtractError as exc:
        raise fail(str(exc)) from None
    except KeyboardInterrupt:
        typer.echo("fiscal-extract: stopped at once; run the same command again to resume", err=True)
        raise typer.Exit(130) from None
    if as_json:
        typer.echo(json.dumps(summary_dict(summary), ensure_ascii=False, indent=2))
    else:
        typer.echo(summary_text(summary, out_dir))
    if summary.stopped_by is not None:
        raise typer.Exit(128 + summary.stopped_by)


def summary_dict(s: BatchSummary) -> dict[str, Any]:
    return {
        "documents": s.documents,
        "ok": s.ok,
        "partial": s.partial,
        "failed": s.failed,
        "skipped": s.skipped,
        "failures": dict(sorted(s.reasons.items())),
        "records": s.records,
        "errors": s.errors,
        "failed_checks": dict(sorted(s.failed_checks.items())),
        "profiles": dict(sorted(s.profiles.items())),
        "seconds": round(s.seconds, 3),
        "docs_per_second": round(s.rate, 2),
        "export": None
        if s.export is None
        else {
            "documents": s.export.documents,
            "files": s.export.files,
            "left_out": [{"path": p, "reason": r} for p, r in s.export.left_out],
            "written": s.export.written,
            "seconds": round(s.export.seconds, 3),
            "interrupted": s.export.interrupted,
        },
        "stopped_by": None if s.stopped_by is None else signal.Signals(s.stopped_by).name,
    }


def summary_text(s: BatchSummary, out_dir: Path) -> str:
    def counts(c: dict[str, int]) -> str:
        return ", ".join(f"{k} {v}" for k, v in sorted(c.items())) or "none"

    lines = [
        f"{s.ok + s.partial} converted, {s.failed} failed, {s.skipped} skipped (up to date) of {s.documents} documents"
        f" in {s.seconds:.1f} s ({s.rate:.1f} docs/s)",
    ]
    if s.partial:
        lines.append(f"{s.partial} partial (model calls failed; redone on the next run)")
    if s.failed:
        lines.append(f"failed now: {counts(s.reasons)}")
    lines.append(f"{s.records} records in {out_dir}; {s.errors} documents in errors.jsonl")
    if any(s.profiles):
        lines.append("records by profile: " + ", ".join(f"{k or '(none)'} {v}" for k, v in sorted(s.profiles.items())))
    fc = {k: s.failed_checks.get(k, 0) for k in ("source", "extraction", "unknown")}
    lines.append(f"checks failed by cause: {counts(fc)}")
    if s.export is not None:
        written = ", ".join(f"{f} {n}" for f, n in s.export.written.items())
        state = "stopped" if s.export.interrupted else f"{s.export.seconds:.1f} s"
        lines.append(f"exported {s.export.documents} documents (written now: {written}) in {state}")
        copies = s.export.files - s.export.documents
        if copies > 0:
            lines.append(
                f"{s.export.files} files hold these {s.export.documents} documents: {copies} are byte-identical copies"
                " of another file, exported once (every path is kept: manifest, records/, and the SQLite table"
                " document_paths)"
            )
        if s.export.left_out:
            shown = "; ".join(f"{p}: {r}" for p, r in s.export.left_out[:5])
            more = f" (and {len(s.export.left_out) - 5} more)" if len(s.export.left_out) > 5 else ""
            lines.append(f"left out of the exports, their records kept: {shown}{more}")
    if s.stopped_by is not None:
        lines.append(f"stopped by {signal.Signals(s.stopped_by).name}: run the same command again to resume")
    return "\n".join(lines)


@contextmanager
def _progress(enabled: bool) -> Iterator[Any]:
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        Task,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class Rate(ProgressColumn):
        def render(self, task: Task) -> Text:
            speed = task.finished_speed or task.speed
            return Text(f"{speed:6.1f} docs/s" if speed else "     - docs/s")

    bar = Progress(
        TextColumn("{task.description:8}"),
        BarColumn(),
        MofNCompleteColumn(),
        Rate(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=Console(stderr=True),
    )
    tasks: dict[str, Any] = {}

    def update(phase: str, done: int, total: int) -> None:
        if phase not in tasks:
            tasks[phase] = bar.add_task(phase, total=total)
        bar.update(tasks[phase], completed=done, total=total)

    with bar:
        yield update
