"""The same documents rendered as markdown, HTML and space-aligned tables, and with extra OCR
damage, give the same figures as the tab-separated originals."""

from decimal import Decimal

import pytest

from fiscal_extract.models import Disclosure
from fiscal_extract.pipeline import extract_bytes
from fiscal_extract.read.render import damage, to_aligned, to_html, to_markdown

from ..conftest import FIN, SAMPLE_IDS, extracted, sample


def figures(rec: Disclosure, kinds: list[str] | None = None) -> dict[tuple, Decimal]:
    out = {}
    for ti, t in enumerate(rec.tables):
        if kinds is not None and t.kind not in kinds:
            continue
        for ri, r in enumerate(t.rows):
            for k, v in r.values.items():
                if v is not None:
                    out[(ti, t.kind, ri, r.side, r.code, k)] = v
    return out


def render(doc: str, fn) -> Disclosure:
    text = sample(doc).read_text(encoding="utf-8")
    return extract_bytes(fn(text).encode("utf-8"), str(sample(doc)))


@pytest.mark.parametrize("doc", SAMPLE_IDS)
@pytest.mark.parametrize("fn", [to_markdown, to_html, damage], ids=["markdown", "html", "damaged"])
def test_same_figures_every_table(doc, fn):
    base = extracted(doc)
    other = render(doc, fn)
    assert [t.kind for t in other.tables] == [t.kind for t in base.tables]
    fb = figures(base)
    assert fb, "the original yields figures"
    assert figures(other) == fb
    assert other.summary == base.summary


@pytest.mark.parametrize("doc", SAMPLE_IDS)
def test_space_aligned_financial_tables(doc):
    base = extracted(doc)
    other = render(doc, to_aligned)
    fb = figures(base, FIN)
    fo = figures(other, FIN)
    assert {k[1:] for k in fo} == {k[1:] for k in fb}
    assert sorted(fo.values()) == sorted(fb.values())


def test_damage_really_damages():
    text = sample("000").read_text(encoding="utf-8")
    damaged = damage(text)
    assert damaged != text
    assert any(s in damaged for s in (". ", ", ", "０", "預算", "亦计"))
    rec = render("000", damage)
    assert any(r.kind == "number" and r.reason for r in rec.repairs)
