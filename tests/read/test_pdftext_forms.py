"""Performance forms in PDF-library text: one visual line at a time, cells joined by a space,
merged level cells printed a fragment a line, a wrapped header, the page number after a form
feed.  The form below is written the way pypdf prints the central government's project forms;
the expected rows are what the printed form says."""

from __future__ import annotations

from fiscal_extract.catalog import load
from fiscal_extract.models import Table
from fiscal_extract.options import ExtractOptions
from fiscal_extract.pipeline import extract_source
from fiscal_extract.read.normalize import from_bytes

FORM = """第二部分 项目绩效目标
这是一段说明文字，介绍下面的项目。
信息化运行维护绩效目标表
(2026 年度)
项目名称 信息化运行维护
主管部门及代
码 [292]某某局 实施单位 某某局本级
项目资金
（万元）
年度资金总额： 2,134.87
执行率
分值
（10）
其中：财政拨款 1,384.87
上年结转 750.00
其他资金 -
年
度
总
体
目
标
1.加强对信息系统应用工作的指导和部署，推动应用工作不断深入。
2.做好数据中心值守、日常巡检、设备维保等工作。
绩
效
指
标
一级
指标 二级指标 三级指标 指标值
分值权
重
（90）
成本
指标 经济成本指标 项目总成本 ≤2134.87 万元 20
产
出
指
标
数量指标
数据中心设备维护量 ≥330 台（套） 8
质量指标
设备完好率 ≥96% 8
效益指标
社会效益指标 接访环境 明显改善 10
满意度
指标
服务对象
满意度指标 使用部门满意率 ≥85% 10\f30
第三部分 名词解释
一、基本支出：指为保障机构正常运转、完成日常工作任务而发生的人员支出和公用支出。
"""


def _form() -> Table:
    rec = extract_source(from_bytes(FORM.encode(), "form.pypdf.txt"), ExtractOptions(), cat=load())
    forms = [t for t in rec.tables if t.kind == "performance_projects"]
    assert [t.title for t in forms] == ["信息化运行维护绩效目标表"]
    return forms[0]


def test_indicators_are_read_from_typed_tokens() -> None:
    rows = {r.name: r for r in _form().rows if r.role == "indicator"}
    got = {name: (r.texts.get("level1"), r.texts.get("level2"), r.texts.get("target"), r.values.get("weight"))
           for name, r in rows.items()}  # fmt: skip
    assert got == {
        "项目总成本": ("成本指标", "经济成本指标", "≤2134.87万元", 20),
        "数据中心设备维护量": ("产出指标", "数量指标", "≥330台（套）", 8),
        "设备完好率": ("产出指标", "质量指标", "≥96%", 8),
        "接访环境": ("效益指标", "社会效益指标", "明显改善", 10),
        "使用部门满意率": ("满意度指标", "服务对象满意度指标", "≥85%", 10),
    }


def test_the_funds_lines_and_the_project_are_read() -> None:
    rows = _form().rows
    amounts = {r.name: r.values.get("amount") for r in rows if r.values.get("amount") is not None}
    assert {k: float(v) for k, v in amounts.items()} == {"年度资金总额": 2134.87, "其中：财政拨款": 1384.87,
                                                         "上年结转": 750.0}  # fmt: skip
    assert any(r.name == "项目名称" and r.texts.get("content") == "信息化运行维护" for r in rows)


def test_the_glossary_after_the_form_is_not_read_as_indicators() -> None:
    names = [r.name for r in _form().rows]
    assert not any("基本支出" in n or "名词解释" in n for n in names)


def test_a_project_titled_form_is_a_performance_form_and_a_sentence_is_not_a_title() -> None:
    cat = load()
    found = cat.match_title("信访综合保障经费绩效目标表")
    assert found is not None and found.kind == "performance_projects"
    assert cat.match_title("各项目绩效目标表，详见附件。") is None


def test_the_funds_lines_are_checked_against_their_total() -> None:
    def statuses(text: str) -> list[str]:
        rec = extract_source(from_bytes(text.encode(), "form.pypdf.txt"), ExtractOptions(), cat=load())
        return [c.status for c in rec.checks if c.id == "perf.funds_total"]

    assert statuses(FORM) == ["pass"]
    assert statuses(FORM.replace("上年结转 750.00", "上年结转 705.00")) == ["fail"]
