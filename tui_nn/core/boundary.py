"""The decision boundary: the network's output over a grid of points, as in the course's plots
over [-6, 6]² (and, for the 3-D sphere4 homework, over a slice at a chosen z).

Threading: `Model.of(net, data)` copies the parameters, so call it in the thread that steps
the trainer, between two steps (the app's training worker). Everything after that
(`grid_outputs`, `overlay_points`) is pure NumPy on the copies and shares nothing with the
trainer: it may run in that worker or any other thread while training goes on. Nothing here
touches `Network.forward`, whose layers cache u and z for backprop.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from tui_nn.core.activations import Activation
from tui_nn.core.data import Dataset
from tui_nn.core.errors import config_error
from tui_nn.core.network import Network

#: Grid points per forward pass: blocks this small stay in cache and avoid fresh large
#: allocations, which makes a 118×76 grid about 2-3 times faster than one big pass.
CHUNK = 2048


def points_extent(points: np.ndarray) -> tuple[tuple[float, float], ...]:
    """The points' range on each axis with a margin of a quarter of it (at least 0.5), for
    data that does not say what space it covers (inline rows such as the XOR truth table)."""
    lo, hi = points.min(axis=0), points.max(axis=0)
    pad = np.maximum((hi - lo) * 0.25, 0.5)
    return tuple((float(a - m), float(b + m)) for a, b, m in zip(lo, hi, pad, strict=True))


def plot_dims(data: Dataset) -> int | None:
    """2 or 3 when the data's raw points can be drawn as a boundary (3 as z-slices), else None."""
    dims = data.points("train").shape[1]
    return dims if dims in (2, 3) else None


@dataclass(frozen=True)
class Model:
    """A frozen copy of a network: its (W, b) per layer, activations and the data's features."""

    weights: tuple[tuple[np.ndarray, np.ndarray], ...]
    activations: tuple[Activation, ...]
    output: str
    dims: int
    extent: tuple[tuple[float, float], ...]
    featurize: Callable[[np.ndarray], np.ndarray] | None = None

    @classmethod
    def of(cls, net: Network, data: Dataset) -> Model:
        """Copy the network's parameters now (call between training steps, see module doc)."""
        dims = plot_dims(data)
        if dims is None:
            raise config_error("err_boundary_dims", n=data.points("train").shape[1])
        n = len(net.layers)
        weights = tuple(
            (net.params[f"W{i}"].copy(), net.params[f"b{i}"].copy()) for i in range(1, n + 1)
        )
        extent = data.extent or points_extent(
            np.concatenate([data.points("train"), data.points("test")])
        )
        return cls(
            weights,
            tuple(layer.f for layer in net.layers),
            net.output.name,
            dims,
            tuple(extent),
            data.featurize,
        )

    def forward(self, points: np.ndarray) -> np.ndarray:
        """The output y for raw points: features, then u = z·W + b, z = f(u) layer by layer."""
        if len(points) > CHUNK:
            parts = [self._forward(points[i : i + CHUNK]) for i in range(0, len(points), CHUNK)]
            return np.concatenate(parts)
        return self._forward(points)

    def _forward(self, points: np.ndarray) -> np.ndarray:
        z = points if self.featurize is None else self.featurize(points)
        z = z.astype(self.weights[0][0].dtype, copy=False)
        for (W, b), f in zip(self.weights, self.activations, strict=True):
            z = f.forward(z @ W + b)
        return z


@dataclass(frozen=True)
class Grid:
    """The model over a rows × cols grid of pixels; row 0 is the top (largest y)."""

    #: Class probabilities, rows × cols × K; None for a regression (one identity output).
    probs: np.ndarray | None
    #: The predicted class of each pixel (argmax), rows × cols; None for a regression.
    classes: np.ndarray | None
    #: How sure the prediction is, 0 (all classes equal) .. 1 (certain), rows × cols.
    confidence: np.ndarray
    #: The raw output for a regression, rows × cols; None for classification.
    values: np.ndarray | None
    #: ((x_lo, x_hi), (y_lo, y_hi)) covered by the grid.
    extent: tuple[tuple[float, float], tuple[float, float]]
    #: The z of the slice for 3-D data, else None.
    z: float | None = None
    #: For one unit's map (values): the middle its two colours part at (0, or 0.5 for an
    #: output in [0, 1]); None for the network's own output.
    centre: float | None = None

    @property
    def shape(self) -> tuple[int, int]:
        return self.confidence.shape


