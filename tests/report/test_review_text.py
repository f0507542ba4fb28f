"""``review`` of a record extracted elsewhere: the text is found beside the record (or above it), or
given with ``--text``; a wrong or missing text is a one-line error that says what to do."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fiscal_extract.cli import app
from fiscal_extract.errors import InputError
from fiscal_extract.jsonio import model_json
from fiscal_extract.pipeline import extract_file
from fiscal_extract.report.figure_marks import figure_count
from fiscal_extract.report.review import review_file

from ..conftest import extracted, sample


@pytest.fixture()
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``extract a/x.txt -o out`` run in ``work/``: the record names its text ``a/x.txt`` (relative to
    ``work/``), and is written to ``work/out/a/x.json``; the review then runs from another folder."""
    work = tmp_path / "work"
    (work / "a").mkdir(parents=True)
    shutil.copy(sample("003"), work / "a" / "x.txt")
    monkeypatch.chdir(work)
    record = extract_file(Path("a/x.txt"))
    assert record.source.path == "a/x.txt"
    rec = work / "out" / "a" / "x.json"
    rec.parent.mkdir(parents=True)
    rec.write_text(model_json(record), encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    return rec


def test_review_finds_the_text_above_a_record_extracted_elsewhere(elsewhere: Path):
    page = review_file(elsewhere)
    assert page.stats()["figures"] == figure_count(extracted("003"))


def test_review_takes_the_text_given_with_text(elsewhere: Path, tmp_path: Path):
    moved = tmp_path / "moved.txt"
    (elsewhere.parents[2] / "a" / "x.txt").rename(moved)
    with pytest.raises(InputError, match="--text"):
        review_file(elsewhere)
    page = review_file(elsewhere, text=moved)
    assert page.stats()["figures"] == figure_count(extracted("003"))
    r = CliRunner().invoke(app, ["review", str(elsewhere), "--text", str(moved), "-o", str(tmp_path / "r.html")])
    assert r.exit_code == 0, r.output
    assert f"{figure_count(extracted('003'))} figures" in r.output
    assert (tmp_path / "r.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_review_refuses_a_text_the_record_was_not_read_from(elsewhere: Path, tmp_path: Path):
    out = tmp_path / "r.html"
    r = CliRunner().invoke(app, ["review", str(elsewhere), "--text", str(sample("000")), "-o", str(out)])
    assert r.exit_code == 2 and "is not the text x.json was extracted from" in r.output
    assert not out.exists()
    # a changed text beside the record is named, and --text suggested
    (elsewhere.parents[2] / "a" / "x.txt").write_text(sample("000").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(InputError, match=r"has changed since x\.json was extracted.*--text"):
        review_file(elsewhere)
