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


# A list of projects with their indicators and an explanation column (指标解释), as pdfium prints
# it (every cell a line, wrapped cells a fragment a line), its title glued onto the line above
# and the title of an empty table just before it.
LISTED = """国有资本经营预算支出明细表(预算表 10)
单位：万元
科目编码 科目名称 合计 其他国库集中支付资 金某某局 2026 年项目支出绩效目标表预算表（预算表 11）
单位名
称 项目名称
年度资
金总额
(万元)
年度绩效目标 一级指标 二级指标 三级指标 指标解释 指标值 权重
105001
某某局
2026 年专
项经费
30.00
1、全年确保网络专线
连接畅通，维护社会
稳定。
产出指标
数量指标
专家评审
为进一步推进信访事项复查
复核工作规范开展。
>=2 次
40
成本指标
经济成本指
标
信息系统运维
成本
信息系统运维成本
<=17 万
元
20
满意度指
标
服务对象满
意度指标
上访群众满意度 上访群众满意度
>=100
百分比
10
第三部分 部门预算情况说明
一、收支总表情况说明。2026年预算收入1682.76万元，其中当年预算1682.76万元，比上年增长。
"""


def test_a_listed_form_with_an_explanation_column_one_cell_a_line() -> None:
    rec = extract_source(from_bytes(LISTED.encode(), "list.pdfium.txt"), ExtractOptions(), cat=load())
    forms = [t for t in rec.tables if t.kind == "performance_projects"]
    assert len(forms) == 1
    got = {r.name: (r.texts.get("level1"), r.texts.get("level2"), r.texts.get("target"), r.values.get("weight"))
           for r in forms[0].rows if r.role == "indicator"}  # fmt: skip
    assert got == {
        "专家评审": ("产出指标", "数量指标", ">=2次", 40),
        "信息系统运维成本": ("成本指标", "经济成本指标", "<=17万元", 20),
        "上访群众满意度": ("满意度指标", "服务对象满意度指标", ">=100百分比", 10),
    }
    assert not any(t.kind == "state_capital_expenditure" and t.rows for t in rec.tables)


def test_text_printed_column_by_column_is_not_read_as_a_form() -> None:
    # pdfminer: all the names, then all the targets, then all the weights
    text = FORM.replace(
        "数据中心设备维护量 ≥330 台（套） 8\n质量指标\n设备完好率 ≥96% 8\n",
        "数据中心设备维护量\n质量指标\n设备完好率\n≥330 台（套）\n≥96%\n8\n8\n",
    ).replace("社会效益指标 接访环境 明显改善 10\n", "社会效益指标 接访环境\n明显改善\n10\n")
    rec = extract_source(from_bytes(text.encode(), "form.pdfminer.txt"), ExtractOptions(), cat=load())
    rows = [r for t in rec.tables if t.kind == "performance_projects" for r in t.rows if r.role == "indicator"]
    assert all(not r.name.startswith(("≥", "≤")) for r in rows)


SELF_EVALUATION = """项目支出绩效自评情况表
2024年10月
项目名称 某某平台建设
主管部门 某某局 某某局
实施单位 分值 执行率 得分
年初预算数 全年预算数 全年执行数 分值 执行率 得分 存在问题和改进措施
项目资金
(万元) 年度资金总额: 90.9 90.9 45 10 49.5% 4.95
财政拨款 90.9 90.9 45 - 49.5% -
单位资金 0 0 0 - 0.00% -
情况说明 分值(20) 得 分 存在问题和改进措施
资金管理
情况 安排科学性 按照部门预算编制和资金管理的要求,进行项目论证、评审、立项等必要程序。 5 5
预算绩效管理情况 在细化下达预算时同步下达绩效目标、将有关资金纳入本级预算或对下转支付绩效管理、设置绩效目
标、开展绩效监控 5 4
年度总体
目标 预期目标 实际完成情况
建设一体化线上服务平台。 平台已建成。
绩效指标
一级指标 二级指标 三级指标 年度指标 值 实际值完成值 分值 得 分 偏差度 偏差原因分析及改进措施
成本指标 经济成本指标 模块成本 ≤10万元 8万元 10 10 0.00
产出指标 时效指标 系统建设完成时间 2023年12月31日前 100% 10 9 0.00
效益指标 社会效益指标 提高群众办事效率 提高 100% 25 25 0.00- 24 -\f满意度指
标 服务对象满意度指标 群众满意度 ≥95% 95% 5 5 0.00
总分 100 82.95
"""


