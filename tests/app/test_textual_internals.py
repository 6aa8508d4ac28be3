"""What tui_nn/app/lang.py relies on inside Textual (its TEXTUAL_INTERNALS), checked against the
installed Textual. A failure here names the structure that changed: read the new release's
code before moving the pin in pyproject.toml."""

from __future__ import annotations

import ast
import inspect
import re
import tomllib
from importlib.metadata import version
from pathlib import Path

from textual.binding import Binding, BindingsMap
from textual.command import CommandPalette
from textual.widget import Widget

from tui_nn.app.lang import (
    TEXTUAL_INTERNALS,
    bind,
    bindings_of,
    localize_bindings,
    stepper_bind,
)

PYPROJECT = Path(__file__).parents[2] / "pyproject.toml"


def test_textual_is_pinned_exactly_to_the_version_installed() -> None:
    deps = tomllib.loads(PYPROJECT.read_text("utf-8"))["project"]["dependencies"]
    pins = [d for d in deps if re.match(r"textual\b(?!-)", d)]
    assert pins == [f"textual=={version('textual')}"], (
        f"pyproject.toml pins {pins}, the installed Textual is {version('textual')}: "
        "tui_nn/app/lang.py was checked against one exact version"
    )


def test_a_node_keeps_its_bindings_in_a_map_of_key_to_bindings() -> None:
    class Keys(Widget):
        BINDINGS = [bind("x,y", "go", "play_pause")]

    node = Keys()
    bindings = getattr(node, "_bindings", None)
    assert isinstance(bindings, BindingsMap), (
        "Textual no longer keeps a node's bindings in DOMNode._bindings (a BindingsMap): "
        "localize_bindings in tui_nn/app/lang.py rewrites that map"
    )
    table = getattr(bindings, "key_to_bindings", None)
    assert isinstance(table, dict) and set(table) == {"x", "y"}, (
        "BindingsMap.key_to_bindings is no longer a dict of key -> [Binding]: "
        "tui_nn/app/lang.py replaces it to relabel the footer"
    )
    assert all(isinstance(b, Binding) for bs in table.values() for b in bs)


def test_rewritten_bindings_are_what_the_node_reports() -> None:
    """The rewrite reaches what Textual reads back (the footer and the palette list these)."""

    class Keys(Widget):
        BINDINGS = [bind("space", "go", "play_pause"), stepper_bind("c", "check", "check")]

    node = Keys()
    localize_bindings(node, "ja")
    described = {b.id: b.description for b in bindings_of(node)}
    assert described["play_pause"] != bind("space", "go", "play_pause").description


def test_the_palette_methods_overridden_still_exist_with_the_same_parameters() -> None:
    for name, params in (
        ("_action_command_list", ["action"]),
        ("_gather_commands", ["search_value"]),
    ):
        method = getattr(CommandPalette, name, None)
        assert method is not None, (
            f"CommandPalette.{name} is gone: tui_nn/app/lang.py's Palette overrides it"
        )
        got = list(inspect.signature(method).parameters)[1:]
        assert got == params, (
            f"CommandPalette.{name} now takes {got}, lang.Palette expects {params}"
        )


def test_every_internal_named_is_one_this_file_checks() -> None:
    source = Path(__file__).read_text("utf-8")
    for internal in TEXTUAL_INTERNALS:
        for name in re.findall(r"\b_[a-z_]+\b", internal):
            assert name in source, f"{name} is used by tui_nn/app/lang.py but not checked here"


def test_no_other_module_touches_those_internals() -> None:
    names = {n for i in TEXTUAL_INTERNALS for n in re.findall(r"\b_[a-z_]+\b", i)}
    package = Path(__file__).parents[2] / "tui_nn"
    found = [
        f"{path.relative_to(package)}:{node.lineno} {node.attr}"
        for path in package.rglob("*.py")
        if path.name != "lang.py" or path.parent.name != "app"
        for node in ast.walk(ast.parse(path.read_text("utf-8")))
        if isinstance(node, ast.Attribute) and node.attr in names
    ]
    assert found == [], f"Textual internals outside tui_nn/app/lang.py: {found}"
