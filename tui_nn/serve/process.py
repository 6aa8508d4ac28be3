"""The app process of one browser session: textual-serve's AppService, started and ended so
that no process outlives its browser tab.

The private names of AppService used here (`_open_app_process`, `_build_environment`,
`_process`, `_stdin`) are used nowhere else; tests/serve/test_serve.py fails if textual-serve
changes them (the app would run through a shell, outside a process group of its own).

AppService copies the app's stderr, as it is, to the server's stdout: the operator's terminal.
What it reads here is the app's stderr with control characters escaped, and at most
STDERR_LIMIT bytes of it (it keeps all it reads in memory).
"""

from __future__ import annotations

import asyncio
import codecs
import os
import shlex
import signal
from asyncio.subprocess import PIPE, Process
from contextlib import suppress

from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.download_manager import DownloadManager

from tui_nn.core.safe_text import visible
from tui_nn.serve.driver import DRIVER

#: Seconds an app has to quit by itself once asked, then to end after SIGTERM, then SIGKILL.
QUIT_GRACE = 3.0
TERM_GRACE = 2.0
#: Bytes of an app's stderr the server keeps and prints; the rest is read and dropped.
STDERR_LIMIT = 64 * 1024


class AppProcess(AppService):
    """AppService, changed in three ways: the app runs without a shell, in a process group of
    its own, under the driver that quits when the server goes away; output meant for a browser
    that has gone is dropped, not left unread (an app blocked on a full pipe never ends); and
    `close` ends the process and its group whatever state they are in."""

    def __init__(
        self, argv: list[str], websocket: web.WebSocketResponse, downloads: DownloadManager
    ) -> None:
        super().__init__(
            shlex.join(argv),
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=websocket.close,
            download_manager=downloads,
        )
        self.argv = argv
        self.websocket = websocket

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(width=width, height=height)
        environment["TEXTUAL_DRIVER"] = DRIVER
        return environment

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Process:
        self._process = process = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=PIPE,
            stdout=PIPE,
            stderr=PIPE,
            env=self._build_environment(width=width, height=height),
            start_new_session=True,  # its own process group: `close` can end all of it
        )
        self._stdin = process.stdin
        raw, process.stderr = process.stderr, asyncio.StreamReader()
        # Kept on self: asyncio holds only a weak reference to a running task.
        self._escaping = asyncio.create_task(escape_into(raw, process.stderr))
        return process

    async def on_data(self, payload: bytes) -> None:
        if not self.websocket.closed:
            with suppress(ConnectionError):
                await super().on_data(payload)

    async def close(self) -> None:
        """Ask the app to quit, then end its process group: SIGTERM, and SIGKILL if need be."""
        process = self._process
        with suppress(TimeoutError):
            await asyncio.wait_for(self.stop(), QUIT_GRACE)
        if process is None:
            return
        for signum in (None, signal.SIGTERM, signal.SIGKILL):
            if signum is not None and process.returncode is None:
                with suppress(ProcessLookupError):
                    os.killpg(process.pid, signum)
            with suppress(TimeoutError):
                await asyncio.wait_for(process.wait(), TERM_GRACE)
            if process.returncode is not None:
                return


async def escape_into(raw: asyncio.StreamReader, out: asyncio.StreamReader) -> None:
    """Feed `out` what `raw` gives until it ends, control characters (line breaks aside)
    escaped, at most STDERR_LIMIT bytes; the rest is drained, so the app never blocks on it."""
    decoder, room = codecs.getincrementaldecoder("utf-8")("replace"), STDERR_LIMIT
    while data := await raw.read(4096):
        text = decoder.decode(data)
        shown = "\n".join(visible(line) for line in text.split("\n")).encode()[:room]
        room -= len(shown)
        if shown:
            out.feed_data(shown)
    out.feed_eof()
