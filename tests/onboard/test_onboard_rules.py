"""Onboarding with no model (candidates from fuzzy matching, judged by the tables' identities), and
with a scripted model whose wrong proposals the same arithmetic rejects.

The leave-one-template-out test takes one corpus template's titles and own column aliases out of
a copy of the catalog (``bench/loto.py``): the rules then lose most of its key figures, and
onboarding one of its documents must bring them back to within 2 points of the full catalog.  The
bench (``python bench/onboard_loto.py``) runs it for every template of the corpus."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, ClassVar

import pytest
from bench import loto

from fiscal_extract.catalog import extend, load
from fiscal_extract.onboard.coverage import coverage
from fiscal_extract.onboard.engine import onboard_samples

from ..conftest import sample
from ..fake_openai import FakeOpenAI
from ..oracle_model import Oracle, renamed_sample


@pytest.mark.parametrize("template", ["putuo_budget", "central"])
def test_leave_one_template_out_onboarding_brings_the_key_figures_back(template):
    docs = loto.reduced_docs(template)
    assert loto.removed(template)["titles"]  # the fixture really takes something out
    sample_path = loto.onboarding_sample(template)
    renderings = [p for d in loto.documents(template) for p in d.renderings if "pdfminer" not in p.name]

    def figures(cat: Any) -> list[float]:
        return [share for name, share in loto.key_figures(template, cat) if name != "pdfminer"]

    full = figures(load())
    reduced = figures(extend((), {}, docs))
    assert renderings and all(r < f - 10 for r, f in zip(reduced, full, strict=True)), (full, reduced)

    res = onboard_samples([sample_path], base=docs)  # no model
    assert res.profile["kinds"], coverage(res)["questions"]
    onboarded = figures(extend((), res.profile, docs))
    assert all(o >= f - 2 for o, f in zip(onboarded, full, strict=True)), (full, reduced, onboarded)
    cov = coverage(res)
    assert cov["contents_lists"]  # the contents list is the list of tables to expect
    assert any(t["identities_pass"] for d in cov["documents"] for t in d["tables"])


class WrongOracle(Oracle):
    """A model that names some tables with a wrong kind and swaps two columns."""

    WRONG_KINDS: ClassVar[dict[str, str]] = {"单位预算支出明细": "three_public", "财政资金收支总览": "income_overview"}

    def classify(self, text: str) -> dict[str, Any]:
        ans = super().classify(text)
        for printed, wrong in self.WRONG_KINDS.items():
            if f"Title: {printed}" in text:
                ans["kind"] = wrong
        swap = {"basic": "project", "project": "basic"}
        for lab in ans["labels"]:
            lab["key"] = swap.get(lab["key"], lab["key"])
        return ans


@pytest.fixture
def model_env(tmp_path: Path) -> Any:
    saved = dict(os.environ)
    try:
        yield tmp_path
    finally:
        os.environ.clear()
        os.environ.update(saved)


def test_the_arithmetic_rejects_a_models_wrong_kinds_and_columns(model_env):
    from fiscal_extract.llm.client import LLMClient
    from fiscal_extract.llm.settings import load_settings

    doc = renamed_sample(sample("000"), model_env / "renamed_000.txt")
    with FakeOpenAI(WrongOracle()) as fake:
        os.environ.update(FISCAL_LLM_BASE_URL=fake.url, FISCAL_LLM_MODEL="wrong", OPENAI_API_KEY="sk-test-0123",
                          FISCAL_LLM_CACHE_DIR=str(model_env / "cache"))
        client = LLMClient(load_settings(None))
        try:
            res = onboard_samples([doc], client=client)
        finally:
            client.close()
    model_opts = [(q, o) for q in res.questions for o in q.options if o.origin == "model"]
    wrong_kinds = [(q, o) for q, o in model_opts if q.what == "title" and o.kind in ("three_public", "income_overview")
                   and any(p in q.text for p in ("预算支出明细", "财政资金收支总览"))]
    assert len(wrong_kinds) == 2, [(q.text, o.label) for q, o in model_opts]
    for q, o in wrong_kinds:
        assert o.verdict in ("rejected", "not found") and q.chosen is not o, (q.text, o.label, o.verdict, o.why)
    swapped = [(q, o) for q, o in model_opts if q.what == "column" and q.text in ("日常运转", "专项业务")]
    assert swapped
    for q, o in swapped:
        assert o.verdict == "rejected" and q.chosen is not o, (q.text, o.label, o.verdict, o.why)
    columns = {c["labels"][0]: c.get("key") for c in res.profile["column"]}
    assert columns.get("日常运转") != "project" and columns.get("专项业务") != "basic"
    kinds = {t: k for k, spec in res.profile["kinds"].items() for t in spec["titles"]}
    assert kinds.get("预算支出明细") != "three_public" and kinds.get("财政资金收支总览") != "income_overview"
    # the right readings the rules' candidates offered are what is kept
    assert kinds.get("财政资金收支总览") == "fiscal_grant_overview"


def test_a_scope_word_printed_alone_over_figures_is_offered_as_the_scopes_own_figure():
    """Changchun's overviews print 上年结转 alone over a column of figures; with its carry-over
    aliases taken out the catalog reads it by the scope only (``carryover_total``).  Onboarding
    offers the scope's own key (``carryover``, a close alias) and the arithmetic keeps it."""
    docs = loto.reduced_docs("changchun")
    assert "上年结余结转" in loto.removed("changchun")["aliases"]
    res = onboard_samples([loto.onboarding_sample("changchun")], base=docs)
    named = {(c["labels"][0], c.get("key")) for c in res.profile["column"]}
    assert ("上年结转", "carryover") in named, res.profile["column"]
    rec = loto.extract(loto.onboarding_sample("changchun"), extend((), res.profile, docs))
    overview = next(t for t in rec.tables if t.kind == "income_expenditure_overview")
    assert {c.key for c in overview.columns} >= {"income:carryover", "expenditure:carryover"}
