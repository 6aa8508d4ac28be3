"""`tui-nn serve`: the same app in a browser, through textual-serve (the `serve` extra).

Each browser tab gets its own app process, started with the command built here.
"""

from __future__ import annotations

import shlex
import sys


def app_command(preset: str | None, lang: str) -> str:
    """The shell command textual-serve runs for each browser session."""
    argv = [sys.executable, "-m", "tui_nn", "--lang", lang]
    if preset:
        argv.append(preset)
    return shlex.join(argv)


def serve(host: str, port: int, preset: str | None, lang: str) -> None:
    """Serve the app on host:port until interrupted. Raises ImportError without the extra."""
    from textual_serve.server import Server

    Server(app_command(preset, lang), host=host, port=port, title="tui-nn").serve()
