"""``fiscal-extract schema``: the JSON Schema files (:mod:`fiscal_extract.report.schemas`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


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
