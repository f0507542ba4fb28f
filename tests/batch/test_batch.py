"""``fiscal-extract batch``: a whole archive converted in parallel, resumably, into data stores.

The archive is built from the samples (renamed departments, changed figures, same-named files in
different folders, a byte-identical copy, UTF-8 / GB18030 / UTF-16) plus one bad file of every
kind.  A run killed with SIGKILL -- or stopped with SIGTERM -- and started again must end with
outputs identical to an uninterrupted run's; a rerun must do no work.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from bench.synth import make_archive

from fiscal_extract.batch.engine import BatchOptions, run_batch, stop_on_signals
from fiscal_extract.batch.manifest import Manifest
from fiscal_extract.batch.stores.sqlite import schema_sql
from fiscal_extract.batch.walk import find_documents, record_path
from fiscal_extract.options import ExtractOptions
from fiscal_extract.read.normalize import decode

from ..conftest import ROOT

CLI = [sys.executable, "-m", "fiscal_extract.cli"]
EXPORTS = "jsonl,csv,parquet,sqlite"
MAX_BYTES = 1_000_000
BAD = {
    "bad/empty.txt": ("empty", b""),
    "bad/binary.txt": ("binary", b"\x7fELF\x02\x01\x01" + b"\x00" * 300),
    "bad/encoding.txt": ("encoding", bytes([0x81, 0x20]) * 300),
    "bad/prose.txt": ("not_a_disclosure", "今天天气很好，我们去公园散步。\n".encode() * 30),
    "bad/notes.pdf": ("broken_pdf", b"%PDF-1.4"),  # PDFs are walked: a broken one is an error line
}
HUGE = "bad/huge.txt"


def _archive(dest: Path, n: int = 14) -> Path:
    make_archive(dest, n, seed=7, bad=0, samples=4)
    for rel, (_, data) in BAD.items():
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        (dest / rel).write_bytes(data)
    with (dest / HUGE).open("wb") as fh:
        fh.truncate(MAX_BYTES + 1)  # sparse: over the limit without using the disk
    good = next(p for p in sorted(dest.rglob("*.txt")) if "bad" not in p.parts)
    (dest / "copies").mkdir()
    shutil.copy(good, dest / "copies" / good.name)  # a byte-identical copy: one document in the stores
    (dest / "notes.docx").write_bytes(b"PK\x03\x04")  # not matched by the globs
    return dest


def batch(in_dir: Path, out: Path, *extra: str, wait: bool = True, **kw: Any) -> Any:
    args = [*CLI, "batch", str(in_dir), "-o", str(out), "--export", EXPORTS, "--max-bytes", str(MAX_BYTES),
            "--jobs", "2", "--no-progress", *extra]  # fmt: skip
    if not wait:
        return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)
    return subprocess.run(args, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _archive(tmp_path_factory.mktemp("archive"))


def _reference(archive: Path, out: Path) -> Path:
    """An uninterrupted run."""
    p = batch(archive, out, "--json")
    assert p.returncode == 0, p.stderr
    summary = json.loads(p.stdout)
    assert summary["failed"] == len(BAD) + 1 and summary["ok"] == summary["documents"] - len(BAD) - 1
    return out


@pytest.fixture(scope="module")
def reference(archive: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _reference(archive, tmp_path_factory.mktemp("reference"))


@pytest.fixture(scope="module")
def long_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Long enough (~2 s of converting) that a signal sent once a few documents are done lands
    mid-run: the manifest is committed a quarter second at a time."""
    return _archive(tmp_path_factory.mktemp("long_archive"), 120)


