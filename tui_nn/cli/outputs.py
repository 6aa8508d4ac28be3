"""What the command line needs so that no finished work is lost while writing it: every output
is attempted even when another fails, and SIGTERM unwinds like ctrl+c, so the hidden partial
file of an atomic write is removed by the writer's own cleanup instead of being left behind.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from tui_nn.core.files import ExportError

#: The exit status of a run ended by SIGTERM, as a shell reports it (128 + 15).
EXIT_TERMINATED = 128 + signal.SIGTERM


class Terminated(BaseException):
    """SIGTERM arrived. A BaseException, as KeyboardInterrupt is: no `except Exception` of the
    engine swallows it, and every `finally` on the way out runs."""


def _raise_terminated(signum: int, frame: object) -> None:
    raise Terminated


@contextlib.contextmanager
def terminate_cleanly() -> Iterator[None]:
    """Within the block, SIGTERM raises Terminated (the previous handler is restored after)."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set handlers; its caller decides about signals
        return
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def write_each(writers: list[Callable[[], Path]]) -> tuple[list[Path], list[ExportError]]:
    """Run every writer, even after one has failed: the files written, and the errors of
    those that could not be."""
    written: list[Path] = []
    failed: list[ExportError] = []
    for write in writers:
        try:
            written.append(write())
        except ExportError as e:
            failed.append(e)
    return written, failed