def test_a_self_evaluation_form_reads_its_funds_scores_and_actual_values() -> None:
    rec = extract_source(from_bytes(SELF_EVALUATION.encode(), "self.pypdf.txt"), ExtractOptions(), cat=load())
    (form,) = [t for t in rec.tables if t.kind == "performance_projects"]
    rows = {r.name: r for r in form.rows}
    funds = {k: float(v) for k, v in rows["年度资金总额"].values.items() if v is not None}
    assert funds == {"initial_budget": 90.9, "full_year_budget": 90.9, "executed": 45, "weight": 10, "score": 4.95}
    assert {k: float(v) for k, v in rows["财政拨款"].values.items() if v is not None} == {
        "initial_budget": 90.9, "full_year_budget": 90.9, "executed": 45}  # fmt: skip
    # the scored items under 资金管理 / 情况 (a label wrapped over two lines), a description wrapped too
    for name, score in (("安排科学性", 5), ("预算绩效管理情况", 4)):
        assert (rows[name].texts.get("level1"), rows[name].values.get("weight"), rows[name].values.get("score")) == (
            "资金管理情况", 5, score)  # fmt: skip
    got = {n: (r.texts.get("level2"), r.texts.get("target"), r.texts.get("actual"), r.values.get("weight"),
               r.values.get("score")) for n, r in rows.items() if r.role == "indicator"}  # fmt: skip
    assert got == {
        "模块成本": ("经济成本指标", "≤10万元", "8万元", 10, 10),
        "系统建设完成时间": ("时效指标", "2023年12月31日前", "100%", 10, 9),
        "提高群众办事效率": ("社会效益指标", "提高", "100%", 25, 25),
        "群众满意度": ("服务对象满意度指标", "≥95%", "95%", 5, 5),
    }
    assert (rows["总分"].values.get("weight"), float(rows["总分"].values["score"])) == (100, 82.95)


SUMMARY_LIST = (
    "项目支出绩效自评汇总表\n序\n号 项目名称 全年预算数 全年执 行数 预算执行 率 资金管理情况 得分率 成本指标得 分率 "
    "产出指标得 分率 效益指标 得分率 满意度指标 得分率 自评得 分 是否有较 大偏差 评价形式 (线 上/线下)\n"
    """1 2023 行政服务奖励基金 18.48 0 0% 20% 0% 0% 0% 0% 20 是 线上
2 政务服务“回访中心”人员工 资 6.96 6.5 93.4% 20% 10% 30% 25% 5% 90 否 线下
"""
)


def test_a_list_of_project_scores_under_a_performance_title_is_read_a_row_a_line() -> None:
    rec = extract_source(from_bytes(SUMMARY_LIST.encode(), "list.pypdf.txt"), ExtractOptions(), cat=load())
    (table,) = [t for t in rec.tables if t.kind == "performance_projects"]
    got = [(r.name, float(r.values["full_year_budget"]), float(r.values["executed"]), float(r.values["score"]),
            r.texts.get("rate"), r.texts.get("rate_benefit"), r.texts.get("form")) for r in table.rows]  # fmt: skip
    assert got == [
        ("2023行政服务奖励基金", 18.48, 0.0, 20.0, "0%", "0%", "线上"),
        ("政务服务“回访中心”人员工资", 6.96, 6.5, 90.0, "93.4%", "25%", "线下"),
    ]


