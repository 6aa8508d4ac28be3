"""Writing files without losing any: atomic writes (a temporary file in the target's folder
renamed into place, so a reader never sees half a file), checks that an output can be written
before the work that fills it, and `ExportError`, the one line a failed write shows.

An existing file is kept unless `overwrite`; only a regular file is ever replaced.
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tui_nn.core.safe_text import visible
from tui_nn.i18n import t


class ExportError(Exception):
    """A file could not be written. `message(lang)` is the one line to show the student."""

    def __init__(self, key: str, **values: Any) -> None:
        self.key = key
        self.values = values
        super().__init__(self.message("en"))

    def message(self, lang: str = "en") -> str:
        return visible(t(self.key, lang, **self.values))  # paths may hold control characters


def write_atomic(
    path: Path | str, write: Callable[[Path], None], *, overwrite: bool = False
) -> Path:
    """Call `write(tmp)` on a temporary file next to `path`, then move it to `path`.

    Raises ExportError("export_exists") when `path` exists and not `overwrite`, and
    ExportError("export_cannot_write_here" / "export_cannot_write") when the OS refuses.
    """
    path = Path(path)
    folder = path.parent  # "." for a bare file name: pathlib never gives an empty parent
    check_free(path, overwrite=overwrite)
    tmp = folder / f".{path.name}.{secrets.token_hex(4)}{path.suffix}"
    try:
        # Created as open() would (mode 0o666 less the umask), not mkstemp's private 0o600:
        # the student's files should be readable like any other they make.
        os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    except OSError as e:
        raise ExportError("export_cannot_write_here", path=path, reason=e.strerror) from None
    try:
        write(tmp)
        _move(tmp, path, overwrite)
    except OSError as e:
        raise ExportError("export_cannot_write", path=path, reason=e.strerror) from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def _move(tmp: Path, path: Path, overwrite: bool) -> None:
    if overwrite:
        os.replace(tmp, path)
        return
    # A hard link fails if the target appeared meanwhile, where a rename would replace it.
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise ExportError("export_exists", path=path) from None
    except OSError:  # a file system without hard links
        if path.exists():
            raise ExportError("export_exists", path=path) from None
        os.replace(tmp, path)


def check_free(*paths: Path, overwrite: bool = False) -> None:
    """Raise ExportError for the first path that cannot take a new file: a folder, a device, a
    FIFO or a symlink ("export_is_folder", "export_not_regular": only a regular file is ever
    replaced), one in a missing folder ("export_no_folder"), one that exists ("export_exists",
    unless `overwrite`), or one whose folder refuses a new file ("export_cannot_write_here",
    found by creating and removing a probe there). A writer of several files checks them all
    before writing any, and the CLI checks before training, so that no work is lost."""
    for path in map(Path, paths):
        if "\0" in str(path):  # no file system takes it; Python would raise ValueError
            raise ExportError("export_bad_name", path=repr(str(path)))
        try:
            _check_target(path, overwrite)
            _probe(path)
        except OSError as e:  # a name too long, a folder without permission, ...
            raise ExportError("export_cannot_write_here", path=path, reason=e.strerror) from None


def _check_target(path: Path, overwrite: bool) -> None:
    try:
        mode = os.lstat(path).st_mode  # lstat: a symlink is judged itself, never followed
    except FileNotFoundError:
        if not path.parent.is_dir():
            raise ExportError("export_no_folder", path=path, folder=path.parent) from None
        return
    if stat.S_ISDIR(mode):
        raise ExportError("export_is_folder", path=path)
    if not stat.S_ISREG(mode):
        raise ExportError("export_not_regular", path=path)
    if not overwrite:
        raise ExportError("export_exists", path=path)


def _probe(path: Path) -> None:
    """Create and remove a file named like write_atomic's temporary one, next to `path`."""
    probe = path.parent / f".{path.name}.{secrets.token_hex(4)}.probe"
    os.close(os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    os.unlink(probe)


def write_text(path: Path | str, text: str, *, overwrite: bool = False) -> Path:
    """Write UTF-8 text atomically."""
    return write_atomic(path, lambda tmp: tmp.write_text(text, "utf-8"), overwrite=overwrite)
