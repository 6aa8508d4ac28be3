"""Every point of a landscape against the plain way of computing it: set the two parameters,
run the network's own forward pass over the training set, take its loss. For every kind of
pair (same layer and column, same layer, different layers, weights and biases, first and last
layer), every loss the engine has, and float32 networks."""

from __future__ import annotations

import numpy as np
import pytest

from tui_nn.core import Trainer, load
from tui_nn.core.landscape import loss_grid, parse_pair
from tui_nn.core.network import Network, NetworkConfig

#: Values reaching far enough that some outputs fall below the log guard's 1e-7.
P_VALUES = np.array([-30.0, -1.5, 0.2, 2.0, 25.0])
Q_VALUES = np.array([18.0, 0.7, -0.4, -22.0])


def reference(net: Network, x, d, p, q, ps, qs) -> np.ndarray:
    """E at each grid point the straightforward way, the weights put back after."""
    keep = net.theta.copy()
    want = np.empty((len(qs), len(ps)))
    for r, qv in enumerate(qs):
        for c, pv in enumerate(ps):
            net.theta[p.flat], net.theta[q.flat] = pv, qv
            want[r, c] = net.loss.value(net.forward(x), d)
    np.copyto(net.theta, keep)
    return want


def assert_matches(net: Network, x, d, first: str, second: str, rtol: float = 1e-12) -> None:
    p, q = parse_pair(first, second, net.cfg.layers)
    got = loss_grid(net, x, d, p, q, P_VALUES, Q_VALUES)
    want = reference(net, x, d, p, q, P_VALUES, Q_VALUES)
    np.testing.assert_allclose(got, want, rtol=rtol, atol=0)


#: The pair kinds of a 2-8-2 network, and of a three-layer one.
TWO_LAYER_PAIRS = [
    ("W1[0,1]", "W1[1,3]"),  # one layer, two columns
    ("W1[0,4]", "W1[1,4]"),  # one layer, one column
    ("W1[1,2]", "b1[2]"),  # a weight and the bias of its column
    ("b1[0]", "b1[7]"),
    ("W1[0,0]", "W2[3,1]"),  # first and last layer
    ("W2[0,1]", "W1[1,0]"),  # the weight of the changed unit, after
    ("W1[0,0]", "b2[1]"),
    ("W2[3,0]", "W2[3,1]"),
    ("W2[5,1]", "b2[1]"),
    ("b2[0]", "b2[1]"),
]
THREE_LAYER_PAIRS = [  # of a 3-5-4-K network, K ≥ 1
    ("W1[0,1]", "W1[2,3]"),
    ("W1[0,1]", "W2[1,2]"),
    ("b1[1]", "W3[3,0]"),
    ("W2[3,0]", "b2[0]"),
    ("W2[0,2]", "W3[2,0]"),
    ("W3[0,0]", "b3[0]"),
]


@pytest.fixture(scope="module")
def circle() -> Trainer:
    t = Trainer(load("circle"))
    t.run(30)
    return t


@pytest.mark.parametrize("first, second", TWO_LAYER_PAIRS)
def test_circle_every_pair_kind(circle: Trainer, first: str, second: str) -> None:
    assert_matches(circle.net, circle.data.x_train, circle.data.d_train, first, second)


def small_net(layers: list[int], output: str, loss: str, **cfg) -> tuple[Network, object, object]:
    """A network with drawn weights and biases, and 40 samples of targets its loss takes."""
    net = Network(
        NetworkConfig(layers, "tanh", output, loss, "xavier", bias_init="normal", seed=3, **cfg)
    )
    rng = np.random.default_rng(7)
    x = rng.standard_normal((40, layers[0]))
    k = layers[-1]
    if loss == "cross_entropy":
        d = np.eye(k)[rng.integers(0, k, 40)]
    elif loss == "binary_cross_entropy":
        d = rng.integers(0, 2, (40, k)).astype(float)
    else:
        d = rng.standard_normal((40, k))
    return net, x, d


LOSS_KINDS = [
    ("softmax", "cross_entropy", 3),
    ("softmax", "cross_entropy", 2),
    ("sigmoid", "binary_cross_entropy", 1),
    ("sigmoid", "binary_cross_entropy", 2),
    ("identity", "mse", 2),
    ("sigmoid", "half_mse", 3),
    ("tanh", "sum_squared", 1),
    ("softmax", "sum_squared", 3),
    ("relu", "mse", 2),
]


@pytest.mark.parametrize("output, loss, k", LOSS_KINDS)
@pytest.mark.parametrize("first, second", THREE_LAYER_PAIRS)
def test_every_loss_and_pair_of_a_deeper_net(output, loss, k, first, second) -> None:
    net, x, d = small_net([3, 5, 4, k], output, loss)
    assert_matches(net, x, d, first, second)


@pytest.mark.parametrize("first, second", [("W1[0,1]", "W1[1,1]"), ("W1[0,0]", "b2[0]")])
def test_a_float32_net_gives_its_own_loss(first: str, second: str) -> None:
    net, x, d = small_net([2, 6, 2], "softmax", "cross_entropy", dtype="float32")
    # float32 sums over 40 samples: agreement to a few units in the 7th digit.
    assert_matches(net, x.astype(np.float32), d, first, second, rtol=2e-6)


def test_reduction_sum_and_weight_decay_show_e_as_the_plots_do() -> None:
    """E is the mean of E_n over the training set without the λ‖W‖² term: the training loss
    the plots show, whatever the reduction of an update's batch."""
    t = Trainer(load("circle", ["train.reduction=sum", "train.weight_decay=0.01"]))
    t.run(10)
    p, q = parse_pair("W1[0,0]", "b2[1]", t.net.cfg.layers)
    now = t.net.theta[[[p.flat], [q.flat]]]
    here = loss_grid(t.net, t.data.x_train, t.data.d_train, p, q, *now)
    assert here[0, 0] == pytest.approx(t.evaluate()["train_loss"], rel=1e-12)
    assert_matches(t.net, t.data.x_train, t.data.d_train, "W1[0,0]", "b2[1]")


def test_a_float32_trainer_gives_its_training_loss() -> None:
    t = Trainer(load("circle", ["train.dtype=float32"]))
    t.run(30)
    assert t.net.dtype == np.float32
    assert_matches(t.net, t.data.x_train, t.data.d_train, "W1[0,1]", "W2[3,1]", rtol=2e-6)
