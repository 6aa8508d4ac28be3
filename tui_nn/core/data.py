"""Data sets: inputs x and targets d, split into training and test parts.

Each `[data] source` is a function registered with `@source("name")` that takes the
section's other keys and returns a Dataset. Targets may be given as rows (one-hot or real
values) or as class indices; `targets()` turns either into the rows the loss needs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from tui_nn.core.checks import numbers_only
from tui_nn.core.errors import config_error


@dataclass
class Dataset:
    x_train: np.ndarray
    d_train: np.ndarray
    x_test: np.ndarray
    d_test: np.ndarray
    #: Number of classes for classification, None for regression.
    n_classes: int | None = None
    feature_names: list[str] = field(default_factory=list)
    class_names: list[str] = field(default_factory=list)
    #: The points as plotted (2-D or 3-D coordinates) when the network's inputs are computed
    #: from them (features such as x1², or standardisation); None when x is the points.
    raw_train: np.ndarray | None = None
    raw_test: np.ndarray | None = None
    #: Maps raw points (rows) to network inputs, so a plot can send grid points through the
    #: same features; None means the inputs are the points themselves.
    featurize: Callable[[np.ndarray], np.ndarray] | None = None
    #: (low, high) of each raw axis, the space a plot of this data covers.
    extent: tuple[tuple[float, float], ...] | None = None
    #: False for a forward-only exercise: inputs and no targets (d is NaN, never a made-up 0).
    has_targets: bool = True

    @property
    def n_inputs(self) -> int:
        return self.x_train.shape[1]

    def points(self, part: str = "train") -> np.ndarray:
        """The raw points of the training ("train") or test ("test") part, as plotted."""
        raw = getattr(self, f"raw_{part}")
        return getattr(self, f"x_{part}") if raw is None else raw

    def inputs(self, points: np.ndarray) -> np.ndarray:
        """Network inputs for raw points, through the same features as the data."""
        return points if self.featurize is None else self.featurize(points)

    def astype(self, dtype: str) -> Dataset:
        return replace(
            self,
            # No copy when the dtype is already right: the data can be most of the memory.
            x_train=self.x_train.astype(dtype, copy=False),
            d_train=self.d_train.astype(dtype, copy=False),
            x_test=self.x_test.astype(dtype, copy=False),
            d_test=self.d_test.astype(dtype, copy=False),
        )


@dataclass
class DataContext:
    """What a source needs to know beyond its own keys."""

    n_outputs: int
    n_inputs: int | None = None
    base_dir: Path = Path(".")
    file: str | None = None


SourceFn = Callable[[dict[str, Any], DataContext], Dataset]
SOURCES: dict[str, SourceFn] = {}


def source(name: str) -> Callable[[SourceFn], SourceFn]:
    def register(fn: SourceFn) -> SourceFn:
        SOURCES[name] = fn
        return fn

    return register


def targets(labels: Any, n_outputs: int, field_name: str) -> tuple[np.ndarray, int]:
    """Class indices as target rows: one-hot for several outputs, a 0/1 column for one."""
    y = np.asarray(labels)
    if y.ndim != 1 or not np.issubdtype(y.dtype, np.integer) or (y < 0).any():
        raise config_error("err_class_indices", field=field_name)
    n_classes = max(int(y.max()) + 1 if len(y) else 0, 2)
    if n_outputs == 1:
        if n_classes > 2:
            raise config_error("err_one_output_classes", n=n_classes, field=field_name)
        return y.reshape(-1, 1).astype(np.float64), 2
    if n_classes > n_outputs:
        raise config_error(
            "err_class_outputs",
            top=n_classes - 1,
            outputs=n_outputs,
            field=field_name,
        )
    return np.eye(n_outputs)[y], n_outputs


def matrix(value: Any, field_name: str, columns: int | None = None) -> np.ndarray:
    """A list of equal-length numeric rows as a float64 matrix, or a clear error."""
    try:
        if not numbers_only(value):  # "0.5" and true would convert without a word
            raise ValueError
        m = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):  # Overflow: an int past float's range
        raise config_error("err_rows_numbers", field=field_name) from None
    if m.ndim != 2 or m.shape[0] == 0:
        raise config_error("err_rows_empty", field=field_name)
    if not np.isfinite(m).all():
        raise config_error("err_nan", field=field_name)
    if columns is not None and m.shape[1] != columns:
        raise config_error("err_row_length", n=m.shape[1], want=columns, field=field_name)
    return m


def split(x: np.ndarray, d: np.ndarray, test_ratio: float, seed: int):
    """A seeded shuffle and split into (x_train, d_train, x_test, d_test)."""
    if not 0 <= test_ratio < 1:
        raise config_error("err_test_ratio", field="data.test_ratio")
    order = np.random.default_rng(seed).permutation(len(x))
    n_test = round(len(x) * test_ratio)
    if n_test >= len(x):
        raise config_error(
            "err_split_no_train", n=len(x), ratio=f"{test_ratio:g}", field="data.test_ratio"
        )
    test, train = order[:n_test], order[n_test:]
    return x[train], d[train], x[test], d[test]


def _inline_targets(spec: dict[str, Any], ctx: DataContext, suffix: str, rows: int):
    d_key, l_key = f"d{suffix}", f"labels{suffix}"
    if (d_key in spec) == (l_key in spec):
        raise config_error(
            "err_targets_either",
            d=d_key,
            labels=l_key,
            field=f"data.{d_key}",
        )
    if d_key in spec:
        d = matrix(spec[d_key], f"data.{d_key}", ctx.n_outputs)
        n_classes = None
    else:
        d, n_classes = targets(spec[l_key], ctx.n_outputs, f"data.{l_key}")
    if len(d) != rows:
        raise config_error(
            "err_target_rows",
            n=len(d),
            x=f"x{suffix}",
            rows=rows,
            field=f"data.{d_key if d_key in spec else l_key}",
        )
    return d, n_classes


@source("inline")
def inline(spec: dict[str, Any], ctx: DataContext) -> Dataset:
    """`x` and `d` (or `labels`) written in the preset; optional `x_test` and `d_test`.

    `x` alone is a forward-only exercise: the network's outputs can be computed, not learnt.
    """
    allowed = {"x", "d", "labels", "x_test", "d_test", "labels_test", "feature_names"}
    unknown = set(spec) - allowed
    if unknown:
        raise config_error(
            "err_inline_key",
            keys=", ".join(sorted(allowed)),
            field=f"data.{sorted(unknown)[0]}",
        )
    if "x" not in spec:
        raise config_error("err_inline_missing_x", field="data.x")
    x = matrix(spec["x"], "data.x")
    names = _feature_names(spec, x.shape[1])
    if not set(spec) & {"d", "labels", "x_test", "d_test", "labels_test"}:
        nan = np.full((len(x), ctx.n_outputs), np.nan)
        return Dataset(x, nan, x[:0], nan[:0], None, list(names), has_targets=False)
    d, n_classes = _inline_targets(spec, ctx, "", len(x))
    if "x_test" in spec:
        x_test = matrix(spec["x_test"], "data.x_test", x.shape[1])
        d_test, _ = _inline_targets(spec, ctx, "_test", len(x_test))
    else:
        for key in ("d_test", "labels_test"):  # targets of inputs that are not there
            if key in spec:
                raise config_error("err_test_without_x", key=key, field=f"data.{key}")
        x_test, d_test = x[:0], d[:0]
    return Dataset(x, d, x_test, d_test, n_classes, list(names))


def _feature_names(spec: dict[str, Any], columns: int) -> list[str]:
    """`feature_names`: one name (text) per column of x; x1, x2, ... when not given."""
    if "feature_names" not in spec:
        return [f"x{i + 1}" for i in range(columns)]
    names = spec["feature_names"]
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise config_error("err_feature_names", got=repr(names), field="data.feature_names")
    if len(names) != columns:
        raise config_error(
            "err_feature_names_count", n=len(names), columns=columns, field="data.feature_names"
        )
    return list(names)
