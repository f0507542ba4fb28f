"""The column order of a multi-row header that PDF text printed row by row.

A header such as ::

    合计 | 基本支出                          | 项目支出
         | 小计 | 人员经费      | 公用经费      | 小计 | 其他运转类 | 特定目标类
         |      | 工资 | 对个人 | 商品 | 资本性 |

comes out of a PDF library one header row after the other: 合计 基本支出 项目支出 小计 人员经费
公用经费 小计 其他运转类 特定目标类 工资福利支出 对个人和家庭的补助 商品和服务支出 资本性支出.  The
columns are rebuilt breadth first, the way the header was drawn: the first row's labels are the
top level; a *banner* (a label whose parts, by the table's identities, are printed later but not
right beside it -- 基本支出 over 人员经费 / 公用经费) takes the labels that follow, in order: its own
小计 column if one is printed, then its parts; banners found among them take theirs from the next
row.  A *scope* (本年收入 / 上年结转结余) takes one of as many identical blocks as there are
scopes side by side, and prefixes its figures' keys (``carryover_``).  The columns are the
leaves, depth first.

Comes in: the header's items in reading order.  Goes out: ``(label, key)`` per column.  May
import: ``catalog``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import permutations

from ..catalog import Identity


@dataclass
class Item:
    label: str
    key: str | None
    """The value key (``None`` for a scope)."""
    kind: str
    """``value``, ``sub`` (小计: a banner's own column) or ``scope``."""
    prefix: str = ""
    """A scope's key prefix."""


@dataclass
class _Node:
    item: Item
    children: list[_Node] = field(default_factory=list)
    own: Item | None = None
    """The banner's own column (its 小计), if printed."""
    before: list[Item] = field(default_factory=list)
    """Columns printed between this banner's parts and the group before it (a label spanning
    the header's rows: 财政专户管理资金 between 财政拨款's and 单位资金's parts)."""


def column_order(items: list[Item], ids: list[Identity]) -> list[tuple[str, str]] | None:
    """The columns ``(label, key)`` left to right, or ``None`` when the header has no banner or
    scope (its reading order is its column order)."""
    tree = _tree(items, ids)
    return _columns(*tree) if tree is not None else None


def _tree(items: list[Item], ids: list[Identity]) -> tuple[list[_Node], list[Item]] | None:
    """The header's top-level nodes (each with the labels below it) and the labels of a lowest
    row no banner took."""
    if not any(_parts(items, i, ids) for i in range(len(items))) and not any(it.kind == "scope" for it in items):
        return None
    n = len(items)
    # the first header row: up to the first 小计, the first part of a banner of this row, the
    # first label printed twice, or the blocks the scopes side by side share
    n_top = _scope_blocks(items)
    top: list[_Node] = []
    banners: list[tuple[_Node, set[str] | None]] = []
    pos = 0
    seen: set[str] = set()
    seen_keys: set[str] = set()
    while pos < n_top:
        it = items[pos]
        if it.label in seen and all(p is not None for _n, p in banners) and (size := _repeat_size(items, pos)):
            # a block of values printed again right beside itself in the first row (增减额 |
            # 增减(%) twice, under two periods the catalog does not name): columns of their own
            top.extend(_Node(x) for x in items[pos : pos + size])
            pos += size
            continue
        if it.kind == "sub" or it.label in seen or (it.key is not None and it.key in seen_keys and banners):
            # (a key printed again after a banner -- 总计 财政拨款 ... 合计 -- is a lower row's:
            # the banner's own column)
            break
        scopes_only = len(top) >= 2 and all(t.item.kind == "scope" for t in top)
        if scopes_only and it.kind != "scope" and _block(items, pos, len(top)):
            break  # scopes alone on the first row (预算数 | 决算数), their identical blocks below
        if any(parts is not None and it.key in parts for _node, parts in banners):
            break
        if any(it.key == node.item.key and _total_below(items, items.index(node.item)) for node, _p in banners):
            break  # the 合计 under a group label over its own total: the next header row starts
        node = _Node(it)
        top.append(node)
        seen.add(it.label)
        if it.key is not None:
            seen_keys.add(it.key)
        if it.kind == "scope":
            banners.append((node, None))
        elif (parts := _parts(items, pos, ids)) is not None:
            banners.append((node, parts))
        pos += 1
    queue = list(banners)
    while queue and pos < n:
        node, parts = queue.pop(0)
        if parts is None:
            # a run of scopes side by side shares the next labels in identical blocks
            run = [node]
            while queue and queue[0][1] is None:
                run.append(queue.pop(0)[0])
            size = _block(items, pos, len(run))
            if size == 0:
                continue
            for k, scope in enumerate(run):
                block = items[pos + k * size : pos + (k + 1) * size]
                for it in block:
                    child = _Node(it)
                    scope.children.append(child)
                    cp = _parts_in(items, it, pos + (k + 1) * size, ids) if it.kind == "value" else None
                    # (a label printed beside its parts in the block -- 合计 | 因公出国(境)费 | 公务
                    # 用车 ... | 公务接待费 -- is a column of its own, no banner over the next row)
                    if cp is not None and not cp & {x.key for x in block if x is not it}:
                        queue.append((child, cp))
            pos += size * len(run)
            continue
        if pos < n and (
            items[pos].kind == "sub"
            or (items[pos].key == "total" and (node.item.key != "total" or _total_below(items, items.index(node.item))))
        ):
            # its own column: 小计, or a 合计 printed under it (财政拨款 / 合计 | 一般公共预算 ...)
            node.own = items[pos]
            pos += 1
        # a column of its own printed before this banner's parts (spanning the header's rows)
        lead = _standalone(items, pos, parts | {node.item.key or ""}, queue, ids)
        if lead:
            node.before = items[pos : pos + lead]
            pos += lead
        # of the identities that sum this banner, the one whose parts are printed next
        if pos < n and items[pos].kind == "value":
            nxt = _parts_with(node.item, items[pos].key, ids)
            parts = nxt if nxt is not None else parts
        while (
            pos < n
            and items[pos].kind == "value"
            and (items[pos].key in parts or (items[pos].key == node.item.key and _repeat(node.item, ids) in parts))
        ):
            it = items[pos]
            if it.key == node.item.key:
                # the group's own label printed again among its parts: the part the catalog names
                it = Item(it.label, _repeat(node.item, ids), it.kind, it.prefix)
            child = _Node(it)
            node.children.append(child)
            if (cp := _parts(items, pos, ids)) is not None:
                queue.append((child, cp))
            pos += 1
    return top, items[pos:]


def column_orders(items: list[Item], ids: list[Identity]) -> list[list[tuple[str, str]]]:
    """:func:`column_order`, and the same columns with the header's top-level labels in every
    other order (a group label printed above the others reads first, wherever its columns are):
    the printed order first.  Empty when the header has no banner or scope."""
    tree = _tree(items, ids)
    if tree is None:
        return []
    top, rest = tree
    out = [_columns(top, rest)]
    if 1 < len(top) <= 5:
        for order in permutations(top):
            if list(order) != top:
                out.append(_columns(list(order), rest))
    return out


def leads_with_banner(items: list[Item], ids: list[Identity]) -> bool:
    """Whether the header's first value label is a banner over others (财政拨款收入 printed above
    a row-spanning 总计 reads before it, though the total is the leftmost column)."""
    first = next((i for i, it in enumerate(items) if it.kind == "value"), None)
    return first is not None and items[first].key != "total" and _parts(items, first, ids) is not None


def _columns(top: list[_Node], rest: list[Item]) -> list[tuple[str, str]]:
    """The leaves of the header's tree, depth first, split by a lowest row repeated under each."""
    out: list[tuple[str, str]] = []
    for node in top:
        _leaves(node, "", out)
    if rest and out and len(rest) % len(out) == 0 and len(rest) > len(out) - 1:
        size = len(rest) // len(out)
        if _block(rest, 0, len(out)) == size and all(it.kind == rest[0].kind for it in rest):
            if rest[0].kind == "scope":
                # the lowest header row repeats its scopes under every column (预算数 | 决算数 under
                # each of 合计, 因公出国(境)费 ...): each column splits into one per scope
                return [(lab, sc.prefix + key) for lab, key in out for sc in rest[:size]]
            if rest[0].kind == "value" and size > 1:
                # ... or its funding sources (一般公共预算 | 政府性基金 | 国有资本经营 under each): the
                # first source keeps the column's key, the others add theirs to it
                return [
                    (lab, key if k == 0 else f"{key}_{sub.key}")
                    for lab, key in out
                    for k, sub in enumerate(rest[:size])
                ]
    for it in rest:  # labels the structure did not place: after the others, as printed
        if it.kind == "value" and it.key:
            out.append((it.label, it.key))
    return out


def _leaves(node: _Node, prefix: str, out: list[tuple[str, str]]) -> None:
    it = node.item
    if it.kind == "scope" and not node.children:
        out.append((it.label, (it.prefix or "current_") + "total"))
        return
    if it.kind == "scope":
        scope_prefix = it.prefix
        for child in node.children:
            if child.item.kind == "sub":
                out.append((child.item.label, (scope_prefix or "current_") + "total"))
            else:
                _leaves(child, scope_prefix, out)
        return
    for b in node.before:
        if b.key:
            out.append((b.label, prefix + b.key))
    key = prefix + (it.key or "")
    if not node.children:
        if it.key:
            out.append((node.own.label if node.own else it.label, key))
        return
    if node.own is not None:
        out.append((node.own.label, key))
    for child in node.children:
        _leaves(child, prefix, out)


def _scope_blocks(items: list[Item]) -> int:
    """Where the blocks of labels that a run of scopes side by side share begin (本年财政拨款 |
    财政拨款结转 over 一般公共预算 政府性基金 国有资本 each): the end of the items as printed
    unless they end in as many identical blocks as there are scopes."""
    n = len(items)
    runs = [i for i in range(n - 1) if items[i].kind == "scope" and items[i + 1].kind == "scope"]
    if not runs:
        return n
    first = runs[0]
    if any(it.kind == "sub" for it in items[first:]):
        return n  # a 小计 ends the first row already
    copies = 1
    while first + copies < n and items[first + copies].kind == "scope":
        copies += 1
    for start in range(first + copies, n):
        rest = n - start
        if rest % copies or rest // copies < 2:
            continue
        size = rest // copies
        if _block(items, start, copies) == size and all(it.kind == "value" for it in items[start:]):
            return start
    return n


def _standalone(
    items: list[Item], pos: int, parts: set[str], queue: list[tuple[_Node, set[str] | None]], ids: list[Identity]
) -> int:
    """How many labels from ``pos`` on are columns of their own printed before a banner's parts
    (at most two, none a part of this or a later banner, none a banner itself) -- 0 unless the
    banner's parts follow them."""
    later = set().union(*(p for _n, p in queue if p is not None)) if queue else set()
    q = pos
    while q < len(items) and q - pos < 2:
        it = items[q]
        if it.kind != "value" or it.key in parts or it.key in later or _parts(items, q, ids) is not None:
            break
        q += 1
    nxt = items[q] if q < len(items) else None
    if q > pos and nxt is not None and nxt.kind == "value" and nxt.key in parts:
        return q - pos
    return 0


def _parts(items: list[Item], i: int, ids: list[Identity]) -> set[str] | None:
    """The keys a value label is the sum of, when it is a banner: its parts are printed later,
    and not right beside it (合计 | 基本支出 | 项目支出 is a total beside its parts, no banner)."""
    it = items[i]
    if it.kind != "value":
        return None
    parts = _parts_in(items, it, i + 1, ids)
    if parts is None:
        return None
    if (
        it.key == "total"
        and not any(
            x.kind == "value" and (x.key == "total" or _parts_in(items, x, j + 1, ids) is None)
            for j, x in enumerate(items[:i])
        )
        and not _total_below(items, i)
    ):
        # the header's leading 合计 / 总计 (after group labels of the row above only: 基本支出 over
        # 人员支出 | 日常公用支出): the table's total column, however it is drawn
        return None
    nxt = items[i + 1] if i + 1 < len(items) else None
    if nxt is not None and ((nxt.kind == "value" and nxt.key in parts) or nxt.kind == "scope"):
        return None  # beside its parts, or beside the scopes that hold them: a column of its own
    return parts


def _total_below(items: list[Item], i: int) -> bool:
    """A total label that is no 合计 itself (财政拨款"三公"经费, "三公"经费预算数) with a 合计 printed
    later: a group label over its own total column and its parts."""
    it = items[i]
    if it.kind != "value" or it.key != "total" or it.label.replace(" ", "") in _TOTAL_WORDS:
        return False
    return any(x.kind == "value" and x.key == "total" for x in items[i + 1 :])


_TOTAL_WORDS = frozenset({"合计", "总计", "小计", "合 计", "总 计"})


def _repeat(it: Item, ids: list[Identity]) -> str | None:
    """The part named by the group's own label printed again among its parts (catalog ``repeat``)."""
    return next((idn.repeat for idn in ids if idn.lhs == it.key and idn.repeat), None)


def _parts_in(items: list[Item], it: Item, start: int, ids: list[Identity]) -> set[str] | None:
    later = {x.key for x in items[start:] if x.kind == "value"}
    best: tuple[int, set[str]] | None = None
    for idn in ids:
        if idn.lhs != it.key:
            continue
        keys = {k for _, k in idn.terms}
        hits = len(keys & later) + (1 if idn.repeat and it.key in later else 0)
        if hits >= 2 and (best is None or hits > best[0]):
            best = (hits, keys)
    return best[1] if best else None


def _parts_with(it: Item, key: str | None, ids: list[Identity]) -> set[str] | None:
    """The parts of the identity summing ``it`` that has ``key`` among its terms."""
    for idn in ids:
        if idn.lhs == it.key and any(k == key for _, k in idn.terms):
            return {k for _, k in idn.terms}
    return None


def _repeat_size(items: list[Item], pos: int) -> int:
    """The length of the block of values that ``pos`` starts printing again, right after the
    block itself (0 when the labels from ``pos`` on repeat no block just before them)."""
    labels = [x.label for x in items]
    for size in range(1, pos + 1):
        block = items[pos - size : pos]
        if labels[pos - size : pos] == labels[pos : pos + size] and all(x.kind == "value" for x in block):
            return size
    return 0


def _block(items: list[Item], pos: int, copies: int) -> int:
    """The length of the block the next labels repeat ``copies`` times (0 if they do not)."""
    rest = len(items) - pos
    for size in range(1, rest // copies + 1):
        first = [x.label for x in items[pos : pos + size]]
        if all([x.label for x in items[pos + k * size : pos + (k + 1) * size]] == first for k in range(1, copies)):
            return size
    return 0
