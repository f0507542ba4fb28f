"""The folder tree is the architecture: no import cycles, small modules, every package says what it is.

(The stage order itself is the ``layers`` contract in ``pyproject.toml``, checked by
``lint-imports`` in ``test_lint.py``.)
"""

from __future__ import annotations

import ast
from pathlib import Path

import grimp

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "fiscal_extract"
MAX_LINES = 520
"""Split a module before it passes ~500 lines (STYLE.md 15 says ~600; issue 12 holds 500)."""


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one node (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on.add(root)
        while work:
            node, it = work[-1]
            nxt = next(it, None)
            if nxt is not None:
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on.add(nxt)
                    work.append((nxt, iter(sorted(graph.get(nxt, ())))))
                elif nxt in on:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == node:
                        break
                if len(comp) > 1:
                    out.append(sorted(comp))
    return out


def _graph(depth: int | None) -> dict[str, set[str]]:
    """Imports between modules (``depth=None``) or between the packages and root modules they
    belong to (``depth=1``: ``fiscal_extract.tables.parse`` counts as ``fiscal_extract.tables``);
    imports under ``TYPE_CHECKING`` count too.  The root package itself (``__version__``) is left out."""
    g = grimp.build_graph("fiscal_extract")

    def node(m: str) -> str:
        return m if depth is None else ".".join(m.split(".")[: 2 + depth - 1])

    out: dict[str, set[str]] = {}
    for m in g.modules:
        if m == "fiscal_extract":
            continue
        for imported in g.find_modules_directly_imported_by(m):
            if imported == "fiscal_extract" or node(imported) == node(m):
                continue
            out.setdefault(node(m), set()).add(node(imported))
        out.setdefault(node(m), set())
    return out


def test_no_import_cycles_between_modules():
    assert _cycles(_graph(None)) == []


def test_no_import_cycles_between_packages():
    assert _cycles(_graph(1)) == []


def test_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_module_over_the_limit():
    sizes = sorted(((len(p.read_text(encoding="utf-8").splitlines()), str(p.relative_to(PACKAGE)))
                    for p in PACKAGE.rglob("*.py")), reverse=True)
    longest = "\n".join(f"{n:5} {name}" for n, name in sizes[:10])
    print("the longest modules:\n" + longest)
    assert sizes[0][0] <= MAX_LINES, f"split these (limit {MAX_LINES} lines):\n{longest}"


def test_every_package_says_what_comes_in_what_goes_out_and_what_it_may_import():
    for init in PACKAGE.rglob("__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        assert len(doc) > 80, f"{init.relative_to(PACKAGE)}: no package docstring"
        if init.parent != PACKAGE and init.parent.parent == PACKAGE:
            lowered = doc.lower()
            assert "in:" in lowered and "out:" in lowered and "import" in lowered, init.relative_to(PACKAGE)


def test_no_file_holds_a_merge_conflict_marker() -> None:
    """A merge resolved by hand once left ``<<<<<<<`` markers in ARCHITECTURE.md unseen."""
    root = PACKAGE.parents[1]
    markers = ("<<<<<<< ", ">>>>>>> ")
    found = []
    for folder in ("src", "tests", "bench", "docs", "eval", "scripts", "profiles", "prompts"):
        for path in sorted((root / folder).rglob("*")):
            if path.suffix in {".py", ".md", ".toml", ".txt", ".json", ".html", ".sh"} and path.is_file():
                lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
                name = path.relative_to(root)
                found += [f"{name}:{i}" for i, line in enumerate(lines, 1) if line.startswith(markers)]
    for path in sorted(root.glob("*.md")):
        lines = path.read_text(encoding="utf-8").splitlines()
        found += [f"{path.name}:{i}" for i, line in enumerate(lines, 1) if line.startswith(markers)]
    assert not found, found
