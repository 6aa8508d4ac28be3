"""SIGTERM and SIGHUP while training: the app ends quickly and gives the terminal back.

The app runs for real, in a pseudo-terminal of its own; the test reads every byte it writes.
"""

from __future__ import annotations

import os
import select
import signal
import sys
import time

import pytest

from helpers import ROOT

pty = pytest.importorskip("pty", reason="needs a Unix pseudo-terminal")

ALT_SCREEN_ON = b"\x1b[?1049h"
#: What a normal quit writes on the way out: leave the alternate screen, show the cursor, stop
#: mouse reporting (button presses and any-motion).
RESTORE = {
    "leave the alternate screen": b"\x1b[?1049l",
    "show the cursor": b"\x1b[?25h",
    "stop mouse button reports": b"\x1b[?1000l",
    "stop mouse motion reports": b"\x1b[?1003l",
}


class Terminal:
    """`python -m tui_nn ARGS` in a pseudo-terminal of 100×30."""

    def __init__(self, *args: str) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: becomes the app
            os.chdir(ROOT)
            os.environ.update(TERM="xterm-256color", COLUMNS="100", LINES="30")
            os.execv(sys.executable, [sys.executable, "-m", "tui_nn", *args])
        self.output = b""
        self.status: int | None = None

    def read(self, seconds: float) -> None:
        """Collect output for `seconds`, or until the app closes the terminal."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if select.select([self.fd], [], [], 0.05)[0]:
                try:
                    data = os.read(self.fd, 65536)
                except OSError:  # EIO: the app has gone and closed its side
                    return
                if not data:
                    return
                self.output += data

    def wait_for(self, marker: bytes, seconds: float = 30) -> None:
        end = time.monotonic() + seconds
        while marker not in self.output and time.monotonic() < end:
            self.read(0.1)
        assert marker in self.output, f"the app never wrote {marker!r}"

    def wait_exit(self, seconds: float) -> int | None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self.read(0.05)
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = os.waitstatus_to_exitcode(status)
                return self.status
        return None

    def close(self) -> None:
        if self.status is None:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        os.close(self.fd)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_a_signal_while_training_ends_the_app_and_restores_the_terminal(signum: int) -> None:
    term = Terminal("--lang", "en", "spiral")
    try:
        term.wait_for(ALT_SCREEN_ON)
        term.read(2.0)  # the first frames
        os.write(term.fd, b" ")  # play: the trainer thread is busy now
        term.read(1.0)
        mark = len(term.output)
        os.kill(term.pid, signum)
        status = term.wait_exit(10)
        after = term.output[mark:]
    finally:
        term.close()
    assert status == 128 + signum  # ended by the signal, as a shell reports it, not killed
    missing = [what for what, seq in RESTORE.items() if seq not in after]
    assert not missing, f"after the signal the app did not {', '.join(missing)}"
    # The alternate screen is left last: nothing is drawn over the user's shell afterwards.
    assert after.rfind(b"\x1b[?1049l") > after.rfind(ALT_SCREEN_ON)
