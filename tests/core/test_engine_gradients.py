"""Backprop against central differences for every activation, loss and depth; closed forms."""

from __future__ import annotations

import itertools
import zlib

import numpy as np
import pytest

from tui_nn.core import Network, NetworkConfig, gradient_check
from tui_nn.core.activations import get_activation
from tui_nn.core.losses import get_loss

HIDDEN = ["identity", "sigmoid", "tanh", "relu", "leaky_relu"]
PAIRS = [  # (output, loss) combinations the engine accepts
    ("identity", "sum_squared"),
    ("identity", "mse"),
    ("sigmoid", "sum_squared"),
    ("sigmoid", "mse"),
    ("sigmoid", "binary_cross_entropy"),
    ("softmax", "cross_entropy"),
    ("softmax", "sum_squared"),
    ("softmax", "mse"),
]


def _batch(rng: np.random.Generator, n_in: int, n_out: int, output: str, n: int = 5):
    x = rng.normal(size=(n, n_in))
    if output == "softmax":
        d = np.eye(n_out)[rng.integers(0, n_out, n)]
    elif output == "sigmoid":
        d = (
            rng.uniform(0.05, 0.95, size=(n, n_out)).round(0)
            if n_out == 1
            else rng.uniform(0.05, 0.95, size=(n, n_out))
        )
    else:
        d = rng.normal(size=(n, n_out))
    return x, d


def _near_kink(net: Network, x: np.ndarray, margin: float = 1e-2) -> bool:
    net.forward(x)
    return any(
        layer.f.name in ("relu", "leaky_relu") and np.abs(layer.u).min() < margin
        for layer in net.layers
    )


@pytest.mark.parametrize(
    ("act", "pair", "depth"), list(itertools.product(HIDDEN, PAIRS, [1, 2, 3]))
)
def test_backprop_agrees_with_numerical_gradient(act: str, pair: tuple[str, str], depth: int):
    output, loss = pair
    n_out = 1 if loss == "binary_cross_entropy" else 3
    layers = [3, *[4] * depth, n_out]
    seed = zlib.crc32(f"{act}{pair}{depth}".encode())
    cfg = NetworkConfig(layers, activation=act, output=output, loss=loss, init="xavier", seed=seed)
    net = Network(cfg)
    rng = np.random.default_rng(seed)
    for b in (p for k, p in net.params.items() if k[0] == "b"):
        b[...] = rng.normal(scale=0.1, size=b.shape)  # nonzero biases exercise ∂E/∂b
    x, d = _batch(rng, 3, n_out, output)
    while _near_kink(net, x):  # central differences are wrong across relu's kink at u = 0
        x, d = _batch(rng, 3, n_out, output)
    worst = max(c.relative_error for c in gradient_check(net, x, d))
    assert worst < 1e-7, f"{act}/{output}/{loss}/depth {depth}: {worst}"


def test_float32_networks_are_checked_in_float64() -> None:
    cfg = NetworkConfig(
        [2, 3, 2],
        activation="tanh",
        output="softmax",
        loss="cross_entropy",
        init="he",
        dtype="float32",
    )
    net = Network(cfg)
    assert net.dtype == np.float32
    x = np.array([[0.5, -1.0], [1.5, 0.2]], dtype=np.float32)
    d = np.eye(2, dtype=np.float32)
    assert max(c.relative_error for c in gradient_check(net, x, d)) < 1e-7


def test_softmax_cross_entropy_delta_is_y_minus_d_over_batch() -> None:
    net = Network(NetworkConfig([2, 3], output="softmax", loss="cross_entropy", init="he"))
    x = np.array([[1.0, 2.0], [-1.0, 0.5]])
    d = np.array([[0, 1, 0], [1, 0, 0]], dtype=float)
    y = net.forward(x)
    net.backward(d)
    np.testing.assert_allclose(net.layers[-1].delta, (y - d) / 2)


def test_squared_error_table_of_the_course() -> None:
    loss = get_loss("sum_squared")
    one_hot = np.array([[1.0, 0, 0]])
    # the slides print 0.01871 for the first row; ½(0.18² + 0.07² + 0.11²) is 0.0247
    assert loss.value(np.array([[0.82, 0.07, 0.11]]), one_hot) == pytest.approx(0.0247)
    mouse = np.array([[0.0, 0, 1]])
    assert loss.value(np.array([[0.16, 0.14, 0.70]]), mouse) == pytest.approx(0.0676)
    assert loss.value(np.array([[0.02, 0.38, 0.60]]), mouse) == pytest.approx(0.1524)


def test_cross_entropy_uses_the_1e7_guard_as_a_floor() -> None:
    loss = get_loss("cross_entropy")
    y = np.array([[0.0, 1.0], [0.25, 0.75]])
    d = np.array([[1.0, 0.0], [0.0, 1.0]])
    expected = (-np.log(1e-7) - np.log(0.75)) / 2
    assert loss.value(y, d) == pytest.approx(expected, rel=1e-12)
    course = (-np.log(1e-7) - np.log(0.75 + 1e-7)) / 2  # the course's log(y + 1e-7)
    assert loss.terms(y, d).sum() / 2 == pytest.approx(course, rel=1e-12)


def test_mse_is_the_mean_over_outputs() -> None:
    y, d = np.array([[1.0, 3.0]]), np.array([[0.0, 0.0]])
    assert get_loss("mse").value(y, d) == pytest.approx((1 + 9) / 2)


@pytest.mark.parametrize(
    ("name", "u", "z", "dz"),
    [
        ("sigmoid", 0.0, 0.5, 0.25),
        ("tanh", 0.5, np.tanh(0.5), 1 - np.tanh(0.5) ** 2),
        ("relu", -2.0, 0.0, 0.0),
        ("relu", 3.0, 3.0, 1.0),
        ("leaky_relu", -2.0, -0.02, 0.01),
        ("identity", -4.0, -4.0, 1.0),
        ("step", 0.3, 1.0, 0.0),
    ],
)
def test_activation_values_and_derivatives(name: str, u: float, z: float, dz: float) -> None:
    f = get_activation(name)
    out = f.forward(np.array([u]))
    assert out[0] == pytest.approx(z)
    assert f.derivative(np.array([u]), out)[0] == pytest.approx(dz)


def test_step_network_says_it_cannot_learn() -> None:
    net = Network(NetworkConfig([2, 2, 1], activation="step", output="sigmoid"))
    assert any("step" in w and "gradient" in w for w in net.warnings)
