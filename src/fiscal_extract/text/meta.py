"""Document meta: department (as printed in 部门名称), fiscal year, budget or final accounts, unit."""

from __future__ import annotations

import re
from collections import Counter

from ..catalog import Catalog
from ..models import Meta, Table
from ..read.normalize import SourceText
from ..read.segment import Segments
from ..tables.draft import clean_name


def _first_lines(src: SourceText, n: int = 12) -> list[str]:
    out = []
    for a, b in src.lines():
        t = src.folded[a:b].strip().lstrip("#").strip()
        if t:
            out.append(t)
        if len(out) >= n or (t.startswith("目") and "录" in t):
            break
    return out


def extract_meta(src: SourceText, seg: Segments, tables: list[Table], cat: Catalog) -> Meta:
    pats = cat.text.get("meta", {})
    dep_counts: Counter[str] = Counter()
    for t in seg.tables:
        for line in t.meta:
            for p in pats.get("department", []):
                m = re.search(p, line.text)
                if m:
                    dep_counts[clean_name(m.group("v"))] += 1
                    break
    head = _first_lines(src)
    head_text = " ".join(head)
    department = dep_counts.most_common(1)[0][0] if dep_counts else None
    if department is None:
        department = _department_from_title(head)
    year = None
    for p in pats.get("year", []):
        for line in head:
            m = re.search(p, line)
            if m:
                year = int(m.group("v"))
                break
        if year:
            break
    if year is None:
        m = re.search(r"(20\d\d)\s*年", head_text)
        year = int(m.group(1)) if m else None
    compact = re.sub(r"\s+", "", head_text)
    kind = None
    if any(w in compact for w in pats.get("final_words", [])):
        kind = "final_accounts"
    elif any(w in compact for w in pats.get("budget_words", [])):
        kind = "budget"
    elif tables:
        titles = "".join(t.title for t in tables)
        kind = "final_accounts" if "决算" in titles else ("budget" if "预算" in titles else None)
    units = Counter(t.unit for t in tables if t.unit and t.kind != "procurement")
    unit = units.most_common(1)[0][0] if units else None
    spoken = _narrative_unit(seg, pats.get("narrative_unit"))
    if spoken is not None:
        unit = spoken  # tables keep their own unit; the summary is converted to the document's
    region = None
    if department:
        m = re.match(pats.get("region", "$^"), department)
        if m and m.group("v"):
            region = m.group("v")
    return Meta(department=department, fiscal_year=year, kind=kind, unit=unit, region=region)  # type: ignore[arg-type]


def _narrative_unit(seg: Segments, pattern: str | None) -> str | None:
    """The unit the narrative states its amounts in, when it states enough of them (10+) and one
    unit carries at least three in four."""
    if not pattern:
        return None
    counts: Counter[str] = Counter()
    for line in seg.text_lines:
        counts.update(m.group("v") for m in re.finditer(pattern, line.text))
    total = sum(counts.values())
    if total < 10:
        return None
    unit, n = counts.most_common(1)[0]
    return unit if n * 4 >= total * 3 else None


_COVER_BEFORE_YEAR = re.compile(r"(?P<n>[\u4e00-\u9fff（）()]{4,40}?)20\d\d年度?(?:部门|单位)?(?:综合)?(?:预算|决算)")
_COVER_AFTER_YEAR = re.compile(r"20\d\d年度?(?P<n>[\u4e00-\u9fff（）()]{4,40}?)(?:部门|单位)(?:综合)?(?:预算|决算)")
_NOT_A_NAME = re.compile(r"年度|预算|决算|公开|目录")


def _department_from_title(head: list[str]) -> str | None:
    """ "曾都区政务服务和大数据管理局 2024 年部门预算" -> the name before the year; the cover's lines
    are read as one (a name wrapped over two lines, the year on a line of its own); a line that
    holds only a year, or words such as 部门预算公开, is never the name."""
    cover = ""
    for line in head:
        s = re.sub(r"\s+", "", line)
        if s.startswith("目") and "录" in s:
            break
        cover += s
    cover = cover.split("目录", 1)[0]
    for pat in (_COVER_BEFORE_YEAR, _COVER_AFTER_YEAR):
        for m in pat.finditer(cover):
            name = m.group("n")
            for lead in ("公开", "预算", "决算"):
                if lead in name:
                    name = name[name.rindex(lead) + len(lead) :]
            if name.endswith(("部门", "单位")):
                name = name[:-2]
            if len(name) >= 4 and not _NOT_A_NAME.search(name):
                return name
    for line in head:
        s = re.sub(r"\s+", "", line)
        m = re.match(r"^(?:20\d\d年度?)?(.{4,40}?)(?:20\d\d年度?)?(?:部门)?(?:预算|决算)(?:公开)?$", s)
        if m and not m.group(1).startswith("目"):
            name = m.group(1)
            if name.endswith("部门"):
                name = name[:-2]
            return name
    for line in head:
        s = re.sub(r"\s+", "", line)
        if re.search(r"(局|中心|委员会|办公室|厅|院|所|站|队|馆|会|处|部)$", s) and 4 <= len(s) <= 40:
            return s
    return None
