"""The table_classify request, tightened (issue 19, "the model's side"): a value column needs its
key; every request lists the same keys, each explained in one line; a label printed on both sides
of a two-sided table is answered per side; a banner with 合计 under it has one rule; and tables
whose header rows are the same get their candidate kinds with the evidence for each."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from pydantic import ValidationError

from fiscal_extract.catalog import load
from fiscal_extract.llm.hybrid import profile_from
from fiscal_extract.llm.schemas import VALIDATION_CONTEXT, TableClassification, classification_model
from fiscal_extract.llm.tasks import base_value_keys
from fiscal_extract.options import ExtractOptions
from fiscal_extract.pipeline import extract_file

from ..conftest import ROOT, sample
from ..fake_openai import FakeOpenAI
from ..oracle_model import Oracle, renamed_sample, task_of, user_text
from .test_hybrid import _settings


@pytest.fixture(scope="module")
def requests(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    tmp = tmp_path_factory.mktemp("classify")
    renamed = renamed_sample(sample("000"), tmp / "renamed_000.txt")
    with FakeOpenAI(Oracle()) as fake:
        extract_file(renamed, ExtractOptions(backend="hybrid", llm=_settings(fake, tmp)))
        return [r["body"] for r in fake.requests if task_of(r["body"]) == "TableClassification"]


def _system(body: dict[str, Any]) -> str:
    return next(m["content"] for m in body["messages"] if m["role"] == "system")


def _key_block(body: dict[str, Any]) -> list[str]:
    text = _system(body)
    block = text.split("Canonical value keys", 1)[1].split("Groups and banners", 1)[0]
    return [ln[2:] for ln in block.splitlines() if ln.startswith("- ")]


def test_every_request_lists_the_same_keys_each_explained(requests: list[dict[str, Any]]):
    assert len(requests) >= 8
    blocks = {tuple(_key_block(b)) for b in requests}
    assert len(blocks) == 1  # the same list whatever the table
    lines = next(iter(blocks))
    keys = [ln.split(":", 1)[0] for ln in lines]
    assert keys == base_value_keys(load(), None)
    assert all(len(ln.split(":", 1)[1].strip()) >= 4 for ln in lines), lines  # each with its meaning


def test_a_value_column_needs_its_key():
    model = classification_model(("数额",), ("total", "basic"))
    with pytest.raises(ValidationError):
        model.model_validate({"kind": "other", "labels": [{"label": "数额", "role": "value", "key": None}]})
    with pytest.raises(ValidationError):
        model.model_validate({"kind": "other", "labels": [{"label": "数额", "role": "value"}]})
    ok = model.model_validate({"kind": "other", "labels": [{"label": "数额", "role": "skip"}]})
    assert ok.labels[0].key is None
    # and the exported schema says so
    schema = json.loads((ROOT / "schemas" / "llm-table-classification.schema.json").read_text(encoding="utf-8"))
    assert "key" in schema["$defs"]["ValueLabel"]["required"]
    assert schema["$defs"]["ValueLabel"]["properties"]["key"]["type"] == "string"


def _two_sided(labels: list[dict[str, Any]]) -> TableClassification:
    token = VALIDATION_CONTEXT.set({"keys": {"total", "basic"}, "labels": ["数额"], "both_sides": ["数额"],
                                    "two_sided": {"income_expenditure_overview"}})
    try:
        return TableClassification.model_validate({"kind": "income_expenditure_overview", "labels": labels})
    finally:
        VALIDATION_CONTEXT.reset(token)


def test_a_label_on_both_sides_of_a_two_sided_table_is_answered_per_side():
    with pytest.raises(ValidationError, match="once with side income and once with side expenditure"):
        _two_sided([{"label": "数额", "role": "value", "key": "total"}])
    with pytest.raises(ValidationError, match="answered twice"):
        _two_sided([{"label": "数额", "role": "value", "key": "total", "side": "income"}] * 2)
    ans = _two_sided([{"label": "数额", "role": "value", "key": "total", "side": "income"},
                      {"label": "数额", "role": "value", "key": "total", "side": "expenditure"}])
    assert {c.side for c in ans.labels} == {"income", "expenditure"}


def test_sides_that_disagree_give_no_alias():
    class Block:  # what profile_from reads of a table block: no title, no header rows
        title = None
        match = None
        parts = ()

    cat = load()
    agree = TableClassification(kind="income_expenditure_overview", labels=[
        {"label": "数额", "role": "value", "key": "total", "side": "income"},
        {"label": "数额", "role": "value", "key": "total", "side": "expenditure"}])
    differ = TableClassification(kind="income_expenditure_overview", labels=[
        {"label": "数额", "role": "value", "key": "total", "side": "income"},
        {"label": "数额", "role": "value", "key": "basic", "side": "expenditure"}])
    assert [c["labels"] for c in profile_from(cat, Block(), agree)["column"]] == [["数额"]]  # type: ignore[arg-type]
    assert profile_from(cat, Block(), differ)["column"] == []  # type: ignore[arg-type]


def test_the_two_sided_request_names_the_labels_printed_on_both_sides(requests: list[dict[str, Any]]):
    overview = next(b for b in requests if "Title: 单位预算收支总览" in user_text(b))
    assert re.search(r"^Printed on both sides.*: .*数额", user_text(overview), re.M)


def test_a_banner_with_a_total_under_it_has_one_rule(requests: list[dict[str, Any]]):
    text = _system(requests[0])
    assert "group wins over skip" in text
    assert "a 合计 under a\n  banner over all the figure columns is the table's total" in text


def test_tables_with_the_same_header_get_candidates_with_evidence(requests: list[dict[str, Any]]):
    """The renamed sample's three expenditure tables print the same header rows: each request
    lists candidate kinds with the evidence (title likeness, header words) that tells them apart."""
    def header(body: dict[str, Any]) -> str:
        return user_text(body).split("Header rows and first data rows", 1)[1].split("\n\n", 1)[0]

    def candidates(body: dict[str, Any]) -> list[str]:
        text = user_text(body)
        if "Candidate kinds" not in text:
            return []
        block = text.split("Candidate kinds", 1)[1].split("\n\n", 1)[0]
        return [ln for ln in block.splitlines() if ln.startswith("- ")]

    by_header: dict[str, list[dict[str, Any]]] = {}
    for b in requests:
        first_rows = "\n".join(header(b).splitlines()[1:3])
        by_header.setdefault(first_rows, []).append(b)
    same = max(by_header.values(), key=len)
    assert len(same) >= 2  # tables whose header rows are identical
    for b in same:
        cands = candidates(b)
        assert len(cands) >= 2, user_text(b)
        assert all(re.match(r"- \w+: (title \d+% like |header has )", c) for c in cands), cands
