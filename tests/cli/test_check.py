"""``fiscal-extract check``: exit codes, JSON, and the causes it prints."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from ..conftest import extracted, sample


@pytest.mark.parametrize("flag", ["--json", "--strict", ""])
def test_check_cli(tmp_path, flag):
    import json
    import subprocess
    import sys

    from fiscal_extract import jsonio

    rec = extracted("001").model_copy(deep=True)
    # spoil a realigned row: its failure must be blamed on extraction
    t = next(t for t in rec.tables if t.kind == "expenditure_overview")
    t.rows[0].values["project"] = D("800.0")
    p = tmp_path / "r.json"
    p.write_text(jsonio.dumps(rec), encoding="utf-8")
    args = [sys.executable, "-m", "fiscal_extract.cli", "check", str(p)] + ([flag] if flag else [])
    out = subprocess.run(args, capture_output=True, text=True, timeout=120)
    if flag == "--strict":
        assert out.returncode == 1
    else:
        assert out.returncode == 0, out.stderr
    if flag == "--json":
        checks = json.loads(out.stdout)
        assert any(c["status"] == "fail" and c["cause"] == "extraction" for c in checks)
    elif not flag:
        assert "FAIL [extraction]" in out.stdout and "line" in out.stdout
    text = subprocess.run(
        [sys.executable, "-m", "fiscal_extract.cli", "check", str(sample("002"))],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "FAIL [source] table.note_vs_figures" in text.stdout
