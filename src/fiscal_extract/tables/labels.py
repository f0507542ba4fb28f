"""The label side of a row: codes (类/款/项 joined), names, roles (total, unit, group, item), levels.

Shared by every layout module."""

from __future__ import annotations

import re
from functools import lru_cache

from ..caching import TEXT_CACHE
from ..fold import fold
from ..read.grid import Cell
from .draft import Ctx, Draft, clean_name
from .header import Col, is_label_text


@lru_cache(maxsize=TEXT_CACHE)
def numbered_level(name: str) -> int:
    """The level a name's numbering gives: 2 for "（一）" and "其中：", else 1 ("一、" or none)."""
    m = NUMBERED.match(fold_text(name))
    return 2 if m and "、" not in m.group(0) else 1

CODE = re.compile(r"^[0-9A-Z]{2,24}$")
PROJECT_CODE = re.compile(r"^\d{6,}[0-9A-Z]*\d+$|^\d{4,}[A-Z]\d{6,}$")
BRACKET_CODE = re.compile(r"^\[(\d{3,7})\]")
NUMBERED = re.compile(r"^(?:[一二三四五六七八九十廿]+、|[(（][一二三四五六七八九十廿]+[)）]|其中[:：])")


def fold_text(s: str) -> str:
    return fold(s).strip()


@lru_cache(maxsize=TEXT_CACHE)
def code_of(text: str) -> str | None:
    """The classification or project code a label cell prints (spaces dropped), else None."""
    t = text.replace(" ", "")
    return t if CODE.match(t) and (t.isdigit() or PROJECT_CODE.match(t)) else None


def fill_labels(d: Draft, cells: list[Cell], by_index: dict[int, Col], ctx: Ctx) -> None:
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
        code = code_of(c.text)
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
        d.code = join_code(codes)
    if gov_codes:
        d.texts["gov_code"] = join_code(gov_codes)


def value_cols(columns: list[Col], side: str | None = None) -> list[Col]:
    return [c for c in columns if c.role == "value" and c.key and (side is None or c.side == side)]


# ------------------------------------------------------------------------------- labels


def label_tokens(cells: list[Cell]) -> list[tuple[str, Cell]]:
    """Non-empty label cells as ("code" | "text" | "junk", cell)."""
    out = []
    for c in cells:
        t = c.text
        if not t:
            continue
        if CODE.match(t.replace(" ", "")):
            out.append(("code", c))
        elif is_label_text(t):
            out.append(("text", c))
        else:
            out.append(("junk", c))
    return out


def join_code(parts: list[str]) -> str:
    parts = [p.replace(" ", "") for p in parts]
    if len(parts) > 1 and len(parts[0]) == 3 and all(len(p) == 2 for p in parts[1:]):
        return "".join(parts)
    return "".join(parts) if all(p.isdigit() for p in parts) and len(parts) > 1 and len(parts[0]) == 3 else parts[0]


def role_from_label(ctx: Ctx, d: Draft) -> None:
    """Fill role / level / category from the code and name."""
    cat = ctx.cat
    role, category = cat.row_label(d.name) if d.name else (None, None)
    if category:
        d.category = category
    if role and not d.code:
        d.role, d.level = role, 0
        return
    if not d.code and d.name and ctx.department and d.name == clean_name(ctx.department):
        # the department's own row printed without a unit code (深圳市审计局 | 10,737.69 ...)
        d.role = "unit"
        return
    if d.code:
        system = cat.code_system(d.code)
        if system:
            d.level = {3: 1, 5: 2, 7: 3}[len(d.code)]
            d.role = "item"
            return
        if is_unit(ctx, d.code, d.name):
            d.role = "unit"
            return
    if role:
        d.role, d.level = role, 0


def is_unit(ctx: Ctx, code: str, name: str) -> bool:
    if not code.isdigit():
        return False
    dep = ctx.department
    if dep and name and (name.startswith(dep[:6]) or dep.startswith(name[:6])):
        return True
    return len(code) in (3, 6, 9) and ctx.cat.code_system(code) is None
