"""The main screen stays a coordinator: new behaviour goes into the helpers it owns (plot grid,
pictures' links, editing, hand-over), so the screen itself stays under 250 lines and 25
methods, with no mixin base classes."""

from __future__ import annotations

import ast
from pathlib import Path

import tui_nn.app.screens.main as main_module
from tui_nn.app.screens.main import MainScreen


def test_the_main_screen_is_small_and_has_no_mixins() -> None:
    source = Path(main_module.__file__).read_text("utf-8")
    (cls,) = [n for n in ast.parse(source).body if isinstance(n, ast.ClassDef)]
    methods = [n.name for n in cls.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    assert source.count("\n") < 250, f"screens/main.py has {source.count(chr(10))} lines"
    assert len(methods) < 25, f"MainScreen has {len(methods)} methods: {methods}"
    ours = [b.__name__ for b in MainScreen.__mro__ if b.__module__.startswith("tui_nn.")]
    assert ours == ["MainScreen", "Localized"], ours
