"""Rebuild a table header from the fragments PDF-library text leaves of it.

Header cells wrap over lines ("对附属单位补助支 / 出"), run together ("上年结转结余一般公共预算") and
print in the order of the header's rows, not of its columns (科目编码 / 科目名称 span two rows and
come last).  The catalog's header words split the text into labels; label columns (code, name)
go first; which value label names which column is the reading order where the table's identities
hold on the rows that print every column, else the order and selection that makes most of them
hold.

Comes in: header text, the number of value columns, the full rows' amounts.  Goes out:
:class:`HeaderPlan`.  May import: ``catalog``, ``numbers``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import combinations, permutations
from math import comb

from ..catalog import Catalog, Identity
from .header_scores import _numeric, _score
from .pdftext_columns import Item, column_orders, leads_with_banner
from .pdftext_labels import _LABEL_ROLES, label_spec

# ------------------------------------------------------------------------------- header

@dataclass
class HeaderPlan:
    labels: list[str]
    """Label column texts (code, name ...), left to right."""
    values: list[str | None]
    """One header label per value column, left to right (``None``: a column no label names)."""
    keys: list[str | None]
    notes: list[str] = field(default_factory=list)


def plan_header(
    cat: Catalog, layout: str, kind: str | None, labels: list[str], width: int, full_rows: list[list[str]]
) -> HeaderPlan:
    """Which label names which of ``width`` value columns (:func:`_plan_header`).  Header words the
    catalog does not know are not lost: columns left unnamed after the last named one take the
    unknown words printed after the last known value label (a run of fragments joined), when
    they are as many; otherwise the note quotes them.  Such a column keeps no key (its figures are
    reported unmapped, with the printed text, for onboarding to name)."""
    plan = _plan_header(cat, layout, kind, labels, width, full_rows)
    if None not in plan.values or layout == "two_sided":
        return plan
    runs, trailing = _unknown_runs(cat, layout, labels, {v for v in plan.values if v is not None})
    if not runs:
        return plan
    last = max((i for i, k in enumerate(plan.keys) if k is not None), default=-1)
    open_ = [i for i in range(last + 1, len(plan.values)) if plan.values[i] is None]
    if trailing and len(open_) == len(trailing) == len(plan.values) - last - 1:
        for i, text in zip(open_, trailing, strict=True):
            plan.values[i] = text
    else:
        plan.notes.append("header words the catalog does not know: " + ", ".join(runs))
    return plan


def _unknown_runs(cat: Catalog, layout: str, labels: list[str], placed: set[str]) -> tuple[list[str], list[str]]:
    """Header words that name no column of the plan (``placed``: the labels that do), fragments cut
    at a separator joined (``上年结余`` + ``、结转``), in reading order; and those printed after the
    last label that names a column."""
    runs: list[str] = []
    trailing: list[str] = []
    prev = -2
    for at, lab in enumerate(labels):
        if lab in placed:
            trailing, prev = [], -2
            continue
        n = cat.norm(lab)
        spec = label_spec(cat, lab, layout)
        if (spec is not None and spec.role != "value") or n in cat.banner_words or n in cat.group_total_words:
            prev = -2
            continue
        glue = re.fullmatch(r"[、，,/]+", lab) is not None  # a separator wrapped onto a line of its own
        if not glue and (len(n) < 2 or _YEAR.match(lab.strip()) or not re.search(r"[\u4e00-\u9fff]", lab)
                         or lab[:1] in "(（"):
            prev = -2
            continue
        if at == prev + 1 and runs and (glue or lab[:1] in "、，," or runs[-1][-1:] in "、，,"):
            runs[-1] += lab
            if trailing:
                trailing[-1] += lab
        elif not glue:
            runs.append(lab)
            trailing.append(lab)
        prev = at
    return runs, trailing


def _plan_header(
    cat: Catalog, layout: str, kind: str | None, labels: list[str], width: int, full_rows: list[list[str]]
) -> HeaderPlan:
    """Which label names which of ``width`` value columns.

    ``labels`` are the header's labels in reading order; ``full_rows`` the amounts (as text) of
    rows that print every column.  Label columns (code, name) go first.  Value labels are taken
    in reading order when they are as many as the columns and the table's identities hold (or
    cannot be tested); otherwise the selection and order of value labels that makes the most
    identities hold on the full rows wins, the reading order deciding ties.
    """
    full_rows = _numeric(full_rows)  # type: ignore[assignment]
    labels = _nest_of_which(cat, layout, _drop_periods(cat, layout, labels))
    label_cols: list[str] = []
    values: list[tuple[str, str]] = []  # (label, key)
    items: list[Item] = []  # the header's value, 小计 and scope labels in reading order
    for lab in labels:
        if cat.norm(lab) in cat.banner_words:
            continue
        if cat.norm(lab) in cat.group_total_words and (cat.norm(lab) == cat.norm("小计") or values):
            # a group's own column (小计 -- or 合计 under a group label), or the table's total
            values.append((lab, "total"))
            items.append(Item(lab, "total", "sub"))
            continue
        scope = cat.scope(lab, layout)
        if scope is not None and scope.prefix is not None and not scope.label_scope:
            items.append(Item(lab, None, "scope", scope.prefix))
            continue
        spec = label_spec(cat, lab, layout)
        if spec is None:
            continue
        if spec.role in _LABEL_ROLES:
            if lab not in label_cols:
                label_cols.append(lab)
            continue
        if spec.role == "value" and spec.key:
            values.append((lab, spec.key))
            items.append(Item(lab, spec.key, "value"))
    # a paired scope (预算数 | 决算数) printed without its pair is a banner over the columns
    paired = {it.label for it in items if it.kind == "scope" and (sc := cat.scope(it.label, layout)) and sc.paired}
    if len({cat.norm(x) for x in paired}) == 1:
        items = [it for it in items if it.label not in paired]
    # a code printed apart in 类 / 款 / 项 columns is one token in PDF text: one code column
    parts = [lab for lab in label_cols if (sp := label_spec(cat, lab, layout)) is not None and sp.role == "code_part"]
    if parts:
        has_code = any((sp := label_spec(cat, lab, layout)) is not None and sp.role == "code" for lab in label_cols)
        label_cols = [lab for lab in label_cols if lab not in parts]
        if not has_code:
            label_cols.insert(0, "科目编码")
    notes: list[str] = []
    # the identities of the table's kind; of every kind while the kind is not known (they judge
    # which label names which column, and an identity over keys the table lacks never applies)
    ids = cat.identities_for(kind) if kind else list({i.id: i for i in cat.identities}.values())
    present = {k for _, k in values} | {"total"}
    ids = [i for i in ids if i.lhs in present and any(k in present for _, k in i.terms)] or ids
    orders = column_orders(items, ids)
    if orders:
        # the printed order of the top-level labels, unless another order fits the arithmetic better
        # with no row printing every column to judge by, a reading whose total column comes first
        # (合计 | ... printed below a group label read before it; 总计 after a group label of the
        # row above: 基本支出 over 人员支出 | 日常公用支出) is preferred -- and so it is wherever
        # the arithmetic cannot tell and a banner reads first (财政拨款 printed above a
        # row-spanning 总计 reads before it)
        any_total_first = any(o and o[0][1] == "total" for o in orders)
        lead = 1 if any_total_first and (not full_rows or leads_with_banner(items, ids)) else 0
        ordered = min(
            enumerate(orders),
            key=lambda io: (
                _net(ids, [k for _, k in io[1]], full_rows) if len(io[1]) == width else 1,
                0 if (io[1] and io[1][0][1] == "total") or "total" not in {k for _, k in io[1]} else lead,
                io[0],
            ),
        )[1]
        values = _dedupe(cat, layout, ordered)
    else:
        values = _expand_groups(cat, values, ids)
    if len(values) == width and not full_rows:
        return HeaderPlan(label_cols, [lab for lab, _ in values], [k for _, k in values], notes)
    best: tuple[tuple[int, ...], list[tuple[str, str]]] | None = None
    rivals: list[tuple[tuple[int, ...], list[tuple[str, str]]]] = []
    pick = min(len(values), width)
    if not values or not width:
        subsets: list[tuple[int, ...]] = []
    elif comb(len(values), pick) > 400:
        subsets = [tuple(range(len(values) - pick, len(values))), tuple(range(pick))]
    else:
        subsets = list(combinations(range(len(values)), pick))
    # every subset in printed order first; the columns re-ordered (a multi-row header read row by
    # row) only for the few subsets that fit best and not fully -- a bounded search
    scored: list[tuple[int, tuple[int, ...]]] = []
    counted: dict[tuple[object, ...], tuple[int, int]] = {}
    for subset in subsets:
        keys = [values[i][1] for i in subset]
        if len(set(keys)) != len(keys):
            continue
        held, failed = _score(ids, keys, full_rows, counted)
        scored.append((2 * failed - held, subset))
    scored.sort()
    often = set(cat.often_empty.get(layout, ()))
    for n_sub, (score, subset) in enumerate(scored):
        chosen = [values[i] for i in subset]
        keys = [k for _, k in chosen]
        # a label left out is best a banner over others (a group whose parts are printed), else
        # the last: columns empty in every row (dropped by the PDF text) are most often the last
        dropped = [i for i in range(len(values)) if i not in subset]
        banner = sum(0 if _is_group(cat, values[i], values, ids) else 1 for i in dropped)
        fits = score < 0 and _score(ids, keys, full_rows, counted)[1] == 0
        permute = pick <= 6 and not fits and n_sub < 3 and full_rows
        orders = permutations(range(pick)) if permute else [tuple(range(pick))]
        for order in orders:
            cand = [chosen[i] for i in order]
            held, failed = _score(ids, [k for _, k in cand], full_rows, counted) if permute else (0, 0)
            cand_score = 2 * failed - held if permute else score
            inversions = sum(1 for x in range(pick) for y in range(x + 1, pick) if order[x] > order[y])
            # every table has a total column: a tie is read with one (一般公共预算 | 合计 ...)
            no_total = 0 if any(k == "total" for k in keys) else 1
            # identities that fail count double against those that hold: one row the document
            # itself got wrong must not turn a reading that fits every other row
            # of readings the arithmetic cannot tell apart, the one leaving empty the columns most
            # often empty (catalog: often_empty)
            filled = sum(1 for _lab, k in cand if k in often)
            rank = (cand_score, inversions, banner, no_total, filled, -sum(dropped), 0)
            if best is None or rank < best[0]:
                best = (rank, cand)
            if rank[:4] == (best[0][:4] if best else None) and cand is not best[1]:
                rivals.append((rank, cand))
    if best is None or (best[0][0] > 0 and full_rows):
        # no reading of the labels fits the arithmetic: place the labels the identities speak of
        # (each key once, where it is printed last: the lowest header row) where they hold
        last: dict[str, tuple[int, str]] = {}
        used = {k for i in ids for k in (i.lhs, *(t for _, t in i.terms))}
        for at, (lab, key) in enumerate(values):
            if key in used:
                last[key] = (at, lab)
        core = [(lab, key) for key, (_at, lab) in sorted(last.items(), key=lambda kv: kv[1][0])]
        placed = _place_among(ids, core, width, full_rows) if len(core) < width else None
        if placed is not None:
            notes.append(
                "the header's labels do not fit the columns as printed; "
                + ", ".join(lab for lab, _ in core)
                + " placed where the table's identities hold, the other columns are not named"
            )
            return HeaderPlan(label_cols, placed[0], placed[1], notes)
    if best is None and width == 1 and layout != "two_sided":
        notes.append("one column of figures under a header the catalog cannot name: read as the table's amount (total)")
        return HeaderPlan(label_cols, [values[-1][0] if values else None], ["total"], notes)
    if best is None:
        notes.append(f"no header label names the {width} value columns")
        return HeaderPlan(label_cols, [None] * width, [None] * width, notes)
    cand = best[1]
    others = {tuple(k for _, k in c) for r, c in rivals if r[:4] == best[0][:4]} - {tuple(k for _, k in cand)}
    if others:
        notes.append(
            "the arithmetic fits more than one reading of the header: read as "
            + " | ".join(lab for lab, _ in cand)
            + "; also possible: "
            + "; ".join(" | ".join(o) for o in sorted(others)[:3])
            + " (the columns the table leaves empty in every row cannot be told apart)"
        )
    vals: list[str | None] = [lab for lab, _ in cand]
    keys: list[str | None] = [k for _, k in cand]
    if len(vals) < width:
        placed = _place_among(ids, cand, width, full_rows)
        if placed is not None:
            vals, keys = placed
            notes.append(
                f"{width} value columns but only {len(cand)} header labels the catalog knows "
                f"({', '.join(lab for lab, _ in cand)}): placed where the table's identities hold; "
                "the other columns are not named"
            )
        else:
            notes.append(
                f"{width} value columns but only {len(vals)} header labels could be placed "
                f"({', '.join(v or '?' for v in vals)}): the columns to their right are not named"
            )
            vals += [None] * (width - len(vals))
            keys += [None] * (width - len(keys))
    elif [lab for lab, _ in cand] != [lab for lab, _ in values]:
        notes.append(
            "header rebuilt from its fragments: value columns "
            + " | ".join(f"{lab}" for lab, _ in cand)
            + " (the reading order of a multi-row header, settled by the table's identities)"
        )
    return HeaderPlan(label_cols, vals, keys, notes)


_YEAR = re.compile(r"^(?:20\d\d\s*年?度?|年度?)$")


def _drop_periods(cat: Catalog, layout: str, labels: list[str]) -> list[str]:
    """Leave out the value labels a year qualifies ("2025 年执行数", "2026 年预算数比 2025 年执行数")
    when value labels with no year follow them: the year names a period printed over the header's
    lower row (执行数 | 扣除…后执行数 under 2025 年执行数), not a column of its own.  A header whose
    value labels all carry the year (项目 | 2026 年预算数) keeps them."""

    def is_value(lab: str) -> bool:
        spec = label_spec(cat, lab, layout)
        return (spec is not None and spec.role == "value") or cat.norm(lab) in cat.subtotal_words

    dated = [
        i
        for i, lab in enumerate(labels)
        if i
        and _YEAR.match(labels[i - 1].strip())
        and any(ch.isdigit() for ch in "".join(labels[max(0, i - 2) : i]))
        and is_value(lab)
    ]
    if not dated:
        return labels
    last = dated[-1]
    if not any(is_value(lab) for lab in labels[last + 1 :]):
        return labels
    drop = set(dated)
    return [lab for i, lab in enumerate(labels) if i not in drop]


def _nest_of_which(cat: Catalog, layout: str, labels: list[str]) -> list[str]:
    """A group's 小计 and its "of which" column printed on the header row below the group's label
    (一般公共预算 over 小计 | 其中：财政拨款), so read after every label of the row above: the part goes
    right after its group (the part's whole, checks.toml ``of_which_columns``), whose own column is
    the 小计 below it."""
    whole_of = cat.checks.get("of_which_columns", {})
    specs = [label_spec(cat, lab, layout) for lab in labels]
    keys = [sp.key if sp is not None and sp.role == "value" else None for sp in specs]
    for i in range(len(labels) - 1):
        whole = whole_of.get(keys[i + 1] or "") if cat.norm(labels[i]) in cat.group_total_words else None
        at = next((k for k in range(i) if keys[k] == whole), None) if whole else None
        if at is None or at == i - 1:
            continue
        out = [x for k, x in enumerate(labels) if k not in (i, i + 1)]
        out.insert(at + 1, labels[i + 1])
        return out
    return labels


def _place_among(
    ids: list[Identity], cand: list[tuple[str, str]], width: int, full_rows: list[list[str]]
) -> tuple[list[str | None], list[str | None]] | None:
    """Known labels among more columns than they name (the header's other labels unknown to the
    catalog): the positions, in printed order, where the table's identities hold best -- only
    when some identity holds there and no other placement does as well."""
    n = len(cand)
    keyset = {k for _, k in cand}
    ids = [i for i in ids if i.lhs in keyset and any(k in keyset for _, k in i.terms)]
    full_rows = full_rows[:6]
    if not full_rows or not ids or n < 2:
        return None
    if comb(width, n) > 300:
        return None
    spots = list(combinations(range(width), n))
    scored = []
    for pos in spots:
        keys = [f"_{i}" for i in range(width)]
        for (_lab, key), p in zip(cand, pos, strict=True):
            keys[p] = key
        held, failed = _score(ids, keys, full_rows)
        scored.append((2 * failed - held, pos))
    scored.sort()
    best_score, best_pos = scored[0]
    if best_score >= 0 or (len(scored) > 1 and scored[1][0] == best_score and _differ(scored, best_score)):
        return None
    vals: list[str | None] = [None] * width
    keys_out: list[str | None] = [None] * width
    for (lab, key), p in zip(cand, best_pos, strict=True):
        vals[p], keys_out[p] = lab, key
    return vals, keys_out


def _differ(scored: list[tuple[int, tuple[int, ...]]], best: int) -> bool:
    """Whether placements as good as the best put the labels in different columns."""
    return len({pos for s, pos in scored if s == best}) > 1


def ids_any(cat: Catalog, kind: str | None) -> list[Identity]:
    """The identities of a kind, or of every kind while the kind is not known."""
    return cat.identities_for(kind) if kind else list({i.id: i for i in cat.identities}.values())


def _sums(key: str | None, ids: list[Identity]) -> bool:
    """Whether a key is the sum of others by some identity (a group with parts of its own)."""
    return any(i.lhs == key for i in ids)


def _dedupe(cat: Catalog, layout: str, values: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """A key printed twice with no scope to tell them apart: the repeat is the carry-over group
    the catalog names for the layout (``repeat_prefix``), unless the catalog names the repeat of
    that key (``repeat_key``)."""
    prefix = cat.repeat_prefix.get(layout, "carryover_")
    outer = cat.outer_prefix.get(layout)
    if outer:
        # the first of a key printed twice is the total outside the group with its own total
        keys = [k for _, k in values]
        return [
            (lab, outer + key if keys.count(key) > 1 and keys.index(key) == i else key)
            for i, (lab, key) in enumerate(values)
        ]
    seen: set[str] = set()
    out = []
    for lab, key in values:
        if key in seen and cat.repeat_key.get(key) and cat.repeat_key[key] not in seen:
            key = cat.repeat_key[key]
        elif key in seen and not key.startswith(prefix):
            key = prefix + key
        seen.add(key)
        out.append((lab, key))
    return out


def _expand_groups(cat: Catalog, values: list[tuple[str, str]], ids: list[Identity]) -> list[tuple[str, str]]:
    """Put a multi-row header's labels in column order.  Read row by row, a group label
    (基本支出, whose parts 人员经费 / 公用经费 are among the labels) comes before the labels of the
    rows below it; in the columns, its own 小计 column and its parts sit where it is printed.
    A group with no 小计 under it has no column of its own (a banner)."""
    keys = [k for _, k in values]
    consumed: set[int] = set()
    out: list[tuple[str, str]] = []
    for i, (lab, key) in enumerate(values):
        if i in consumed:
            continue
        parts = next(
            (
                {k for _, k in idn.terms}
                for idn in ids
                if idn.lhs == key and sum(1 for _, k in idn.terms if k in keys[i + 1 :]) >= 2
            ),
            None,
        )
        if parts is None:
            out.append((lab, key))
            continue
        nxt = next((k for j, (_l, k) in enumerate(values) if j > i and j not in consumed), None)
        sub = next(
            (
                j
                for j in range(i + 1, len(values))
                if j not in consumed and cat.norm(values[j][0]) in cat.group_total_words
            ),
            None,
        )
        if nxt in parts and sub is None:
            out.append((lab, key))  # a total printed beside its parts (合计 | 基本支出 | 项目支出)
            continue
        sub = next(
            (
                j
                for j in range(i + 1, len(values))
                if j not in consumed and cat.norm(values[j][0]) in cat.group_total_words
            ),
            None,
        )
        if sub is not None:
            out.append((values[sub][0], key))
            consumed.add(sub)
        for j in range(i + 1, len(values)):
            if j not in consumed and values[j][1] in parts:
                out.append(values[j])
                consumed.add(j)
    return out


def _is_group(cat: Catalog, label: tuple[str, str], values: list[tuple[str, str]], ids: list[Identity]) -> bool:
    """A value label that heads others printed under it (a banner): its key is the left side of
    an identity whose right-side keys are among the header's labels (基本支出 over 人员经费 /
    公用经费) -- unless its parts are printed right beside it (合计 | 基本支出 | 项目支出: a column)."""
    keys = {k for _, k in values}
    parts = next(
        ({k for _, k in i.terms} for i in ids if i.lhs == label[1] and sum(1 for _, k in i.terms if k in keys) >= 2),
        None,
    )
    if parts is None:
        return False
    at = values.index(label) if label in values else -1
    nxt = values[at + 1][1] if 0 <= at < len(values) - 1 else None
    return nxt not in parts


def _net(ids: list[Identity], keys: list[str], full_rows: list[list[Decimal | None]]) -> int:
    """Failed identities (counted double) less those that hold: lower fits better."""
    held, failed = _score(ids, keys, full_rows)
    return 2 * failed - held
