import io
from decimal import Decimal
from pathlib import Path

from fiscal_extract import jsonio
from fiscal_extract.batch.export import record_bytes, record_text, write_records
from fiscal_extract.models import Row, Table
from fiscal_extract.options import ExtractOptions
from fiscal_extract.pipeline import extract_file

from ..conftest import sample


def test_record_bytes_are_the_record_text_encoded():
    record = extract_file(sample("002"), ExtractOptions())
    for fmt in ("json", "jsonl"):
        assert record_bytes(record, fmt) == record_text(record, fmt).encode("utf-8")


def test_the_exact_fallback_gives_the_same_bytes_as_text():
    table = Table(kind="other", title="表", rows=[Row(name="a\x00b", values={"total": Decimal("0.00")})])
    assert jsonio.model_json_bytes(table) == jsonio.model_json(table).encode("utf-8")
    assert '"total": 0.00' in jsonio.model_json(table)  # the exact (simplejson) writer


def test_written_records_hold_the_record_text(tmp_path: Path):
    files = [sample("000"), sample("001")]
    records = [extract_file(f, ExtractOptions()) for f in files]
    write_records(files, ExtractOptions(), tmp_path / "j", "json", io.StringIO())
    for f, rec in zip(files, records, strict=True):
        assert (tmp_path / "j" / f"{f.stem}.json").read_text("utf-8") == record_text(rec, "json") + "\n"
    write_records(files, ExtractOptions(), tmp_path / "l", "jsonl", io.StringIO())
    want = "".join(record_text(rec, "jsonl") + "\n" for rec in records)
    assert (tmp_path / "l" / "records.jsonl").read_text("utf-8") == want