@pytest.fixture(scope="module")
def long_reference(long_archive: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _reference(long_archive, tmp_path_factory.mktemp("long_reference"))


def snapshot(out: Path) -> dict[str, Any]:
    """Everything a run leaves, in comparable form."""
    import pyarrow.parquet as pq

    snap: dict[str, Any] = {}
    for p in sorted(out.rglob("*")):
        rel = p.relative_to(out).as_posix()
        if p.is_dir() or rel.startswith((".lock", "disclosures.sqlite", "manifest.sqlite")):
            continue
        if p.suffix == ".parquet":
            snap[rel] = pq.read_table(p).to_pylist()
        else:
            snap[rel] = p.read_bytes()
    with sqlite3.connect(out / "disclosures.sqlite") as con:
        for (t,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"):
            snap[f"sqlite:{t}"] = sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=repr)
        indexes = "SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name"
        snap["sqlite:indexes"] = con.execute(indexes).fetchall()
    m = Manifest.open(out)
    snap["manifest"] = [e.to_json() for e in m.entries()]
    m.close()
    return snap


def _records(out: Path) -> list[dict[str, Any]]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted((out / "records").rglob("*.json"))]


def _wait_for(pred: Any, timeout: float = 120.0) -> None:
    t0 = time.monotonic()
    while not pred():
        if time.monotonic() - t0 > timeout:
            raise AssertionError("timed out")
        time.sleep(0.01)


def _states(out: Path) -> list[dict[str, Any]]:
    """The manifest's committed states, read as another program would (the run may be going on)."""
    if not (out / "manifest.sqlite").exists():
        return []
    con = sqlite3.connect(out / "manifest.sqlite", timeout=30)
    try:
        return [json.loads(d) for (d,) in con.execute("SELECT data FROM entries")]
    except sqlite3.OperationalError:  # the schema not made yet
        return []
    finally:
        con.close()


def _done(out: Path) -> int:
    return len(_states(out))


def test_sigkill_mid_run_then_resume_gives_the_uninterrupted_outputs(long_archive, long_reference, tmp_path):
    archive, reference = long_archive, long_reference
    out = tmp_path / "out"
    proc = batch(archive, out, wait=False, start_new_session=True)
    _wait_for(lambda: _done(out) >= 3)
    os.killpg(proc.pid, signal.SIGKILL)  # the batch and its workers, mid-run
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    killed_at = _done(out)
    total = len(list(find_documents(archive)))
    assert killed_at < total, "the run finished before the kill: the test proves nothing"
    if (out / "disclosures.sqlite").exists():  # streamed into a fresh database: a bulk load, its indexes left out
        with sqlite3.connect(out / "disclosures.sqlite") as con:
            indexes = "SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'"
            assert con.execute(indexes).fetchall() == []

    p = batch(archive, out, "--json")
    assert p.returncode == 0, p.stderr
    s = json.loads(p.stdout)
    assert s["skipped"] >= killed_at - 1  # what was done is not redone (bar a line the kill cut short)
    assert s["ok"] + s["failed"] + s["skipped"] == total
    assert not list(out.rglob("*.tmp"))
    assert snapshot(out) == snapshot(reference)


