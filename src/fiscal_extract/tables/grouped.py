"""The grouped layout: the final-accounts basic-expenditure table printed as three column groups,
read into one row per economic code."""

from __future__ import annotations

from ..catalog import Catalog
from ..read.grid import GridRow
from .draft import Ctx, Draft, Part, VCell, clean_name
from .header import is_label_text

# ------------------------------------------------------------------------------- grouped (公开06)


def is_grouped(cat: Catalog, header: list[GridRow]) -> bool:
    for r in header:
        labels = [cat.norm(c.text) for c in r.cells if c.text]
        if (
            labels.count("科目代码") + labels.count("科目编码") >= 2
            and labels.count("决算数") + labels.count("预算数") >= 2
        ):
            return True
    return False


def grouped_rows(part: Part, ctx: Ctx) -> list[Draft]:
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
