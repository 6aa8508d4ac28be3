"""Every package (engine, app, command line, server) stays in pieces a reader can hold: no
module over 400 lines, no function over 40 (the style the project follows)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from helpers import ROOT

PACKAGE = ROOT / "tui_nn"
MODULES = sorted(
    p for folder in ("core", "app", "cli", "serve") for p in (PACKAGE / folder).rglob("*.py")
)


def too_long(source: str, most: int = 40) -> list[str]:
    """`name (lines)` of each function or method longer than `most` lines."""
    return [
        f"{node.name} ({node.end_lineno - node.lineno + 1})"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno - node.lineno + 1 > most
    ]


def test_the_measure_counts_a_long_function() -> None:
    body = "".join(f"    x{i} = {i}\n" for i in range(40))
    assert too_long(f"def f():\n{body}") == ["f (41)"]
    assert too_long(f"def f():\n{body[: body.rindex('    x')]}") == []


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_no_long_module_or_function(path: Path) -> None:
    source = path.read_text("utf-8")
    assert source.count("\n") <= 400, f"{path.name} has {source.count(chr(10))} lines"
    assert not too_long(source), f"functions over 40 lines: {too_long(source)}"
