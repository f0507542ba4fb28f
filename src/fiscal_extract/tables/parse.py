"""Rules extraction of one table block into a :class:`~fiscal_extract.models.Table`.

Layouts (see ``catalog/data/tables.toml``): two-sided overviews, classified tables (rows keyed
by functional / economic / unit codes), the grouped final-accounts basic-expenditure table,
"三公", projects, procurement, and performance tables (:mod:`perf`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from ..caching import TEXT_CACHE
from ..catalog import Catalog
from ..fold import fold
from ..models import Column, Notice, Repair, Row, Span, Table
from ..read.cells import NO_STYLE, Style, read_value, style_of
from ..read.grid import Cell, Grid, GridRow
from ..read.normalize import SourceText
from ..read.numbers import parse_number
from ..read.segment import TableBlock, _is_meta_row, _norm_row, _unit_patterns
from .header import Col, build_columns, is_data_row, is_label_text, is_numbering_row, looks_like_header
from .realign import realign_rows

_CJK_WRAP = re.compile(r"(?<=[\u4e00-\u9fff（）()、])\s+(?=[\u4e00-\u9fff（）()、])")
_CODE = re.compile(r"^[0-9A-Z]{2,24}$")
_PROJECT_CODE = re.compile(r"^\d{6,}[0-9A-Z]*\d+$|^\d{4,}[A-Z]\d{6,}$")
_BRACKET_CODE = re.compile(r"^\[(\d{3,7})\]")
_NUMBERED = re.compile(r"^(?:[一二三四五六七八九十廿]+、|[(（][一二三四五六七八九十廿]+[)）]|其中[:：])")


@lru_cache(maxsize=TEXT_CACHE)
def clean_name(raw: str) -> str:
    """A printed name with OCR line-wrap spaces removed ("平顶山市石龙 区" -> "平顶山市石龙区")."""
    return _CJK_WRAP.sub("", raw.strip())


@dataclass
class Ctx:
    """What table parsing needs from the document."""

    cat: Catalog
    src: SourceText
    unit: str | None
    department: str | None
    style: Style
    repairs: list[Repair] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)

    def span(self, start: int, end: int) -> Span:
        return Span(start=start, end=end, line=self.src.line_of(start))


@dataclass(slots=True)
class VCell:
    key: str
    cell: Cell | None


@dataclass(slots=True)
class Draft:
    """A row before its figures are read: label fields and value cells in column order."""

    name: str = ""
    code: str | None = None
    side: str | None = None
    role: str = "item"
    level: int | None = None
    category: str | None = None
    texts: dict[str, str] = field(default_factory=dict)
    text_cells: dict[str, Cell] = field(default_factory=dict)
    vcells: list[VCell] = field(default_factory=list)
    row: GridRow | None = None
    extra: list[Cell] = field(default_factory=list)


# ------------------------------------------------------------------------------- parts


@dataclass
class Part:
    meta: list[GridRow]
    header: list[GridRow]
    data: list[GridRow]


def split_part(cat: Catalog, grid: Grid, head: list[GridRow] | None, layout: str = "classified") -> Part:
    """Meta rows, header rows and data rows of one grid part.

    ``head`` is the header of the table's first part: a later part repeating it drops the repeat
    and keeps every other row as data, even a row with no figures.
    """
    rows = grid.rows
    i = 0
    meta = []
    while i < len(rows) and _is_meta_row(cat, rows[i]) and not is_data_row(cat, rows[i]):
        meta.append(rows[i])
        i += 1
    if head is not None:
        keys = {_norm_row(cat, r) for r in head}
        j = i
        while j < len(rows) and (_norm_row(cat, rows[j]) in keys or is_numbering_row(rows[j])):
            j += 1
        if j > i:
            # the rest of a header printed differently on this page
            while j < len(rows) and not is_data_row(cat, rows[j]) and looks_like_header(cat, rows[j], layout):
                j += 1
            return Part(meta, rows[i:j], rows[j:])
        return Part(meta, [], rows[i:])
    header = []
    while i < len(rows) and not is_data_row(cat, rows[i]):
        header.append(rows[i])
        i += 1
    return Part(meta, header, rows[i:])


# ------------------------------------------------------------------------------- entry


def parse_table(block: TableBlock, ctx: Ctx) -> Table:
    cat = ctx.cat
    first = block.parts[0]
    kind = block.match.kind if block.match else None
    first_part = split_part(cat, first, None)
    if kind is None:
        labels = [c.text for r in first_part.header for c in r.cells if c.text]
        kind = cat.match_signature(labels) or "other"
        if kind != "other" and block.title:
            ctx.notices.append(
                Notice(
                    code="unknown_title",
                    message=f"{block.title}: a title the catalog does not know; the kind {kind} is guessed "
                    "from the header words",
                    span=ctx.span(block.start, first.end),
                )
            )
        if kind == "other":
            ctx.notices.append(
                Notice(
                    code="unknown_table",
                    message="a table the catalog does not know (no title or header matched)",
                    span=ctx.span(first.start, first.end),
                )
            )
    block.kind = kind
    layout = cat.layout_of(kind)
    title = _title_text(ctx, block)
    unit = _table_unit(ctx, block, first_part)
    if layout == "performance":
        from .performance import parse_performance

        table = parse_performance(block, kind, title, unit, ctx)
    else:
        table = _parse_grid_table(block, kind, layout, title, unit, first_part, ctx)
    table.notes = [n.text for n in block.notes]
    table.parts = len(block.parts)
    table.span = ctx.span(block.start, max(block.end, block.start))
    says_empty = any(cat.is_empty_note(n.text) for n in block.notes)
    # (the scans over the figures are made only where their answer is used)
    nonzero = says_empty and any(v for r in table.rows for v in r.values.values() if v is not None)
    if layout == "performance":
        table.empty = not table.rows
    else:
        has_figures = any(v is not None for r in table.rows for v in r.values.values())
        table.empty = not has_figures or (says_empty and not nonzero)
    if says_empty and nonzero:
        ctx.notices.append(
            Notice(
                code="note_contradicts_table",
                message=f"{title or kind}: a note says the table has no data, but it prints figures",
                span=table.span,
            )
        )
    return table


def _title_text(ctx: Ctx, block: TableBlock) -> str:
    """The title as printed (markdown heading marks dropped, wrapped spaces removed)."""
    if block.title_line is None:
        return ""
    raw = ctx.src.text[block.title_line.start : block.title_line.end]
    return clean_name(raw.replace("\t", "").strip().lstrip("#").strip())


def _table_unit(ctx: Ctx, block: TableBlock, part: Part) -> str | None:
    texts = [m.text for m in block.meta] + [r.joined() for r in part.meta] + [r.joined() for r in part.header[:1]]
    patterns = _unit_patterns(ctx.cat)
    for t in texts:
        for pat in patterns:
            m = pat.search(t)
            if m:
                return m.group("v")
    for r in part.header:
        for c in r.cells:
            if "(元)" in c.text or "（元）" in c.raw:
                return "元"
    return ctx.unit


def _parse_grid_table(
    block: TableBlock, kind: str, layout: str, title: str, unit: str | None, first_part: Part, ctx: Ctx
) -> Table:
    cat = ctx.cat
    drafts: list[Draft] = []
    columns: list[Col] | None = None
    head: list[GridRow] | None = None
    grouped = layout == "classified" and _is_grouped(cat, first_part.header)
    noted: set[int] = set()
    for n, grid in enumerate(block.parts):
        part = first_part if n == 0 else split_part(cat, grid, head, layout)
        if n == 0:
            head = part.header
        width = max([len(r.cells) for r in part.header + part.data] or [0])
        if part.header or columns is None:
            columns = build_columns(cat, part.header or (head or []), layout, width)
            if n == 0 and not part.header:
                ctx.notices.append(
                    Notice(
                        code="no_header",
                        message=f"{title or kind}: no header rows found",
                        span=ctx.span(grid.start, grid.end),
                    )
                )
        elif len(columns) < width:
            columns = columns + [Col(i, ()) for i in range(len(columns), width)]
        _note_unmapped(columns, part.data, ctx, title or kind, noted)
        if grouped:
            drafts += _grouped_rows(part, ctx)
        elif layout == "two_sided":
            drafts += _two_sided_rows(part.data, columns, ctx)
        elif layout == "three_public":
            drafts += _flat_rows(part.data, columns, ctx, "three_public")
        elif layout == "project":
            drafts += _project_rows(part.data, columns, ctx, first=not drafts)
        elif layout == "procurement":
            drafts += _procurement_rows(part.data, columns, ctx)
        else:
            drafts += _classified_rows(part.data, columns, ctx, kind)
    assert columns is not None
    if layout == "two_sided":
        drafts.sort(key=lambda d: d.side != "income")  # stable: each side in printed order
    template = cat.templates.get(kind)
    if template and getattr(columns, "garbled", False) and layout == "classified" and not grouped:
        cols_out = [Column(key=k, label=k) for k in template]
    else:
        cols_out = _columns_out(columns, grouped)
    rows = finish_rows(drafts, kind, ctx, title or kind)
    return Table(kind=kind, title=title, unit=unit, columns=cols_out, rows=rows)  # type: ignore[arg-type]


def _note_unmapped(columns: list[Col], data: list[GridRow], ctx: Ctx, label: str, noted: set[int]) -> None:
    """A notice for each labelled column the catalog cannot name that holds figures (they are not read)."""
    if getattr(columns, "garbled", False):
        return
    for col in columns:
        if col.role is not None or not col.path or col.index in noted:
            continue
        cells = [r.cells[col.index] for r in data if col.index < len(r.cells) and r.cells[col.index].text]
        figures = [c for c in cells if parse_number(c.text) is not None]
        if len(figures) < max(1, len(cells) // 2):
            continue
        noted.add(col.index)
        ctx.notices.append(
            Notice(
                code="unmapped_column",
                message=f"{label}: column {col.index} {'/'.join(col.path)!r} holds figures but the catalog "
                "cannot name it: its figures are not read",
                span=ctx.span(figures[0].start, figures[0].end),
            )
        )


def _columns_out(columns: list[Col], grouped: bool) -> list[Column]:
    if grouped:
        return [Column(key="total", label="决算数")]
    seen: dict[str, Column] = {}
    for c in columns:
        if c.role == "value" and c.key:
            key = f"{c.side}:{c.key}" if c.side else c.key
            if key not in seen:
                seen[key] = Column(key=key, label="/".join(clean_name(p) for p in c.path))
    return list(seen.values())


# ------------------------------------------------------------------------------- labels


def _label_tokens(cells: list[Cell]) -> list[tuple[str, Cell]]:
    """Non-empty label cells as ("code" | "text" | "junk", cell)."""
    out = []
    for c in cells:
        t = c.text
        if not t:
            continue
        if _CODE.match(t.replace(" ", "")):
            out.append(("code", c))
        elif is_label_text(t):
            out.append(("text", c))
        else:
            out.append(("junk", c))
    return out


def _join_code(parts: list[str]) -> str:
    parts = [p.replace(" ", "") for p in parts]
    if len(parts) > 1 and len(parts[0]) == 3 and all(len(p) == 2 for p in parts[1:]):
        return "".join(parts)
    return "".join(parts) if all(p.isdigit() for p in parts) and len(parts) > 1 and len(parts[0]) == 3 else parts[0]


def _role_from_label(ctx: Ctx, d: Draft) -> None:
    """Fill role / level / category from the code and name."""
    cat = ctx.cat
    role, category = cat.row_label(d.name) if d.name else (None, None)
    if category:
        d.category = category
    if role and not d.code:
        d.role, d.level = role, 0
        return
    if d.code:
        system = cat.code_system(d.code)
        if system:
            d.level = {3: 1, 5: 2, 7: 3}[len(d.code)]
            d.role = "item"
            return
        if _is_unit(ctx, d.code, d.name):
            d.role = "unit"
            return
    if role:
        d.role, d.level = role, 0


def _is_unit(ctx: Ctx, code: str, name: str) -> bool:
    if not code.isdigit():
        return False
    dep = ctx.department
    if dep and name and (name.startswith(dep[:6]) or dep.startswith(name[:6])):
        return True
    return len(code) in (3, 6, 9) and ctx.cat.code_system(code) is None


# ------------------------------------------------------------------------------- classified


def _value_cols(columns: list[Col], side: str | None = None) -> list[Col]:
    return [c for c in columns if c.role == "value" and c.key and (side is None or c.side == side)]


def _classified_rows(rows: list[GridRow], columns: list[Col], ctx: Ctx, kind: str) -> list[Draft]:
    template = ctx.cat.templates.get(kind)
    if template and getattr(columns, "garbled", False):
        return _template_rows(rows, template, ctx)
    vcols = _value_cols(columns)
    drafts = []
    if not vcols:
        for r in rows:
            d = Draft(row=r)
            toks = [c for k, c in _label_tokens(r.cells) if k == "text"]
            d.name = clean_name(toks[0].raw) if toks else ""
            drafts.append(d)
        return drafts
    first_v = vcols[0].index
    by_index = {c.index: c for c in columns}
    value_at = [(c.index, c.key or "") for c in vcols]
    for r in rows:
        cells = r.cells
        width = len(cells)
        # a row whose name sits where the header puts the first figure is shifted right
        offset = 0
        for i in range(width - 1, first_v - 1, -1):
            t = cells[i].text
            if t and is_label_text(t) and not _CODE.match(t):
                offset = i + 1 - first_v
                break
        d = Draft(row=r)
        label_cells = cells[: first_v + offset]
        _fill_labels(d, label_cells, by_index if offset == 0 else {}, ctx)
        d.vcells = [VCell(key, cells[i + offset] if i + offset < width else None) for i, key in value_at]
        last = vcols[-1].index + offset
        d.extra = [c for c in cells[last + 1 :] if c.text]
        _role_from_label(ctx, d)
        drafts.append(d)
    return drafts


def _template_rows(rows: list[GridRow], template: list[str], ctx: Ctx) -> list[Draft]:
    """A garbled header: each row's figures (after its last label) in the kind's standard order."""
    drafts = []
    for r in rows:
        cells = r.cells
        labels = [
            i
            for i, c in enumerate(cells)
            if (
                c.text and (is_label_text(c.text) or c.text.replace(" ", "").isdigit()) and parse_number(c.text) is None
            )
            or (c.text.isdigit() and len(c.text) <= 3 and i < 6)
        ]
        start = max(labels) + 1 if labels else 0
        # blanks between the labels and the first figure belong to absent label columns
        while start < len(cells) and not cells[start].text:
            start += 1
        d = Draft(row=r)
        _fill_labels(d, cells[:start], {}, ctx)
        for key, c in zip(template, cells[start:], strict=False):
            d.vcells.append(VCell(key, c))
        d.extra = [c for c in cells[start + len(template) :] if c.text]
        _role_from_label(ctx, d)
        drafts.append(d)
    if drafts:
        ctx.notices.append(
            Notice(
                code="garbled_header",
                message="a header too garbled to map: figures read in the standard column order",
                span=ctx.span(rows[0].start, rows[-1].end),
            )
        )
    return drafts


@lru_cache(maxsize=TEXT_CACHE)
def _code_of(text: str) -> str | None:
    """The classification or project code a label cell prints (spaces dropped), else None."""
    t = text.replace(" ", "")
    return t if _CODE.match(t) and (t.isdigit() or _PROJECT_CODE.match(t)) else None


def _fill_labels(d: Draft, cells: list[Cell], by_index: dict[int, Col], ctx: Ctx) -> None:
    """Code, name and text columns of a row's label part (pattern first, header roles for texts)."""
    codes: list[str] = []
    gov_codes: list[str] = []
    stage = 0  # 0: leading codes, 1: name read, 2: second code, 3: second name
    for i, c in enumerate(cells):
        if not c.text:
            continue
        col = by_index.get(i)
        role = col.role if col else None
        if col is not None and col.key in ("gov_code", "gov_name"):
            role = None  # the second code pair is read by pattern below, like the first
        if role in ("text", "category", "line_no") and col is not None:
            if role == "category":
                d.category = clean_name(c.raw)
            else:
                d.texts[col.key or "line_no"] = clean_name(c.raw)
                d.text_cells[col.key or "line_no"] = c
            continue
        code = _code_of(c.text)
        if code is not None:
            if stage == 0:
                codes.append(code)
            else:
                stage = 2
                gov_codes.append(code)
            continue
        if not is_label_text(c.text):
            continue
        if stage == 0:
            d.name = clean_name(c.raw)
            stage = 1
        elif stage == 2 or (stage == 1 and role == "text"):
            d.texts["gov_name"] = clean_name(c.raw)
            stage = 3
        elif stage == 1 and not d.name:
            d.name = clean_name(c.raw)
    if codes:
        d.code = _join_code(codes)
    if gov_codes:
        d.texts["gov_code"] = _join_code(gov_codes)


