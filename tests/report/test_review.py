"""The review report and the HTML evaluation report, without a browser: what they contain, that
they are self-contained, and that document text can never become markup."""

import base64
import hashlib
import json
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from markupsafe import escape

from fiscal_extract.evaluate.run import run_eval
from fiscal_extract.models import (
    CellRef,
    Change,
    CheckResult,
    Column,
    Disclosure,
    Narrative,
    NarrativeFact,
    Repair,
    Row,
    Source,
    Span,
    Summary,
    Table,
)
from fiscal_extract.read.normalize import from_bytes
from fiscal_extract.report.eval_html import eval_html
from fiscal_extract.report.figure_marks import figure_count, figure_marks, marks_by_ref
from fiscal_extract.report.findings import figure, report
from fiscal_extract.report.review import build_review, review_file
from fiscal_extract.report.review_html import review_html
from fiscal_extract.report.svg_chart import Series, bar_chart

from ..conftest import GOLD, ROOT, extracted, planted_gold, sample

CLI = [sys.executable, "-m", "fiscal_extract.cli"]
URL = re.compile(r"""(?:src|href|action|xlink:href)\s*=\s*["']?\s*(?:https?:)?//""", re.I)

INJECT_TEXT = "<script>window.__pwned=1</script>"
INJECT_ATTR = '"><img src=x onerror="window.__pwned=2">'
INJECT_JSON = "</script><script>window.__pwned=3</script>"


def injected_document(tmp_path: Path) -> Path:
    """Sample 000 with markup in its narrative and in the name of a table row that holds a figure."""
    text = sample("000").read_text(encoding="utf-8")
    text = text.replace("目 录", f"目 录 {INJECT_TEXT} {INJECT_ATTR}", 1)
    text = text.replace("十、卫生健康\t9.5", f"十、卫生健康{INJECT_JSON}\t9.5", 1)
    assert INJECT_JSON in text and INJECT_TEXT in text
    path = tmp_path / "injected.txt"
    path.write_text(text, encoding="utf-8")
    return path


def _span(start: int, end: int, line: int = 1) -> Span:
    return Span(start=start, end=end, line=line)


def _record() -> Disclosure:
    cells = Row(
        name="a",
        values={"total": Decimal("5.0"), "basic": Decimal("2.0"), "project": None, "other": Decimal("3.0")},
        cells={"total": _span(10, 13), "basic": _span(14, 17), "project": _span(18, 19)},
    )
    facts = [
        NarrativeFact(
            key="income_total",
            subject="收入",
            value=Decimal("5.0"),
            share=Decimal("10"),
            span=_span(30, 33),
            change=Change(direction="increase", amount=Decimal("1"), percent=Decimal("25"), span=_span(40, 52)),
        ),
        NarrativeFact(
            key="expenditure_total",
            subject="支出",
            value=Decimal("5.0"),
            span=_span(60, 63),
            change=Change(direction="increase", amount=Decimal("1"), span=_span(44, 52)),
        ),
        NarrativeFact(key="basic_expenditure", subject="基本", value=None, span=_span(70, 72)),
    ]
    return Disclosure(
        source=Source(path="x.txt", sha256="0", chars=100),
        tables=[Table(kind="expenditure_overview", title="T", columns=[Column(key="total", label="合")], rows=[cells])],
        summary=Summary(income_total=Decimal("5.0"), refs={"income_total": CellRef(table=0, row=0, key="total")}),
        narrative=Narrative(facts=facts),
    )


def test_figure_count_definition():
    rec = _record()
    marks = figure_marks(rec)
    # cells: total and basic (project is null, other has no span); narrative: fact 0 value+share
    # share one span, fact 1's value; the two change phrases overlap and merge into one mark
    assert [(m.start, m.end) for m in marks] == [(10, 13), (14, 17), (30, 33), (40, 52), (60, 63)]
    assert figure_count(rec) == 5
    by_ref = marks_by_ref(marks)
    assert by_ref["summary.income_total"] is by_ref["tables[0].rows[0].values.total"]
    assert by_ref["narrative.facts[0].share"] is by_ref["narrative.facts[0].value"]
    assert by_ref["narrative.facts[1].change.amount"] is by_ref["narrative.facts[0].change.percent"]
    assert "tables[0].rows[0].values.project" not in by_ref
    assert "narrative.facts[2].value" not in by_ref


