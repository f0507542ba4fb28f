"""Options and helpers shared by the command modules (defined once, imported by each)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer


class BackendName(StrEnum):
    rules = "rules"
    llm = "llm"
    hybrid = "hybrid"


ProfileOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--profile",
        "-p",
        help="Profile (TOML: a path, or a name looked up in ./profiles and FISCAL_PROFILES_DIR) to merge "
        "into the catalog; repeatable. See docs/profiles.md.",
    ),
]
MaxBytesOpt = Annotated[
    int, typer.Option("--max-bytes", help="Refuse input files larger than this (a PDF: 50 times this).")
]


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print a one-line error; the caller raises the exit returned."""
    typer.echo(f"fiscal-extract: error: {message}", err=True)
    return typer.Exit(code)


class OcrMode(StrEnum):
    auto = "auto"
    always = "always"
    never = "never"


OcrOpt = Annotated[
    OcrMode,
    typer.Option("--ocr", help="PDF pages read by OCR: those without a text layer (auto), all, or none."),
]
PagesOpt = Annotated[str | None, typer.Option("--pages", help="PDF pages to read, e.g. 1-3,7 (default: all).")]
