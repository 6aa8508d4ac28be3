"""No circle of imports among the engine's modules: each idea in core builds on the ones below
it, so a module can be read, tested and changed knowing only what it imports.

An import inside `if TYPE_CHECKING:` counts (a type names the idea it depends on), and so does
one inside a function (it hides the circle from Python, not from the reader).
"""

from __future__ import annotations

import functools

import grimp


@functools.cache
def core_graph() -> dict[str, set[str]]:
    """Each core module and the core modules it imports."""
    graph = grimp.build_graph("tui_nn", cache_dir=None)
    core = {m for m in graph.modules if m == "tui_nn.core" or m.startswith("tui_nn.core.")}
    return {m: graph.find_modules_directly_imported_by(m) & core for m in core}


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm, with
    an explicit stack), and the modules that import themselves."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)

    for root in sorted(edges):
        if root in index:
            continue
        visit(root)
        work = [(root, iter(sorted(edges[root])))]
        while work:
            v, children = work[-1]
            w = next(children, None)
            if w is not None:
                if w not in index:
                    visit(w)
                    work.append((w, iter(sorted(edges[w]))))
                elif w in on_stack:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                component = [stack.pop()]
                while component[-1] != v:
                    component.append(stack.pop())
                on_stack.difference_update(component)
                if len(component) > 1 or v in edges[v]:
                    found.append(sorted(component))
    return found


def test_the_circle_finder_finds_circles() -> None:
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e"}, "f": set()}
    assert sorted(circles(edges)) == [["a", "b", "c"], ["e"]]
    assert circles({"a": {"b"}, "b": set()}) == []
    two = {"a": {"b"}, "b": {"a", "c"}, "c": {"d"}, "d": {"c"}}
    assert sorted(circles(two)) == [["a", "b"], ["c", "d"]]


def test_no_circle_of_imports_in_core() -> None:
    edges = core_graph()
    assert {"tui_nn.core.trainer", "tui_nn.core.presets", "tui_nn.core.worked.build"} <= set(edges)
    assert not circles(edges), f"import circles in tui_nn.core: {circles(edges)}"