def test_check_figures_of_a_change_point_at_the_change_phrase():
    rec = _record()
    pct = figure(rec, "narrative.facts[0].change.percent")
    assert pct.value == Decimal("25") and pct.span == _span(40, 52)
    assert figure(rec, "narrative.facts[0].share").value == Decimal("10")
    assert figure(rec, "narrative.facts[1].change.previous").value is None
    cell = figure(rec, "tables[0].rows[0].values.basic")
    assert (cell.table, cell.row, cell.key, cell.value) == ("T", "a", "basic", Decimal("2.0"))


def test_marks_say_what_happened_to_their_figures():
    text = "收入 12. 5 支出 7.5 基本 5.0 • 说明 20.0\n"
    src = from_bytes(text.encode(), "t.txt")

    def at(s: str) -> Span:
        i = text.index(s)
        return _span(i, i + len(s))

    rows = [
        Row(name="a", values={"total": Decimal("12.5")}, cells={"total": at("12. 5")}, span=at("收入 12. 5")),
        Row(name="b", values={"total": Decimal("7.5")}, cells={"total": at("7.5")}, origin="llm"),
        Row(name="c", values={"total": Decimal("5.0")}, cells={"total": at("5.0")}),
    ]
    fact = NarrativeFact(key="income_total", subject="说明", value=Decimal("20.0"), span=at("20.0"))
    rec = Disclosure(
        source=Source(path="t.txt", sha256=src.sha256, chars=len(text)),
        tables=[Table(kind="expenditure_overview", title="T", rows=rows)],
        narrative=Narrative(facts=[fact]),
        repairs=[
            Repair(span=at("12. 5"), original="12. 5", value=Decimal("12.5"), reason="space inside number removed"),
            Repair(span=at("•"), original="•", value=None, reason="debris", kind="debris"),
        ],
        checks=[
            CheckResult(id="x", status="pass", message="ok", refs=["tables[0].rows[0].values.total"]),
            CheckResult(
                id="y",
                status="fail",
                cause="source",
                message="12.5 = 7.5 + 5.0 + 20.0",
                refs=["tables[0].rows[2].values.total", "narrative.facts[0].value", "tables[0].rows[0].values.basic"],
            ),
        ],
    )
    review = build_review(report(rec), src)
    classes = {m.id: set(m.classes) for m in review.marks}
    ids = [m.id for m in review.marks]
    assert classes == {
        ids[0]: {"fig", "repaired"},
        ids[1]: {"fig", "llm"},
        ids[2]: {"fig", "failed", "cause-source"},
        ids[3]: {"fig", "failed", "cause-source"},
    }
    (group,) = review.groups
    (cv,) = group.checks
    assert cv.index == 1 and cv.marks == [ids[2], ids[3]]
    assert cv.figures[2].mark is None and cv.figures[2].line == 1  # not printed: its row's line
    segments = review.lines[0].segments
    assert [s.text for s in segments if s.dropped is not None] == ["•"]
    assert "".join(s.text for s in segments) == text.rstrip("\n")
    assert review.stats() == {
        "figures": 4, "repaired": 1, "llm": 1, "failed": 2, "mismatch": 0, "unsure": 0, "dropped": 1
    }
    assert "repaired: '12. 5' -> 12.5" in review.marks[0].title()


@pytest.fixture(scope="module")
def review003(tmp_path_factory: pytest.TempPathFactory):
    # the gold with one planted mismatch: how mismatches are linked must not depend on the extractor erring
    gold = planted_gold(tmp_path_factory.mktemp("gold"))
    return review_file(sample("003"), gold=gold / f"{sample('003').stem}.json")


@pytest.fixture(scope="module")
def page003(review003) -> str:
    return review_html(review003)


