"""Files for a person who uses the app in a browser (`tui-nn serve`).

There the export dialog and the stepper's `e` would write on the server, where the student can
never reach the files. Under the web driver they are written as in a terminal (the same names,
the same atomic writers), but into a fresh private folder, and then handed to the browser as
downloads with Textual's `App.deliver_binary`; the server keeps no copy. In a terminal nothing
changes: files go where the student chose, and an existing one is replaced only after a yes.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from textual.app import App

#: What the browser is told each kind of file is.
MIME = {
    ".npz": "application/octet-stream",
    ".csv": "text/csv",
    ".py": "text/x-python",
    ".toml": "application/toml",
    ".md": "text/markdown",
}


def in_browser(app: App) -> bool:
    """Whether the files the student saves should be downloads (the app runs in a browser)."""
    return app.is_web


def staging_folder() -> Path:
    """A new folder only this process can read, for the files about to be delivered."""
    return Path(tempfile.mkdtemp(prefix="tui-nn-download-"))


def deliver(app: App, paths: list[Path]) -> None:
    """Send each file to the browser under its own name, then remove it from the server (the
    delivery reads the open file, which outlives its name) and its staging folder."""
    folders = set()
    for path in paths:
        f = open(path, "rb")  # noqa: SIM115  (deliver_binary reads it on a thread and closes it)
        app.deliver_binary(
            f, save_filename=path.name, mime_type=MIME.get(path.suffix, "application/octet-stream")
        )
        os.unlink(path)
        folders.add(path.parent)
    for folder in folders:
        with contextlib.suppress(OSError):  # a file the writer left beside (never expected)
            folder.rmdir()
