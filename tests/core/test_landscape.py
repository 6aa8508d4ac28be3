"""The landscape of two parameters: E on its grid against closed forms and against the
trainer's own loss with those values set, and the recorded path against the parameters."""

from __future__ import annotations

import numpy as np
import pytest

from tui_nn.core import Trainer, load
from tui_nn.core.errors import ConfigError
from tui_nn.core.landscape import (
    Trajectory,
    axis_range,
    landscape,
    loss_grid,
    parse_pair,
    parse_param,
)
from tui_nn.core.network import Network, NetworkConfig


def linear_net() -> tuple[Network, np.ndarray, np.ndarray]:
    """y = x·w + b, E = mean of ½(y − d)²: a quadratic in (w, b) known in closed form."""
    cfg = NetworkConfig(
        layers=[1, 1],
        output="identity",
        loss="sum_squared",
        weights={"W1": np.array([[0.5]]), "b1": np.array([0.25])},
    )
    x = np.array([[1.0], [2.0], [-1.0], [3.0]])
    d = np.array([[2.0], [3.0], [0.5], [-1.0]])
    return Network(cfg), x, d


def test_a_linear_net_gives_its_known_quadratic() -> None:
    net, x, d = linear_net()
    w, b = parse_pair("W1[0,0]", "b1[0]", [1, 1])
    ws, bs = np.linspace(-2, 2, 7), np.linspace(-1, 3, 5)
    got = loss_grid(net, x, d, w, b, ws, bs)
    W, B = np.meshgrid(ws, bs)
    want = np.mean(0.5 * (x[None, None, :, 0] * W[..., None] + B[..., None] - d[:, 0]) ** 2, -1)
    np.testing.assert_allclose(got, want, rtol=1e-13, atol=1e-13)
    assert net.params["W1"][0, 0] == 0.5 and net.params["b1"][0] == 0.25  # left as it was


@pytest.mark.parametrize(
    "first, second",
    [("W1[0,1]", "b2[0]"), ("W2[3,1]", "W2[7,0]"), ("b1[2]", "W1[1,5]"), ("W1[0,0]", "W1[1,0]")],
)
def test_each_point_is_the_trainers_loss_with_the_two_set(first: str, second: str) -> None:
    t = Trainer(load("circle"))
    t.run(30)
    p, q = parse_pair(first, second, t.net.cfg.layers)
    ps, qs = np.array([-1.5, 0.2, 2.0]), np.array([0.7, -0.4])
    got = loss_grid(t.net, t.data.x_train, t.data.d_train, p, q, ps, qs)
    keep = t.net.theta.copy()
    for r, qv in enumerate(qs):
        for c, pv in enumerate(ps):
            t.net.theta[p.flat], t.net.theta[q.flat] = pv, qv
            want = t.net.loss.value(t.net.forward(t.data.x_train), t.data.d_train)
            np.testing.assert_allclose(got[r, c], want, rtol=1e-12)
            np.copyto(t.net.theta, keep)
    # At the current values it is the training loss the plots show.
    t.evaluate()
    here = loss_grid(
        t.net, t.data.x_train, t.data.d_train, p, q, *t.net.theta[[[p.flat], [q.flat]]]
    )
    assert here[0, 0] == pytest.approx(t.evals.last()["train_loss"], rel=1e-12)


def test_chunks_do_not_change_the_values(monkeypatch) -> None:
    t = Trainer(load("spiral"))
    p, q = parse_pair("W2[0,0]", "b3[1]", t.net.cfg.layers)
    ps, qs = np.linspace(-3, 3, 9), np.linspace(-2, 2, 4)
    whole = loss_grid(t.net, t.data.x_train, t.data.d_train, p, q, ps, qs)
    monkeypatch.setattr("tui_nn.core.landscape_grid.CHUNK_ELEMENTS", len(t.data.x_train) * 8 * 5)
    np.testing.assert_allclose(
        loss_grid(t.net, t.data.x_train, t.data.d_train, p, q, ps, qs), whole
    )


