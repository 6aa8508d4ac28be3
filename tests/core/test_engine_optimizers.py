"""Each optimizer against its published rule, worked by hand for two steps on one weight."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tui_nn.core.errors import ConfigError, Diverged
from tui_nn.core.optimizers import make_optimizer

G1, G2, LR = 0.5, -0.2, 0.1


def two_steps(name: str, **constants: float) -> list[float]:
    opt = make_optimizer(name, **constants).bind({"W1": (1,)})
    theta = np.array([1.0])
    seen = []
    for t, g in enumerate((G1, G2), start=1):
        opt.update(theta, np.array([g]), LR, t)
        seen.append(float(theta[0]))
    return seen


def test_sgd() -> None:
    assert two_steps("sgd") == pytest.approx([0.95, 0.97])


def test_momentum() -> None:
    # v1 = -0.1·0.5 = -0.05 → 0.95;  v2 = 0.9·(-0.05) + 0.02 = -0.025 → 0.925
    assert two_steps("momentum") == pytest.approx([0.95, 0.925])


def test_nesterov() -> None:
    # v1 = -0.05, W = 1 + 0.9·(-0.05) - 0.05 = 0.905;  v2 = -0.025, W = 0.905 - 0.0225 + 0.02
    assert two_steps("nesterov") == pytest.approx([0.905, 0.9025])


def test_adagrad() -> None:
    w1 = 1 - LR * G1 / (math.sqrt(G1**2) + 1e-7)
    w2 = w1 - LR * G2 / (math.sqrt(G1**2 + G2**2) + 1e-7)
    assert two_steps("adagrad") == pytest.approx([w1, w2], rel=1e-14)


def test_rmsprop() -> None:
    h1 = 0.01 * G1**2
    w1 = 1 - LR * G1 / (math.sqrt(h1) + 1e-7)
    h2 = 0.99 * h1 + 0.01 * G2**2
    w2 = w1 - LR * G2 / (math.sqrt(h2) + 1e-7)
    assert two_steps("rmsprop") == pytest.approx([w1, w2], rel=1e-14)


def test_adam() -> None:
    m1, v1 = 0.1 * G1, 0.001 * G1**2
    w1 = 1 - LR * (m1 / 0.1) / (math.sqrt(v1 / 0.001) + 1e-8)  # first step moves by η
    m2, v2 = 0.9 * m1 + 0.1 * G2, 0.999 * v1 + 0.001 * G2**2
    w2 = w1 - LR * (m2 / (1 - 0.9**2)) / (math.sqrt(v2 / (1 - 0.999**2)) + 1e-8)
    assert two_steps("adam") == pytest.approx([w1, w2], rel=1e-14)
    assert w1 == pytest.approx(0.9, abs=1e-7)


def test_constants_are_settable() -> None:
    # μ = 0.5: v2 = 0.5·(-0.05) + 0.02 = -0.005 → 0.945
    assert two_steps("momentum", momentum=0.5) == pytest.approx([0.95, 0.945])
    assert two_steps("adam", beta1=0.0, beta2=0.0, eps=0.0) == pytest.approx([0.9, 1.0])


def test_unknown_constant_is_refused() -> None:
    with pytest.raises(ConfigError, match="sgd has no constant 'momentum'"):
        make_optimizer("sgd", momentum=0.9)


def test_non_finite_update_never_reaches_the_weights() -> None:
    opt = make_optimizer("sgd").bind({"W1": (1,), "b1": (1,)})
    theta = np.array([1.0, 2.0])
    with pytest.raises(Diverged, match="learning rate") as e:
        opt.update(theta, np.array([0.0, np.inf]), LR, 7)
    np.testing.assert_array_equal(theta, [1.0, 2.0])
    assert (e.value.step, e.value.param) == (7, "b1")


def test_frozen_parameters_do_not_move() -> None:
    opt = make_optimizer("adam").bind({"W1": (1,), "b1": (1,)}, frozen=["b1"])
    theta = np.array([1.0, 0.35])
    opt.update(theta, np.array([0.5, 0.5]), LR, 1)
    assert theta[1] == 0.35
    assert theta[0] == pytest.approx(0.9, abs=1e-7)


def test_a_frozen_parameters_zero_over_zero_is_not_a_divergence() -> None:
    # ε = 0 and g = 0: AdaGrad's 0/0 on a frozen bias never reaches the check, nor θ.
    opt = make_optimizer("adagrad", eps=0.0).bind({"W1": (1,), "b1": (1,)}, frozen=["b1"])
    theta = np.array([1.0, 0.35])
    with np.errstate(invalid="ignore"):  # as the trainer runs it: NaN is checked, not warned
        opt.update(theta, np.array([0.5, 0.0]), LR, 1)
    assert theta.tolist() == [0.9, 0.35]


def test_a_copy_updates_on_its_own_state() -> None:
    opt = make_optimizer("momentum").bind({"W1": (2,), "b1": (1,)})
    theta = np.array([1.0, 2.0, 3.0])
    opt.update(theta, np.array([0.5, -0.5, 1.0]), LR, 1)  # v = -η g = [-0.05, 0.05, -0.1]
    twin, theta2 = opt.copy(), theta.copy()
    twin.update(theta2, np.array([0.5, -0.5, 1.0]), LR, 2)  # v = 0.9 v - η g
    np.testing.assert_allclose(twin.state["v"]["W1"], [-0.095, 0.095], rtol=1e-15)
    np.testing.assert_allclose(twin.state["v"]["b1"], [-0.19], rtol=1e-15)
    np.testing.assert_allclose(opt.state["v"]["W1"], [-0.05, 0.05], rtol=1e-15)
    assert (opt.t, twin.t) == (1, 2)
    np.testing.assert_allclose(theta2, theta + np.array([-0.095, 0.095, -0.19]), rtol=1e-15)
