"""``batch`` over a folder of PDFs: converted in worker processes like text, a broken PDF an
error line, a scanned one read by OCR in its worker, and a run stopped part-way resumed by the
next run to the same outputs as an uninterrupted one."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from fiscal_extract.batch.engine import BatchOptions, run_batch
from fiscal_extract.read.pdf import join_pdfs
from tests.cli.test_pdf_flags import NARRATIVE
from tests.read.test_pdf import TABLE, _rasterise
from tests.roundtrip import chromium_path, print_pdf

pytestmark = pytest.mark.skipif(chromium_path() is None, reason="needs the system's Chromium to print PDFs")

PDF_GLOBS = ("*.pdf",)


@pytest.fixture(scope="module")
def pdf_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Six text-layer PDFs (the table and the narrative joined in different orders: different
    bytes), one scanned page and one broken PDF, in two folders."""
    work = tmp_path_factory.mktemp("pdfs")
    table = print_pdf(TABLE, work / "table.pdf").read_bytes()
    narrative = print_pdf(NARRATIVE, work / "narrative.pdf").read_bytes()
    folder = work / "in"
    (folder / "city" / "b").mkdir(parents=True)
    parts = [[narrative, table], [table, narrative], [narrative, narrative, table], [narrative, table, narrative],
             [table, narrative, narrative], [narrative, narrative, table, narrative]]
    for i, p in enumerate(parts):
        (folder / ("city" if i % 2 else "city/b") / f"doc{i}.pdf").write_bytes(join_pdfs(p))
    _rasterise(work / "table.pdf", folder / "city" / "scan.pdf")
    (folder / "city" / "broken.pdf").write_bytes(b"%PDF-1.4\n%broken")
    return folder


def _records(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted((out / "records").rglob("*.json"))}


def _options() -> BatchOptions:
    return BatchOptions(jobs=2, chunk=1, globs=PDF_GLOBS, exports=())


def test_a_pdf_batch_runs_in_workers_and_resumes_where_it_stopped(pdf_folder: Path, tmp_path: Path) -> None:
    reference = run_batch(pdf_folder, tmp_path / "ref", _options())
    assert (reference.documents, reference.ok, reference.failed) == (8, 7, 1), reference
    assert reference.reasons == {"broken_pdf": 1}
    records = _records(tmp_path / "ref")
    scan = json.loads(records["records/city/scan.pdf.json"])
    assert '"confidence"' in records["records/city/scan.pdf.json"].decode(), "the scanned page was not read by OCR"
    assert scan["tables"], "the scanned table was not read"
    doc = json.loads(records["records/city/b/doc0.pdf.json"])
    cell = doc["tables"][0]["rows"][0]["cells"]
    assert all(span.get("page") == 2 and len(span.get("bbox", [])) == 4 for span in cell.values()), cell

    # a run stopped once two documents are done (SIGINT / SIGTERM set this flag) ...
    out = tmp_path / "out"
    stop = threading.Event()

    def progress(phase: str, done: int, total: int) -> None:
        if phase == "convert" and done >= 2:
            stop.set()

    first = run_batch(pdf_folder, out, _options(), stop=stop, progress=progress)
    assert first.stopped_by is not None and 2 <= first.done < first.documents, first
    # ... is resumed by the next: what was done is not redone, and the outputs are the reference's
    second = run_batch(pdf_folder, out, _options())
    assert second.skipped == first.ok + first.failed and second.done == second.documents, second
    assert _records(out) == records
    errors = [json.loads(x) for x in (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [e["path"] for e in errors] == ["city/broken.pdf"]
    third = run_batch(pdf_folder, out, _options())
    assert third.skipped == third.documents == 8, third