def test_the_path_is_the_parameters_after_each_step() -> None:
    t = Trainer(load("circle"))
    path = Trajectory(t.net.theta.size)
    path.record(0, t.net.theta)
    p, q = parse_pair("W1[1,3]", "b2[1]", t.net.cfg.layers)
    seen = [t.net.theta[[p.flat, q.flat]].copy()]
    for _ in range(40):
        t.step()
        path.record(t.step_count, t.net.theta)
        seen.append(t.net.theta[[p.flat, q.flat]].copy())
    steps, values = path.path(p, q)
    assert steps.tolist() == list(range(41))
    np.testing.assert_array_equal(values, np.array(seen))
    t.reset()
    path.record(0, t.net.theta)  # a reset starts the path again
    assert path.path(p, q)[0].tolist() == [0]


def test_a_full_path_keeps_its_last_half_step_by_step() -> None:
    path = Trajectory(3)
    path.capacity = 16
    for step in range(100):
        path.record(step, np.array([step, -step, 2.0 * step]))
    steps, values = path.path(*parse_pair("W1[0,0]", "b1[0]", [1, 1]))
    assert steps[0] == 0 and steps[-1] == 99 and len(steps) <= 16
    assert np.all(np.diff(steps) > 0)
    tail = steps[-len(steps) // 3 :]
    assert np.all(np.diff(tail) == 1)  # the newest steps are never thinned
    np.testing.assert_array_equal(values[:, 0], steps)


def test_a_large_network_records_only_the_chosen_pair() -> None:
    assert Trajectory.fits(42) and not Trajectory.fits(235_146)
    p, q = parse_pair("W1[700,100]", "b3[9]", [784, 256, 128, 10])
    path = Trajectory(0, columns=np.array([p.flat, q.flat]))
    theta = np.arange(235_146, dtype=float)
    path.record(5, theta)
    assert path.path(p, q)[1].tolist() == [[p.flat, q.flat]]


def test_the_range_follows_the_path() -> None:
    lo, hi = axis_range(0.0, np.array([]))
    assert (lo, hi) == pytest.approx((-1.2, 1.2))  # ±1, and a tenth of that width either side
    lo, hi = axis_range(1.0, np.array([-6.0, 0.5, np.nan]))
    assert lo < -6.0 and hi > 2.0


def test_a_landscape_takes_in_its_path_and_marks_now() -> None:
    t = Trainer(load("circle", ["train.lr=5"]))
    path = Trajectory(t.net.theta.size)
    path.record(0, t.net.theta)
    for _ in range(20):
        t.step()
        path.record(t.step_count, t.net.theta)
    pair = parse_pair("W2[0,0]", "W2[0,1]", t.net.cfg.layers)
    got = landscape(t.net, t.data.x_train, t.data.d_train, pair, path.path(*pair), 20, (30, 20))
    assert got.E.shape == (20, 30)
    assert got.p_range[0] <= got.path[:, 0].min() and got.path[:, 0].max() <= got.p_range[1]
    assert got.current == (t.net.params["W2"][0, 0], t.net.params["W2"][0, 1])
    assert got.samples == got.of_samples == t.n_train


@pytest.mark.parametrize(
    "text, says",
    [
        ("W9[0,0]", "has no W9; it has W1, b1, W2, b2"),
        ("W1[2,0]", "outside W1, whose shape is (2, 8)"),
        ("b2[0,0]", "b2 takes 1 index"),
        ("W1[0]", "W1 takes 2 index"),
        ("W1[0,1]\x1b[2J", "cannot read"),
        ("w" * 5000, "cannot read"),
        ("W1[99999999999999999999,0]", "outside W1"),
        ("", "name a parameter, such as W1[0,1]"),
        ("  ", "name a parameter, such as W1[0,1]"),
        ("W1[-1,0]", "cannot read"),
    ],
)
def test_a_wrong_name_is_one_clear_line(text: str, says: str) -> None:
    with pytest.raises(ConfigError) as e:
        parse_param(text, [2, 8, 2])
    message = str(e.value)
    assert says in message and "\n" not in message and "\x1b" not in message
    assert len(message) < 200


def test_names_are_read_as_a_student_writes_them() -> None:
    assert parse_param(" w2[1][0] ", [2, 8, 2]).label == "W2[1,0]"
    assert parse_param("B1[ 7 ]", [2, 8, 2]).flat == 16 + 7
    with pytest.raises(ConfigError, match="twice"):
        parse_pair("W1[0,1]", "w1[0][1]", [2, 8, 2])
