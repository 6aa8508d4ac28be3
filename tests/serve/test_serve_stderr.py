"""What a crashing app process writes to its stderr reaches the operator's terminal (textual-serve
copies it to the server's stdout) with its control characters escaped, and at most
STDERR_LIMIT bytes of it: a hostile preset's name in a traceback can neither retitle, clear
or reprogram that terminal nor fill the server's memory."""

from __future__ import annotations

import asyncio
import sys
from types import SimpleNamespace

import pytest

pytest.importorskip("textual_serve", reason="the serve extra (textual-serve) is not installed")

from tui_nn.serve.process import STDERR_LIMIT, AppProcess

HOSTILE = "Traceback: \x1b]0;owned\x07\x1b[2J\x9b31m preset 名前\n"


def crash(code: str) -> None:
    """Serve one app process running `code`, which never starts the app."""
    websocket = SimpleNamespace(closed=True, send_bytes=None, send_str=None, close=None)

    async def run() -> None:
        from textual_serve.download_manager import DownloadManager

        app = AppProcess([sys.executable, "-c", code], websocket, DownloadManager())
        process = await app._open_app_process()
        await app.run()
        await process.wait()

    asyncio.run(run())


def test_control_characters_from_the_apps_stderr_are_escaped(capfd) -> None:
    code = f"import sys; sys.stderr.write({HOSTILE!r}); sys.exit(1)"
    crash(code)
    out = capfd.readouterr().out
    assert "\\x1b]0;owned\\x07\\x1b[2J\\x9b31m preset 名前\n" in out
    assert not any(ch in out for ch in "\x1b\x07\x9b")


def test_a_flood_on_stderr_is_cut_at_the_limit(capfd) -> None:
    code = "import sys; sys.stderr.write('x' * 5_000_000); sys.exit(1)"
    crash(code)
    out = capfd.readouterr().out
    assert 0 < out.count("x") <= 2 * STDERR_LIMIT  # printed once on failure, once at the end
