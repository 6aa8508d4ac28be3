"""The decision-boundary grid: pixel centres, class probabilities and confidence against closed
forms for networks whose weights are written by hand, the 3-D slice, and the copy that keeps
the grid apart from the trainer."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tui_nn.core import ConfigError, Trainer, parse
from tui_nn.core.boundary import (
    Model,
    class_probs,
    grid_outputs,
    overlay_points,
    pixel_centres,
    plot_dims,
)
from tui_nn.core.datasets import sphere4_class


def sigmoid(u: float) -> float:
    return 1 / (1 + math.exp(-u))


def trainer(layers, data, weights, output="sigmoid", loss="binary_cross_entropy", **net) -> Trainer:
    doc = {
        "network": {"layers": layers, "output": output, "loss": loss, "weights": weights, **net},
        "data": data,
        "train": {"lr": 0.1},
    }
    return Trainer(parse(doc))


def test_pixel_centres() -> None:
    np.testing.assert_allclose(pixel_centres(-6, 6, 4), [-4.5, -1.5, 1.5, 4.5])


def test_one_neuron_on_x1_over_the_plane() -> None:
    # y = σ(1·x1 + 0·x2): class 1 right of x1 = 0, probability σ(x1) at each pixel centre.
    t = trainer([2, 1], {"source": "linear", "n": 20}, {"W1": [[1.0], [0.0]], "b1": [0.0]})
    g = grid_outputs(Model.of(t.net, t.data), cols=4, rows=2)
    assert g.shape == (2, 4) and g.extent == ((-6.0, 6.0), (-6.0, 6.0)) and g.z is None
    want = np.array([sigmoid(x) for x in (-4.5, -1.5, 1.5, 4.5)])
    for row in range(2):
        np.testing.assert_allclose(g.probs[row, :, 1], want, rtol=1e-6)
        np.testing.assert_allclose(g.probs[row, :, 0], 1 - want, rtol=1e-6)
    np.testing.assert_array_equal(g.classes, [[0, 0, 1, 1]] * 2)
    np.testing.assert_allclose(g.confidence[0], np.abs(2 * want - 1), rtol=1e-6)


def test_rows_run_from_the_top() -> None:
    # y = σ(x2): the top row (x2 = +3 for 2 rows over [-6, 6]) is class 1.
    t = trainer([2, 1], {"source": "linear", "n": 20}, {"W1": [[0.0], [1.0]], "b1": [0.0]})
    g = grid_outputs(Model.of(t.net, t.data), cols=3, rows=2)
    np.testing.assert_allclose(g.probs[:, 0, 1], [sigmoid(3), sigmoid(-3)], rtol=1e-6)


def test_grid_goes_through_the_same_features() -> None:
    # Input feature x1·x2 only, y = σ(x1·x2): the XOR pattern of the quadrants.
    data = {"source": "xor", "n": 20, "features": ["x1*x2"]}
    t = trainer([1, 1], data, {"W1": [[1.0]], "b1": [0.0]})
    g = grid_outputs(Model.of(t.net, t.data), cols=2, rows=2)
    np.testing.assert_allclose(
        g.probs[..., 1], [[sigmoid(-9), sigmoid(9)], [sigmoid(9), sigmoid(-9)]]
    )


def test_softmax_probabilities_and_confidence() -> None:
    # 3 classes, u = (x1, 0, −x1): at x1 = 3 the softmax is e³, 1, e⁻³ over their sum.
    w = {"W1": [[1.0, 0.0, -1.0], [0.0, 0.0, 0.0]], "b1": [0.0, 0.0, 0.0]}
    t = trainer(
        [2, 3],
        {"source": "inline", "x": [[-3, 0], [3, 0]], "labels": [0, 2]},
        w,
        output="softmax",
        loss="cross_entropy",
    )
    model = Model.of(t.net, t.data)
    # Inline data says no extent: the points' range padded by a quarter (at least 0.5).
    assert model.extent == ((-4.5, 4.5), (-0.5, 0.5))
    g = grid_outputs(model, cols=3, rows=1)  # pixel centres x1 = −3, 0, 3
    s = math.exp(3) + 1 + math.exp(-3)
    np.testing.assert_allclose(g.probs[0, 2], [math.exp(3) / s, 1 / s, math.exp(-3) / s], rtol=1e-6)
    np.testing.assert_allclose(g.probs[0, 1], [1 / 3] * 3, rtol=1e-6)
    assert g.confidence[0, 1] == pytest.approx(0, abs=1e-6)
    top = math.exp(3) / s
    assert g.confidence[0, 2] == pytest.approx((top - 1 / 3) / (2 / 3), rel=1e-6)
    np.testing.assert_array_equal(g.classes[0], [2, 0, 0])  # the middle is a tie: argmax 0


def test_regression_output_gives_values() -> None:
    data = {"source": "function", "formula": "3*x0 + 2*x1", "n": 10}
    t = trainer(
        [2, 1], data, {"W1": [[3.0], [2.0]], "b1": [0.0]}, output="identity", loss="sum_squared"
    )
    g = grid_outputs(Model.of(t.net, t.data), cols=2, rows=2)  # over range [0, 1]²
    assert g.probs is None and g.classes is None
    np.testing.assert_allclose(
        g.values,
        [[3 * 0.25 + 2 * 0.75, 3 * 0.75 + 2 * 0.75], [3 * 0.25 + 2 * 0.25, 3 * 0.75 + 2 * 0.25]],
    )


def test_sphere4_slice_at_z() -> None:
    # u = (z, 0, 0, 0): every pixel of the slice at z has p(class 1) = e^z / (e^z + 3).
    w = {"W1": [[0.0] * 4, [0.0] * 4, [1.0, 0, 0, 0]], "b1": [0.0] * 4}
    t = trainer([3, 4], {"source": "sphere4", "n": 400}, w, output="softmax", loss="cross_entropy")
    model = Model.of(t.net, t.data)
    assert model.dims == 3 and model.extent[2] == (-6.0, 6.0)
    g = grid_outputs(model, cols=5, rows=4, z=2.0)
    assert g.z == 2.0
    np.testing.assert_allclose(g.probs[..., 0], math.exp(2) / (math.exp(2) + 3), rtol=1e-6)
    assert grid_outputs(model, 5, 4).z == 0.0  # the middle of the z range first


def test_overlay_points_slice_and_classes() -> None:
    t = trainer(
        [3, 4],
        {"source": "sphere4", "n": 2000, "test_ratio": 0.25},
        {},
        output="softmax",
        loss="cross_entropy",
    )
    everything = overlay_points(t.data)
    assert len(everything) == 2000 and everything.test.sum() == 500
    pts = overlay_points(t.data, z=1.0, thickness=1.0)
    raw = np.concatenate([t.data.points("train"), t.data.points("test")])
    near = raw[np.abs(raw[:, 2] - 1.0) <= 0.5]
    assert len(pts) == len(near) > 0
    np.testing.assert_array_equal(np.sort(pts.xy[:, 0]), np.sort(near[:, 0]))
    np.testing.assert_array_equal(np.sort(pts.classes), np.sort(sphere4_class(near)))


def test_overlay_points_of_featurized_data_are_raw() -> None:
    t = trainer(
        [7, 1],
        {
            "source": "spiral",
            "n": 40,
            "features": ["x1", "x2", "x1^2", "x2^2", "x1*x2", "sin_x1", "sin_x2"],
        },
        {},
    )
    pts = overlay_points(t.data)
    assert pts.xy.shape == (40, 2)
    np.testing.assert_array_equal(pts.xy[: t.n_train], t.data.raw_train)


def test_model_is_a_copy_and_leaves_the_network_alone() -> None:
    t = Trainer(
        parse(
            {
                "network": {
                    "layers": [2, 6, 2],
                    "activation": "tanh",
                    "output": "softmax",
                    "loss": "cross_entropy",
                    "init": "xavier",
                },
                "data": {"source": "circle", "n": 100},
                "train": {"lr": 0.5},
            }
        )
    )
    model = Model.of(t.net, t.data)
    before = grid_outputs(model, 20, 10).probs.copy()
    t.run(20)
    np.testing.assert_array_equal(grid_outputs(model, 20, 10).probs, before)  # old weights kept
    cache = [layer.u for layer in t.net.layers]
    fresh = Model.of(t.net, t.data)
    grid = grid_outputs(fresh, 20, 10)
    assert all(a is layer.u for a, layer in zip(cache, t.net.layers, strict=True))
    # The copy computes what the network computes.
    pts = np.array([[1.0, -2.0], [4.0, 0.5]])
    np.testing.assert_allclose(fresh.forward(pts), t.net.forward(t.data.inputs(pts)))
    assert not np.array_equal(grid.probs, before)


def test_boundary_needs_2d_or_3d_points() -> None:
    t = Trainer(
        parse(
            {
                "network": {"layers": [4, 3], "output": "softmax", "loss": "cross_entropy"},
                "data": {"source": "iris"},
                "train": {"lr": 0.1},
            }
        )
    )
    assert plot_dims(t.data) is None
    with pytest.raises(ConfigError, match="2-D or 3-D"):
        Model.of(t.net, t.data)


def test_class_probs_of_other_outputs() -> None:
    y = np.array([[0.2, 0.6], [0.0, 0.0], [-1.0, 3.0]])
    np.testing.assert_allclose(class_probs(y, "sigmoid"), [[0.25, 0.75], [0.5, 0.5], [0, 1]])
