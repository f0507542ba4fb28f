"""The review and evaluation pages in a real headless Chromium: Debian's chromium, driven by
Playwright (``playwright install`` is never run; scripts/install.sh installs the browser with apt).

A missing browser fails these tests: it is a missing install step, not a reason to skip.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from fiscal_extract.evaluate.run import run_eval
from fiscal_extract.report.eval_html import eval_html
from fiscal_extract.report.figure_marks import figure_count, figure_marks, marks_by_ref
from fiscal_extract.report.review import review_file
from fiscal_extract.report.review_html import review_html
from tests.roundtrip import CHROMIUM_FLAGS

from ..conftest import GOLD, extracted, planted_gold, sample
from .test_review import INJECT_ATTR, INJECT_JSON, INJECT_TEXT, injected_document

CHROMIUM = Path(os.environ.get("FISCAL_CHROMIUM", "/usr/bin/chromium"))
ARGS = list(CHROMIUM_FLAGS)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} not found: the browser tests need Debian's chromium (scripts/install.sh installs it)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


class Opened:
    def __init__(self, browser: Browser, path: Path) -> None:
        self.context = browser.new_context(viewport={"width": 1600, "height": 1000})
        self.page: Page = self.context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.url = path.resolve().as_uri()
        self.page.goto(self.url)

    def active_id(self) -> str:
        return self.page.evaluate("document.activeElement && document.activeElement.id")

    def close(self) -> None:
        assert self.errors == [], self.errors
        assert self.requests == [self.url], "the page asked for something besides itself"
        self.context.close()


def mark(page: Page, mark_id: str):
    return page.locator(f"[id='{mark_id}']")


def test_review_of_003(browser: Browser, tmp_path: Path):
    rec = extracted("003")
    path = tmp_path / "review-003.html"
    gold = planted_gold(tmp_path / "gold") / f"{sample('003').stem}.json"  # one mismatch, planted
    path.write_text(review_html(review_file(sample("003"), gold=gold)), encoding="utf-8")
    o = Opened(browser, path)
    page = o.page

    # every figure of the record is highlighted once, and the header says how many
    assert page.locator("#source mark.fig").count() == figure_count(rec)
    assert page.locator("#figure-count").inner_text() == str(figure_count(rec))
    by_ref = marks_by_ref(figure_marks(rec))
    failing = {by_ref[r].id for c in rec.checks if c.status == "fail" for r in c.refs if r in by_ref}
    assert page.locator("#source mark.fig.failed").count() == len(failing) > 0

    # the page opens on the first failed check; clicking another moves to that check's figure
    articles = page.locator("article.check")
    assert articles.count() == sum(1 for c in rec.checks if c.status == "fail")
    opened_on = o.active_id()
    assert opened_on in failing
    target = want = None
    for i in reversed(range(articles.count())):
        check = rec.checks[int(articles.nth(i).get_attribute("id")[1:])]
        first = next(by_ref[r].id for r in check.refs if r in by_ref)
        if first != opened_on:
            target, want = articles.nth(i), first
            break
    assert target is not None, "every failed check starts at the same figure"
    target.locator("h3").click()
    assert o.active_id() == want
    expect(mark(page, want)).to_be_in_viewport()
    involved = set(page.locator("#source mark.involved").evaluate_all("ms => ms.map(m => m.id)"))
    assert involved == {by_ref[r].id for r in check.refs if r in by_ref}
    value = next(format(by_ref[r].figures[0].value, "f") for r in check.refs if r in by_ref)
    expect(page.locator("#detail")).to_contain_text(value)

    # a figure listed under the check focuses that figure
    links = target.locator("a[data-mark]")
    second = links.nth(1).get_attribute("data-mark")
    links.nth(1).click()
    assert o.active_id() == second

    # hovering a repaired figure shows the repair: what was printed and why it was changed
    rep = next(r for r in rec.repairs if r.value is not None and r.span and r.kind == "number")
    rep_mark = next(m for m in figure_marks(rec) if m.start <= rep.span.start and rep.span.end <= m.end)
    assert "repaired" in (mark(page, rep_mark.id).get_attribute("class") or "")
    mark(page, rep_mark.id).hover()
    expect(page.locator("#detail")).to_contain_text(rep.original)
    expect(page.locator("#detail")).to_contain_text(rep.reason)

    # the tables are tables; a cell leads to its figure in the text
    page.click("button[data-tab=tables]")
    assert page.locator("#tab-tables table").count() == sum(1 for t in rec.tables if t.rows)
    cell = page.locator("#tab-tables td[data-mark]").nth(7)
    cell_mark = cell.get_attribute("data-mark")
    cell.click()
    assert o.active_id() == cell_mark
    expect(mark(page, cell_mark)).to_be_in_viewport()

    # gold mismatches are marked and listed
    page.click("button[data-tab=gold]")
    assert page.locator("#tab-gold tbody tr").count() > 0
    assert page.locator("#source mark.fig.mismatch").count() > 0

    page.click("button[data-tab=checks]")
    articles.first.locator("h3").click()
    page.screenshot(path=str(tmp_path / "review-003.png"))
    assert (tmp_path / "review-003.png").stat().st_size > 10_000
    o.close()


def test_injected_markup_stays_text(browser: Browser, tmp_path: Path):
    path = tmp_path / "injected.html"
    path.write_text(review_html(review_file(injected_document(tmp_path))), encoding="utf-8")
    o = Opened(browser, path)
    page = o.page
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("img").count() == 0
    expect(page.locator("#source").get_by_text(INJECT_TEXT)).to_be_visible()
    assert INJECT_ATTR in page.locator("#source").inner_text()
    # the row name holding markup is text in the tables and in a figure's details (built from the page's JSON)
    page.click("button[data-tab=tables]")
    expect(page.locator("#tab-tables").get_by_text(f"十、卫生健康{INJECT_JSON}")).to_be_visible()
    page.locator("#tab-tables td[data-mark]", has_text="9.5").first.click()
    expect(page.locator("#detail")).to_contain_text(INJECT_JSON)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    page.screenshot(path=str(tmp_path / "injected.png"))
    o.close()


def test_eval_report(browser: Browser, tmp_path: Path):
    res = run_eval(GOLD)
    path = tmp_path / "eval.html"
    path.write_text(eval_html(res), encoding="utf-8")
    o = Opened(browser, path)
    page = o.page
    kinds = set(res.tables_by_kind()) | set(res.fields_by_kind())
    assert page.locator("#chart-kind svg text.label").all_text_contents() == sorted(kinds)
    assert page.locator("#chart-document svg text.label").all_text_contents() == [d.document for d in res.documents]
    assert page.locator("#chart-document svg rect.bar").count() == 2 * len(res.documents)
    box = page.locator("#chart-kind svg").bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 100
    assert page.locator("tr.mismatch").count() == sum(len(d.mismatches) for d in res.documents)
    page.screenshot(path=str(tmp_path / "eval.png"), full_page=True)
    o.close()