# ------------------------------------------------------------------------------- grouped (公开06)


def _is_grouped(cat: Catalog, header: list[GridRow]) -> bool:
    for r in header:
        labels = [cat.norm(c.text) for c in r.cells if c.text]
        if (
            labels.count("科目代码") + labels.count("科目编码") >= 2
            and labels.count("决算数") + labels.count("预算数") >= 2
        ):
            return True
    return False


def _grouped_rows(part: Part, ctx: Ctx) -> list[Draft]:
    """[code, name, amount] x N groups side by side: one row per economic code.

    Each printed line is scanned left to right: a code starts an entry (its name and the next
    figure follow); a "…合计" label is a group total with the next figure to its right.
    """
    cat = ctx.cat
    starts = sorted(
        {i for r in part.header for i, c in enumerate(r.cells) if cat.norm(c.text) in ("科目代码", "科目编码")}
    )
    cats: list[tuple[int, str]] = []
    for r in part.header[:1]:
        for i, c in enumerate(r.cells):
            spec = cat.column(c.text, "classified") if c.text else None
            if spec is not None and spec.key in ("personnel", "public"):
                cats.append((i, spec.key))

    def group_of(col: int) -> int:
        return max([k for k, s in enumerate(starts) if s <= col] or [0])

    def category_of(col: int) -> str | None:
        found = None
        for i, key in cats:
            if i <= col:
                found = key
        return found

    entries: list[tuple[int, int, Draft]] = []
    for n, r in enumerate(part.data):
        cells = r.cells
        i = 0
        while i < len(cells):
            c = cells[i]
            t = c.text.replace(" ", "")
            is_total = bool(t) and not t.isdigit() and is_label_text(t) and cat.norm(t).endswith(("合计", "总计"))
            if not (t.isdigit() and len(t) in (3, 5)) and not is_total:
                i += 1
                continue
            d = Draft(row=r, category=category_of(i))
            j = i + 1
            if is_total:
                d.name, d.role, d.level = clean_name(c.raw), "total", 0
                n_cat = cat.norm(t)
                d.category = (
                    "personnel"
                    if n_cat.startswith("人员经费")
                    else ("public" if n_cat.startswith("公用经费") else d.category)
                )
            else:
                d.code, d.level = t, 1 if len(t) == 3 else 2
                while j < len(cells) and not cells[j].text:
                    j += 1
                if j < len(cells) and is_label_text(cells[j].text):
                    d.name = clean_name(cells[j].raw)
                    j += 1
            amount = None
            while j < len(cells):
                tj = cells[j].text.replace(" ", "")
                if tj and ((tj.isdigit() and len(tj) in (3, 5)) or is_label_text(tj)):
                    break
                if tj:
                    amount = cells[j]
                    j += 1
                    break
                j += 1
            d.vcells.append(VCell("total", amount))
            entries.append((group_of(i), n, d))
            i = j
    entries.sort(key=lambda e: (e[2].role == "total", e[0], e[1]))
    return [d for _, _, d in entries]


