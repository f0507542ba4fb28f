"""Profiles carry any section of any catalog data file, checked key by key; their column aliases
match whole header cells unless they say otherwise."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from fiscal_extract.catalog import Catalog, extend, load
from fiscal_extract.catalog.profile import SECTIONS
from fiscal_extract.errors import CatalogError

# one value per section of every data file, and what it must change in the catalog
CASES: dict[tuple[str, str], tuple[Any, Callable[[Catalog], bool]]] = {
    ("tables", "title"): ({"noise": ["^乙表"]}, lambda c: c.match_title("乙表部门收入总体情况表") is not None),
    ("tables", "kinds"): ({"income_overview": {"titles": ["进账一览表"]}},
                          lambda c: getattr(c.match_title("进账一览表"), "kind", None) == "income_overview"),
    ("tables", "empty"): ({"notes": ["本栏空缺"]}, lambda c: c.is_empty_note("本栏空缺")),
    ("tables", "notes"): ({"prefixes": ["附言"]}, lambda c: c.is_note("附言：四舍五入")),
    ("columns", "match"): ("within", lambda c: c.column_within("本年公共财政日常运转", "classified") is not None),
    ("columns", "subtotal_words"): (["共计"], lambda c: c.is_subtotal("共计")),
    ("columns", "group_total_words"): (["组计"], lambda c: "组计" in c.group_total_words),
    ("columns", "banner_words"): (["分类科目甲"], lambda c: "分类科目甲" in c.banner_words),
    ("columns", "repeat_prefix"): ({"grouped": "carryover_"}, lambda c: c.repeat_prefix.get("grouped") == "carryover_"),
    ("columns", "outer_prefix"): ({"classified": "grand_"}, lambda c: c.outer_prefix.get("classified") == "grand_"),
    ("columns", "often_empty"): ({"classified": ["public"]}, lambda c: c.often_empty.get("classified") == ["public"]),
    ("columns", "unsummed_keys"): (
        ["rate_of_change"],
        lambda c: "rate_of_change" in c.unsummed_keys and "unit_price" in c.unsummed_keys,
    ),
    ("columns", "repeat_key"): ({"basic": "basic_again"}, lambda c: c.repeat_key.get("basic") == "basic_again"),
    ("columns", "template"): ({"three_public": ["合计"]}, lambda c: c.templates.get("three_public") == ["合计"]),
    ("columns", "scope"): ([{"labels": ["今年进账"], "prefix": "current_"}],
                           lambda c: getattr(c.scope("今年进账", "classified"), "prefix", None) == "current_"),
    ("columns", "column"): ([{"labels": ["日常运转"], "role": "value", "key": "basic"}],
                            lambda c: getattr(c.column("日常运转", "classified"), "key", None) == "basic"),
    ("columns", "key_help"): ({"total": "全部"}, lambda c: c.key_help["total"] == "全部" and "basic" in c.key_help),
    ("rows", "total"): (["全部合计"], lambda c: c.row_label("全部合计")[0] == "total"),
    ("rows", "subtotal"): (["本年进账"], lambda c: c.row_label("本年进账")[0] == "subtotal"),
    ("rows", "of_which_prefixes"): (["内含："], lambda c: c.is_of_which("内含：工资")),
    ("rows", "categories"): ({"carryover": ["往年结余"]}, lambda c: c.row_label("往年结余")[1] == "carryover"),
    ("codes", "functional"): ({"299": "试点支出"}, lambda c: c.code_system("299") == "functional"),
    ("codes", "functional_aliases"): ({"201": ["政务开支"]}, lambda c: c.function_code("政务开支") == "201"),
    ("codes", "economic"): ({"398": "试点经济分类"}, lambda c: c.code_system("39801") == "economic"),
    ("codes", "gov_economic"): ({"598": "试点"}, lambda c: c.code_system("59801") == "gov_economic"),
    ("codes", "kind_systems"): ({"procurement": "economic"}, lambda c: c.kind_systems.get("procurement") == "economic"),
    ("confusables", "chars"): ({"転": "转"}, lambda c: c.norm("运転") == "运转"),
    ("text", "macros"): ({"yuan": "(?:元)"},
                         lambda c: c.text["macros"].get("yuan") == "(?:元)" and "num" in c.text["macros"]),
    ("text", "meta"): ({"unit": ["计量[:：](?P<v>万元|元)"]},
                       lambda c: c.text["meta"]["unit"][0].startswith("计量") and "department" in c.text["meta"]),
    ("text", "fact"): ([{"pattern": "开支共计(?P<v_expenditure_total>{num}){u}"}],
                       lambda c: c.text["fact"][0]["pattern"].startswith("开支共计")),
    ("text", "change"): ([{"pattern": "(?P<subject>开支)(?P<dir>增加)(?P<amount>{num})万元"}],
                         lambda c: c.text["change"][0]["pattern"].startswith("(?P<subject>开支)")),
    ("text", "change_subjects"): ({"开支": "expenditure_total"},
                                  lambda c: c.text["change_subjects"].get("开支") == "expenditure_total"),
    ("text", "after"): ({"flat": "^持平"}, lambda c: c.text["after"]["flat"] == "^持平" and "share" in c.text["after"]),
    ("identities", "identity"): ([{"id": "row.test", "kinds": ["procurement"], "lhs": "total", "rhs": ["a", "b"]}],
                                 lambda c: any(i.id == "row.test" for i in c.identities_for("procurement"))),
    ("perf", "columns"): ({"指标名目": "text:level3"}, lambda c: c.perf_columns.get("指标名目") == "text:level3"),
    ("perf", "matrix"): ({"groups": ["试点指标"]},
                         lambda c: c.perf_matrix["groups"][0] == "试点指标" and "amounts" in c.perf_matrix),
    ("perf", "parents"): ({"试点子指标": "试点指标"}, lambda c: c.perf_parents.get("试点子指标") == "试点指标"),
    ("perf", "words"): ({"sections": ["试点部分"]}, lambda c: c.perf_words["sections"][0] == "试点部分"),
    ("summary", "source"): ([{"field": "expenditure_total", "kind": "expenditure_overview", "role": "total",
                              "key": "total"}],
                            lambda c: c.summary_sources[0]["kind"] == "expenditure_overview"),
    ("summary", "three_public"): ([{"kind": "three_public", "prefixes": ["budget_"]}],
                                  lambda c: c.three_public_prefixes == ("budget_",)),
    ("checks", "kinds"): ({"cross.test": "a test"}, lambda c: c.checks["kinds"].get("cross.test") == "a test"),
    ("checks", "perf_difference"): ([{"whole": "a", "less": "b", "equals": "z"}],
                                    lambda c: c.checks["perf_difference"][-1]["equals"] == "z"),
    ("checks", "of_which_columns"): ({"fund_fiscal": "fund"},
                                     lambda c: c.checks["of_which_columns"].get("fund_fiscal") == "fund"),
    ("checks", "column_rule"): ([{"kinds": ["procurement"], "prefixes": ["3"], "empty": "x", "label": "y"}],
                                lambda c: c.checks["column_rule"][-1]["label"] == "y"),
    ("checks", "cross"): ([{"id": "cross.test", "message": "m", "a": {"kind": "procurement", "key": "total"},
                           "b": [{"kind": "procurement", "key": "total"}]}],
                          lambda c: c.checks["cross"][-1]["id"] == "cross.test"),
    ("checks", "classes"): ([{"id": "cross.test_class", "message": "m", "a": {"kind": "procurement", "key": "total"},
                             "b": [{"kind": "procurement", "key": "total"}]}],
                            lambda c: c.checks["classes"][-1]["id"] == "cross.test_class"),
    ("checks", "rows"): ([{"id": "cross.test_rows", "message": "m", "a": "procurement", "b": "procurement",
                          "keys": ["total"]}],
                         lambda c: c.checks["rows"][-1]["id"] == "cross.test_rows"),
    ("checks", "side_names"): ({"income": "进账"}, lambda c: c.checks["side_names"]["income"] == "进账"
                               and c.checks["side_names"]["expenditure"] == "支出"),
    ("checks", "wording"): ({"pair": "{a} ≠ {b}"}, lambda c: c.checks["wording"]["pair"] == "{a} ≠ {b}"
                            and "sum" in c.checks["wording"]),
    ("checks", "narrative"): ({"figures": {"expenditure_total": ["table:expenditure_overview:total:total"]}},
                              lambda c: c.checks["narrative"]["figures"]["expenditure_total"][0].startswith("table:")
                              and "income_total" in c.checks["narrative"]["figures"]),
}


def test_the_profile_format_knows_every_section_and_key_the_data_files_use():
    """So a data file that gains a section or a key is not refused in a profile (nor untested)."""
    import tomllib
    from importlib import resources

    from fiscal_extract.catalog.profile import docs_of

    for file in SECTIONS:
        text = resources.files("fiscal_extract.catalog").joinpath("data", f"{file}.toml").read_text("utf-8")
        data = tomllib.loads(text)
        docs_of({file: data}, f"{file}.toml")  # raises naming the section or key it does not know


def test_every_section_of_every_data_file_has_a_case():
    assert set(CASES) == {(f, s) for f, secs in SECTIONS.items() for s in secs}


@pytest.mark.parametrize("case", sorted(CASES), ids=lambda c: ".".join(c))
def test_a_profile_merges_every_section(case: tuple[str, str]):
    file, section = case
    value, probe = CASES[case]
    assert not probe(load()), "the built-in catalog already does this: the case tests nothing"
    profile = {file: {section: value}}
    if case == ("columns", "match"):  # the file's default for its aliases: give it one
        profile["columns"]["column"] = [BASIC]
    assert probe(extend((), profile))


def _error(text: str, tmp_path: Path) -> str:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError) as exc:
        load((str(path),))
    return str(exc.value)


COL = '[[columns.column]]\nlabels = ["甲"]\n'


@pytest.mark.parametrize(
    ("profile", "words"),
    [
        ("[colums]\n", ["bad.toml", "unknown section [colums]"]),
        ("[text.metta]\n", ["bad.toml", "unknown key 'metta' in [text]"]),
        ('[text.meta]\nunits = ["x"]\n', ["bad.toml", "unknown key 'units' in [text.meta]"]),
        (COL + 'role = "value"\nkye = "basic"\n', ["bad.toml", "unknown key 'kye' in [[columns.column]] #1"]),
        (COL + 'role = "value"\n', ["bad.toml", "#1 (甲)", "needs a key"]),
        (COL + 'role = "valeu"\nkey = "x"\n', ["bad.toml", "role 'valeu'"]),
        (COL + 'role = "value"\nkey = "x"\nmatch = "part"\n', ["bad.toml", "match = 'part'"]),
        ('[tables.kinds.income_overveiw]\ntitles = ["x"]\n', ["bad.toml", "unknown table kind 'income_overveiw'"]),
        ('[tables.kinds.income_overview]\nlayout = "sideways"\n', ["bad.toml", "layout 'sideways'"]),
        ('[tables.kinds.income_overview]\ntitle = ["x"]\n',
         ["bad.toml", "unknown key 'title' in [tables.kinds.income_overview]"]),
        ('[rows]\ntotal = "合计"\n', ["bad.toml", "rows.total must be a list"]),
        ('[summary.source]\nfield = "x"\n', ["bad.toml", "[[summary.source]]"]),
        ('[match]\npath = ["*"]\n', ["bad.toml", "unknown key 'path' in [match]"]),
        ('[match]\npaths = "county/**"\n', ["bad.toml", "[match] paths must be a list of globs"]),
        ('column = []\n[columns]\ncolumn = []\n', ["bad.toml", "given twice"]),
        ("[text\n", ["bad.toml", "not valid TOML"]),
    ],
)
def test_a_bad_profile_is_refused_naming_the_file_and_the_key(profile: str, words: list[str], tmp_path: Path):
    message = _error(profile, tmp_path)
    for w in words:
        assert w in message, message


def test_older_profiles_short_sections_still_load():
    cat = extend((), {"kinds": {"income_overview": {"titles": ["进账一览表"]}},
                      "column": [{"labels": ["日常运转"], "role": "value", "key": "basic"}],
                      "chars": {"転": "转"}, "subtotal_words": ["共计"], "rows": {"total": ["全部合计"]}})
    assert cat.match_title("进账一览表") is not None
    assert cat.column("日常運転", "classified") is None or cat.column("日常运転", "classified").key == "basic"
    assert cat.is_subtotal("共计") and cat.row_label("全部合计")[0] == "total"


# ---- how a profile's aliases meet header cells --------------------------------------------------

BASIC = {"labels": ["日常运转"], "role": "value", "key": "basic"}


def test_a_profile_alias_matches_the_whole_cell_only():
    cat = extend((), {"columns": {"column": [BASIC]}})
    assert cat.column("日常运转", "classified").key == "basic"
    assert cat.column("（一）日常 运转", "classified").key == "basic"  # after normalisation
    # the banner of issue 19: a longer cell holding the alias is not the alias
    assert cat.column_within("本年公共财政日常运转", "classified") is None
    assert cat.column("日常运转费", "classified") is None  # nor a close spelling


def test_a_profile_can_ask_for_fuzzy_or_within_matching():
    fuzzy = extend((), {"columns": {"column": [{**BASIC, "match": "fuzzy"}]}})
    assert fuzzy.column("日常运转费", "classified").key == "basic"
    assert fuzzy.column_within("本年公共财政日常运转", "classified") is None
    within = extend((), {"columns": {"match": "within", "column": [BASIC]}})
    assert within.column_within("本年公共财政日常运转", "classified").key == "basic"


def test_the_whole_cell_rule_changes_how_a_table_is_read():
    """A banner holding an accepted alias over a 合计 column: read as ``basic`` with substring
    matching (what issue 19's profile run got wrong), as the table's total with whole cells."""
    from fiscal_extract.read.grid import Cell, GridRow
    from fiscal_extract.tables.header import build_columns

    def keys(cat: Catalog) -> list[str | None]:
        def row(*texts: str) -> GridRow:
            return GridRow([Cell(t, t, 0, 0) for t in texts], 0, 0, 0)

        rows = [row("科目名称", "本年公共财政日常运转", "人员经费"), row("", "合计", "")]
        return [c.key for c in build_columns(cat, rows, "classified", 3)]

    assert keys(extend((), {"columns": {"column": [BASIC]}}))[1:] == ["total", "personnel"]
    assert keys(extend((), {"columns": {"match": "within", "column": [BASIC]}}))[1:] == ["basic", "personnel"]