def test_review_marks_every_figure_once(review003, page003):
    rec = extracted("003")
    ids = re.findall(r'<mark class="fig[^"]*" id="([^"]+)"', page003)
    assert len(ids) == len(set(ids)) == figure_count(rec) > 500
    assert set(ids) == {m.id for m in figure_marks(rec)}
    # the text between the marks is the document, line by line
    first = figure_marks(rec)[0]
    printed = re.search(rf'id="{first.id}"[^>]*>(.*?)</mark>', page003).group(1)
    assert printed == escape(sample("003").read_text(encoding="utf-8")[first.start : first.end])


def test_review_groups_failed_checks_by_cause_and_links_their_figures(review003):
    rec = review003.record
    fails = [i for i, c in enumerate(rec.checks) if c.status == "fail"]
    listed = [cv.index for g in review003.groups for cv in g.checks]
    assert sorted(listed) == fails
    order = [g.cause for g in review003.groups]
    assert order == sorted(order, key=["extraction", "unknown", "source"].index)
    by_ref = marks_by_ref(figure_marks(rec))
    for g in review003.groups:
        for cv in g.checks:
            want = [by_ref[r].id for r in cv.check.refs if r in by_ref]
            assert cv.marks == list(dict.fromkeys(want))
            assert all(f.line for f in cv.figures), cv.check.id


def test_review_marks_repairs_and_gold_mismatches(review003):
    rec = review003.record
    repaired = [m for m in review003.marks if "repaired" in m.classes]
    assert repaired and all(m.repairs for m in repaired)
    spans = {(r.span.start, r.span.end) for r in rec.repairs if r.value is not None and r.span}
    marked = {(m.mark.start, m.mark.end) for m in review003.marks}
    assert spans & marked and {(m.mark.start, m.mark.end) for m in repaired} >= spans & marked
    assert review003.gold is not None and review003.gold.mismatches
    linked = [(m, link) for m, link in review003.gold.mismatches if link.mark]
    assert linked
    for m, link in linked:
        view = next(v for v in review003.marks if v.id == link.mark)
        assert "mismatch" in view.classes
        assert Decimal(str(m.got)) in {f.value for f in view.mark.figures}


def test_review_page_is_self_contained(page003):
    assert not URL.search(page003)
    assert "http://" not in page003 and "https://" not in page003
    assert "<link" not in page003 and "@import" not in page003
    # the one script that may run is the page's own: the policy names its hash
    policy = re.search(r'Content-Security-Policy" content="([^"]+)"', page003).group(1)
    assert "default-src 'none'" in policy
    code = re.findall(r"<script>(.*?)</script>", page003, re.S)
    assert len(code) == 1
    digest = base64.b64encode(hashlib.sha256(code[0].encode()).digest()).decode()
    assert f"'sha256-{digest}'" in policy


def test_document_text_and_values_are_escaped(tmp_path: Path):
    page = review_html(review_file(injected_document(tmp_path)))
    assert "<img" not in page
    assert INJECT_TEXT not in page and INJECT_JSON not in page
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in page
    # JSON data cannot close its <script> element
    data = re.search(r'<script type="application/json" id="review-data">(.*?)</script>', page, re.S).group(1)
    assert "</" not in data and "<" not in data
    assert INJECT_JSON in json.dumps(json.loads(data), ensure_ascii=False)
    assert page.count("</script>") == 2


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, cwd=cwd, timeout=180)


def test_review_command(tmp_path: Path):
    out = tmp_path / "r.html"
    gold = GOLD / f"{sample('003').stem}.json"
    p = run("review", str(sample("003")), "-o", str(out), "--gold", str(gold))
    assert p.returncode == 0, p.stderr
    assert f"{figure_count(extracted('003'))} figures" in p.stdout and "gold mismatches" in p.stdout
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    # an extracted record is reviewed against the text it names
    rec = tmp_path / "003.json"
    rec.write_text(run("extract", str(sample("003"))).stdout, encoding="utf-8")
    p = run("review", str(rec), "-o", str(tmp_path / "j.html"), cwd=ROOT)
    assert p.returncode == 0, p.stderr
    assert f"{figure_count(extracted('003'))} figures" in p.stdout


