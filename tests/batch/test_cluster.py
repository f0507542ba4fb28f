"""``batch --engine dask``: the same documents on a dask.distributed cluster give the same outputs.

A ``LocalCluster`` of two worker processes is started by the module (on 127.0.0.1).  The dask run
must leave exactly what a local run leaves -- records, manifest, error lines, stores -- on the real
archive (its text renderings, when ``../shared/archive`` is there; the synthetic archive otherwise),
and a worker killed mid-run must lose nothing and duplicate nothing.
"""

from __future__ import annotations

import os
import shutil
import signal
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bench.synth import make_archive
from distributed import Client, LocalCluster

from fiscal_extract.batch.engine import BatchOptions, BatchSummary, run_batch
from fiscal_extract.batch.walk import find_documents
from fiscal_extract.errors import InputError

from ..conftest import ROOT
from .test_batch import BAD, _done, _wait_for, snapshot

pytestmark = pytest.mark.cluster

REAL = ROOT.parent / "shared" / "archive" / "text-pypdf"
EXPORTS = ("jsonl", "sqlite")


@pytest.fixture(scope="module")
def cluster() -> Iterator[LocalCluster]:
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as c:
        yield c


def _run(arch: Path, out: Path, scheduler: str | None = None, **kw: Any) -> BatchSummary:
    return run_batch(arch, out, BatchOptions(jobs=2, exports=EXPORTS, scheduler=scheduler, **kw))


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Eight documents of the real archive (the smallest texts), a copy of one, and bad files."""
    dest = tmp_path_factory.mktemp("real")
    if REAL.is_dir():
        for p in sorted(REAL.glob("*.txt"), key=lambda p: p.stat().st_size)[:8]:
            shutil.copy(p, dest / p.name)
    else:  # no shared archive on this machine: the synthetic one stands in
        make_archive(dest, 8, seed=5, bad=0, samples=4)
    first = sorted(dest.rglob("*.txt"))[0]
    (dest / "copy").mkdir()
    shutil.copy(first, dest / "copy" / first.name)
    for rel, (_, data) in BAD.items():
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        (dest / rel).write_bytes(data)
    return dest


def test_dask_engine_gives_the_local_engines_outputs(cluster, real, tmp_path):
    local = _run(real, tmp_path / "local")
    dask = _run(real, tmp_path / "dask", cluster.scheduler_address)
    assert (dask.ok, dask.failed, dict(dask.reasons)) == (local.ok, local.failed, dict(local.reasons))
    assert dask.failed == len(BAD) and dask.ok == dask.documents - len(BAD)
    assert snapshot(tmp_path / "dask") == snapshot(tmp_path / "local")
    again = _run(real, tmp_path / "dask", cluster.scheduler_address)  # resume semantics: nothing to do
    assert (again.ok, again.failed, again.skipped) == (0, 0, again.documents)


def test_a_worker_killed_mid_run_loses_and_duplicates_nothing(cluster, tmp_path):
    arch = tmp_path / "arch"
    make_archive(arch, 40, seed=11, bad=0, samples=4)
    reference = tmp_path / "reference"
    _run(arch, reference)
    out = tmp_path / "out"
    with Client(cluster.scheduler_address, set_as_default=False) as client:
        pids = list(client.run(os.getpid).values())
        result: dict[str, Any] = {}
        run = threading.Thread(target=lambda: result.update(s=_run(arch, out, cluster.scheduler_address)))
        run.start()
        _wait_for(lambda: _done(out) >= 4, timeout=120)
        os.kill(pids[0], signal.SIGKILL)  # a worker dies with documents in hand
        killed_at = _done(out)
        run.join(timeout=300)
        assert not run.is_alive()
        client.wait_for_workers(2, timeout=60)  # the nanny brings it back for the next test
    total = len(list(find_documents(arch)))
    assert killed_at < total, "the run finished before the kill: the test proves nothing"
    s = result["s"]
    assert (s.ok, s.failed, s.skipped) == (total, 0, 0), s.reasons  # every document once, none lost
    assert not list(out.rglob("*.tmp"))
    assert snapshot(out) == snapshot(reference)


def test_a_scheduler_that_cannot_be_reached_is_one_clear_error(real, tmp_path, monkeypatch):
    import fiscal_extract.batch.cluster as cluster_mod

    monkeypatch.setattr(cluster_mod, "CONNECT_SECONDS", 2.0)
    with pytest.raises(InputError, match="cannot reach the dask scheduler"):
        run_batch(real, tmp_path / "out", BatchOptions(exports=(), scheduler="tcp://127.0.0.1:9"))
    assert not (tmp_path / "out" / "records").exists()


def test_cli_asks_for_a_scheduler_with_the_dask_engine(real, tmp_path):
    from typer.testing import CliRunner

    from fiscal_extract.cli.app import app

    r = CliRunner().invoke(app, ["batch", str(real), "-o", str(tmp_path / "o"), "--engine", "dask"])
    assert r.exit_code == 2 and "--engine dask needs --scheduler" in r.output
