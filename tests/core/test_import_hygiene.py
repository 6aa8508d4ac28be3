"""The headless modules load without any UI library.

The engine must stay usable from a script, a notebook or the CLI on a machine without a
terminal UI, and `tui-nn train` must start fast: importing textual costs a few hundred ms.
Each module is imported in a fresh interpreter, so what another test imported cannot hide an edge.
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest

import tui_nn.cli
import tui_nn.core

FORBIDDEN = ("textual", "rich", "textual_serve", "plotext")
"""UI libraries (and the browser server) that only the app and `tui-nn serve` may load."""

#: `tui-nn config` reads the app's key bindings, so it loads textual (only when it runs).
NEEDS_THE_APP = {"config"}

HEADLESS = [
    "tui_nn.i18n",
    "tui_nn.cli",
    *(
        f"tui_nn.cli.{m.name}"
        for m in pkgutil.iter_modules(tui_nn.cli.__path__)
        if m.name not in NEEDS_THE_APP
    ),
    "tui_nn.serve",
    "tui_nn.core",
    *(f"tui_nn.core.{m.name}" for m in pkgutil.iter_modules(tui_nn.core.__path__)),
]


@pytest.mark.parametrize("module", HEADLESS)
def test_headless_module_loads_no_ui_library(module: str) -> None:
    code = f"import sys, {module}; print(','.join(m for m in {FORBIDDEN!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"{module} loads {out.stdout.strip()}"


def test_the_check_sees_a_ui_import() -> None:
    """The probe itself works: importing the app does load textual."""
    code = f"import sys, tui_nn.app.main; print([m for m in {FORBIDDEN!r} if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "textual" in out.stdout
