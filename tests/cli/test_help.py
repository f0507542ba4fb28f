"""Every command's help reads like a well-kept command line's: no Python types, flowing prose."""

from __future__ import annotations

import re

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from fiscal_extract.cli import app

PYTHON_TYPES = re.compile(r"<\w+(?:\[[^\]]*\])?>|<class |Optional\[|list\[|\bNoneType\b|\{\w+\}")


def _commands() -> list[list[str]]:
    """The command paths of the app: [], ["extract"], ..., ["cache", "clear"]."""
    root = get_command(app)
    paths: list[list[str]] = [[]]
    todo = [([], root)]
    while todo:
        path, cmd = todo.pop()
        for name, sub in getattr(cmd, "commands", {}).items():
            paths.append([*path, name])
            todo.append(([*path, name], sub))
    return paths


COMMANDS = _commands()


def test_every_command_is_covered():
    names = {" ".join(p) for p in COMMANDS}
    assert {"", "extract", "check", "eval", "schema", "review", "batch", "onboard", "cache stats",
            "cache clear"} <= names


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "fiscal-extract")
def test_help_shows_no_python_types(path: list[str]):
    r = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "120"})
    assert r.exit_code == 0, r.output
    assert not PYTHON_TYPES.findall(r.output), r.output
    assert "<bool>" not in r.output and "<path>" not in r.output and "<int>" not in r.output


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "fiscal-extract")
def test_help_text_is_prose_without_double_spaces_or_docstring_breaks(path: list[str]):
    r = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "400"})
    # the description (above the boxes): at 400 columns each paragraph is one line, as a
    # docstring's own line breaks are dropped ("it sees titles, header" / "rows and ...")
    description = r.output.split("╭")[0].split("\n")[2:]
    for line in (ln.strip() for ln in description):
        assert not line or line[-1] in ".):", r.output
        assert not re.search(r"\S  +\S", line), line
    # every option's help, as the boxes show it
    cmd = get_command(app)
    ctx = cmd.make_context("fiscal-extract", [*path, "--help"][:0], resilient_parsing=True)
    for name in path:
        cmd = cmd.get_command(ctx, name)  # type: ignore[attr-defined]
        ctx = cmd.make_context(name, [], parent=ctx, resilient_parsing=True)
    texts = [cmd.help or ""] + [p.help or "" for p in cmd.get_params(ctx) if getattr(p, "help", None)]
    for text in texts:
        for paragraph in text.split("\n\n"):
            assert "\n" not in paragraph and "  " not in paragraph, text


def test_usage_and_errors_name_arguments_in_capitals():
    r = CliRunner().invoke(app, ["extract"])
    assert r.exit_code == 2 and "FILES..." in r.output and "'FILES'" in r.output
    r = CliRunner().invoke(app, ["extract", "--help"], env={"COLUMNS": "120"})
    assert "--out" in r.output and "PATH" in r.output and "rules|llm|hybrid" in r.output
    assert re.search(r"--max-bytes\s+N\s", r.output)
