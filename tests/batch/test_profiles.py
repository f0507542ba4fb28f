"""A mixed archive in one batch run: each document gets the profiles its path calls for (a
``--profile-map`` or profiles declaring ``[match] paths``), the manifest says which, and a changed
profile re-converts exactly the documents read with it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fiscal_extract.batch.engine import BatchOptions, run_batch
from fiscal_extract.batch.manifest import Manifest
from fiscal_extract.batch.profiles import ProfileRule, profiles_for, read_profile_map
from fiscal_extract.errors import CatalogError, InputError
from fiscal_extract.options import ExtractOptions

from ..conftest import ROOT, sample

EXAMPLE = ROOT / "profiles" / "examples" / "county-ledger.toml"
LEDGER = ROOT / "profiles" / "examples" / "county-ledger.txt"


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    """``county/`` holds the example template; ``city/`` a document the built-in catalog reads."""
    arc = tmp_path / "archive"
    (arc / "county").mkdir(parents=True)
    (arc / "city").mkdir()
    shutil.copy(LEDGER, arc / "county" / "ledger.txt")
    shutil.copy(sample("000"), arc / "city" / "000.txt")
    return arc


def _records(out: Path) -> dict[str, dict]:
    return {p.relative_to(out / "records").as_posix(): json.loads(p.read_text(encoding="utf-8"))
            for p in (out / "records").rglob("*.json")}


def _used(out: Path) -> dict[str, list[str]]:
    m = Manifest.open(out)
    try:
        return {e.path: e.profiles for e in m.entries()}
    finally:
        m.close()


def test_a_profile_map_converts_a_mixed_archive_in_one_run(mixed: Path, tmp_path: Path):
    profile = tmp_path / "county-ledger.toml"
    profile.write_text(EXAMPLE.read_text(encoding="utf-8").replace("[match]\npaths", "[match]\n#paths"),
                       encoding="utf-8")  # the map decides here, not the profile's own [match]
    pmap = tmp_path / "map.toml"
    pmap.write_text('"county/**" = "county-ledger.toml"\n', encoding="utf-8")
    out = tmp_path / "out"
    opts = BatchOptions(ExtractOptions(backend="rules"), jobs=1, exports=(), profile_rules=read_profile_map(pmap))
    s = run_batch(mixed, out, opts)
    assert (s.ok, s.failed) == (2, 0)
    recs = _records(out)
    assert [t["kind"] for t in recs["county/ledger.txt.json"]["tables"]] == ["expenditure_overview"]
    assert len(recs["city/000.txt.json"]["tables"]) > 5
    assert _used(out) == {"city/000.txt": [], "county/ledger.txt": [str(profile)]}
    assert s.profiles == {"": 1, str(profile): 1}

    # an edited profile re-converts the documents read with it, and only those
    profile.write_text(profile.read_text(encoding="utf-8") + "\n# reviewed\n", encoding="utf-8")
    again = run_batch(mixed, out, opts)
    assert (again.ok, again.skipped) == (1, 1)


def test_profiles_declaring_their_paths_are_used_for_those_documents_only(mixed: Path, tmp_path: Path):
    out = tmp_path / "out"
    opts = BatchOptions(ExtractOptions(backend="rules", profiles=(str(EXAMPLE),)), jobs=1, exports=())
    s = run_batch(mixed, out, opts)
    assert (s.ok, s.failed) == (2, 0)
    assert _used(out) == {"city/000.txt": [], "county/ledger.txt": [str(EXAMPLE)]}
    assert _records(out)["county/ledger.txt.json"]["meta"]["department"] == "某县水利局"


def test_without_the_profile_the_template_is_not_read(mixed: Path, tmp_path: Path):
    s = run_batch(mixed, tmp_path / "out", BatchOptions(ExtractOptions(backend="rules"), jobs=1, exports=()))
    assert (s.ok, s.failed) == (1, 1)


def test_rules_order_and_folders():
    rules = (ProfileRule(("a/",), ("pa",), first=True), ProfileRule(("*.txt",), ("pt",), first=True),
             ProfileRule(("*/x.*",), ("px",)))
    assert profiles_for("a/b/c.txt", ("base",), rules) == ("base", "pa")  # the first map rule only
    assert profiles_for("b/x.txt", (), rules) == ("pt", "px")  # a [match] profile adds to a map rule
    assert profiles_for("b/y.md", (), rules) == ()


def test_a_bad_map_or_profile_stops_the_run_before_any_document(mixed: Path, tmp_path: Path):
    bad = tmp_path / "map.toml"
    bad.write_text('"county/**" = 3\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"map\.toml.*county"):
        read_profile_map(bad)
    bad.write_text('"county/**" = "nowhere.toml"\n', encoding="utf-8")
    opts = BatchOptions(ExtractOptions(backend="rules"), jobs=1, exports=(), profile_rules=read_profile_map(bad))
    with pytest.raises(CatalogError, match=r"nowhere\.toml.*county"):
        run_batch(mixed, tmp_path / "out", opts)
    assert not (tmp_path / "out" / "records").exists()


def test_the_cli_takes_a_profile_map(mixed: Path, tmp_path: Path):
    pmap = tmp_path / "map.toml"
    pmap.write_text(f'"county/" = {json.dumps(str(EXAMPLE))}\n', encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "fiscal_extract.cli", "batch", str(mixed), "-o", str(tmp_path / "o"),
                          "-j", "1", "-b", "rules", "-e", "none", "--profile-map", str(pmap), "--json"],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    summary = json.loads(run.stdout)
    assert summary["ok"] == 2 and summary["profiles"] == {"": 1, str(EXAMPLE): 1}
