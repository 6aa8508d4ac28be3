"""Paths that come from a person or a file, checked before the operating system sees them.

Python raises ValueError for a NUL in a path, RuntimeError for `~nosuchuser`, and OSError
(ENAMETOOLONG) from even `exists()` for a name over the file system's limit: none of them a
message a student can act on. `user_path` turns each into a ConfigError with the reason.
"""

from __future__ import annotations

import os
from pathlib import Path

from tui_nn.core.errors import config_error

#: Longest name of one file or folder, and of a whole path, in bytes (Linux and macOS).
NAME_MAX, PATH_MAX = 255, 4096


def path_problem(text: str) -> str | None:
    """The catalogue key of what makes `text` unusable as a path, or None."""
    if not text:
        return "err_path_empty"
    if "\0" in text:
        return "err_path_nul"
    raw = os.fsencode(text)
    if len(raw) > PATH_MAX or any(len(part) > NAME_MAX for part in raw.split(b"/")):
        return "err_path_long"
    return None


def user_path(text: str | Path, base: Path | None = None) -> Path:
    """`text` as a Path: `~` expanded, relative to `base` when given and not absolute.
    Raises ConfigError (no file or field: the caller knows them) when it cannot be one."""
    text = str(text)
    key = path_problem(text)
    if key:
        raise config_error(key, limit=NAME_MAX, total=PATH_MAX)
    try:
        path = Path(text).expanduser()
    except RuntimeError:  # ~name of a user this system does not have
        raise config_error("err_path_home", name=text.split("/")[0]) from None
    if base is not None and not path.is_absolute():
        path = base / path
    key = path_problem(str(path))
    if key:
        raise config_error(key, limit=NAME_MAX, total=PATH_MAX)
    return path
