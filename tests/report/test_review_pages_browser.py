"""The review of a PDF shows its pages with every figure's printed box, linked both ways
(headless Chromium, as the other browser tests)."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, expect

from fiscal_extract.report.review import review_file
from fiscal_extract.report.review_html import review_html
from tests.roundtrip import print_pdf, sample_html

from .test_review_browser import Opened, browser  # noqa: F401  (the browser fixture)

ROOT = Path(__file__).resolve().parents[2]


def test_a_figure_shows_its_box_on_the_page_image(browser: Browser, tmp_path: Path) -> None:  # noqa: F811
    pdf = print_pdf(sample_html(ROOT / "eval" / "samples" / "001_82514b48445ad530.txt"), tmp_path / "s.pdf")
    review = review_file(pdf)
    assert review.pages and all(p.image.startswith("data:image/png;base64,") for p in review.pages)
    path = tmp_path / "review.html"
    path.write_text(review_html(review), encoding="utf-8")
    o = Opened(browser, path)
    page = o.page

    # every page image is drawn (data: URIs, allowed by the page's policy)
    imgs = page.locator(".pdfpage img")
    assert imgs.count() == len(review.pages)
    assert page.evaluate("Array.from(document.querySelectorAll('.pdfpage img')).every(i => i.naturalWidth > 0)")

    # clicking a figure in the text opens the pages and outlines its box, over the printed figure
    box = review.pages[-1].boxes[-1]
    page.locator(f"[id='{box.mark}']").click()
    expect(page.locator("#tab-pages")).to_be_visible()
    on = page.locator(".box.on")
    assert on.count() >= 1 and on.first.get_attribute("data-box") == box.mark
    expect(on.first).to_be_in_viewport()
    sheet = page.locator(f"#P{review.pages[-1].number} img").bounding_box()
    b = on.first.bounding_box()
    assert sheet and b and sheet["x"] <= b["x"] and b["x"] + b["width"] <= sheet["x"] + sheet["width"] + 1
    assert b["width"] > 2 and b["height"] > 2

    # clicking another box selects its figure in the text
    other = next(x for x in review.pages[0].boxes if x.mark != box.mark)
    page.locator(f".box[data-box='{other.mark}']").first.click()
    assert o.active_id() == other.mark
    assert page.locator(".box.on").first.get_attribute("data-box") == other.mark
    page.screenshot(path=str(tmp_path / "pages.png"))
    o.close()
