"""The shortcuts the checks take for speed give the same answers as the plain way."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from fiscal_extract.catalog import load
from fiscal_extract.checks.reconcile import complete_short_figures
from fiscal_extract.checks.run import equations, run_checks
from fiscal_extract.checks.terms import decimals_of
from fiscal_extract.options import ExtractOptions
from fiscal_extract.pipeline import extract_source
from fiscal_extract.read.normalize import read_source
from fiscal_extract.text.summary import build_summary

from ..conftest import SAMPLE_FILES

CAT = load()


@pytest.mark.parametrize(
    "text", ["0", "0.00", "-0.00", "12.340", "1265.6", "-3.25", "1E+3", "5E-7", "1.5E-9", "0E-7", "NaN", "-Infinity"]
)
def test_decimals_are_the_printed_precision(text: str) -> None:
    v = D(text)
    exp = v.as_tuple().exponent
    assert decimals_of(v) == (max(0, -exp) if isinstance(exp, int) else 0)


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name[:3])
def test_equations_after_completion_are_those_built_afresh(path) -> None:
    """``equations(previous=...)`` keeps what completed figures cannot change: the same checks
    (ids, messages, figures, tolerances, causes) as building every equation again."""
    record = extract_source(read_source(path), ExtractOptions(checks=False), cat=CAT)
    eqs = equations(record, CAT)
    completed = complete_short_figures(record, CAT, eqs)
    record.repairs.extend(completed)
    record.summary = build_summary(record.tables, CAT, record.meta.unit)
    reused = run_checks(record, CAT, equations(record, CAT, previous=eqs))
    afresh = run_checks(record, CAT, equations(record, CAT))
    assert [c.model_dump() for c in reused] == [c.model_dump() for c in afresh]


def test_equations_after_a_changed_figure_in_every_table_are_those_built_afresh() -> None:
    """Not only the completions the samples need: change one figure of every table (keeping its
    precision) and the reused equations still match a fresh build."""
    for path in SAMPLE_FILES:
        record = extract_source(read_source(path), ExtractOptions(checks=False), cat=CAT)
        eqs = equations(record, CAT)
        for t in record.tables:
            for r in t.rows:
                key = next((k for k, v in r.values.items() if v), None)
                if key is not None:
                    v = r.values[key]
                    assert v is not None
                    r.values[key] = v + D(1).scaleb(v.as_tuple().exponent)  # type: ignore[operator]
                    break
        reused = run_checks(record, CAT, equations(record, CAT, previous=eqs))
        afresh = run_checks(record, CAT, equations(record, CAT))
        assert [c.model_dump() for c in reused] == [c.model_dump() for c in afresh]