DEPARTMENT = """部门（单位）整体绩效目标表 (2024年度)
部门名称：某某中心
年度履职目标
1.打造一流智慧服务大厅，构建政务体系。
预算情况 部门预算总额（万元） 524.78
1、资金来源：（1）政府预算资金 524.78
（2）财政专户管理资金
2、资金结构：（1）基本支出 189.78
（2）项目支出 335.00
一级指标 二级指标 三级指标 指标值 指标值说明
投入管理指标 工作目标管理 年度履职目标相关性 相关 相关
工作任务科学性 科学 科学
预算和财务管理 预算编制完整性 完整 完整
预算执行率 ≥90%
产出指标 重点工作任务完成 智能化服务升级工作计划完成率 100%
"""


def test_a_department_form_reads_its_amounts_level2_cells_and_explanations() -> None:
    rec = extract_source(from_bytes(DEPARTMENT.encode(), "dept.pypdf.txt"), ExtractOptions(), cat=load())
    (form,) = [t for t in rec.tables if t.kind == "performance_department"]
    amounts = {r.name: float(r.values["amount"]) for r in form.rows if r.values.get("amount") is not None}
    assert amounts == {"部门预算总额（万元）": 524.78, "1、资金来源：（1）政府预算资金": 524.78,
                       "2、资金结构：（1）基本支出": 189.78, "（2）项目支出": 335.0}  # fmt: skip
    got = {r.name: (r.texts.get("level1"), r.texts.get("level2"), r.texts.get("target"), r.texts.get("note"))
           for r in form.rows if r.role == "indicator"}  # fmt: skip
    assert got == {
        "年度履职目标相关性": ("投入管理指标", "工作目标管理", "相关", "相关"),
        "工作任务科学性": ("投入管理指标", "工作目标管理", "科学", "科学"),
        "预算编制完整性": ("投入管理指标", "预算和财务管理", "完整", "完整"),
        "预算执行率": ("投入管理指标", "预算和财务管理", "≥90%", None),
        "智能化服务升级工作计划完成率": ("产出指标", "重点工作任务完成", "100%", None),
    }


SELF_EVALUATION_PDFIUM = """项目支出绩效自评情况表
项目名称 某某网络维修费
年初预算数 全年预算数 全年执行数 分值 执行率 得分
项目资金
(万元) 年度资金总额: 15 15 4.2 10 28.0 % 2.80
财政拨款 15 15 4.2 - 28.0 % -
情况说
明
分值
(20) 得分 存在问题和改
进措施
资金管理情况 安排科学性 按照部门预算编制和资金管理办法的要求,进行项目论证、评
审、立项等必要程序。 5 4
一级指标 二级指标 三级指标 年度指标值 实际值完成值 分值 得分 偏差度 偏差原因分析及改进措施
成本指标 经济成本指标 网络使用费成本 ≤4万元 4.2万元 5 4.75 5.00 网络线路费用 增加
产出指标 数量指标 网络线路数量 ≥3条 3 5 5 0.00
总分 100 90.5
"""


def test_a_self_evaluation_form_as_pdfium_prints_it() -> None:
    """A header wrapped over short lines (情况说 / 明 / 分值 / (20) 得分 …), a score with two
    decimals (4.75) before the deviation, an actual value that is a bare figure (3)."""
    rec = extract_source(from_bytes(SELF_EVALUATION_PDFIUM.encode(), "self.pdfium.txt"), ExtractOptions(), cat=load())
    (form,) = [t for t in rec.tables if t.kind == "performance_projects"]
    rows = {r.name: r for r in form.rows}
    assert (rows["安排科学性"].texts.get("level1"), rows["安排科学性"].values.get("weight"),
            rows["安排科学性"].values.get("score")) == ("资金管理情况", 5, 4)  # fmt: skip
    cost = rows["网络使用费成本"]
    got = (cost.texts.get("target"), cost.texts.get("actual"), cost.values.get("weight"), float(cost.values["score"]))
    assert got == ("≤4万元", "4.2万元", 5, 4.75)
    lines = rows["网络线路数量"]
    assert (lines.texts.get("target"), lines.texts.get("actual"), lines.values.get("weight")) == ("≥3条", "3", 5)
