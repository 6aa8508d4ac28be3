"""The trace shows the numbers the trainer uses: for random small networks of every activation,
loss and optimizer, trace.new_params equals the parameters after trainer.step(), bit for bit;
each chain-rule product equals its result; per-sample gradients average to the batch gradient."""

from __future__ import annotations

import itertools
import math
import re

import numpy as np
import pytest

from tui_nn.core import Trainer, build_trace, parse
from tui_nn.core.activations import HIDDEN
from tui_nn.core.losses import REQUIRED_OUTPUT
from tui_nn.core.optimizers import OPTIMIZERS
from tui_nn.core.worked import expand

PAIRS = [
    (out, loss)
    for out in ("identity", "sigmoid", "softmax")
    for loss in ("sum_squared", "mse", "cross_entropy", "binary_cross_entropy")
    if REQUIRED_OUTPUT.get(loss, out) == out
]
COMBOS = list(itertools.product(HIDDEN, PAIRS, OPTIMIZERS))


def make_trainer(
    layers,
    activation="sigmoid",
    output="sigmoid",
    loss="sum_squared",
    optimizer="sgd",
    batch=3,
    seed=0,
    weights=None,
    **train,
) -> Trainer:
    """A small network on random inline data; `train` adds [train] settings."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, (batch, layers[0])).round(3)
    if output == "softmax":
        d = np.eye(layers[-1])[rng.integers(0, layers[-1], batch)]
    else:
        d = rng.uniform(0, 1, (batch, layers[-1])).round(3)
    network = {
        "layers": layers,
        "activation": activation,
        "output": output,
        "loss": loss,
        "init": "normal",
        "init_std": 0.8,
        "seed": seed,
    }
    if weights:
        network["weights"] = weights
    doc = {
        "network": network,
        "data": {"source": "inline", "x": x.tolist(), "d": d.tolist()},
        "train": {
            "optimizer": optimizer,
            "lr": 0.1,
            "batch_size": batch,
            "shuffle": False,
            **train,
        },
    }
    return Trainer(parse(doc))


@pytest.mark.parametrize(
    ("activation", "pair", "optimizer"), COMBOS, ids=["-".join([a, *p, o]) for a, p, o in COMBOS]
)
def test_trace_update_is_the_trainers_update(activation, pair, optimizer) -> None:
    output, loss = pair
    seed = COMBOS.index((activation, pair, optimizer))
    trainer = make_trainer([2, 3, 2], activation, output, loss, optimizer, seed=seed)
    trainer.run(2)  # so that momentum, AdaGrad, RMSProp and Adam carry state into this step
    trace = build_trace(trainer, view="scalar")
    trainer.step()
    for name, value in trainer.net.params.items():
        assert np.array_equal(trace.new_params[name], value), name
    for step in trace.phase("update"):
        if step.kind == "update":  # each new weight is the trainer's, entry by entry
            assert step.result == trainer.net.params[step.param][step.index]
    check_factors_and_means(trace)


def check_factors_and_means(trace) -> None:
    """Products of the chain-rule factors, and the batch mean of per-sample gradients."""
    per_sample: dict[tuple, list[float]] = {}
    for step in trace.steps:
        if step.kind in ("chain", "chain_bias", "delta", "path"):
            product = math.prod(f.value for f in step.factors)
            assert product == pytest.approx(step.result, rel=1e-9, abs=1e-15), step.id
        if step.kind in ("chain", "chain_bias"):
            per_sample.setdefault((step.param, step.index), []).append(step.result)
    assert per_sample, "the scalar view shows the chain rule"
    for (param, index), values in per_sample.items():
        mean = sum(values) / len(values)
        assert mean == pytest.approx(trace.grads[param][index], rel=1e-9, abs=1e-15)
        assert (
            trace.step(f"backward.mean.{param}." + ".".join(map(str, index))).result
            == trace.grads[param][index]
        )


def test_matrix_view_holds_the_engines_arrays() -> None:
    trainer = make_trainer([3, 4, 2], "tanh", "softmax", "cross_entropy", "adam", batch=5)
    trace = build_trace(trainer, view="matrix")
    x, d, _ = trainer.peek_batch()
    loss, grads = trainer.net.gradient(x, d)
    assert trace.step("loss.total").result == loss
    for name in ("W1", "W2"):
        assert np.array_equal(trace.step(f"backward.d{name[0]}.{name[1]}").result, grads[name])
    z1 = np.tanh(x @ trace.params["W1"] + trace.params["b1"])
    assert np.allclose(trace.step("forward.z.1").result, z1, rtol=1e-14)
    # Fused softmax + cross-entropy: δ2 = (y − d) / batch size.
    y = trace.step("forward.z.2").result
    assert np.allclose(trace.step("backward.delta.2").result, (y - d) / 5, rtol=1e-14)
    assert trace.step("backward.dW.2").shape == (4, 2)
    assert trace.step("backward.dW.2").numpy == "grad['W2'] = np.dot(z1.T, delta2)"
    trainer.step()
    for name, value in trainer.net.params.items():
        assert np.array_equal(trace.step(f"update.{name}").result, value)


def test_one_sample_of_a_mini_batch() -> None:
    trainer = make_trainer([2, 2, 1], batch=4)
    trace = build_trace(trainer, sample=2)
    per_sample = [s for s in trace.steps if s.sample is not None]
    assert per_sample and {s.sample for s in per_sample} == {2}
    assert all(s.id.endswith(".n2") for s in per_sample)
    mean = trace.step("backward.mean.W2.0.0")  # the mean still uses the whole batch
    assert mean.result == trace.grads["W2"][0, 0]
    assert mean.substituted.count("+") == 3 and mean.substituted.endswith("/4")
    assert trace.step("loss.mean").result == pytest.approx(
        trainer.net.loss_value(*trainer.peek_batch()[:2])
    )


def test_optimizer_state_before_and_after() -> None:
    trainer = make_trainer([2, 2, 1], optimizer="adam", batch=2)
    trainer.run(3)
    before = trainer.optimizer.state["m"]["W1"][1, 0]
    trace = build_trace(trainer)
    trainer.step()
    m_step = trace.step("update.W1.1.0.m")
    assert m_step.result == trainer.optimizer.state["m"]["W1"][1, 0]
    assert m_step.formula == "β1·m_w2 + (1 - β1)·∂E/∂w2"
    upd = trace.step("update.W1.1.0")
    assert upd.state["m"] == (before, trainer.optimizer.state["m"]["W1"][1, 0])
    m_hat = trace.step("update.W1.1.0.m_hat")
    assert m_hat.result == pytest.approx(m_step.result / (1 - 0.9**4), rel=1e-14)
    assert "(1 - 0.9^4)" in m_hat.substituted  # t = 4: the fourth update


def test_weight_decay_lr_decay_and_frozen_parameters() -> None:
    trainer = make_trainer(
        [2, 2, 1], batch=2, weight_decay=0.01, lr_decay_every=2, lr_decay_factor=0.5, freeze=["b1"]
    )
    trainer.run(4)
    trace = build_trace(trainer)
    assert trace.step("update.lr").result == pytest.approx(0.1 * 0.5**2)
    decay = trace.step("update.W1.0.0.decay")
    assert decay.result == pytest.approx(
        trace.capture.dW["W1"][0, 0] + 0.01 * trace.params["W1"][0, 0]
    )
    assert decay.formula == "∂E/∂w1 + λ·w1"
    frozen = trace.step("update.b1")
    # Frozen and equal, b1 is one number, named as the seed names its fixed biases.
    assert frozen.kind == "frozen" and frozen.symbol == "b1⁺" and frozen.result == 0.0
    assert not any(s.param == "b1" and s.phase == "backward" for s in trace.steps)
    trainer.step()
    assert np.array_equal(trace.new_params["W1"], trainer.net.params["W1"])


def test_softmax_with_squared_error_shows_the_jacobian() -> None:
    trainer = make_trainer([2, 2, 3], output="softmax", loss="sum_squared", batch=1)
    trace = build_trace(trainer)
    assert "softmax_jacobian" in trace.notes
    J = trace.step("backward.jacobian.2").result
    y = trace.step("forward.z.2.0").result, trace.step("forward.z.2.1").result
    y = np.array([*y, trace.step("forward.z.2.2").result])
    # An independent Jacobian: central differences of softmax.
    u = np.array([trace.step(f"forward.u.2.{k}").result for k in range(3)])
    h, numeric = 1e-6, np.zeros((3, 3))
    for j in range(3):
        e = np.eye(3)[j] * h
        sp, sm = np.exp(u + e) / np.exp(u + e).sum(), np.exp(u - e) / np.exp(u - e).sum()
        numeric[:, j] = (sp - sm) / (2 * h)
    assert np.allclose(J, numeric, atol=1e-9)
    delta = trace.step("backward.delta.2.1")
    assert delta.kind == "delta_jacobian" and len(delta.factors) == 6
    assert sum(
        a.value * b.value for a, b in zip(delta.factors[::2], delta.factors[1::2], strict=True)
    ) == pytest.approx(delta.result)


def test_step_activation_and_dead_relu_are_named() -> None:
    trace = build_trace(make_trainer([2, 2, 1], activation="step", batch=2))
    assert "step" in trace.notes
    der = trace.step("backward.dout_dnet.1.0.n0")
    assert der.result == 0 and "step" in der.notes
    assert all(s.result == 0 for s in trace.steps if s.kind == "chain" and s.layer == 1)
    dead = {"W1": [[1.0, 0.5], [1.0, -0.5]], "b1": [-5.0, 0.0]}  # unit h1: u ≤ -3 always
    trace = build_trace(make_trainer([2, 2, 1], activation="relu", batch=3, weights=dead))
    assert "dead_relu" in trace.notes
    assert "dead_relu" in trace.step("backward.dout_dnet.1.0.n1").notes
    assert "dead_relu" not in trace.step("backward.dout_dnet.1.1.n1").notes


def test_a_bigger_network_gets_the_matrix_view_and_expands_one_weight() -> None:
    trainer = make_trainer([4, 8, 8, 3], "relu", "softmax", "cross_entropy", "momentum", batch=6)
    trace = build_trace(trainer)
    assert trace.view == "matrix" and len(trace.steps) < 30
    steps = expand(trace, "W2", 3, 5)
    assert [s.id for s in steps if s.phase == "update"] == ["update.W2.3.5.v", "update.W2.3.5"]
    assert steps[0].symbol == "net_h2_6"  # unit 6 of hidden layer 2
    chain = next(s for s in steps if s.kind == "chain" and s.sample == 0)
    assert chain.symbol == "∂E_1/∂w2_64"
    trainer.step()
    assert steps[-1].result == trainer.net.params["W2"][3, 5]
    with pytest.raises(Exception, match="outside"):
        expand(trace, "W2", 8, 0)
    with pytest.raises(Exception, match="scalar view"):
        build_trace(trainer, view="scalar")


def test_saturated_sigmoid_and_unit_expansion() -> None:
    # Hidden unit h1 gets u = 10·x1 + 9 ≥ 8 on inputs in [-1, 1]: σ'(u) < 0.001.
    weights = {"W1": [[10.0, 0.5], [0.0, 0.5]], "b1": [9.0, 0.0]}
    trace = build_trace(make_trainer([2, 2, 1], batch=1, weights=weights))
    der = trace.step("backward.dout_dnet.1.0")
    assert der.result < 1e-3 and der.notes == ["saturated"]
    assert trace.step("backward.dout_dnet.1.1").notes == []
    unit = expand(trace, "u1", 0)
    assert [s.id for s in unit] == [
        "forward.u.1.0",
        "forward.z.1.0",
        "backward.path.1.0.0",
        "backward.dE_dout.1.0",
        "backward.dout_dnet.1.0",
        "backward.delta.1.0",
    ]
    assert unit[-1].result == trace.step("backward.delta.1.0").result


def evaluate(substituted: str) -> float:
    """The substituted formula read back as arithmetic: it must compute the step's result (up to
    the rounding of its printed numbers, which a division by 1 - β2^t can magnify)."""
    expr = substituted.replace("·", "*").replace("^", "**").replace("²", "**2")
    expr = expr.replace("½", "0.5*").replace("e**(", "exp(").replace("√(", "sqrt(")
    expr = expr.replace("⌊", "floor(").replace("⌋", ")")
    expr = re.sub(r"([\d)])\(", r"\1*(", expr)  # juxtaposition: out(1 - out)
    names = {
        "exp": math.exp,
        "sqrt": math.sqrt,
        "log": math.log,
        "tanh": math.tanh,
        "max": max,
        "floor": math.floor,
    }
    return eval(expr, {"__builtins__": {}}, names)  # test-only: text the trace itself wrote


@pytest.mark.parametrize(
    ("activation", "pair", "optimizer"),
    [(a, p, o) for a, p, o in COMBOS if COMBOS.index((a, p, o)) % 5 == 0],
)
def test_every_substituted_formula_computes_its_result(activation, pair, optimizer) -> None:
    trainer = make_trainer(
        [2, 2, 2],
        activation,
        *pair,
        optimizer,
        batch=2,
        seed=COMBOS.index((activation, pair, optimizer)),
        weight_decay=0.01,
        lr_decay_every=1,
        lr_decay_factor=0.9,
    )
    trainer.run(1)
    checked = 0
    for step in build_trace(trainer).steps:
        if isinstance(step.result, float) and step.kind != "frozen":
            value = evaluate(step.substituted)
            assert value == pytest.approx(step.result, rel=1e-4, abs=1e-6), (
                step.id,
                step.substituted,
            )
            checked += 1
    assert checked > 40


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_float32_frozen_and_a_network_without_hidden_layer(optimizer) -> None:
    for layers, frozen in (([2, 3, 2], ["b2"]), ([3, 1], ["W1"])):
        trainer = make_trainer(
            layers,
            "relu",
            "sigmoid",
            "binary_cross_entropy",
            optimizer,
            dtype="float32",
            freeze=frozen,
        )
        trainer.run(2)
        trace = build_trace(trainer)
        trainer.step()
        for name, value in trainer.net.params.items():
            assert trace.new_params[name].dtype == np.float32
            assert np.array_equal(trace.new_params[name], value), name
        assert trace.step(f"update.{frozen[0]}").kind == "frozen"
    assert trace.step("forward.u.1.0.n0").formula == "w1·i1 + w2·i2 + w3·i3 + b1_1·1"
