"""The README's SQL queries on corpus documents (their pypdf texts), not just the samples: the
spending-per-类 query finds every budget whose general-budget expenditure table has coded rows,
including those that print no 类 rows (only 款 and 项 codes)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from fiscal_extract.batch.engine import BatchOptions, run_batch
from fiscal_extract.batch.stores.tidy import code_parts

ROOT = Path(__file__).resolve().parents[2]
CORPUS = sorted((ROOT / "eval" / "corpus" / "text").glob("*.pypdf.txt"))


def _readme_queries() -> list[str]:
    section = (ROOT / "README.md").read_text(encoding="utf-8").split("## Batch conversion", 1)[1].split("\n## ", 1)[0]
    return [q.split("```", 1)[0] for q in section.split("```sql\n")[1:] if "CREATE TABLE" not in q]


def test_code_parts():
    assert code_parts("2010501") == ("201", "20105", "2010501")
    assert code_parts("20105") == ("201", "20105", None)
    assert code_parts("201") == ("201", None, None)
    assert code_parts("30101") == ("301", "30101", None)
    assert code_parts("XM-1") == (None, None, None) and code_parts(None) == (None, None, None)


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    arch = tmp_path_factory.mktemp("corpus")
    for p in CORPUS:
        shutil.copy(p, arch / p.name)
    out = tmp_path_factory.mktemp("out")
    run_batch(arch, out, BatchOptions(jobs=2, exports=("sqlite",)))
    return out / "disclosures.sqlite"


def test_spending_per_class_covers_every_corpus_budget(corpus_db: Path):
    per_class, _ = _readme_queries()
    with sqlite3.connect(corpus_db) as con:
        got = con.execute(per_class).fetchall()
        expected = {d for (d,) in con.execute(
            "SELECT DISTINCT d.department FROM documents d JOIN tables t USING (doc_id) "
            "JOIN rows r USING (doc_id, table_no) "
            "JOIN cells c USING (doc_id, table_no, row_no) WHERE d.kind = 'budget' "
            "AND t.kind = 'general_budget_expenditure' AND r.class_code IS NOT NULL AND c.key = 'total' "
            "AND c.value IS NOT NULL")}
    assert expected and {d for d, *_ in got} == expected
    assert all(len(c) == 3 for _, _, c, _ in got)
    # a table printing no 类 rows (only 款 and 项): the old query (length(code) = 3) found nothing
    # there.  (02 read so while its class codes, each on a line of its own, were taken for page
    # numbers.)  One budget's 类 rows removed, in a transaction rolled back:
    con = sqlite3.connect(corpus_db)
    try:
        doc, dept = con.execute(
            "SELECT d.doc_id, d.department FROM documents d JOIN tables t USING (doc_id) "
            "JOIN rows r USING (doc_id, table_no) WHERE d.kind = 'budget' "
            "AND t.kind = 'general_budget_expenditure' AND length(r.code) = 3 LIMIT 1"
        ).fetchone()
        con.execute(  # rows and their cells are packed per table (the views unpack them)
            "UPDATE packed_tables SET body = (SELECT json_group_array(json(r.value)) FROM json_each(body) r "
            "WHERE length(r.value ->> 0) IS NOT 3) WHERE doc_id = ?",
            (doc,),
        )
        assert con.execute("SELECT count(*) FROM rows WHERE doc_id = ? AND length(code) = 3", (doc,)).fetchone()[0] == 0
        only_items = {d for d, *_ in con.execute(per_class).fetchall()}
    finally:
        con.rollback()
        con.close()
    assert dept in only_items


def test_failed_checks_query_runs_on_the_corpus(corpus_db: Path):
    _, failures = _readme_queries()
    with sqlite3.connect(corpus_db) as con:
        assert con.execute(failures).fetchall()
