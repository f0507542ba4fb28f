"""``fiscal-extract eval``: extraction scored against gold (:func:`fiscal_extract.evaluate.run.run_eval`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..errors import FiscalExtractError
from .options import ProfileOpt
from .options import fail as _fail


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
    pdf: Annotated[
        bool,
        typer.Option("--pdf", help="Also score each gold document's PDF itself, read by position, as a rendering."),
    ] = False,
) -> None:
    """Score extraction against gold: tables, rows, cells, summary and narrative; list every mismatch."""
    import json

    from ..evaluate.run import run_eval
    from ..report.eval_text import markdown, terminal

    try:
        res = run_eval(gold, pred, tuple(str(p) for p in profile or ()), pdf=pdf)
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
