"""``--profile`` works in every command that reads documents: extract, check, batch, review, eval."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import ROOT

EXAMPLE = ROOT / "profiles" / "examples" / "county-ledger.toml"
DOC = ROOT / "profiles" / "examples" / "county-ledger.txt"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "fiscal_extract.cli", *args], capture_output=True, text=True,
                          timeout=300)


def test_extract_check_and_review_read_the_template_with_the_profile(tmp_path: Path):
    assert run("extract", str(DOC), "-b", "rules").returncode != 0  # not a disclosure without it
    ext = run("extract", str(DOC), "-b", "rules", "--profile", str(EXAMPLE))
    assert ext.returncode == 0, ext.stderr
    assert [t["kind"] for t in json.loads(ext.stdout)["tables"]] == ["expenditure_overview"]
    chk = run("check", str(DOC), "--json", "-p", str(EXAMPLE))
    assert chk.returncode == 0, chk.stderr
    assert any(c["id"] == "row.total_eq_basic_plus_project" and c["status"] == "pass" for c in json.loads(chk.stdout))
    rev = run("review", str(DOC), "-o", str(tmp_path / "r.html"), "-p", str(EXAMPLE))
    assert rev.returncode == 0, rev.stderr
    assert "开支分项表" in (tmp_path / "r.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", ["extract", "check", "batch", "review", "eval"])
def test_every_command_names_a_bad_profile(command: str, tmp_path: Path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[text.meta]\nunits = ['x']\n", encoding="utf-8")
    args = {"extract": [str(DOC)], "check": [str(DOC)], "batch": [str(DOC.parent), "-o", str(tmp_path / "o"), "-b",
            "rules"], "review": [str(DOC), "-o", str(tmp_path / "r.html")],
            "eval": ["--gold", str(ROOT / "eval" / "gold")]}[command]
    res = run(command, *args, "--profile", str(bad))
    assert res.returncode != 0
    assert "bad.toml" in res.stderr and "units" in res.stderr, res.stderr
