"""PDF options on every command that reads documents: ``--ocr`` / ``--pages`` on ``check``,
``review`` and ``batch``; ``batch --as-one`` reads the PDFs of a folder as one document."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.read.test_pdf import TABLE, _rasterise
from tests.roundtrip import chromium_path, print_pdf

pytestmark = pytest.mark.skipif(chromium_path() is None, reason="needs the system's Chromium to print PDFs")

CLI = [sys.executable, "-m", "fiscal_extract.cli"]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=300)


NARRATIVE = """<html><head><meta charset="utf-8"></head><body>
<p>第一部分 部门概况</p><p>本部门2024年一般公共预算支出1,265.60万元，主要用于行政运行和事业运行。</p>
</body></html>"""


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    d = tmp_path_factory.mktemp("pdfs")
    table = print_pdf(TABLE, d / "table.pdf")
    return table, _rasterise(table, d / "scan.pdf"), print_pdf(NARRATIVE, d / "narrative.pdf")


def test_check_and_review_take_ocr_and_pages(pdfs: tuple[Path, Path, Path], tmp_path: Path) -> None:
    table, scan, _ = pdfs
    for cmd in (["check", str(scan)], ["review", str(scan), "-o", str(tmp_path / "r.html")]):
        p = run(*cmd, "--ocr", "never")
        assert p.returncode != 0 and "OCR is off" in p.stderr, p.stderr
    p = run("check", str(table), "--pages", "5")
    assert p.returncode != 0 and "--pages '5'" in p.stderr, p.stderr
    assert not (tmp_path / "r.html").exists()


def test_batch_reads_a_folders_pdfs_as_one_document_when_asked(pdfs: tuple[Path, Path, Path], tmp_path: Path) -> None:
    table, _, narrative = pdfs
    archive = tmp_path / "in" / "city"
    archive.mkdir(parents=True)
    (archive / "a_narrative.pdf").write_bytes(narrative.read_bytes())
    (archive / "b_tables.pdf").write_bytes(table.read_bytes())
    p = run("batch", str(tmp_path / "in"), "-o", str(tmp_path / "apart"), "--json", "--export", "none")
    assert json.loads(p.stdout)["documents"] == 2, p.stderr
    p = run("batch", str(tmp_path / "in"), "-o", str(tmp_path / "one"), "--json", "--export", "none", "--as-one")
    summary = json.loads(p.stdout)
    assert summary["documents"] == 1 and summary["ok"] == 1, p.stdout + p.stderr
    record = (tmp_path / "one" / "records" / "city" / "a_narrative.pdf.json").read_text(encoding="utf-8")
    assert '"page":2' in record.replace(" ", "")  # the second PDF's figures are on the joined document's page 2


def test_batch_takes_ocr_mode(pdfs: tuple[Path, Path, Path], tmp_path: Path) -> None:
    _, scan, _ = pdfs
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "scan.pdf").write_bytes(scan.read_bytes())
    p = run("batch", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--json", "--export", "none", "--ocr", "never")
    summary = json.loads(p.stdout)
    assert summary["failed"] == 1, p.stdout + p.stderr
