"""Every unit's map over the input plane (the network picture's thumbnails), checked against a
forward pass written out here with the course's formulas u = z·W + b, z = f(u)."""

from __future__ import annotations

import warnings

import numpy as np

from tui_nn.core import Trainer, load
from tui_nn.core.boundary import Model
from tui_nn.core.unitmaps import MAX_UNITS, picture, unit_maps


def plane(extent, cols: int, rows: int) -> np.ndarray:
    """Pixel centres, row 0 the top (largest y), row by row."""
    (x_lo, x_hi), (y_lo, y_hi) = extent[0], extent[1]
    xs = x_lo + (np.arange(cols) + 0.5) * (x_hi - x_lo) / cols
    ys = y_hi - (np.arange(rows) + 0.5) * (y_hi - y_lo) / rows
    return np.array([(x, y) for y in ys for x in xs])


def test_maps_of_circle_match_a_forward_pass_written_out() -> None:
    t = Trainer(load("circle"))
    t.run(20)
    p = t.net.params
    model = Model.of(t.net, t.data)
    maps = unit_maps(model, cols=5, rows=3)
    x = plane(model.extent, 5, 3)
    z1 = np.tanh(x @ p["W1"] + p["b1"])
    u2 = z1 @ p["W2"] + p["b2"]
    y = np.exp(u2 - u2.max(axis=1, keepdims=True))
    y /= y.sum(axis=1, keepdims=True)
    assert [m.shape for m in maps] == [(3, 5, 2), (3, 5, 8), (3, 5, 2)]
    np.testing.assert_allclose(maps[0].reshape(15, 2), x, rtol=1e-6)
    np.testing.assert_allclose(maps[1].reshape(15, 8), z1, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(maps[2].reshape(15, 2), y, rtol=1e-5, atol=1e-6)


def test_the_input_features_are_maps_too() -> None:
    """spiral's inputs x1, x2, x1², x2², x1·x2, sin x1, sin x2 over the plane."""
    t = Trainer(load("spiral"))
    model = Model.of(t.net, t.data)
    maps = unit_maps(model, cols=4, rows=4)
    x = plane(model.extent, 4, 4)
    x1, x2 = x[:, 0], x[:, 1]
    want = np.stack([x1, x2, x1**2, x2**2, x1 * x2, np.sin(x1), np.sin(x2)], axis=1)
    np.testing.assert_allclose(maps[0].reshape(16, 7), want, rtol=1e-5, atol=1e-6)
    assert [m.shape[2] for m in maps] == [7, 8, 8, 2]


def test_picture_copies_and_caps_what_it_draws() -> None:
    t = Trainer(load("circle"))
    pic = picture(t.net, t.data)
    assert [w.shape for w in pic.weights] == [(2, 8), (8, 2)]
    assert pic.names == ("x1", "x2") and pic.activations == ("tanh", "softmax")
    pic.weights[0][0, 0] += 1.0  # a copy: the trainer's weights are untouched
    assert pic.weights[0][0, 0] != t.net.params["W1"][0, 0]
    assert MAX_UNITS >= 8


def test_a_diverged_net_saturates_its_maps_instead_of_overflowing() -> None:
    t = Trainer(load("circle", ['network.activation="relu"']))
    t.net.params["W1"][...] *= 1e300  # u1 far past float32's range, as after a divergence
    model = Model.of(t.net, t.data)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the float32 cast warned of an overflow here
        maps = unit_maps(model, cols=4, rows=4)
    hidden = maps[1]
    big = np.finfo(np.float32).max
    assert hidden.dtype == np.float32 and np.isfinite(hidden).all()
    assert hidden.max() == big and hidden.min() == 0.0  # ReLU: 0 or past the range
