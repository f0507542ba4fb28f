"""Completing cut-short figures (checks/reconcile.py)."""

from __future__ import annotations

from decimal import Decimal as D

from ..conftest import extracted


def test_003_cut_short_figures_are_completed():
    rec = extracted("003")
    done = {(r.original.replace(" ", ""), str(r.value)) for r in rec.repairs if r.kind == "completed"}
    assert ("8.2", "8.27") in done and ("0.1", "0.14") in done
    assert rec.summary.three_public.reception == D("0.14")
