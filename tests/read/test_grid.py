from fiscal_extract.catalog import load
from fiscal_extract.read.grid_aligned import aligned_grid
from fiscal_extract.read.grid_html import html_grid
from fiscal_extract.read.grid_markdown import md_row
from fiscal_extract.read.grid_tsv import tsv_row
from fiscal_extract.read.normalize import from_bytes
from fiscal_extract.read.segment import segment


def test_tsv_cells_have_exact_offsets():
    src = from_bytes("合计\t 524.8 \t\t１２.５".encode())
    row = tsv_row(src, 0, len(src.text), 1)
    assert [c.text for c in row.cells] == ["合计", "524.8", "", "12.5"]
    for c in row.cells:
        assert src.text[c.start : c.end] == c.raw


def test_markdown_row_separator_and_escaped_pipe():
    src = from_bytes("| 项目 | a\\|b |  |\n|---|:---:|---|".encode())
    row = md_row(src, 0, src.text.index("\n"), 1)
    assert row is not None and [c.text for c in row.cells] == ["项目", "a|b", ""]
    a = src.text.index("\n") + 1
    assert md_row(src, a, len(src.text), 2) is None


def test_html_spans_become_label_plus_empty_cells():
    html = (
        "<table><tr><th rowspan=2>项目</th><th colspan='2'>基本支出</th></tr>"
        "<tr><td>人员经费</td><td>公用经费</td></tr>"
        "<tr><td>合计</td><td>1.5</td><td>&lt;2&gt;</td></tr></table>"
    )
    src = from_bytes(html.encode())
    g = html_grid(src, 0, len(src.text))
    assert [[c.text for c in r.cells] for r in g.rows] == [
        ["项目", "基本支出", ""],
        ["", "人员经费", "公用经费"],
        ["合计", "1.5", "<2>"],
    ]
    cell = g.rows[2].cells[1]
    assert src.text[cell.start : cell.end] == "1.5"


def test_space_aligned_columns_by_display_width():
    text = "科目名称      合计     基本支出\n一般公共服务  412.84   135.84\n合计          447.48\n"
    src = from_bytes(text.encode())
    lines = [(a, b, i + 1) for i, (a, b) in enumerate(src.lines()) if b > a]
    g = aligned_grid(src, lines)
    assert [[c.text for c in r.cells] for r in g.rows] == [
        ["科目名称", "合计", "基本支出"],
        ["一般公共服务", "412.84", "135.84"],
        ["合计", "447.48", ""],
    ]


def test_every_rendering_segments_into_the_same_table():
    cat = load()
    tsv = "部门收支总体情况表\n单位：万元\n收入\t\t支出\t\n项目\t金额\t项目\t金额\n收入总计\t1.0\t支出总计\t1.0\n"
    md = (
        "部门收支总体情况表\n单位：万元\n| 收入 |  | 支出 |  |\n|---|---|---|---|\n"
        "| 项目 | 金额 | 项目 | 金额 |\n| 收入总计 | 1.0 | 支出总计 | 1.0 |\n"
    )
    for text in (tsv, md):
        seg = segment(from_bytes(text.encode()), cat)
        assert len(seg.tables) == 1
        t = seg.tables[0]
        assert t.match is not None and t.match.kind == "income_expenditure_overview"
        assert [c.text for c in t.parts[0].rows[-1].cells] == ["收入总计", "1.0", "支出总计", "1.0"]
