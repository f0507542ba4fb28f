"""The performance-table reader memoises word tests and row plans per catalog, across documents:
what a document's performance tables read must not depend on what was read before it, nor on
whether the memos were full."""

from __future__ import annotations

import pytest

from fiscal_extract.catalog import load
from fiscal_extract.options import ExtractOptions
from fiscal_extract.pipeline import extract_source
from fiscal_extract.read.normalize import from_bytes
from fiscal_extract.tables import perf_words as perf

from ..conftest import SAMPLE_FILES

PERF_KINDS = ("performance_department", "performance_projects")


def _perf_tables(name_prefix: str) -> list[str]:
    path = next(p for p in SAMPLE_FILES if p.name.startswith(name_prefix))
    rec = extract_source(from_bytes(path.read_bytes(), path.name), ExtractOptions(), cat=load())
    return [t.model_dump_json() for t in rec.tables if t.kind in PERF_KINDS]


@pytest.mark.parametrize("prefix", ["003", "004"])
def test_same_tables_with_cold_warm_and_full_memos(prefix: str, monkeypatch: pytest.MonkeyPatch) -> None:
    perf.words_of.cache_clear()
    cold = _perf_tables(prefix)
    assert cold, "the sample prints performance tables"
    for other in ("000", "001", "002", "003", "004"):
        _perf_tables(other)  # every memo warm with other documents' words and row shapes
    assert _perf_tables(prefix) == cold
    perf.words_of.cache_clear()
    monkeypatch.setattr(perf, "TEXT_CACHE", 3)  # memos full almost at once: answers computed every time
    assert _perf_tables(prefix) == cold
    perf.words_of.cache_clear()


def test_memo_computes_once_and_stops_growing_at_its_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def test(text: str) -> int:
        calls.append(text)
        return len(text)

    monkeypatch.setattr(perf, "TEXT_CACHE", 2)
    memo: perf._Memo[str, int] = perf._Memo(test)
    assert [memo["a"], memo["a"], memo["bb"], memo["ccc"], memo["ccc"]] == [1, 1, 2, 3, 3]
    assert calls == ["a", "bb", "ccc", "ccc"]
    assert len(memo) == 2
