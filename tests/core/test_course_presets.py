"""The course's notebooks as presets: forward values, the error, every gradient and the updated
parameters against an independent NumPy computation written out here, as the notebooks do.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tui_nn.core import Trainer, load
from tui_nn.core.worked import build_trace

from helpers.files import write_mnist

RTOL = 1e-13


def relu(u: np.ndarray) -> np.ndarray:
    return np.maximum(u, 0)


def sigmoid(u: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-u))


def softmax(u: np.ndarray) -> np.ndarray:
    e = np.exp(u - u.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


OUT = {"identity": lambda u: u, "relu": relu, "sigmoid": sigmoid, "softmax": softmax}


def numpy_iteration(p: dict, x: np.ndarray, d: np.ndarray, out: str, loss: str, lr: float):
    """One iteration of a ReLU net the way the course's notebooks write it: forward, the error,
    δ from the output back, grad['W1'] ... and W ← W − η grad."""
    L = len(p) // 2
    zs, us = [x], []
    for i in range(1, L + 1):
        us.append(zs[-1] @ p[f"W{i}"] + p[f"b{i}"])
        zs.append((OUT[out] if i == L else relu)(us[-1]))
    y, n, k = zs[-1], len(x), d.shape[1]
    if loss == "cross_entropy":  # softmax: δ = (y − d) / batch
        E, delta = -np.sum(d * np.log(y)) / n, (y - d) / n
    elif loss == "binary_cross_entropy":  # sigmoid: δ = (y − d) / batch
        E = -np.sum(d * np.log(y) + (1 - d) * np.log(1 - y)) / n
        delta = (y - d) / n
    else:  # half_mse, the course's mean_squared_error: identity output
        E, delta = np.mean(np.square(d - y)) / 2, (y - d) / (k * n)
    grads = {}
    for i in range(L, 0, -1):
        grads[f"W{i}"], grads[f"b{i}"] = zs[i - 1].T @ delta, delta.sum(axis=0)
        if i > 1:
            delta = (delta @ p[f"W{i}"].T) * (us[i - 2] > 0)
    new = {name: v - lr * grads[name] for name, v in p.items()}
    return us, zs, E, grads, new


TRAINED = {  # preset: (output, loss)
    "course-1_1d": ("softmax", "cross_entropy"),
    "course-1_1e": ("identity", "half_mse"),
    "course-1_1f": ("sigmoid", "binary_cross_entropy"),
    "course-1_2": ("softmax", "cross_entropy"),
}


@pytest.mark.parametrize("name", sorted(TRAINED))
def test_one_iteration_against_numpy(name: str) -> None:
    trainer = Trainer(load(name))
    p = {k: np.array(v) for k, v in load(name).network.weights.items()}
    x, d = trainer.data.x_train, trainer.data.d_train
    us, zs, E, grads, new = numpy_iteration(p, x, d, *TRAINED[name], trainer.cfg.lr)
    loss, g = trainer.gradients(x, d)
    assert loss == pytest.approx(E, rel=RTOL)
    for li, layer in enumerate(trainer.net.layers):
        np.testing.assert_allclose(layer.u, us[li], rtol=RTOL)
        np.testing.assert_allclose(layer.z, zs[li + 1], rtol=RTOL)
    for k in grads:
        np.testing.assert_allclose(g[k], grads[k], rtol=RTOL, atol=1e-16)
    trace = build_trace(trainer)
    assert trace.loss == pytest.approx(E, rel=RTOL)
    trainer.step()
    for k in new:
        np.testing.assert_allclose(trainer.net.params[k], new[k], rtol=RTOL)
        np.testing.assert_array_equal(trace.new_params[k], trainer.net.params[k])


def test_course_1_2_is_the_notebooks_setup() -> None:
    p = load("course-1_2")
    assert p.network.layers == [2, 3, 2] and p.train.lr == 0.01
    assert p.data["x"] == [[1.0, 5.0]] and p.data["d"] == [[0.0, 1.0]]


def test_half_mse_with_two_outputs_says_what_the_course_derivative_is() -> None:
    trace = build_trace(Trainer(load("course-1_1e")))
    assert "half_mse_course" in trace.notes
    # E = np.mean(np.square(d − y)) / 2 with y = (1.02, 2.29), d = (2, 4)
    assert trace.loss == pytest.approx((0.98**2 + 1.71**2) / 4, rel=RTOL)


FORWARD = {  # preset: (output activations by layer)
    "course-1_1a": ["relu"],
    "course-1_1b": ["sigmoid"],
    "course-1_1c": ["relu", "relu", "identity"],
}


@pytest.mark.parametrize("name", sorted(FORWARD))
def test_forward_only_notebook_examples(name: str) -> None:
    preset = load(name)
    trainer = Trainer(preset)
    assert trainer.forward_only
    z = trainer.data.x_train
    for i, f in enumerate(FORWARD[name], start=1):
        w = preset.network.weights
        z = OUT[f](z @ np.array(w[f"W{i}"]) + np.array(w[f"b{i}"]))
    trace = build_trace(trainer)
    assert {s.phase for s in trace.steps} == {"forward"}
    np.testing.assert_allclose(trace.capture.z[-1], z, rtol=RTOL)


def test_known_forward_values() -> None:
    # 1_1a: relu(2·0.1 + 3·0.2 + 0.5); 1_1c: y = [1.56, 3.222], as the notebook prints them.
    assert build_trace(Trainer(load("course-1_1a"))).capture.z[-1][0, 0] == pytest.approx(1.3)
    y = build_trace(Trainer(load("course-1_1c"))).capture.z[-1][0]
    np.testing.assert_allclose(y, [1.56, 3.222], rtol=1e-14)


def test_squared_error_table_and_its_misprint() -> None:
    preset = load("course-squared-error")
    trace = build_trace(Trainer(preset))
    per_sample = [trace.step(f"loss.total.n{n}").result for n in range(3)]
    y, d = np.array(preset.data["x"]), np.array(preset.data["d"])
    np.testing.assert_allclose(per_sample, 0.5 * ((y - d) ** 2).sum(axis=1), rtol=1e-14)
    assert [round(v, 5) for v in per_sample] == [0.0247, 0.0676, 0.1524]
    for text in (preset.description, preset.description_ja):
        assert "0.01871" in text and "0.0247" in text  # the notes' value and the exact one


def test_course_1_3_draws_and_first_update() -> None:
    trainer = Trainer(load("course-1_3"))
    x, d = trainer.data.x_train, trainer.data.d_train
    np.testing.assert_allclose(d[:, 0], 3 * x[:, 0] + 2 * x[:, 1], rtol=1e-15)
    assert len(x) == 1000 and (x >= 0).all() and (x < 1).all() and len(trainer.data.x_test) == 0
    rng = np.random.default_rng(0)  # network.seed: W1, b1, W2, b2 each drawn with randn
    p = {}
    for name, shape in (("W1", (2, 10)), ("b1", (10,)), ("W2", (10, 1)), ("b2", (1,))):
        p[name] = rng.standard_normal(shape)
        np.testing.assert_array_equal(trainer.net.params[name], p[name])
    picks = np.random.default_rng(0).choice(1000, size=1)  # train.seed, one sample a step
    _, _, E, _, new = numpy_iteration(p, x[picks], d[picks], "identity", "half_mse", 0.07)
    assert trainer.step().loss == pytest.approx(E, rel=RTOL)
    for k in new:
        np.testing.assert_allclose(trainer.net.params[k], new[k], rtol=RTOL)
    trainer.run(999)
    assert trainer.step_count == 1000 == trainer.cfg.epochs * trainer.steps_per_epoch
    assert trainer.evaluate()["train_loss"] < 0.01 < E


def test_course_1_4_setup_and_evaluation_every_10_iterations(tmp_path: Path) -> None:
    write_mnist(tmp_path, n_train=300, n_test=20)
    trainer = Trainer(load("course-1_4", [f'data.path="{tmp_path}"']))
    net = trainer.net.cfg
    assert (net.layers, net.activation, net.output) == ([784, 40, 10], "relu", "softmax")
    assert (trainer.cfg.batch_size, trainer.cfg.lr, trainer.cfg.order) == (
        100,
        0.1,
        "with_replacement",
    )
    assert not trainer.net.params["b1"].any() and not trainer.net.params["b2"].any()
    assert abs(trainer.net.params["W1"].std() - 0.01) < 0.001
    trainer.run(30)
    evals = trainer.evals.rows()
    assert evals[:, 0].tolist() == [10, 20, 30]
    assert np.isfinite(evals[:, trainer.evals.columns.index("test_accuracy")]).all()
    # 正答率(トレーニング): on the 30th mini-batch, np.random.choice's draw, after its update.
    rng = np.random.default_rng(0)
    batch = [rng.choice(300, size=100) for _ in range(30)][-1]
    p = trainer.net.params
    x, d = trainer.data.x_train[batch], trainer.data.d_train[batch]
    u2 = relu(x @ p["W1"] + p["b1"]) @ p["W2"] + p["b2"]
    want = np.mean(u2.argmax(axis=1) == d.argmax(axis=1))
    assert evals[-1, trainer.evals.columns.index("train_accuracy")] == want
    everything = Trainer(load("course-1_4", [f'data.path="{tmp_path}"', 'train.eval_train="all"']))
    everything.run(30)
    y = everything.net.forward(everything.data.x_train)
    on_all = np.mean(y.argmax(axis=1) == everything.data.d_train.argmax(axis=1))
    assert everything.evals.rows()[-1, everything.evals.columns.index("train_accuracy")] == on_all
