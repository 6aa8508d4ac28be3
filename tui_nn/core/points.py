"""Training points the student adds or removes on the plane (ConvNetJS's click-to-add).

A preset records them in its `[data]` section, for every source whose points are 2-D:

    added_points = [[x1, x2], ...]    raw points, as plotted (before any input features)
    added_labels = [class, ...]       one class index per added point
    removed_points = [i, ...]         rows of the source's own training part, left out

The source's training part loses `removed_points` first, then gains the added points at its
end, so a preset written with them loads into the very same training set. The trainer applies
a change between two steps (`touch.add_point`, `touch.remove_nearest`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from tui_nn.core.data import Dataset, matrix, targets
from tui_nn.core.errors import config_error

KEYS = ("added_points", "added_labels", "removed_points")
#: Points a preset (or a student) may add: far more than anyone clicks, small enough to write.
MAX_ADDED = 10_000


def split_keys(spec: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The source's own keys and the point edits, apart."""
    own = {k: v for k, v in spec.items() if k not in KEYS}
    return own, {k: spec[k] for k in KEYS if k in spec}


def read_edits(edits: dict[str, Any], data: Dataset) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """(points, labels, removed rows) checked against the data; raises ConfigError."""
    raw = data.points("train")
    if not edits:
        return np.empty((0, raw.shape[1])), np.empty(0, np.int64), []
    if raw.shape[1] != 2 or not data.n_classes:
        raise config_error("err_points_plane", field=f"data.{next(iter(edits))}")
    removed = edits.get("removed_points", [])
    if not isinstance(removed, list) or not all(
        isinstance(i, int) and not isinstance(i, bool) and 0 <= i < len(raw) for i in removed
    ):
        raise config_error("err_points_removed", n=len(raw), field="data.removed_points")
    if len(set(removed)) != len(removed):
        raise config_error("err_points_removed", n=len(raw), field="data.removed_points")
    if ("added_points" in edits) != ("added_labels" in edits):
        raise config_error("err_points_pair", field="data.added_points")
    if "added_points" not in edits:
        return np.empty((0, 2)), np.empty(0, np.int64), list(removed)
    pts = edits["added_points"]
    if isinstance(pts, list) and len(pts) > MAX_ADDED:
        raise config_error("err_points_many", n=MAX_ADDED, field="data.added_points")
    xy = matrix(pts, "data.added_points", 2)
    labels = edits["added_labels"]
    ok = isinstance(labels, list) and len(labels) == len(xy)
    if not ok or not all(
        isinstance(c, int) and not isinstance(c, bool) and 0 <= c < data.n_classes for c in labels
    ):
        raise config_error(
            "err_points_labels", n=len(xy), top=data.n_classes - 1, field="data.added_labels"
        )
    return xy, np.asarray(labels, np.int64), list(removed)


def apply_edits(data: Dataset, edits: dict[str, Any]) -> Dataset:
    """The data with its training part edited as `edits` (the keys above) say."""
    xy, labels, removed = read_edits(edits, data)
    if not len(xy) and not removed:
        return data
    keep = np.delete(np.arange(len(data.x_train)), removed)
    n_out = data.d_train.shape[1]
    d_new, _ = targets(labels, n_out, "data.added_labels")
    x_new = data.inputs(xy).astype(data.x_train.dtype, copy=False)
    out = replace(
        data,
        x_train=np.concatenate([data.x_train[keep], x_new]),
        d_train=np.concatenate([data.d_train[keep], d_new.astype(data.d_train.dtype)]),
    )
    if data.raw_train is not None:
        out = replace(out, raw_train=np.concatenate([data.raw_train[keep], xy]))
    return out


class PointEdits:
    """The edits of one training set as the student makes them, kept as a preset writes them:
    `source_n` rows came from the source; `kept` says which of them are still in."""

    def __init__(self, spec: dict[str, Any], data: Dataset) -> None:
        xy, labels, removed = read_edits(split_keys(spec)[1], data)
        self.source_n = len(data.x_train) - len(xy) + len(removed)
        self.removed = list(removed)
        self.added = [(float(x), float(y)) for x, y in xy.tolist()]
        self.labels = [int(c) for c in labels.tolist()]

    def add(self, x: float, y: float, cls: int) -> None:
        if len(self.added) >= MAX_ADDED:
            raise config_error("err_points_many", n=MAX_ADDED, field="data.added_points")
        self.added.append((x, y))
        self.labels.append(cls)

    def remove_row(self, row: int) -> None:
        """Take out row `row` of the current training set (a source row or an added one)."""
        kept = self.source_n - len(self.removed)
        if row >= kept:
            del self.added[row - kept], self.labels[row - kept]
            return
        source_rows = np.delete(np.arange(self.source_n), self.removed)
        self.removed = sorted([*self.removed, int(source_rows[row])])

    def spec(self, spec: dict[str, Any]) -> dict[str, Any]:
        """The `[data]` section with these edits (keys left out when empty)."""
        out = split_keys(spec)[0]
        if self.added:
            out["added_points"] = [list(p) for p in self.added]
            out["added_labels"] = list(self.labels)
        if self.removed:
            out["removed_points"] = list(self.removed)
        return out