def test_sigterm_stops_cleanly_and_the_rerun_completes(long_archive, long_reference, tmp_path):
    archive, reference = long_archive, long_reference
    out = tmp_path / "out"
    proc = batch(archive, out, wait=False)
    _wait_for(lambda: _done(out) >= 2)
    proc.send_signal(signal.SIGTERM)
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 128 + signal.SIGTERM, stderr
    assert "stopped by SIGTERM" in stdout and "run the same command again" in stdout
    assert not list(out.rglob("*.tmp"))
    done = _done(out)
    assert 2 <= done < len(list(find_documents(archive)))
    # no half state: every document in the manifest has its record (or its error line)
    errors = {json.loads(x)["path"] for x in (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()}
    for e in _states(out):
        assert (out / e["record"]).exists() if e["status"] == "ok" else e["path"] in errors
    p = batch(archive, out)
    assert p.returncode == 0, p.stderr
    assert snapshot(out) == snapshot(reference)


def test_bad_files_get_an_error_line_and_never_stop_the_batch(archive, reference):
    errors = [json.loads(x) for x in (reference / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
    by_path = {e["path"]: e for e in errors}
    assert set(by_path) == {*BAD, HUGE}
    for rel, (reason, _) in BAD.items():
        assert by_path[rel]["reason"] == reason and by_path[rel]["message"]
        assert by_path[rel]["sha256"] is not None
    assert by_path[HUGE]["reason"] == "too_large" and "limit" in by_path[HUGE]["message"]
    assert not (reference / record_path("bad/empty.txt")).exists()
    # every other document has its record, named after its path (same names in two folders kept apart)
    good = [r for r in find_documents(archive) if r not in by_path]
    assert all((reference / record_path(r)).exists() for r in good)
    assert len({Path(r).name for r in good}) < len(good)
    assert "notes.docx" not in {Path(r).name for r in find_documents(archive)}


def test_stores_hold_exactly_the_records(reference):
    records = _records(reference)
    unique = {r["source"]["sha256"]: r for r in records}  # the byte-identical copy is one document
    assert len(unique) == len(records) - 1
    n_rows = sum(len(t["rows"]) for r in unique.values() for t in r["tables"])
    n_cells = sum(len(set(row["values"]) | set(row["texts"])) for r in unique.values() for t in r["tables"]
                  for row in t["rows"])  # fmt: skip
    with sqlite3.connect(reference / "disclosures.sqlite") as con:
        count = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in
                 ("documents", "tables", "rows", "cells", "checks", "repairs")}  # fmt: skip
        assert count["documents"] == len(unique)
        assert count["rows"] == n_rows > 1000
        assert count["cells"] == n_cells
        assert count["tables"] == sum(len(r["tables"]) for r in unique.values())
        assert count["checks"] == sum(len(r["checks"]) for r in unique.values())
        assert count["repairs"] == sum(len(r["repairs"]) for r in unique.values())
        # a figure keeps its printed digits, and the documents' counts agree with their rows
        sha, rec = next(iter(unique.items()))
        row = next(r for t in rec["tables"] for r in t["rows"] if any(v is not None for v in r["values"].values()))
        key, printed = next((k, v) for k, v in row["values"].items() if v is not None)
        got = con.execute(
            "SELECT c.value_text, c.value FROM cells c JOIN documents d USING (doc_id) "
            "WHERE d.source_sha256 = ? AND c.key = ? AND c.value_text IS NOT NULL ORDER BY table_no, row_no",
            (sha, key),
        ).fetchall()
        assert any(Decimal(t) == Decimal(str(printed)) for t, _ in got)
        bad = con.execute(
            "SELECT count(*) FROM documents d WHERE n_rows != (SELECT count(*) FROM rows r WHERE r.doc_id = d.doc_id)"
        ).fetchone()[0]
        assert bad == 0
    csv_rows = (reference / "csv" / "rows.csv").read_text(encoding="utf-8").splitlines()
    assert len(csv_rows) == n_rows + 1  # + the header
    import pyarrow.parquet as pq

    assert pq.read_metadata(reference / "parquet" / "cells.parquet").num_rows == n_cells
    lines = (reference / "disclosures.jsonl").read_text(encoding="utf-8").splitlines()
    assert sorted(json.loads(x)["source"]["sha256"] for x in lines) == sorted(unique)


def test_rerun_does_no_new_work(archive, reference):
    mtimes = {p: p.stat().st_mtime_ns for p in reference.rglob("*") if p.is_file()}
    p = batch(archive, reference, "--json")
    assert p.returncode == 0, p.stderr
    s = json.loads(p.stdout)
    assert s["ok"] == 0 and s["failed"] == 0 and s["skipped"] == s["documents"]
    assert s["export"]["written"] == {f: 0 for f in EXPORTS.split(",")}
    changed = [p for p, t in mtimes.items() if not p.exists() or p.stat().st_mtime_ns != t]
    assert [p for p in changed if "sqlite" not in p.name] == []
    assert len((reference / "errors.jsonl").read_text(encoding="utf-8").splitlines()) == len(BAD) + 1


@pytest.fixture
def small(tmp_path: Path) -> Path:
    arch = tmp_path / "arch"
    make_archive(arch, 3, seed=3, bad=0, samples=3)
    return arch


def _run(arch: Path, out: Path, **kw: Any) -> Any:
    return run_batch(arch, out, BatchOptions(jobs=1, exports=("sqlite",), **kw))


def test_changed_source_is_redone_and_upserted(small, tmp_path):
    out = tmp_path / "out"
    s = _run(small, out)
    assert (s.ok, s.failed) == (3, 0)
    first, second, third = list(find_documents(small))
    f = small / first
    text, _, _ = decode(f.read_bytes())
    f.write_text(text + "\n（本表金额单位：万元）\n", encoding="utf-8")
    (small / third).unlink()
    s = _run(small, out)
    assert (s.ok, s.skipped, s.documents) == (1, 1, 2)
    db = sqlite3.connect(out / "disclosures.sqlite")
    shas = {r[0] for r in db.execute("SELECT source_sha256 FROM documents")}
    m = Manifest.open(out)
    # the changed document replaced its old self; the record of the removed file stays in the set
    assert shas == {e.sha256 for e in m.records()} and len(shas) == 3
    assert m.get(first) is not None and m.get(first).sha256 in shas
    # a new extractor or catalog version redoes the document
    entry = m.get(second)
    assert entry is not None
    entry.catalog = "older"
    m.put(entry)
    m.close()
    s = _run(small, out)
    assert (s.ok, s.skipped) == (1, 1)


def test_records_do_not_depend_on_what_a_worker_did_before(small, tmp_path):
    from fiscal_extract.checks.terms import decimals_of

    decimals_of(Decimal("0"))
    assert decimals_of(Decimal("0.00")) == 2  # equal Decimals of different precision
    a, b = tmp_path / "a", tmp_path / "b"
    run_batch(small, a, BatchOptions(jobs=1, exports=()))
    # the same documents in a fresh process, in the other order
    code = (
        "import sys; from pathlib import Path; from fiscal_extract.atomic import atomic_write; "
        "from fiscal_extract.batch.export import record_text; "
        "from fiscal_extract.read.normalize import read_bytes, from_bytes; "
        "from fiscal_extract.pipeline import extract_source; root, out = Path(sys.argv[1]), Path(sys.argv[2]); "
        "[atomic_write(out / (rel + '.json'), record_text(extract_source(from_bytes(read_bytes(root / rel), rel)), "
        "'jsonl') + '\\n') for rel in reversed(sys.argv[3:])]"
    )
    rels = list(find_documents(small))
    subprocess.run([sys.executable, "-c", code, str(small), str(b / "records"), *rels], check=True, timeout=120)
    for rel in rels:
        assert (a / record_path(rel)).read_bytes() == (b / record_path(rel)).read_bytes()


def test_walk_and_record_names(tmp_path):
    for rel in ("a/x.txt", "b/x.txt", "b/x.md", ".hidden/y.txt", "b/.z.txt", "out/w.txt", "c/d/e.html", "f.pdf"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x", encoding="utf-8")
    found = list(find_documents(tmp_path, exclude=tmp_path / "out"))
    assert found == ["f.pdf", "a/x.txt", "b/x.md", "b/x.txt", "c/d/e.html"]
    assert len({record_path(r) for r in found}) == len(found)
    assert list(find_documents(tmp_path, ("c/*",))) == ["c/d/e.html"]


def test_a_second_run_on_the_same_output_is_refused(small, tmp_path):
    from fiscal_extract.batch.engine import _locked
    from fiscal_extract.errors import InputError

    out = tmp_path / "out"
    out.mkdir()
    with _locked(out), pytest.raises(InputError, match="another batch run"):
        _run(small, out)


def test_first_signal_asks_for_a_clean_stop_second_stops_at_once():
    with stop_on_signals() as stop:
        os.kill(os.getpid(), signal.SIGINT)
        _wait_for(stop.is_set, 5)
        assert stop.signum == signal.SIGINT
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(1)


def test_crashing_extractor_becomes_an_error_line(small, tmp_path, monkeypatch):
    import fiscal_extract.batch.engine as b

    def boom(*a: Any, **k: Any) -> Any:
        raise ZeroDivisionError("bad luck")

    monkeypatch.setattr(b, "extract_source", boom)
    s = _run(small, tmp_path / "out")
    assert (s.ok, s.failed, dict(s.reasons)) == (0, 3, {"internal": 3})
    line = json.loads((tmp_path / "out" / "errors.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert line["reason"] == "internal" and "ZeroDivisionError: bad luck" in line["message"]
    monkeypatch.undo()
    s = _run(small, tmp_path / "out")  # internal errors are retried
    assert (s.ok, s.failed) == (3, 0)
    assert (tmp_path / "out" / "errors.jsonl").read_text(encoding="utf-8") == ""


def test_a_locked_database_is_one_error_and_the_records_stay(small, tmp_path, monkeypatch):
    import fiscal_extract.batch.stores.sqlite as store
    from fiscal_extract.errors import ExportError

    out = tmp_path / "out"
    _run(small, out)
    monkeypatch.setattr(store, "BUSY_SECONDS", 0.1)
    (small / next(iter(find_documents(small)))).write_bytes(BAD["bad/prose.txt"][1])  # now no disclosure
    holder = sqlite3.connect(out / "disclosures.sqlite", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(ExportError, match="database is locked"):
            _run(small, out)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    m = Manifest.open(out)
    m.close()
    assert len(list(m.records())) == 2  # the conversion was kept; the export is redone next run
    s = _run(small, out)
    assert s.export is not None and s.export.written == {"sqlite": 0} and s.skipped == 3
    with sqlite3.connect(out / "disclosures.sqlite") as con:
        assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 2


def test_hybrid_backend_runs_documents_in_threads_sharing_one_client(tmp_path):
    from fiscal_extract.llm.settings import LLMSettings

    from ..conftest import sample
    from ..fake_openai import FakeOpenAI
    from ..oracle_model import Oracle, renamed_sample

    arch = tmp_path / "arch"
    arch.mkdir()
    renamed_sample(sample("000"), arch / "a.txt")
    (arch / "sub").mkdir()
    shutil.copy(arch / "a.txt", arch / "sub" / "a.txt")
    with FakeOpenAI(Oracle()) as fake:
        settings = LLMSettings(base_url=fake.url, api_key="sk-test", model="oracle", timeout=5.0,
                               cache_dir=tmp_path / "cache", concurrency=2)  # fmt: skip
        opts = BatchOptions(extract=ExtractOptions(backend="hybrid", llm=settings), exports=("sqlite",))
        s = run_batch(arch, tmp_path / "out", opts)
        assert (s.ok, s.failed) == (2, 0)
        asked = len(fake.requests)
        assert asked > 0
        recs = _records(tmp_path / "out")
        assert {r["extractor"]["backend"] for r in recs} == {"hybrid"}
        s = run_batch(arch, tmp_path / "out", opts)
        assert s.skipped == 2 and len(fake.requests) == asked


def test_rules_batch_never_imports_openai(small, tmp_path):
    code = (
        "import sys; from pathlib import Path; from fiscal_extract.batch.engine import BatchOptions, run_batch; "
        "s = run_batch(Path(sys.argv[1]), Path(sys.argv[2]), BatchOptions(jobs=2, exports=('sqlite', 'parquet'))); "
        "print(s.ok, 'openai' in sys.modules or 'instructor' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code, str(small), str(tmp_path / "out")], capture_output=True,
                         text=True, check=True, timeout=120)  # fmt: skip
    assert out.stdout.split() == ["3", "False"]


def test_readme_documents_the_sqlite_schema_and_its_queries_run(reference):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert schema_sql().strip() in readme
    section = readme.split("## Batch conversion", 1)[1].split("\n## ", 1)[0]
    queries = [q.split("```", 1)[0] for q in section.split("```sql\n")[1:] if "CREATE TABLE" not in q]
    assert len(queries) == 2
    with sqlite3.connect(reference / "disclosures.sqlite") as con:
        for q in queries:
            assert con.execute(q).fetchall(), q


@pytest.fixture(autouse=True)
def _no_model_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for k in list(os.environ):
        if k.startswith(("FISCAL_LLM_", "OPENAI_")):
            monkeypatch.delenv(k)
    yield
