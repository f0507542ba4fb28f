"""Header words whole (:mod:`fiscal_extract.onboard.words`): the cells and item names one rendering's
reader reads through a shorter alias, a wrapped line or not at all are offered whole, so the
profile serves the readers of every rendering (pdfminer needs the cells in the catalog's header
words).  Leave-one-template-out on the corpus: ``python bench/onboard_loto.py``."""

from __future__ import annotations

import copy
from decimal import Decimal

from fiscal_extract.catalog import Catalog, data_docs, extend
from fiscal_extract.models import Row, Table
from fiscal_extract.onboard.candidates import alias_candidates
from fiscal_extract.onboard.words import _header_words, _item_names


def _without(*labels: str) -> Catalog:
    """The packaged catalog with some column aliases taken out (a template's own words)."""
    docs = copy.deepcopy(data_docs())
    for d in docs["columns.toml"]:
        for col in d.get("column", []):
            col["labels"] = [x for x in col["labels"] if x not in labels]
        d["column"] = [c for c in d.get("column", []) if c["labels"]]
    return extend((), {}, docs)


def _named(found: list[tuple[str, list[tuple[str, str | None, float, str]]]]) -> dict[str, tuple[str, str | None]]:
    return {text: (opts[0][0], opts[0][1]) for text, opts in found if opts}


def test_a_banner_read_by_an_alias_inside_it_and_a_wrapped_cell_are_offered_whole():
    cat = _without("三公经费预算数", "机关运行经费预算数")
    header = "“三公”经费预算数\n机关运行经费预算\n数合计 因公出国(境)费 公务接待费\n小计 购置费 运行费\n"
    named = _named(_header_words(cat, "three_public", header))
    assert named.get("三公经费预算数") == ("value", "total")
    assert named.get("机关运行经费预算数") == ("value", "operating_costs")
    assert "合计" not in named and "购置费" not in named  # known words are not asked


def test_an_unknown_header_cell_over_no_figures_is_offered_the_closest_label_role():
    cat = _without("科目代码")
    named = _named(_header_words(cat, "classified", "科目代码 功能科目名称 金额\n"))
    assert named.get("科目代码") == ("code", None)
    assert _named(_header_words(_without(), "classified", "科目代码 功能科目名称 金额\n")) == {}


def test_an_item_row_name_is_offered_the_alias_whose_bracketed_gloss_it_drops():
    cat = _without("行政经费")
    assert alias_candidates(cat, "行政经费", "three_public")[0][1] == "operating_costs"

    def row(name: str) -> Row:
        return Row(name=name, values={"total": Decimal(1)})

    table = Table(kind="three_public", title="t", rows=[row("行政经费"), row("“三公”经费"), row("(三)公务接待费支出")])
    found = _named(_item_names(cat, table, "three_public"))
    assert found == {"行政经费": ("value", "operating_costs")}
    # with fewer than two rows the layout's items, the rows are no items: nothing asked
    assert _item_names(cat, Table(kind="three_public", title="t", rows=[row("行政经费"), row("合计")]),
                       "three_public") == []


def test_leave_one_template_out_the_profile_of_one_rendering_serves_pdfminers_too():
    """Guangzhou's "三公" table prints its items as rows; pdfminer's reader finds its rows by the
    layout's item words (行政经费 among them), which the fixture takes out.  Onboarding the pypdf
    rendering gives them back: every rendering, pdfminer's too, within 2 points of the full catalog."""
    from bench import loto

    from fiscal_extract.catalog import load
    from fiscal_extract.onboard.engine import onboard_samples

    docs = loto.reduced_docs("guangzhou")
    assert "行政经费" in loto.removed("guangzhou")["aliases"]
    res = onboard_samples([loto.onboarding_sample("guangzhou")], base=docs)
    assert any(c["labels"] == ["行政经费"] and c.get("key") == "operating_costs" for c in res.profile["column"])
    full = dict(loto.key_figures("guangzhou", load()))
    onboarded = dict(loto.key_figures("guangzhou", extend((), res.profile, docs)))
    assert "pdfminer" in onboarded and all(onboarded[r] >= full[r] - 2 for r in full), (full, onboarded)
