"""``fiscal-extract check``: the check report of a document or record
(:func:`fiscal_extract.report.findings.check_file`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..errors import FiscalExtractError
from ..options import ExtractOptions
from .options import OcrMode, OcrOpt, PagesOpt, ProfileOpt
from .options import fail as _fail


def check(
    file: Annotated[Path, typer.Argument(help="A document (text or PDF), or an extracted record (.json).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the check results as JSON.")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 if any failure is the extractor's.")] = False,
    show_passes: Annotated[bool, typer.Option("--all", help="List passing and skipped checks too.")] = False,
    profile: ProfileOpt = None,
    ocr: OcrOpt = OcrMode.auto,
    pages: PagesOpt = None,
) -> None:
    """Run the arithmetic checks and say which figures to distrust, and why."""
    from .. import jsonio
    from ..report.findings import check_file

    options = ExtractOptions(profiles=tuple(str(p) for p in profile or ()), ocr=ocr.value, pages=pages)
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
