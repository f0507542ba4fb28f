from pathlib import Path

from fiscal_extract import jsonio
from fiscal_extract.report.schemas import render, stale_schemas

from ..conftest import ROOT, extracted


def test_schema_files_are_current():
    stale = stale_schemas(ROOT / "schemas")
    assert not stale, f"run `fiscal-extract schema` to regenerate: {stale}"


def test_stale_schema_is_detected(tmp_path: Path):
    for name, text in render().items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert stale_schemas(tmp_path) == []
    (tmp_path / "row.schema.json").write_text("{}", encoding="utf-8")
    assert stale_schemas(tmp_path) == ["row.schema.json"]


def test_json_round_trip_keeps_exact_figures(sample_id):
    rec = extracted(sample_id)
    text = jsonio.dumps(rec)
    back = jsonio.load_disclosure(text)
    assert back == rec
    if sample_id == "003":
        assert '"total": 447.48' in text and '"current_fund": 0.00' in text
