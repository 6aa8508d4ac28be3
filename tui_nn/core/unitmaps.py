"""What every unit of the network computes over the input plane: the maps drawn as the
network picture's thumbnails (TensorFlow Playground's neuron pictures).

One forward pass over a coarse grid of raw points gives every unit at once: the input
features z⁰ (x1, x2, x1², sin x1, ...), then z = f(u), u = z·W + b, layer by layer. Pure NumPy
on a `Model`'s copies, so it may run in any thread (see `tui_nn.core.boundary`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tui_nn.core.boundary import Grid, Model, grid_points, plot_dims
from tui_nn.core.data import Dataset
from tui_nn.core.network import Network

#: Pixels per side of a unit's map: the thumbnails are a few cells, so a coarse grid is enough.
MAP_SIZE = 16


def layer_outputs(model: Model, points: np.ndarray) -> list[np.ndarray]:
    """[z⁰ (the input features), z¹, ..., zᴸ (the outputs)] for raw points, each n × units."""
    z = points if model.featurize is None else model.featurize(points)
    z = z.astype(model.weights[0][0].dtype, copy=False)
    out = [z]
    for (W, b), f in zip(model.weights, model.activations, strict=True):
        z = f.forward(z @ W + b)
        out.append(z)
    return out


def unit_maps(
    model: Model, cols: int = MAP_SIZE, rows: int = MAP_SIZE, z: float | None = None
) -> list[np.ndarray]:
    """Each layer's output over a cols × rows grid (row 0 the top), rows × cols × units,
    float32; for 3-D data over the slice at height z."""
    if cols < 1 or rows < 1:
        raise ValueError(f"grid must be at least 1 × 1, got {cols} × {rows}")
    pts = grid_points(model, cols, rows, z)
    return [as_float32(a.reshape(rows, cols, -1)) for a in layer_outputs(model, pts)]


def as_float32(a: np.ndarray) -> np.ndarray:
    """`a` in float32, its values past float32's range (a diverged run's) saturated at the
    largest float32 instead of overflowing to ±inf with a warning; NaN stays NaN."""
    big = np.finfo(np.float32).max
    return np.ascontiguousarray(np.clip(a, -big, big), dtype=np.float32)


#: Units per layer copied for the picture: more are never drawn (the picture says "+N").
MAX_UNITS = 64


@dataclass(frozen=True)
class Picture:
    """What the network picture draws, copied in the worker: every layer's W (at most
    MAX_UNITS × MAX_UNITS of it), each layer's map (None for data not on a plane), the
    activations' names and the input features' names."""

    weights: tuple[np.ndarray, ...]
    maps: tuple[np.ndarray, ...] | None
    activations: tuple[str, ...]
    names: tuple[str, ...]


def picture(net: Network, data: Dataset, z: float | None = None) -> Picture:
    """The network picture now (call between training steps, as `Model.of`)."""
    cut = slice(0, MAX_UNITS)
    weights = tuple(
        net.params[f"W{i}"][cut, cut].astype(np.float64) for i in range(1, len(net.layers) + 1)
    )
    maps = None
    if plot_dims(data) is not None:
        maps = tuple(m[:, :, cut].copy() for m in unit_maps(Model.of(net, data), z=z))
    return Picture(
        weights,
        maps,
        tuple(layer.f.name for layer in net.layers),
        tuple(data.feature_names[:MAX_UNITS]),
    )


def unit_grid(model: Model, cols: int, rows: int, z: float | None, layer: int, unit: int) -> Grid:
    """One unit's output over the boundary's grid (layer 0: an input feature), to draw in the
    boundary's place: values parting at 0, or at 0.5 for a sigmoid or softmax output."""
    maps = unit_maps(model, cols, rows, z)
    layer = min(max(layer, 0), len(maps) - 1)
    values = maps[layer][:, :, min(max(unit, 0), maps[layer].shape[2] - 1)]
    f = model.activations[layer - 1].name if layer else ""
    centre = 0.5 if f in ("sigmoid", "softmax") else 0.0
    z_used = float(grid_points(model, 1, 1, z)[0, 2]) if model.dims == 3 else None
    extent = (model.extent[0], model.extent[1])
    return Grid(None, None, np.ones((rows, cols), np.float32), values, extent, z_used, centre)
