"""Department performance forms as PDF and OCR text prints them: merged level cells whose names
are printed mid-block, a level-2 name bleeding into the level-3 cell, qualitative targets the
target vocabulary does not know.  Each form here is a small hand-made excerpt; the expected rows
are what a reader of the printed form sees."""

from __future__ import annotations

from fiscal_extract.catalog import load
from fiscal_extract.models import Table
from fiscal_extract.options import ExtractOptions
from fiscal_extract.pipeline import extract_source
from fiscal_extract.read.normalize import from_bytes

HEAD = "部门整体支出绩效目标表\n\n单位：万元\n\n"


def _form(body: str) -> Table:
    text = HEAD + body
    rec = extract_source(from_bytes(text.encode(), "form.txt"), ExtractOptions(), cat=load())
    forms = [t for t in rec.tables if t.kind == "performance_department"]
    assert len(forms) == 1, [t.kind for t in rec.tables]
    return forms[0]


def _indicators(t: Table) -> dict[str, tuple[str | None, str | None, str | None]]:
    return {r.name: (r.texts.get("level1"), r.texts.get("level2"), r.texts.get("target"))
            for r in t.rows if r.role == "indicator"}


def test_level_names_printed_mid_block_belong_to_the_rows_above_them() -> None:
    body = (
        "\t一级指标\t二级指标\t三级指标\t年初目标值\t备注\n"
        "\t\t\t保障机关正常运转\t正常运转\t\n"
        "\t\t公共服务\t业务培训\t2次\t\n"
        "\t\t\t政府网站监测\t100%\t\n"
        "\t产出指标\t\t按时办结率\t100%\t\n"
        "\t\t公共管理\t系统建设\t稳定运行\t\n"
    )
    got = _indicators(_form(body))
    assert got["保障机关正常运转"] == ("产出指标", "公共服务", "正常运转")
    assert got["按时办结率"] == ("产出指标", "公共管理", "100%")
    assert got["政府网站监测"][:2] == ("产出指标", "公共服务")


def test_a_level2_name_printed_again_before_the_level3_name_is_not_part_of_it() -> None:
    body = (
        "一级指标\t二级指标\t三级指标\t指标值\t指标值说明\n"
        "效益指标\t履职效益\t全市数字化建设水平\t提高\t\n"
        "\t满意度\t满意度 数据使用单位对数据共享提供服务满意程度\t≥85%\t\n"
    )
    got = _indicators(_form(body))
    assert got["数据使用单位对数据共享提供服务满意程度"] == ("效益指标", "满意度", "≥85%")


def test_a_qualitative_target_the_vocabulary_does_not_know_is_read_as_printed() -> None:
    body = (
        "\t一级指标\t二级指标\t三级指标\t年初目标值\t备注\n"
        "\t\t\t便民免费寄递,让百姓办事少跑腿\t便民免费寄递\t\n"
        "\t效益指标\t社会效益\t惠民政策问题线索核查整改率\t100%\t\n"
    )
    got = _indicators(_form(body))
    assert got["便民免费寄递,让百姓办事少跑腿"] == ("效益指标", "社会效益", "便民免费寄递")
    assert got["惠民政策问题线索核查整改率"] == ("效益指标", "社会效益", "100%")


def test_a_telephone_number_is_no_figure() -> None:
    body = (
        "填报人\t张宇\t联系电话\t153357\t78885\n"
        "\t一级指标\t二级指标\t三级指标\t年初目标值\t备注\n"
        "\t产出指标\t公共服务\t业务培训\t2次\t\n"
    )
    t = _form(body)
    assert not any(v is not None for r in t.rows for v in r.values.values())
    assert any("153357" in r.texts.get("content", "") for r in t.rows)