# ------------------------------------------------------------------------------- two-sided


def _two_sided_rows(rows: list[GridRow], columns: list[Col], ctx: Ctx) -> list[Draft]:
    sides: dict[str, list[Col]] = {"income": [], "expenditure": []}
    for c in columns:
        if c.side in sides:
            sides[c.side].append(c)
    if not sides["income"] and not sides["expenditure"]:
        # no 收入/支出 banner: split the columns at the second name column
        names = [c.index for c in columns if c.role == "name"]
        cut = names[1] if len(names) > 1 else len(columns) // 2
        for c in columns:
            c.side = "income" if c.index < cut else "expenditure"
            sides[c.side].append(c)
    # per side, the column indexes by role (the header is the same for every row)
    plans = [
        (
            side,
            [c.index for c in cols if c.role == "name"],
            [c.index for c in cols if c.role == "line_no"],
            [(c.index, c.key) for c in cols if c.role == "value" and c.key],
        )
        for side, cols in sides.items()
        if cols
    ]
    out: list[Draft] = []
    pending_exp: list[Draft] = []
    for r in rows:
        cells = r.cells
        width = len(cells)
        for side, name_at, line_at, value_at in plans:
            name = ""
            for i in name_at:
                c = cells[i] if i < width else None
                if c is None or not c.text:
                    continue
                if is_label_text(c.text):
                    name = clean_name(c.raw)
                else:
                    ctx.repairs.append(
                        Repair(
                            span=ctx.span(c.start, c.end),
                            original=c.raw,
                            value=None,
                            reason=f"stray {c.raw!r} in a row-name cell: dropped",
                            kind="noise",
                        )
                    )
            if not name and not any(cells[i].text for i, _ in value_at if i < width):
                continue
            d = Draft(row=r, side=side, name=name, vcells=[VCell(key, cells[i]) for i, key in value_at if i < width])
            for i in line_at:
                c = cells[i] if i < width else None
                if c is not None and c.text:
                    d.texts["line_no"] = c.text
                    d.text_cells["line_no"] = c
            _two_sided_label(ctx, d)
            (out if side == "income" else pending_exp).append(d)
    return out + pending_exp


