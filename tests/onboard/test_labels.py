"""Label columns in onboarding: a header cell over the row labels that the catalog cannot name
(changchun's 项目单位, printed one character per line in PDF text) is asked about, and its naming
is kept only when the rows' names then tell more projects apart with no check failing more."""

from __future__ import annotations

from pathlib import Path

from fiscal_extract.catalog import data_docs, extend
from fiscal_extract.onboard.engine import onboard_samples
from fiscal_extract.onboard.labels import label_candidates, vertical_words
from fiscal_extract.options import ExtractOptions
from fiscal_extract.pipeline import extract_source
from fiscal_extract.read.normalize import read_source

CHANGCHUN = Path(__file__).resolve().parents[2] / "eval" / "corpus" / "text" / (
    "10_changchun-petition_bureau_benji-dept_budget-2026.pypdf.txt")


def _without(*labels: str) -> dict:
    docs = data_docs()
    for d in docs["columns.toml"]:
        d["column"] = [{**c, "labels": [x for x in c["labels"] if x not in labels]} for c in d.get("column", [])]
        d["column"] = [c for c in d["column"] if c["labels"]]
    return docs


def test_vertical_words_joins_a_cell_printed_one_character_per_line():
    assert vertical_words("类\n型\n项目名称 项 目\n单\n位\n合计") == ["类型", "项目名称", "项目单位", "合计"]
    assert vertical_words("合计 a 1 单位资金") == ["合计", "a", "1", "单位资金"]  # one character alone, not CJK


def test_label_candidates_leave_out_roles_the_header_names_already_and_prefer_the_layouts_own():
    cat = extend((), {}, _without("项目单位", "类型"))
    cands = label_candidates(cat, "项目单位", "project", {("name", None), ("code", None)})
    assert all(role not in ("name", "code") for role, *_ in cands)
    assert cands[0][:2] == ("text", "unit_name")  # 单位名称's key, given for project tables


def test_onboarding_names_the_unit_column_and_not_the_category():
    docs = _without("项目单位", "类型")
    src = read_source(CHANGCHUN)

    def projects(prof: dict) -> list[str]:
        rec = extract_source(src, ExtractOptions(), cat=extend((), prof, docs))
        t = next(t for t in rec.tables if t.kind == "project_expenditure")
        return [r.name for r in t.rows if r.values.get("total") is not None]

    before = projects({})
    assert before.count("长春市信访局") >= 3  # the unit's name swallowed the projects' names

    res = onboard_samples([CHANGCHUN], base=docs)
    labels = {q.text: q for q in res.questions if q.what == "label"}
    assert labels["项目单位"].status == "accepted"
    assert {"labels": ["项目单位"], "role": "text", "key": "unit_name", "layouts": ["project"]} in res.profile["column"]
    # 类型 prints its categories as rows of their own here: naming it changes no row, so nothing is kept
    assert labels["类型"].chosen is None
    assert not any("类型" in c["labels"] for c in res.profile["column"])
    after = projects(res.profile)
    assert "2026信访专项经费" in after and "长春市信访局" not in after


HANGZHOU = CHANGCHUN.with_name("08_hangzhou-meteorological_bureau-dept_budget-2026.pypdf.txt")


def test_a_unit_column_under_a_banner_line_is_named_when_the_names_lose_the_units_glued_on():
    """Hangzhou's project table prints 财政拨款收入 (a banner over figure columns) above 单位名称 |
    项目名称: the label cell is still asked about; naming it tells no more projects apart (each name
    was already distinct with its unit glued on), but its names no longer carry a budget unit's
    name (the department, the income table's unit rows) -- that decides."""
    docs = _without("单位名称")
    src = read_source(HANGZHOU)

    def projects(prof: dict) -> list[str]:
        rec = extract_source(src, ExtractOptions(), cat=extend((), prof, docs))
        t = next(t for t in rec.tables if t.kind == "project_expenditure")
        return [r.name for r in t.rows if r.values.get("total") is not None and r.role != "total"]

    assert all(n.startswith("杭州市气象") for n in projects({}))  # each project's name glued to its unit

    res = onboard_samples([HANGZHOU], base=docs)
    label = next(q for q in res.questions if q.what == "label" and q.text == "单位名称" and q.status == "accepted")
    assert "unit_name" in label.chosen.label
    assert sorted(projects(res.profile)) == ["专业系统维护及科普", "气象业务建设", "气象设施维护及科普"]
