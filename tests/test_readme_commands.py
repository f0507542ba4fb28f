"""The README's two commands are all a fresh machine needs: the install command (scripts/install.sh)
installs everything the tests use, and CI runs exactly those two commands, installing nothing else."""

from __future__ import annotations

import re
import subprocess

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
CI = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
INSTALL = (ROOT / "scripts" / "install.sh").read_text(encoding="utf-8")


def _command(marker: str) -> str:
    """The first command line after ``<!-- marker -->`` in README.md, as .ci/run reads it."""
    return subprocess.run(
        ["awk", "-v", f"m=<!-- {marker} -->", '$0==m {f=1; next} f && /^[^`]/ && NF {print; exit}', "README.md"],
        capture_output=True, text=True, cwd=ROOT, check=True,
    ).stdout.strip()


def test_the_install_command_installs_what_the_browser_tests_need():
    install = _command("install")
    assert install.startswith("bash scripts/install.sh"), install
    # the browser tests drive Debian's chromium (tests/report/test_review_browser.py) and render CJK
    assert re.search(r"for pkg in [^;]*\bchromium\b", INSTALL) and "fonts-" in INSTALL
    assert "pip install -q -e '.[dev]'" in INSTALL  # pytest, hypothesis, playwright's driver ...


def test_ci_runs_the_readme_commands_and_installs_nothing_itself():
    assert _command("test") == ".venv/bin/python -m pytest -q"
    assert 'bash -c "$install_cmd"' in CI and 'bash -c "$test_cmd"' in CI
    code = "\n".join(ln for ln in CI.splitlines() if not ln.lstrip().startswith("#"))
    for installer in ("apt-get", "apt ", "pip install", "playwright install", "npm ", "curl ", "wget "):
        assert installer not in code, f".ci/run installs something itself: {installer!r}"
