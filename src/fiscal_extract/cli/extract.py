"""``fiscal-extract extract``: one record per document (:func:`fiscal_extract.batch.export.write_records`)."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ..errors import FiscalExtractError
from ..options import ExtractOptions
from ..read.normalize import DEFAULT_MAX_BYTES
from .llm import BudgetOpt, CacheDirOpt, LLMConfigOpt, ModelOpt, NoCacheOpt, model_client, settings_from
from .options import BackendName, MaxBytesOpt, OcrMode, OcrOpt, PagesOpt, ProfileOpt
from .options import fail as _fail


class OutputFormat(StrEnum):
    json = "json"
    jsonl = "jsonl"


def extract(
    files: Annotated[list[Path], typer.Argument(help="Documents: text (UTF-8, GB18030, UTF-16 with BOM) or PDF.")],
    out_dir: Annotated[Path | None, typer.Option("--out", "-o", help="Write one record per document here.")] = None,
    fmt: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="json: one file per document; jsonl: one line each.")
    ] = OutputFormat.json,
    backend: Annotated[
        BackendName | None,
        typer.Option("--backend", "-b", help="rules; hybrid (rules, then the model for what they leave "
                     "unresolved; the default when a model is configured); llm (the model reads every table)."),
    ] = None,
    profile: ProfileOpt = None,
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
    llm_config: LLMConfigOpt = None,
    model: ModelOpt = None,
    no_cache: NoCacheOpt = False,
    cache_dir: CacheDirOpt = None,
    token_budget: BudgetOpt = None,
    ocr: OcrOpt = OcrMode.auto,
    pages: PagesOpt = None,
    as_one: Annotated[
        bool, typer.Option("--as-one", help="The PDFs given are one document (narrative and tables published apart).")
    ] = False,
) -> None:
    """Extract one Disclosure record per document (to stdout for one file without -o)."""
    from ..batch.export import write_records
    from ..options import default_backend

    settings = settings_from(llm_config, model, no_cache, cache_dir, token_budget)
    chosen = backend.value if backend is not None else default_backend(settings)
    options = ExtractOptions(backend=chosen, profiles=tuple(str(p) for p in profile or ()), max_bytes=max_bytes,
                             llm=settings, ocr=ocr.value, pages=pages)
    try:
        if as_one:
            from ..batch.export import join_documents

            files = [join_documents(files, options)]
        with model_client(settings, chosen) as client:
            failures = write_records(files, options, out_dir, fmt.value, sys.stdout, client)
    except FiscalExtractError as exc:
        raise _fail(str(exc)) from None
    for path, message in failures:
        typer.echo(f"fiscal-extract: error: {path}: {message}", err=True)
    if failures:
        raise typer.Exit(2)
