"""Help that reads like a well-kept command line's: ``--out PATH``, ``--jobs N``, flags without a
type, ``FILES...`` -- never the Python annotations typer shows by default (``<list[Path]>``,
``<bool>``) -- and help text as flowing prose (a docstring's line breaks and double spaces dropped).

:class:`PlainGroup` is the app's group class: every command and group under it is shown this way.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any, get_args, get_origin

from typer import _click as click
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

_PARAGRAPHS = re.compile(r"\n\s*\n")
_SPACES = re.compile(r"\s+")
_WORDS = {int: "N", float: "NUMBER", Decimal: "NUMBER", str: "TEXT"}


def prose(text: str | None) -> str | None:
    """Help text as paragraphs of single-spaced words (a docstring's own wrapping dropped)."""
    if not text:
        return text
    parts = [_SPACES.sub(" ", p).strip() for p in _PARAGRAPHS.split(text.strip())]
    return "\n\n".join(p for p in parts if p)


def metavar(param: TyperOption | TyperArgument) -> str | None:
    """What a value of ``param`` is, in the words of a command line's help (``None``: a flag)."""
    if isinstance(param, TyperOption) and param.is_flag:
        return None
    desc = param.type_descriptor
    if desc.is_choice:
        return "|".join(str(getattr(c, "value", c)) for c in desc.choices or ())
    annotation: Any = desc.annotation
    while get_origin(annotation) is not None and get_args(annotation):  # list[Path], Path | None
        annotation = next((a for a in get_args(annotation) if a is not type(None)), None)
    if desc.is_path or annotation is Path:
        return "PATH"
    return _WORDS.get(annotation, "TEXT")


class PlainOption(TyperOption):
    def display_type_rich(self, ctx: click.Context) -> str | None:
        return metavar(self)


class PlainArgument(TyperArgument):
    @property
    def display_name_raw(self) -> str:
        return (self.name or "value").upper()

    def display_type_rich(self, ctx: click.Context) -> str | None:
        return None  # the name column says it: FILES...

    def _usage_display_name(self) -> str:
        name = self.display_name_raw + ("..." if self.nargs != 1 else "")
        return name if self.required else f"[{name}]"


def _plain_params(params: list[click.Parameter]) -> list[click.Parameter]:
    for p in params:
        # (the parameters typer made, shown by the subclasses above: same state, other display)
        if type(p) is TyperOption:
            p.__class__ = PlainOption
        elif type(p) is TyperArgument:
            p.__class__ = PlainArgument
        if isinstance(p, TyperOption | TyperArgument) and p.help:
            p.help = prose(p.help)
    return params


class PlainCommand(TyperCommand):
    def get_params(self, ctx: click.Context) -> list[click.Parameter]:
        self.help = prose(self.help)
        return _plain_params(super().get_params(ctx))


class PlainGroup(TyperGroup):
    def get_params(self, ctx: click.Context) -> list[click.Parameter]:
        self.help = prose(self.help)
        return _plain_params(super().get_params(ctx))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        cmd = super().get_command(ctx, cmd_name)
        if type(cmd) is TyperCommand:
            cmd.__class__ = PlainCommand
        elif type(cmd) is TyperGroup:
            cmd.__class__ = PlainGroup
        if cmd is not None:
            cmd.help = prose(cmd.help)
            cmd.short_help = prose(cmd.short_help)
        return cmd
