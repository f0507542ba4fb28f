"""Rules extraction of one table block into a :class:`~fiscal_extract.models.Table`.

Layouts (see ``catalog/data/tables.toml``): two-sided overviews, classified tables (rows keyed
by functional / economic / unit codes), the grouped final-accounts basic-expenditure table,
"三公", projects, procurement, and performance tables (:mod:`perf`).
"""

from __future__ import annotations

from decimal import Decimal

from ..catalog import Catalog, reading_kind
from ..models import Column, Notice, Repair, Table
from ..read.grid import Grid, GridRow
from ..read.numbers import parse_number
from ..read.segment import TableBlock, _is_meta_row, _norm_row, _unit_patterns
from .classified import classified_rows
from .draft import Ctx, Draft, Part, clean_name
from .flat import flat_rows
from .grouped import grouped_rows, is_grouped
from .header import Col, Columns, build_columns, is_data_row, is_numbering_row, looks_like_header
from .procurement import procurement_rows
from .project import project_rows
from .rows import finish_rows
from .two_sided import two_sided_rows

# ------------------------------------------------------------------------------- parts


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
        while j < len(rows) and (_norm_row(cat, rows[j]) in keys or is_numbering_row(rows[j])
                                 or _near_repeat(cat, rows[j], head)):
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


def _near_repeat(cat: Catalog, row: GridRow, head: list[GridRow]) -> bool:
    """A header row repeated with a word or two read differently (OCR on another page): no data
    row, and most of its labels those of a first-page header row printed in the same places."""
    cells = [cat.norm(c.text) for c in row.cells]
    filled = sum(1 for c in cells if c)
    if filled < 3 or is_data_row(cat, row):
        return False
    for h in head:
        theirs = [cat.norm(c.text) for c in h.cells]
        if sum(1 for c in theirs if c) != filled:
            continue
        same = sum(1 for a, b in zip(cells, theirs, strict=False) if a and a == b)
        if 2 * same > filled:
            return True
    return False


# ------------------------------------------------------------------------------- entry


def parse_tables(block: TableBlock, ctx: Ctx) -> list[Table]:
    """The tables of one block: one, except where a performance form's pages run on into the next
    form's continuation page printed without a title (rows after its 总分)."""
    table = parse_table(block, ctx)
    if ctx.cat.layout_of(table.kind) == "performance":
        from .perf_forms import split_forms

        return split_forms(table, ctx)
    return [table]


def parse_table(block: TableBlock, ctx: Ctx) -> Table:
    cat = ctx.cat
    if not block.parts:
        return _printed_no_rows(block, ctx)
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
    _take_reader_notes(block, kind, ctx)
    title = _title_text(ctx, block)
    unit = _table_unit(ctx, block, first_part)
    with reading_kind(kind):  # aliases a profile limits to some kinds answer for this table's
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


def _printed_no_rows(block: TableBlock, ctx: Ctx) -> Table:
    """A table printed as its title, header and (often) a note saying it has no data, no rows."""
    kind = block.match.kind if block.match else "other"
    block.kind = kind
    title = _title_text(ctx, block)
    span = ctx.span(block.start, max(block.end, block.start))
    if not any(ctx.cat.is_empty_note(n.text) for n in block.notes):
        ctx.notices.append(
            Notice(
                code="table_without_rows",
                message=f"{title or kind}: the title and the header are printed, then the next table's title, "
                "with no row and no note saying the table is empty; read as empty -- check it against the document",
                span=span,
            )
        )
    return Table(
        kind=kind,  # type: ignore[arg-type]
        title=title,
        unit=ctx.unit,  # type: ignore[arg-type]
        empty=True,
        span=span,
        notes=[n.text for n in block.notes],
        parts=0,
    )


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
    grouped = layout == "classified" and is_grouped(cat, first_part.header)
    noted: set[int] = set()
    parts = [first_part] + [split_part(cat, g, first_part.header, layout) for g in block.parts[1:]]
    for n, (grid, part, columns) in enumerate(zip(block.parts, parts, _part_columns(cat, block, parts, layout),
                                                  strict=True)):
        if n == 0 and not part.header:
            ctx.notices.append(
                Notice(
                    code="no_header",
                    message=f"{title or kind}: no header rows found",
                    span=ctx.span(grid.start, grid.end),
                )
            )
        _note_unmapped(columns, part.data, ctx, title or kind, noted)
        if grouped:
            drafts += grouped_rows(part, ctx)
        elif layout == "two_sided":
            drafts += two_sided_rows(part.data, columns, ctx)
        elif layout == "three_public":
            drafts += flat_rows(part.data, columns, ctx, "three_public")
        elif layout == "project":
            drafts += project_rows(part.data, columns, ctx, first=not drafts)
        elif layout == "procurement":
            drafts += procurement_rows(part.data, columns, ctx)
        else:
            drafts += classified_rows(part.data, columns, ctx, kind)
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