def pixel_centres(lo: float, hi: float, n: int) -> np.ndarray:
    """Centres of n equal pixels covering [lo, hi]."""
    return lo + (np.arange(n) + 0.5) * (hi - lo) / n


def grid_points(model: Model, cols: int, rows: int, z: float | None = None) -> np.ndarray:
    """The raw points of the grid, row by row from the top: (rows·cols) × dims."""
    (x_lo, x_hi), (y_lo, y_hi) = model.extent[0], model.extent[1]
    xs = pixel_centres(x_lo, x_hi, cols)
    ys = pixel_centres(y_lo, y_hi, rows)[::-1]
    gx, gy = np.meshgrid(xs, ys)
    columns = [gx.ravel(), gy.ravel()]
    if model.dims == 3:
        columns.append(np.full(gx.size, default_z(model) if z is None else z))
    return np.stack(columns, axis=1)


def default_z(model: Model) -> float:
    """The middle of the z range: the slice shown first."""
    lo, hi = model.extent[2]
    return (lo + hi) / 2


def class_probs(y: np.ndarray, output: str) -> np.ndarray:
    """Outputs as class probabilities: softmax as it is, one sigmoid unit as (1 − y, y),
    several sigmoid or identity outputs as their (clipped) shares."""
    if output == "softmax":
        return y
    if y.shape[1] == 1:
        p = np.clip(y, 0.0, 1.0)
        return np.concatenate([1.0 - p, p], axis=1)
    s = np.clip(y, 0.0, None)
    total = s.sum(axis=1, keepdims=True)
    return np.where(total > 0, s / np.where(total > 0, total, 1.0), 1.0 / y.shape[1])


def grid_outputs(model: Model, cols: int, rows: int, z: float | None = None) -> Grid:
    """The model's output at the centre of every pixel of a cols × rows grid over its extent.

    For 3-D data the grid is the slice at height z (default: the middle of the z range).
    """
    if cols < 1 or rows < 1:
        raise ValueError(f"grid must be at least 1 × 1, got {cols} × {rows}")
    pts = grid_points(model, cols, rows, z)
    y = model.forward(pts)
    extent = (model.extent[0], model.extent[1])
    z_used = float(pts[0, 2]) if model.dims == 3 else None
    if model.output == "identity" and y.shape[1] == 1:
        values = y[:, 0].reshape(rows, cols)
        return Grid(None, None, np.ones((rows, cols), np.float32), values, extent, z_used)
    probs = class_probs(y, model.output).reshape(rows, cols, -1).astype(np.float32)
    k = probs.shape[2]
    top = probs.max(axis=2)
    confidence = np.clip((top - 1.0 / k) / (1.0 - 1.0 / k), 0.0, 1.0)
    return Grid(probs, probs.argmax(axis=2).astype(np.int16), confidence, None, extent, z_used)


@dataclass(frozen=True)
class Points:
    """Data points to draw over the grid: raw x, y, their class (−1 for regression targets)
    and whether each is a test point."""

    xy: np.ndarray
    classes: np.ndarray
    test: np.ndarray

    def __len__(self) -> int:
        return len(self.xy)


def class_of(d: np.ndarray) -> np.ndarray:
    """Class index of each target row: argmax of a one-hot row, > 0.5 for a 0/1 column."""
    if d.shape[1] == 1:
        return (d[:, 0] > 0.5).astype(np.int16)
    return d.argmax(axis=1).astype(np.int16)


def overlay_points(data: Dataset, z: float | None = None, thickness: float = 1.0) -> Points:
    """Training and test points as drawn over the grid; for 3-D data only those within
    thickness/2 of the slice z."""
    parts = []
    for part in ("train", "test"):
        p = data.points(part)
        d = getattr(data, f"d_{part}")
        cls = class_of(d) if data.n_classes else np.full(len(p), -1, np.int16)
        keep = (
            np.ones(len(p), bool)
            if z is None or p.shape[1] < 3
            else np.abs(p[:, 2] - z) <= thickness / 2
        )
        parts.append((p[keep, :2], cls[keep], np.full(int(keep.sum()), part == "test")))
    xy, cls, test = (np.concatenate(c) for c in zip(*parts, strict=True))
    return Points(xy.astype(np.float64), cls, test)