def _two_sided_label(ctx: Ctx, d: Draft) -> None:
    cat = ctx.cat
    role, category = cat.row_label(d.name) if d.name else (None, None)
    d.category = category
    if role:
        d.role, d.level = role, 0
        return
    if cat.is_of_which(d.name):
        d.category = "of_which"
        d.level = None
        return
    d.level = _numbered_level(d.name)


@lru_cache(maxsize=TEXT_CACHE)
def _numbered_level(name: str) -> int:
    """The level a name's numbering gives: 2 for "（一）" and "其中：", else 1 ("一、" or none)."""
    m = _NUMBERED.match(fold_text(name))
    return 2 if m and "、" not in m.group(0) else 1


def fold_text(s: str) -> str:
    return fold(s).strip()


# ------------------------------------------------------------------------------- flat ("三公")


def _flat_rows(rows: list[GridRow], columns: list[Col], ctx: Ctx, kind: str) -> list[Draft]:
    vcols = _value_cols(columns)
    drafts = []
    for r in rows:
        d = Draft(row=r)
        for col in vcols:
            c = r.cells[col.index] if col.index < len(r.cells) else None
            d.vcells.append(VCell(col.key or "", c))
        labels = [c for i, c in enumerate(r.cells) if c.text and is_label_text(c.text)]
        if labels:
            d.name = clean_name(labels[0].raw)
        if not any(v.cell and v.cell.text for v in d.vcells) and not d.name:
            continue
        drafts.append(d)
    return drafts