def _part_columns(cat: Catalog, block: TableBlock, parts: list[Part], layout: str) -> list[list[Col]]:
    """The columns of every part: from its own header, or -- a part printed without one -- those
    of the part before it.  One table's header repeated on every page can be read differently on
    each (OCR garbles a word on one page, another on the next): a repeat of the header as wide as
    a better-read one takes that one's columns (:func:`_header_score`), for every part alike."""
    out: list[list[Col]] = []
    own: list[bool] = []
    columns: list[Col] | None = None
    for grid, part in zip(block.parts, parts, strict=True):
        width = max([len(r.cells) for r in part.header + part.data] or [0])
        if part.header or columns is None:
            columns = build_columns(cat, part.header or parts[0].header, layout, width)
            if part.header and grid.extra.get("keys"):
                _planned_keys(columns, grid.extra["keys"])  # type: ignore[arg-type]
        elif len(columns) < width:
            columns = Columns(columns + [Col(i, ()) for i in range(len(columns), width)])
        out.append(columns)
        own.append(bool(part.header))
    best: dict[int, list[Col]] = {}
    for cols, mine in zip(out, own, strict=True):
        if mine and (len(cols) not in best or _header_score(cols) > _header_score(best[len(cols)])):
            best[len(cols)] = cols
    swap = {id(cols): best[len(cols)] for cols, mine in zip(out, own, strict=True) if mine}
    return [swap.get(id(cols), cols) for cols in out]


def _header_score(columns: list[Col]) -> tuple[bool, int]:
    """How well a header was read: not garbled (two columns under one key), then how many
    distinct value keys it names (not guessed)."""
    keys = {(c.key, c.side) for c in columns if c.role == "value" and c.key and not c.guessed}
    return not getattr(columns, "garbled", False), len(keys)


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


def _take_reader_notes(block: TableBlock, kind: str, ctx: Ctx) -> None:
    """What a reader of PDF text left on its grids: rows printed with empty cells dropped (placed
    later by arithmetic), the figures it rejoined or cut (repairs) and how it rebuilt the header
    (notices)."""
    ctx.packed = set().union(*(g.extra.get("packed", ()) for g in block.parts))  # type: ignore[arg-type]
    for g in block.parts:
        for a, b, printed, read, reason in g.extra.get("repairs", ()):  # type: ignore[attr-defined]
            ctx.repairs.append(
                Repair(
                    span=ctx.span(a, b),
                    original=printed,
                    value=Decimal(read.replace(",", "").rstrip("%")),
                    reason=reason,
                    ref=block.title or kind,
                )
            )
        for note in g.extra.get("notes", ()):  # type: ignore[attr-defined]
            ctx.notices.append(
                Notice(code="header_rebuilt", message=f"{block.title or kind}: {note}", span=ctx.span(g.start, g.end))
            )


def _planned_keys(columns: list[Col], keys: list[str | None]) -> None:
    """A reader that rebuilt the header by arithmetic (PDF text) names the value columns itself:
    the keys it planned, right-aligned to the columns (label columns come first)."""
    offset = len(columns) - len(keys)
    if offset < 0:
        return
    for col, key in zip(columns[offset:], keys, strict=True):
        if key is None:
            continue
        col.key, col.role = key, "value"
