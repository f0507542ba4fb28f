"""Command-line interface: parse arguments, call one library function, print its result.

Errors raised by the library become one-line messages and non-zero exit codes here, and only
here.  This module makes the app and registers one command per module of this package.
"""

from __future__ import annotations

from typing import Annotated

import typer

from .. import __version__
from .batch import batch
from .check import check
from .evaluate import eval_cmd
from .extract import extract
from .llm import cache_app, onboard
from .plain_help import PlainGroup
from .review import review
from .schema import schema

app = typer.Typer(
    name="fiscal-extract",
    cls=PlainGroup,
    help="Turn OCR'd Chinese budget / final-accounts disclosures into validated structured records.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


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


app.command()(extract)
app.command()(check)
app.command("eval")(eval_cmd)
app.command()(schema)
app.command()(review)
app.command()(batch)
app.command()(onboard)
app.add_typer(cache_app, name="cache")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
