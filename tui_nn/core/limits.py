"""How much a run may read and build, and reading files that somebody else may have written.

A preset, a CSV, an IDX or an .npz file can name `/dev/zero`, a FIFO or a folder, or declare a
size far beyond the machine's memory. Only regular files are read (a FIFO is opened without
blocking and refused), and every size is checked against a stated limit before anything of
that size is allocated: file sizes, decompressed sizes, declared shapes, rows × columns.

The data limit is `TUI_NN_MAX_MB` megabytes (default 1024): the most any one data file, its
decompressed content or an array built from it may take. A preset (TOML) may be at most
`MAX_PRESET_MB`: parsed TOML takes many times its size, and big weights belong in an .npz.
"""

from __future__ import annotations

import itertools
import math
import os
import stat
from pathlib import Path
from typing import BinaryIO

from tui_nn.core.errors import ConfigError, config_error

ENV = "TUI_NN_MAX_MB"
DEFAULT_MB = 1024
MAX_PRESET_MB = 64
MB = 1_000_000
#: The largest index a formula may name (x0 .. x9999), as many as `inputs` may be.
MAX_INPUTS = 10_000


def max_bytes() -> int:
    """The data limit in bytes: TUI_NN_MAX_MB when it is a positive whole number, else 1024 MB."""
    raw = os.environ.get(ENV, "")
    mb = int(raw) if raw.isdigit() and 0 < len(raw) < 10 and int(raw) > 0 else DEFAULT_MB
    return mb * MB


def check_bytes(
    n: int, *, file: str | None = None, field: str | None = None, key: str = "err_too_big", **more
) -> None:
    """Raise `key` (which limit, how to raise it) when `n` bytes exceed the data limit."""
    limit = max_bytes()
    if n > limit:
        need = math.ceil(n / MB)
        raise config_error(
            key,
            **more,
            need=f"{need:,}",
            limit=f"{limit // MB:,}",
            env=ENV,
            suggest=min(need, 10**9 - 1),
            file=file,
            field=field,
        )


def check_values(n: int, *, file: str | None = None, field: str | None = None) -> None:
    """`n` float64 values (rows × columns of a data set) checked against the data limit."""
    check_bytes(8 * n, file=file, field=field)


def check_forward(rows: int, layers: list[int], *, file: str | None = None) -> None:
    """A forward pass over `rows` samples keeps u and z of every layer after the inputs (which
    are the data itself): 2 × rows × units."""
    n = 2 * rows * sum(layers[1:])
    check_bytes(8 * n, file=file, field="network.layers", key="err_too_big_forward", rows=rows)


#: The biggest network whose iteration is worked out number by number: the trace is linear in
#: its layers and entries, but 10,000 layers made 70,000 steps and a minute of work.
MAX_WORKED_LAYERS, MAX_WORKED_PARAMS = 100, 1_000_000


def check_worked_size(layers: list[int], *, file: str | None = None) -> None:
    """Raise ConfigError when the network is past MAX_WORKED_LAYERS or MAX_WORKED_PARAMS."""
    n_params = sum(a * b + b for a, b in itertools.pairwise(layers))
    if len(layers) - 1 > MAX_WORKED_LAYERS or n_params > MAX_WORKED_PARAMS:
        raise config_error(
            "worked_err_too_big",
            layers=f"{len(layers) - 1:,}",
            params=f"{n_params:,}",
            max_layers=MAX_WORKED_LAYERS,
            max_params=f"{MAX_WORKED_PARAMS:,}",
            file=file,
            field="network.layers",
        )


def open_regular(path: Path | str, *, folder_key: str = "err_is_folder") -> BinaryIO:
    """The file opened for reading in binary, when it is a regular file.

    Opened with O_NONBLOCK and checked with fstat, so a FIFO is refused at once instead of
    waiting for a writer, and a device (/dev/zero, /dev/urandom) is never read. Raises
    ConfigError (file = path): `folder_key` for a folder, "err_not_regular" for a device or a
    FIFO, "err_no_file" / "err_unreadable" when the OS refuses.
    """
    name = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise config_error("err_no_file", file=name) from None
    except IsADirectoryError:
        raise config_error(folder_key, file=name) from None
    except (OSError, ValueError) as e:  # ValueError: a NUL in the name
        why = e.strerror if isinstance(e, OSError) else "NUL in the name"
        raise config_error("err_unreadable", why=why, file=name) from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        key = folder_key if stat.S_ISDIR(mode) else "err_not_regular"
        raise config_error(key, file=name)
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


#: Refusals that read as a sentence after the file's name ("/dev/zero is not a regular file").
SPECIAL = ("err_is_folder", "err_not_regular")


def open_data(path: Path) -> BinaryIO:
    """`open_regular` for a file a preset's `data.path` names: a refusal is that field's error."""
    try:
        return open_regular(path)
    except ConfigError as e:  # the reason, shown in the message's language
        key = "err_data_special" if e.key in SPECIAL else "err_data_unreadable"
        raise config_error(key, path=path, detail=e, field="data.path") from None


def file_size(f: BinaryIO) -> int:
    return os.fstat(f.fileno()).st_size


def read_regular(
    path: Path | str, *, preset: bool = False, folder_key: str = "err_is_folder"
) -> bytes:
    """All bytes of a regular file within the data limit, or within MAX_PRESET_MB for a
    `preset`. At most limit + 1 bytes are ever read: a file in /proc says size 0 but holds more.
    """
    limit = MAX_PRESET_MB * MB if preset else max_bytes()
    with open_regular(path, folder_key=folder_key) as f:
        size = file_size(f)
        raw = f.read(limit + 1) if size <= limit else b""
    size = max(size, len(raw))
    if size > limit:
        if not preset:
            check_bytes(size, file=str(path))
        need = f"{math.ceil(size / MB):,}"
        raise config_error("err_preset_too_big", need=need, limit=MAX_PRESET_MB, file=str(path))
    return raw
