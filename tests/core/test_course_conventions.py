"""The course's conventions as preset fields: each against central differences or a closed form,
and each refused in one line (file, field, reason) when it is out of range or contradicts another.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from tui_nn.core import ConfigError, Network, NetworkConfig, Trainer, gradient_check, parse
from tui_nn.core.errors import EpsilonZero
from tui_nn.core.losses import get_loss
from tui_nn.core.worked import build_trace, render_text

SQUARED = ("sum_squared", "mse", "half_mse")
NEW_OUTPUTS = ("relu", "tanh", "leaky_relu", "identity")


def doc(network: dict | None = None, train: dict | None = None, data: dict | None = None) -> dict:
    """A 2-3-2 preset document on three inline samples, with the given settings on top."""
    return {
        "network": {"layers": [2, 3, 2], "activation": "tanh", "output": "identity"}
        | (network or {}),
        "data": data
        or {"source": "inline", "x": [[0.1, 0.5], [0.9, -0.3], [-0.4, 0.2]], "d": [[1, 0]] * 3},
        "train": {"optimizer": "sgd", "lr": 0.1, "batch_size": 3, "shuffle": False} | (train or {}),
    }


def refused(document: dict) -> ConfigError:
    with pytest.raises(ConfigError) as e:
        parse(document, "p.toml")
    return e.value


# ---- losses and reductions ----------------------------------------------------------------


def test_half_mse_is_the_courses_mean_squared_error() -> None:
    rng = np.random.default_rng(3)
    y, d = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    course = [np.mean(np.square(d[n] - y[n])) / 2 for n in range(4)]  # the course's function
    loss = get_loss("half_mse")
    assert loss.value(y, d) == pytest.approx(np.mean(course), rel=1e-15)
    np.testing.assert_allclose(loss.dE_dy(y, d), (y - d) / 3, rtol=1e-15)


@pytest.mark.parametrize(
    ("output", "loss", "reduction"), list(itertools.product(NEW_OUTPUTS, SQUARED, ("mean", "sum")))
)
def test_outputs_losses_and_reductions_against_central_differences(output, loss, reduction):
    cfg = NetworkConfig(
        [3, 4, 3], "sigmoid", output, loss, init="normal", init_std=0.7, seed=5, reduction=reduction
    )
    net = Network(cfg)
    rng = np.random.default_rng(11)
    x, d = rng.normal(size=(5, 3)), rng.normal(size=(5, 3))
    net.forward(x)
    assert np.abs(net.layers[-1].u).min() > 1e-3, "keep off the kink of relu at 0"
    for check in gradient_check(net, x, d, h=1e-5):
        assert check.relative_error < 1e-7, (check.name, check.relative_error)


def test_sum_reduction_is_n_times_the_mean() -> None:
    base = dict(layers=[2, 3, 1], activation="relu", output="identity", loss="half_mse", seed=2)
    x = np.array([[0.2, 0.7], [1.0, -0.5], [0.3, 0.3], [-1.0, 0.1]])
    d = np.array([[1.0], [0.0], [2.0], [-1.0]])
    mean = Network(NetworkConfig(**base, init_std=1.0))
    total = Network(NetworkConfig(**base, init_std=1.0, reduction="sum"))
    e_mean, g_mean = mean.gradient(x, d)
    g_mean = {k: v.copy() for k, v in g_mean.items()}
    e_sum, g_sum = total.gradient(x, d)
    per_sample = [0.5 * (mean.forward(x[n : n + 1])[0, 0] - d[n, 0]) ** 2 for n in range(4)]
    assert e_sum == pytest.approx(sum(per_sample), rel=1e-14)
    assert e_sum == pytest.approx(4 * e_mean, rel=1e-14)
    for k in g_sum:
        np.testing.assert_allclose(g_sum[k], 4 * g_mean[k], rtol=1e-14)


def test_cross_entropy_and_bce_keep_their_outputs_and_say_why() -> None:
    for output in ("relu", "tanh", "step", "leaky_relu"):
        e = refused(doc({"output": output, "loss": "cross_entropy"}))
        assert e.file == "p.toml" and e.field == "network.loss"
        assert "softmax" in e.reason and "log" in e.reason and "\n" not in str(e)
        e = refused(doc({"layers": [2, 3, 1], "output": output, "loss": "binary_cross_entropy"}))
        assert e.field == "network.loss" and "sigmoid" in e.reason and "log" in e.reason
    assert parse(doc({"output": "step", "loss": "half_mse"})).network.output == "step"


# ---- ReLU at 0, biases drawn --------------------------------------------------------------


@pytest.mark.parametrize("at_zero", [0, 1])
def test_relu_grad_at_zero(at_zero: int) -> None:
    # x2 = 0 and b1 = 0 make u1 = [0, x1·w]: the first hidden unit sits exactly on the kink.
    w = {"W1": [[0.0, 1.0]], "b1": [0.0, 0.0], "W2": [[2.0], [3.0]], "b2": [0.0]}
    cfg = NetworkConfig(
        [1, 2, 1], "relu", "identity", "sum_squared", weights=w, relu_grad_at_zero=at_zero
    )
    net = Network(cfg)
    x, d = np.array([[1.5]]), np.array([[1.0]])
    _, g = net.gradient(x, d)
    y = 3.0 * 1.5  # z1 = [0, 1.5]
    delta1 = (y - 1.0) * np.array([2.0 * at_zero, 3.0])  # f'(0) = at_zero, f'(1.5) = 1
    np.testing.assert_allclose(g["W1"], 1.5 * delta1[None, :], rtol=1e-15)
    np.testing.assert_allclose(g["b1"], delta1, rtol=1e-15)


def test_relu_grad_at_zero_is_zero_or_one() -> None:
    e = refused(doc({"relu_grad_at_zero": 2}))
    assert e.field == "network.relu_grad_at_zero" and "2" in e.reason


def test_bias_init_normal_draws_b_like_w() -> None:
    cfg = NetworkConfig([2, 3, 2], seed=7, init="normal", init_std=0.5, bias_init="normal")
    p = Network(cfg).params
    rng = np.random.default_rng(7)  # the draws in order W1, b1, W2, b2, each times the std
    for name, shape in (("W1", (2, 3)), ("b1", (3,)), ("W2", (3, 2)), ("b2", (2,))):
        np.testing.assert_array_equal(p[name], rng.standard_normal(shape) * 0.5)
    zeros = Network(NetworkConfig([2, 3, 2], seed=7, init="normal", init_std=0.5)).params
    assert not zeros["b1"].any() and not zeros["b2"].any()
    e = refused(doc({"bias_init": "ones"}))
    assert e.field == "network.bias_init" and "zeros, normal" in e.reason


# ---- optimizers -----------------------------------------------------------------------------


def one_update(optimizer: str, **constants) -> tuple[Trainer, dict, dict]:
    trainer = Trainer(
        parse(doc({"seed": 4, "init_std": 0.5}, {"optimizer": optimizer, **constants}))
    )
    before = {k: v.copy() for k, v in trainer.net.params.items()}
    _, g = trainer.gradients(*trainer.peek_batch()[:2])
    g = {k: v.copy() for k, v in g.items()}
    trainer.step()
    return trainer, before, g


def test_adam_eps_in_sqrt() -> None:
    # Step 1: m̂ = g and v̂ = g², so W⁺ = W − η g / √(g² + ε).
    trainer, before, g = one_update("adam", eps_in_sqrt=True, eps=1e-3)
    for k, w in before.items():
        want = w - 0.1 * g[k] / np.sqrt(g[k] ** 2 + 1e-3)
        np.testing.assert_allclose(trainer.net.params[k], want, rtol=1e-14, atol=1e-17)
    default, before, g = one_update("adam", eps=1e-3)
    want = before["W1"] - 0.1 * g["W1"] / (np.abs(g["W1"]) + 1e-3)
    np.testing.assert_allclose(default.net.params["W1"], want, rtol=1e-14)


def test_adam_trace_writes_the_root_and_the_squared_gradient() -> None:
    trainer = Trainer(parse(doc(train={"optimizer": "adam", "eps_in_sqrt": True})))
    text = render_text(build_trace(trainer, view="scalar"))
    assert "√(v̂" in text and "+ ε)" in text
    assert "(∂E/∂w" in text and ")²" in text
    assert "∂E/∂w1²" not in text


@pytest.mark.parametrize("optimizer", ["adagrad", "rmsprop"])
def test_eps_zero(optimizer: str) -> None:
    # Every parameter has a gradient here: the first update is η·g/|g| (AdaGrad) or
    # η·g/(√(1 − ρ)·|g|) (RMSprop), a closed form with no ε.
    trainer, before, g = one_update(optimizer, eps=0)
    scale = 1.0 if optimizer == "adagrad" else 1 / np.sqrt(1 - 0.99)
    for k, w in before.items():
        np.testing.assert_allclose(
            trainer.net.params[k], w - 0.1 * scale * np.sign(g[k]), rtol=1e-13
        )


def test_eps_zero_with_a_zero_gradient_names_epsilon() -> None:
    # W1's second row meets an input that is always 0: its gradient and its h stay 0, so 0/0.
    data = {"source": "inline", "x": [[0.5, 0.0], [1.0, 0.0]], "d": [[1, 0], [0, 1]]}
    trainer = Trainer(parse(doc(train={"optimizer": "adagrad", "eps": 0}, data=data)))
    before = trainer.net.theta.copy()
    with pytest.raises(EpsilonZero) as e:
        trainer.step()
    assert "0/0" in str(e.value) and "ε = 0" in str(e.value) and "W1" in str(e.value)
    assert "learning rate" not in str(e.value)
    assert "ε = 0" in e.value.message_in("ja")
    np.testing.assert_array_equal(trainer.net.theta, before)  # the weights are untouched


def test_eps_zero_is_refused_for_adam() -> None:
    e = refused(doc(train={"optimizer": "adam", "eps": 0}))
    assert e.field == "train.eps" and "adagrad and rmsprop" in e.reason
    assert refused(doc(train={"optimizer": "adagrad", "eps": -1})).field == "train.eps"


# ---- sampling -----------------------------------------------------------------------------


def batches(train: dict, steps: int = 4) -> list[list[int]]:
    x = [[i / 10, 0.0] for i in range(10)]
    data = {"source": "inline", "x": x, "d": [[1, 0]] * 10}
    trainer = Trainer(parse(doc(train={"batch_size": 3, "seed": 9, **train}, data=data)))
    out = []
    for _ in range(steps):
        out.append(trainer.peek_batch()[2].tolist())
        assert trainer.peek_batch()[2].tolist() == out[-1]  # peeking does not consume
        trainer.step()
    return out


def test_sampling_with_replacement_is_generator_choice() -> None:
    rng = np.random.default_rng(9)
    want = [rng.choice(10, size=3).tolist() for _ in range(4)]
    assert batches({"sampling": "with_replacement", "shuffle": True}) == want


def test_in_order_and_shuffle() -> None:
    in_order = [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]
    assert batches({"sampling": "in_order"}) == in_order
    assert batches({"shuffle": False}) == in_order
    order = np.random.default_rng(9).permutation(10).tolist()
    shuffled = batches({"shuffle": True, "sampling": "shuffle"})
    assert shuffled == [order[0:3], order[3:6], order[6:9], order[9:]]


def test_sampling_refusals() -> None:
    e = refused(doc(train={"shuffle": False, "sampling": "with_replacement"}))
    assert e.field == "train.sampling" and "shuffle = false" in e.reason
    e = refused(doc(train={"sampling": "random"}))
    assert e.field == "train.sampling" and "with_replacement" in e.reason
    e = refused(doc(train={"reduction": "average"}))
    assert e.field == "train.reduction" and "mean, sum" in e.reason
    e = refused(doc(train={"eval_train": "minibatch"}))
    assert e.field == "train.eval_train" and "all, batch" in e.reason


# ---- the worked trace and the generated code --------------------------------------------


def test_half_mse_trace_says_what_the_course_derivative_is() -> None:
    trainer = Trainer(parse(doc({"loss": "half_mse"}, {"batch_size": 1})))
    trace = build_trace(trainer)
    assert "half_mse_course" in trace.notes
    assert "d_mean_squared_error" in render_text(trace) and "1/K" in render_text(trace, "ja")
    data = {"source": "inline", "x": [[0.1, 0.2]], "d": [[1.0]]}
    one = Trainer(parse(doc({"layers": [2, 3, 1], "loss": "half_mse"}, data=data)))
    assert "half_mse_course" not in build_trace(one).notes  # K = 1: the two agree


def test_sum_reduction_trace_needs_one_sample() -> None:
    trainer = Trainer(parse(doc(train={"reduction": "sum"})))
    with pytest.raises(ConfigError) as e:
        build_trace(trainer)
    assert e.value.field == "train.reduction" and "batch_size = 1" in e.value.reason
    one = Trainer(parse(doc(train={"reduction": "sum", "batch_size": 1})))
    assert "reduction_sum" in build_trace(one).notes


def test_an_exported_preset_keeps_its_conventions() -> None:
    import tomllib

    from tui_nn.core.export import preset_toml

    train = {
        "sampling": "with_replacement",
        "shuffle": True,
        "reduction": "sum",
        "optimizer": "adam",
    }
    original = parse(
        doc({"bias_init": "normal", "relu_grad_at_zero": 1}, train | {"eps_in_sqrt": True})
    )
    again = parse(tomllib.loads(preset_toml(original)))
    assert (again.train.order, again.train.reduction) == ("with_replacement", "sum")
    assert again.train.constants["eps_in_sqrt"] is True
    assert (again.network.bias_init, again.network.relu_grad_at_zero) == ("normal", 1)
    plain = tomllib.loads(preset_toml(parse(doc())))
    assert "bias_init" not in plain["network"] and "sampling" not in plain["train"]
