"""Project lists with a 绩效目标 text column in PDF-library text ([单位名称 |] 项目名称 | 金额 |
绩效目标): one row a project, its goal wrapped over many lines, labels wrapped around the amount.
The snippets are copied from the corpus texts (eval/corpus/text: 04, 05, 08)."""

from __future__ import annotations

from decimal import Decimal

from fiscal_extract.models import Table
from fiscal_extract.pipeline import extract_bytes

SHENZHEN = """2026 年，本单位重点项目绩效目标情况如下：
二级预算单位名称 一级项目名称 预算数（万元） 绩效目标
深圳市审计局 规划类经费 6.50 编制完成并印发《深圳市
“十五五”审计事业发展规
划》，指导未来五年审计工
作发展方向。
深圳市审计局 审计管理业务 506.95 1.按照审计计划时间完成本
局和上级交办的审计任务，
保障审计法治建设有序推
进。
深圳市审计局 信息化（财政审
核）
80.00 建立完善的主动预防性运维
体系，通过常态化巡检和性
能优化，显著降低重大故障
的发生率，支持业务连续性
- 10 -\f的长期稳定；通过知识积累
的自动化工具。
深圳市审计局 预算准备金 20.00 保障临时性新增项目顺利开
展。
备注：涉密项目按要求不予公开。
第八部分  其他需要说明情况
一、机关运行经费
2026 年本单位机关运行经费预算为 1,040.46 万元。
"""

GUANGZHOU = """七、重点项目预算绩效目标情况
2026年，本部门重点项目绩效目标情况如下：
- 22 -\f项目 预算数（单位：万元） 绩效目标
广州市第四次全国农业普查
经费 534.72
通过第四次全国农业普查项目，全面调查
摸清我市各类农业普查对象的基本情况。
统计专项经费 195.19
通过开展高质量统计服务，助推广州经济
社会高质量发展。
其他运行经费 7 通过完成各项后勤服务，为本单位统计监 测和统计发展工作提供后勤支持。
注：无。
"""

HANGZHOU = """表11：2026年市级部门项目支出绩效表
部门名称：杭州市气象局 单位:万元
单位名称 项目名称 金额 绩效目标
杭州市气象局 气象设施维护及科普 887.90
通过实施气象设施维护及科普项目，维持气象预报业务服务系统的正常运转。确保地面气象监测网全年安全运行。
站点维护数量 162 个，自动气象站网资料接收及时率达到 98％以上，设备故障响应时效 24
小时。保障人工影响天气业务正常开展。
杭州市气象服务中心（杭州市预
警信息发布中心） 专业系统维护及科普 146.69 1.突发公共事件预警信息稳定运行；2.保障新一代天气雷达正常运行。
"""


def _lists(text: str) -> list[Table]:
    rec = extract_bytes(("2026年部门预算\n\f" + text + "\f\n").encode("utf-8"))
    return [t for t in rec.tables if t.kind == "performance_projects"]


def _rows(t: Table) -> list[tuple[str, Decimal | None, str | None]]:
    return [(r.name, r.values.get("total"), r.texts.get("unit_name")) for r in t.rows]


def test_labels_wrapped_around_the_amount_and_a_goal_over_a_page_break() -> None:
    (t,) = _lists(SHENZHEN)
    assert _rows(t) == [
        ("规划类经费", Decimal("6.50"), "深圳市审计局"),
        ("审计管理业务", Decimal("506.95"), "深圳市审计局"),
        ("信息化（财政审核）", Decimal("80.00"), "深圳市审计局"),
        ("预算准备金", Decimal("20.00"), "深圳市审计局"),
    ]
    goal = t.rows[2].texts["goal"]
    assert goal.startswith("建立完善的主动预防性运维体系") and goal.endswith("的自动化工具。")
    assert "- 10 -" not in goal and "\f" not in goal
    # the amount is where it is printed
    src = "2026年部门预算\n\f" + SHENZHEN
    cell = t.rows[2].cells["total"]
    assert src[cell.start : cell.end] == "80.00"


def test_the_narrative_after_the_list_is_still_read() -> None:
    rec = extract_bytes(("2026年部门预算\n\f" + SHENZHEN + "\f\n").encode("utf-8"))
    assert rec.narrative.operating_costs == Decimal("1040.46")


def test_a_column_unit_in_the_header_and_a_name_wrapped_before_its_amount() -> None:
    (t,) = _lists(GUANGZHOU)
    assert _rows(t) == [
        ("广州市第四次全国农业普查经费", Decimal("534.72"), None),
        ("统计专项经费", Decimal("195.19"), None),
        ("其他运行经费", Decimal("7"), None),
    ]
    assert t.rows[1].texts["goal"] == "通过开展高质量统计服务，助推广州经济社会高质量发展。"


def test_a_quantity_in_a_goal_starts_no_row_and_a_bracket_joins_a_wrapped_unit_name() -> None:
    (t,) = _lists(HANGZHOU)
    assert _rows(t) == [
        ("气象设施维护及科普", Decimal("887.90"), "杭州市气象局"),
        ("专业系统维护及科普", Decimal("146.69"), "杭州市气象服务中心（杭州市预警信息发布中心）"),
    ]
    assert "站点维护数量162个" in t.rows[0].texts["goal"]


def test_prose_under_a_header_like_line_is_no_list() -> None:
    text = "项目 金额 绩效目标\n本部门今年的绩效目标，见下文说明。\n其余从略。\n"
    assert _lists(text) == []
