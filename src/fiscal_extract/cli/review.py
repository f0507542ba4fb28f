"""The ``review`` command: one self-contained HTML page to verify an extraction by eye.

Kept in its own module (registered on the app in :mod:`fiscal_extract.cli.app`); like every command it
parses arguments, calls the library and prints one line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .options import OcrMode, OcrOpt, PagesOpt, ProfileOpt


def review(
    file: Annotated[Path, typer.Argument(help="A document (text or PDF), or an extracted record (.json).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Write the HTML page here.")] = Path("review.html"),
    gold: Annotated[
        Path | None, typer.Option("--gold", help="A hand-labelled gold record of the document: mark the mismatches.")
    ] = None,
    text: Annotated[
        Path | None,
        typer.Option(
            "--text",
            help="The document an extracted record (.json) was read from, when it is not where the record names it "
            "or beside it.",
        ),
    ] = None,
    profile: ProfileOpt = None,
    ocr: OcrOpt = OcrMode.auto,
    pages: PagesOpt = None,
) -> None:
    """Write an HTML review: the text with every figure marked, the tables, failed checks and repairs."""
    from ..errors import FiscalExtractError
    from ..options import ExtractOptions
    from ..report.review import review_file
    from ..report.review_html import review_html

    options = ExtractOptions(profiles=tuple(str(p) for p in profile or ()), ocr=ocr.value, pages=pages)
    try:
        page = review_file(file, options, gold, text)
    except FiscalExtractError as exc:
        typer.echo(f"fiscal-extract: error: {exc}", err=True)
        raise typer.Exit(2) from None
    out.write_text(review_html(page), encoding="utf-8")
    st, counts = page.stats(), page.report.counts
    extra = f", {len(page.gold.mismatches)} gold mismatches" if page.gold else ""
    typer.echo(
        f"{out}: {st['figures']} figures ({st['repaired']} repaired), {counts.get('fail', 0)} failed checks, "
        f"{len(page.record.repairs)} repairs{extra}"
    )