# ------------------------------------------------------------------------------- projects


def _project_rows(rows: list[GridRow], columns: list[Col], ctx: Ctx, first: bool) -> list[Draft]:
    vcols = _value_cols(columns)
    roles = {c.index: c for c in columns if c.role and c.role != "value"}
    role_at = sorted(roles)
    out: list[Draft] = []
    group: Draft | None = None
    for r in rows:
        cells = r.cells
        d = Draft(row=r)
        texts: list[tuple[Col, Cell]] = [(roles[i], cells[i]) for i in role_at if i < len(cells) and cells[i].text]
        code = None
        for col, c in texts:
            t = c.text.replace(" ", "")
            if col.role == "category":
                if is_label_text(c.text):
                    d.category = clean_name(c.raw)
            elif col.role == "code" or (_CODE.match(t) and t[0].isdigit()):
                code = t if _CODE.match(t) else code
            elif col.role == "name":
                if is_label_text(c.text):
                    d.name = clean_name(c.raw)
            elif col.role == "text" and col.key and is_label_text(c.text):
                d.texts[col.key] = clean_name(c.raw)
                d.text_cells[col.key] = c
        d.vcells = [VCell(col.key or "", cells[col.index] if col.index < len(cells) else None) for col in vcols]
        d.code = code
        unit_name = d.texts.get("unit_name")
        role, _cat = ctx.cat.row_label(d.name or unit_name or "")
        if role and not code:
            d.role, d.level = "total", 0
            d.name = d.name or unit_name or ""
            if not d.name or ctx.cat.norm(d.name) != ctx.cat.norm(unit_name or ""):
                pass
            d.texts.pop("unit_name", None) if d.name == unit_name else None
        elif code and not d.name and unit_name and not _PROJECT_CODE.match(code):
            # "112 | 单位名称": a budget-unit row with its name in the unit column
            d.role, d.name = "unit", unit_name
            d.texts.pop("unit_name", None)
        elif code and _is_unit(ctx, code, d.name) and not _PROJECT_CODE.match(code):
            d.role = "unit"
        elif code and not _PROJECT_CODE.match(code) and len(code) <= 4:
            d.role = "subtotal"
            group = d
        elif not code and not d.name and not unit_name and first and not out:
            d.role, d.level = "total", 0  # the first row with figures and no label: the table total
        else:
            d.role = "item"
            if group is not None and d.category is None:
                d.texts.setdefault("group", group.name)
        if d.role == "item" and not d.name and not d.code and not any(v.cell and v.cell.text for v in d.vcells):
            continue
        out.append(d)
    return out


