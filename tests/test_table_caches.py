"""The lookups cached for speed answer exactly as a fresh computation would."""

from fiscal_extract.catalog import build, load
from fiscal_extract.read.cells import Style, read_value, style_of
from fiscal_extract.read.grid_tsv import tsv_row
from fiscal_extract.read.normalize import from_bytes
from fiscal_extract.tables.header import _build_columns, build_columns


def _header(text: str) -> list:
    src = from_bytes(text.encode())
    rows = []
    start = 0
    for n, line in enumerate(src.text.split("\n"), 1):
        rows.append(tsv_row(src, start, start + len(line), n))
        start += len(line) + 1
    return rows


HEADER = "项目\t本年收入\t\t\n\t合计\t一般公共预算拨款\t政府性基金预算拨款"


def test_cached_columns_equal_a_fresh_build_and_are_copies():
    cat = load()
    header = _header(HEADER)
    fresh = _build_columns(cat, header, "classified", 4)
    first = build_columns(cat, header, "classified", 4)
    assert [vars(c) for c in first] == [vars(c) for c in fresh]
    assert first.garbled == fresh.garbled
    first[1].side = "income"  # a table parser may set sides on its own copy
    again = build_columns(cat, header, "classified", 4)
    assert again[1].side == fresh[1].side
    assert again[1] is not first[1]


def test_catalog_memo_is_per_catalog_and_bounded():
    a = load()
    b = build({}, "empty")
    assert a.memo("x") is a.memo("x")
    assert a.memo("x") is not b.memo("x")
    cache = a.memo("bounded", limit=2)
    cache.update({1: 1, 2: 2})
    assert a.memo("bounded", limit=2) == {}  # emptied once full


def test_catalog_lookups_answer_the_same_twice():
    cat = load()
    for label in ("合计", "小计", "本年收入", "一般公共预算拨款", "项目支出合计(元)"):
        for layout in ("classified", "two_sided"):
            assert cat.scope(label, layout) is cat.scope(label, layout)
            assert cat.column(label, layout) == cat._column(cat.norm(label), layout)
    assert cat.identities_for("expenditure_overview") == cat.identities_for("expenditure_overview")
    assert cat.identities_for("expenditure_overview") is not cat.identities_for("expenditure_overview")


def test_style_keys_the_value_cache_by_value():
    assert Style(2, True) == Style(2, True) and hash(Style(2, True)) == hash(Style(2, True))
    assert read_value("0", Style(2, True), True).value is not None
    assert read_value("0", Style(2, True), False).value is None
    assert style_of(["1,234.50", "12.00", "0.00", "3.25"]) == Style(2, True)


def test_every_text_keyed_cache_is_bounded():
    """A long batch worker's memory stays flat: no lru cache of the extraction modules is unbounded
    or larger than TEXT_CACHE (most figure texts are met once; an unbounded cache only grows)."""
    import functools
    import importlib
    import inspect
    import pkgutil

    import fiscal_extract
    from fiscal_extract.caching import TEXT_CACHE

    seen = 0
    extraction = ("read.", "tables.", "text.", "checks.", "selectors", "catalog", "fold")
    names = [m.name for m in pkgutil.walk_packages(fiscal_extract.__path__, "fiscal_extract.")
             if m.name.removeprefix("fiscal_extract.").startswith(extraction)]
    assert len(names) >= 30, names
    for name in names:
        module = importlib.import_module(name)
        classes = [c for c in vars(module).values() if isinstance(c, type)]
        for obj in [*vars(module).values(), *(v for c in classes for v in vars(c).values())]:
            if isinstance(obj, functools._lru_cache_wrapper) and inspect.signature(obj.__wrapped__).parameters:
                seen += 1
                maxsize = obj.cache_parameters()["maxsize"]
                assert maxsize is not None and maxsize <= TEXT_CACHE, (name, obj, maxsize)
    assert seen >= 10
