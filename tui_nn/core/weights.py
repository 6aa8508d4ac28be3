"""Weights and other arrays: .npz files written atomically and read back without ever
unpickling, and a preset's starting weights, written inline or named by `weights_file`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from tui_nn.core.checks import numbers_only
from tui_nn.core.errors import ConfigError, config_error
from tui_nn.core.files import write_atomic
from tui_nn.core.npzfile import read_npz
from tui_nn.core.paths import user_path


def save_arrays(
    path: Path | str, arrays: dict[str, np.ndarray], *, overwrite: bool = False
) -> Path:
    """Arrays by name in an .npz that loads with allow_pickle=False."""

    def write(tmp: Path) -> None:
        with open(tmp, "wb") as f:
            np.savez(f, **{k: np.asarray(v) for k, v in arrays.items()})

    return write_atomic(path, write, overwrite=overwrite)


def save_weights(
    path: Path | str, params: dict[str, np.ndarray], *, overwrite: bool = False
) -> Path:
    """Every parameter by name (W1, b1, W2, ...) in an .npz; load it with `load_weights`."""
    return save_arrays(path, params, overwrite=overwrite)


def load_weights(path: Path | str) -> dict[str, np.ndarray]:
    """The arrays of an .npz by name, as float64, without ever unpickling.

    Raises ConfigError (file = the .npz) when it is missing, not a regular file, not an .npz,
    holds Python objects or non-numbers, NaN/inf, or more than the data limit. Names and
    shapes are checked against the network by the caller.
    """
    raw = read_npz(path)  # only a regular file; declared sizes checked before reading
    out = {}
    for name, arr in raw.items():
        if not (np.issubdtype(arr.dtype, np.floating) or np.issubdtype(arr.dtype, np.integer)):
            raise config_error("err_npz_dtype", name=name, dtype=arr.dtype, file=str(path))
        if arr.size == 0 or not np.isfinite(arr).all():
            raise config_error(
                "err_named", name=name, reason=config_error("err_nonempty_finite"), file=str(path)
            )
        out[name] = arr.astype(np.float64)
    if not out:
        raise config_error("err_npz_empty", file=str(path))
    return out


def parse_weights(table: Any, file: str) -> dict[str, np.ndarray]:
    """[network.weights]: each a non-empty array of finite numbers (shapes: Network.validate)."""
    if not isinstance(table, dict):
        raise config_error("err_weights_table", file=file, field="network.weights")
    out = {}
    for name, value in table.items():
        try:
            if not numbers_only(value):  # "0.6" and true would convert without a word
                raise ValueError
            arr = np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError, OverflowError):  # Overflow: an int past float's range
            raise config_error(
                "err_weights_numbers",
                file=file,
                field=f"network.weights.{name}",
            ) from None
        if arr.size == 0 or not np.isfinite(arr).all():
            raise config_error("err_nonempty_finite", file=file, field=f"network.weights.{name}")
        out[name] = arr
    return out


def weights_from_file(
    name: str, inline: dict[str, np.ndarray], path: Path | None, file: str
) -> dict[str, np.ndarray]:
    """`weights_file`: an .npz of W1, b1, ... relative to the preset's folder, never unpickled."""
    if inline:
        raise config_error(
            "err_weights_both",
            file=file,
            field="network.weights_file",
        )
    try:
        return load_weights(user_path(name, path.parent if path else Path(".")))
    except ConfigError as e:
        raise config_error(
            "err_in_file", name=name, reason=e, file=file, field="network.weights_file"
        ) from None