# ------------------------------------------------------------------------------- procurement


def _procurement_rows(rows: list[GridRow], columns: list[Col], ctx: Ctx) -> list[Draft]:
    vcols = _value_cols(columns)
    by_index = {c.index: c for c in columns}
    out = []
    for r in rows:
        cells = r.cells
        d = Draft(row=r)
        codes: list[str] = []
        for i, c in enumerate(cells):
            col = by_index.get(i)
            if not c.text or col is None or col.role == "value":
                continue
            t = c.text.replace(" ", "")
            if col.role in ("code_part", "code"):
                if t.isdigit():
                    codes.append(t)
            elif col.role == "unit_code":
                d.texts["unit_code"] = t
            elif col.role == "name":
                d.name = clean_name(c.raw)
            elif col.role == "text" and col.key and (is_label_text(c.text) or t.isdigit()):
                d.texts[col.key] = clean_name(c.raw)
                d.text_cells[col.key] = c
        for col in vcols:
            c = cells[col.index] if col.index < len(cells) else None
            d.vcells.append(VCell(col.key or "", c))
        if codes:
            d.code = _join_code(codes)
        elif "function" in d.texts:
            m = _BRACKET_CODE.match(d.texts["function"])
            if m:
                d.code = m.group(1)
        unit_name = d.texts.get("unit_name", "")
        role, _ = ctx.cat.row_label(unit_name or d.name)
        if role and not d.code:
            d.role, d.level, d.name = "total", 0, d.name or unit_name
            if d.name == unit_name:
                d.texts.pop("unit_name", None)
        elif not d.name and unit_name:
            d.name = unit_name
            d.texts.pop("unit_name", None)
            uc = d.texts.get("unit_code", "")
            d.role = "unit" if _is_unit(ctx, uc, unit_name) else "subtotal"
            if uc:
                d.code = uc
                d.texts.pop("unit_code", None)
        if not d.name and not any(v.cell and v.cell.text for v in d.vcells):
            continue
        out.append(d)
    return out