def test_review_command_refuses_with_one_line(tmp_path: Path):
    wrong_gold = GOLD / f"{sample('000').stem}.json"
    p = run("review", str(sample("003")), "-o", str(tmp_path / "x.html"), "--gold", str(wrong_gold))
    assert p.returncode == 2 and "another text" in p.stderr and len(p.stderr.strip().splitlines()) == 1
    p = run("review", str(tmp_path / "missing.txt"), "-o", str(tmp_path / "x.html"))
    assert p.returncode == 2 and "no such file" in p.stderr
    assert not (tmp_path / "x.html").exists()


def test_mismatch_refs_point_at_the_extracted_figure(tmp_path: Path):
    res = run_eval(planted_gold(tmp_path / "gold"))
    rec = extracted("003")
    doc = next(d for d in res.documents if d.document.startswith("003"))
    cells = [m for m in doc.mismatches if m.ref and ".values." in m.ref and m.got is not None]
    assert cells
    for m in cells:
        assert figure(rec, m.ref).value == m.got, m


def test_bar_chart_scales_and_escapes():
    svg = str(bar_chart("t", ["a<b>", "c"], [Series("F1", "#000", [1.0, 0.5]), Series("R", "#111", [None, 0.25])]))
    widths = [float(w) for w in re.findall(r'class="bar"[^>]*width="([\d.]+)"', svg)]
    assert widths == [420.0, 210.0, 105.0]
    assert "a&lt;b&gt;" in svg and "<b>" not in svg


def test_eval_html_report(tmp_path: Path):
    out = tmp_path / "eval.html"
    p = run("eval", "--html", str(out), "--json")
    assert p.returncode == 0, p.stderr
    data = json.loads(p.stdout)
    page = out.read_text(encoding="utf-8")
    assert "http://" not in page and "https://" not in page and "<script" not in page
    assert page.count('<svg class="chart"') == 2
    total = sum(len(d["mismatches"]) for d in data["documents"])
    assert page.count('<tr class="mismatch">') == total > 0
    for d in data["documents"]:
        assert d["document"] in page
    assert f"{data['overall']['fields']['f1'] * 100:.1f}%" in page
    assert eval_html(run_eval(GOLD)).count('class="bar"') == page.count('class="bar"')


def test_notices_are_listed_and_a_figure_read_with_doubt_is_marked():
    """What was not read and what OCR read with doubt reach the page and `check`, not only the JSON."""
    from fiscal_extract.models import Notice
    from fiscal_extract.report.check_text import check_summary

    text = "支出合计 12.5\n基本支出 7.5\n"
    src = from_bytes(text.encode(), "t.txt")
    i = text.index("7.5")
    rows = [
        Row(name="支出合计", values={"total": Decimal("12.5")}, cells={"total": _span(5, 9)}),
        Row(name="基本支出", values={"total": Decimal("7.5")}, cells={"total": _span(i, i + 3, line=2)}),
    ]
    rec = Disclosure(
        source=Source(path="t.txt", sha256=src.sha256, chars=len(text)),
        tables=[Table(kind="expenditure_overview", title="T", rows=rows)],
        notices=[
            Notice(code="ocr_uncertain", span=_span(i, i + 3, line=2), message="'7.5' read with confidence 0.61"),
            Notice(code="table_not_read", message="the contents list names 三公经费表; it was not read"),
        ],
    )
    review = build_review(report(rec), src)
    unsure = [m for m in review.marks if "unsure" in m.classes]
    assert [m.mark.start for m in unsure] == [i]
    assert [(n.code, what, link.mark is not None) for n, link, what in review.notices] == [
        ("ocr_uncertain", "unsure", True), ("table_not_read", "missing", False)
    ]
    assert review.stats()["unsure"] == 1
    page = review_html(review)
    assert "read with confidence 0.61" in page and "三公经费表; it was not read" in page
    said = check_summary(report(rec))
    assert "UNSURE: 1" in said and "NOT READ: 1" in said
