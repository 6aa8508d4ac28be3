"""Arrays in .npz files: the trained weights (W1, b1, ...) and data, written atomically and
read back without ever unpickling."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from tui_nn.core.errors import config_error
from tui_nn.core.files import write_atomic
from tui_nn.core.npzfile import read_npz


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