# ------------------------------------------------------------------------------- figures

_validate_row = Row.__pydantic_validator__.validate_python
"""``Row.model_validate`` without its Python-level wrapper (called once per table row)."""


def finish_rows(drafts: list[Draft], kind: str, ctx: Ctx, table_label: str, styled_figures: bool = True) -> list[Row]:
    """Read every value cell under the table's style, realign shifted rows, build rows.

    ``styled_figures=False`` (performance tables: scores, weights and counts are small whole
    numbers) reads every figure as printed, with no off-style noise policy.
    """
    printed: list[tuple[str, str]] = []
    style = NO_STYLE
    if styled_figures:
        printed = [(v.key, v.cell.text) for d in drafts for v in d.vcells if v.cell is not None and v.cell.text]
        style = style_of([t for _, t in printed], ctx.style)
    # columns that hold figures: some printed in the table's style, or printed in most rows (a
    # column cut at the page edge prints "0.", "0.0" all the way down) -- a bare "0" there is a cut
    # zero, in an otherwise empty column a stray mark
    # (only a strict style reads a cell differently by its column: else this is not worked out)
    styled: set[str] = set()
    if style.strict:
        filled: dict[str, int] = {}
        for key, text in printed:
            filled[key] = filled.get(key, 0) + 1
            if key not in styled:
                p = parse_number(text)
                if p is not None and p.decimals == style.decimals:
                    styled.add(key)
        busy = max(filled.values(), default=0)
        styled.update(key for key, n in filled.items() if n >= 3 and n * 2 >= busy)
    realign_rows(drafts, kind, ctx, table_label, style)
    line_of = ctx.src.line_of
    line_starts = ctx.src.line_starts
    n_lines = len(line_starts)
    rows = []
    for d in drafts:
        r = d.row
        # most cells lie on their row's line: it is looked up once per row, not per cell
        if r is not None:
            row_line = r.line  # the line of the row's start
            line_a = r.start
            line_b = line_starts[row_line] if row_line < n_lines else len(ctx.src.text) + 1
        else:
            row_line = line_a = line_b = 0
        values: dict[str, Decimal | None] = {}
        # each row is validated in one call, its spans given as data: pydantic builds the nested
        # Span objects far faster than one Span(...) call each
        cells: dict[str, dict[str, int]] = {}
        for v in d.vcells:
            key = v.key
            cell = v.cell
            if values.get(key) is not None:
                continue
            if cell is None or not cell.text:
                values.setdefault(key, None)
                continue
            cv = read_value(cell.text, style, key in styled)
            values[key] = cv.value
            if cv.value is not None:
                at = cell.start
                cells[key] = {"start": at, "end": cell.end, "line": row_line if line_a <= at < line_b else line_of(at)}
            if cv.repair:
                ctx.repairs.append(
                    Repair(
                        span=ctx.span(cell.start, cell.end),
                        original=cell.raw,
                        value=cv.value,
                        reason=cv.repair,
                        kind=cv.kind,
                        ref=f"{table_label}/{d.name or d.code or ''}/{key}",
                    )
                )
        for c in d.extra:
            ctx.notices.append(
                Notice(
                    code="extra_cell",
                    message=f"{table_label}: a cell {c.raw!r} beyond the last column",
                    span=ctx.span(c.start, c.end),
                )
            )
        if not d.name and not d.code and not d.texts and all(v is None for v in values.values()):
            continue  # nothing left once debris is dropped
        rows.append(
            _validate_row(
                {
                    "code": d.code,
                    "name": d.name,
                    "side": d.side,
                    "role": d.role,
                    "level": d.level,
                    "category": d.category,
                    "values": values,
                    "texts": d.texts,
                    "span": {"start": r.start, "end": r.end, "line": row_line} if r is not None else None,
                    "cells": cells,
                }
            )
        )
    return rows
