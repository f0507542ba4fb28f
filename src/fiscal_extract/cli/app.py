"""Command-line interface: parse arguments, call one library function, print its result.

Errors raised by the library become one-line messages and non-zero exit codes here, and only
here.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from .. import __version__
from ..errors import FiscalExtractError
from ..options import ExtractOptions
from .batch import batch
from .llm import (
    BudgetOpt,
    CacheDirOpt,
    LLMConfigOpt,
    ModelOpt,
    NoCacheOpt,
    cache_app,
    model_client,
    onboard,
    settings_from,
)
from .options import BackendName, MaxBytesOpt, ProfileOpt
from .options import fail as _fail
from .review import review

app = typer.Typer(
    name="fiscal-extract",
    help="Turn OCR'd Chinese budget / final-accounts disclosures into validated structured records.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class OutputFormat(StrEnum):
    json = "json"
    jsonl = "jsonl"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"fiscal-extract {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """fiscal-extract: rules first, the LLM where it earns its cost, arithmetic decides."""


@app.command()
def extract(
    files: Annotated[list[Path], typer.Argument(help="Document text files (UTF-8, GB18030 or UTF-16 with BOM).")],
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
    max_bytes: MaxBytesOpt = 50 * 1024 * 1024,
    llm_config: LLMConfigOpt = None,
    model: ModelOpt = None,
    no_cache: NoCacheOpt = False,
    cache_dir: CacheDirOpt = None,
    token_budget: BudgetOpt = None,
) -> None:
    """Extract one Disclosure record per document (to stdout for one file without -o)."""
    from ..batch.export import write_records
    from ..options import default_backend

    settings = settings_from(llm_config, model, no_cache, cache_dir, token_budget)
    chosen = backend.value if backend is not None else default_backend(settings)
    options = ExtractOptions(backend=chosen, profiles=tuple(str(p) for p in profile or ()), max_bytes=max_bytes,
                             llm=settings)
    try:
        with model_client(settings, chosen) as client:
            failures = write_records(files, options, out_dir, fmt.value, sys.stdout, client)
    except FiscalExtractError as exc:
        raise _fail(str(exc)) from None
    for path, message in failures:
        typer.echo(f"fiscal-extract: error: {path}: {message}", err=True)
    if failures:
        raise typer.Exit(2)


@app.command()
def check(
    file: Annotated[Path, typer.Argument(help="A document text file, or an extracted record (.json).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the check results as JSON.")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 if any failure is the extractor's.")] = False,
    show_passes: Annotated[bool, typer.Option("--all", help="List passing and skipped checks too.")] = False,
    profile: ProfileOpt = None,
) -> None:
    """Run the arithmetic checks and say which figures to distrust, and why."""
    from .. import jsonio
    from ..report.findings import check_file

    options = ExtractOptions(profiles=tuple(str(p) for p in profile or ()))
    try:
        rep = check_file(file, options)
    except FiscalExtractError as exc:
        raise _fail(str(exc)) from None
    if as_json:
        typer.echo(jsonio.dumps([c.model_dump(mode="python") for c in rep.record.checks]))
    else:
        from ..report.check_text import check_summary

        typer.echo(check_summary(rep, show_passes))
    if strict and rep.extraction_failures:
        raise typer.Exit(1)


@app.command("eval")
def eval_cmd(
    gold: Annotated[Path, typer.Option("--gold", help="Directory of hand-labelled gold records.")] = Path("eval/gold"),
    pred: Annotated[
        Path | None,
        typer.Option(
            "--pred", help="Directory of extracted records to score (default: extract the gold documents now)."
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the full result as JSON.")] = False,
    markdown_out: Annotated[Path | None, typer.Option("--markdown", help="Write a markdown report here.")] = None,
    html_out: Annotated[
        Path | None, typer.Option("--html", help="Write an HTML report (charts by table kind and document) here.")
    ] = None,
    fail_under: Annotated[
        float | None, typer.Option("--fail-under", help="Exit 1 if the overall field F1 is below this (0-1).")
    ] = None,
    max_mismatches: Annotated[int, typer.Option("--show", help="Mismatches to list in the terminal.")] = 40,
    profile: ProfileOpt = None,
) -> None:
    """Score extraction against gold: tables, rows, cells, summary and narrative; list every mismatch."""
    import json

    from ..evaluate.run import run_eval
    from ..report.eval_text import markdown, terminal

    try:
        res = run_eval(gold, pred, tuple(str(p) for p in profile or ()))
    except FiscalExtractError as exc:
        raise _fail(str(exc)) from None
    if markdown_out is not None:
        markdown_out.write_text(markdown(res), encoding="utf-8")
    if html_out is not None:
        from ..report.eval_html import eval_html

        html_out.write_text(eval_html(res), encoding="utf-8")
    if as_json:
        typer.echo(json.dumps(res.as_dict(), ensure_ascii=False, indent=2))
    else:
        typer.echo(terminal(res, max_mismatches))
    f1 = res.total("fields").f1
    if fail_under is not None and f1 < fail_under:
        typer.echo(f"field F1 {f1:.4f} is below --fail-under {fail_under}", err=True)
        raise typer.Exit(1)


@app.command()
def schema(
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Directory for the JSON Schema files.")] = Path(
        "schemas"
    ),
    check: Annotated[
        bool, typer.Option("--check", help="Exit 1 if the files on disk are stale; write nothing.")
    ] = False,
) -> None:
    """Write the JSON Schema files of the output contract (generated from the models)."""
    from ..report.schemas import stale_schemas, write_schemas

    if check:
        stale = stale_schemas(out_dir)
        if stale:
            typer.echo("stale schema files: " + ", ".join(stale), err=True)
            raise typer.Exit(1)
        typer.echo("schemas are current")
        return
    for path in write_schemas(out_dir):
        typer.echo(str(path))


app.command()(review)
app.command()(batch)
app.command()(onboard)
app.add_typer(cache_app, name="cache")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
