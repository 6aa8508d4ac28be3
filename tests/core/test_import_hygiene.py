"""The headless modules load without any UI library.

The engine must stay usable from a script, a notebook or the CLI on a machine without a
terminal UI, and `tui-nn train` must start fast: importing textual costs a few hundred ms.
The modules are imported one after another in a fresh interpreter (so that what the test run
imported cannot hide an edge), with a look at what is loaded after each: the first module after
which a UI library is loaded is the one that loads it.
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys

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


#: Imports each module in turn; prints each module that a UI library was first loaded with.
PROBE = """
import importlib, sys
for module in sys.argv[1:]:
    importlib.import_module(module)
    loaded = [m for m in FORBIDDEN if m in sys.modules]
    if loaded:
        print(module, "loads", ",".join(loaded))
        break
"""


def test_headless_modules_load_no_ui_library() -> None:
    code = f"FORBIDDEN = {FORBIDDEN!r}\n{PROBE}"
    argv = [sys.executable, "-c", code, *HEADLESS]
    out = subprocess.run(argv, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
    assert len(HEADLESS) > 20  # every engine and CLI module, not an empty list


def test_the_check_sees_a_ui_import() -> None:
    """The probe itself works: it names the app, the first module that loads textual."""
    code = f"FORBIDDEN = {FORBIDDEN!r}\n{PROBE}"
    argv = [sys.executable, "-c", code, "tui_nn.core", "tui_nn.app.main", "tui_nn.cli"]
    out = subprocess.run(argv, capture_output=True, text=True, check=True)
    assert out.stdout.startswith("tui_nn.app.main loads ") and "textual" in out.stdout
