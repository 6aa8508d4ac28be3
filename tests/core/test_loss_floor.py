"""The log guard as a floor: E = −Σ d log max(y, 1e-7) is never below 0, equals −Σ d log y
wherever y ≥ 1e-7 (so the fused δ = y − d is its exact gradient), and the worked trace keeps
the course's −Σ d log(y + 1e-7), noting the step where the two differ."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import pytest

from tui_nn.cli import main
from tui_nn.core import Trainer, load
from tui_nn.core.export import history_csv
from tui_nn.core.losses import get_loss
from tui_nn.core.network import numerical_gradient
from tui_nn.core.worked import build_trace

#: One sample that a softmax output classifies right with y = 1.0 exactly (u = ±50).
CONFIDENT = """
[preset]
name = "confident"
[network]
layers = [2, 2]
output = "softmax"
loss = "cross_entropy"
[network.weights]
W1 = [[50.0, -50.0], [0.0, 0.0]]
b1 = [0.0, 0.0]
[data]
source = "inline"
x = [[1.0, 0.0]]
labels = [0]
[train]
optimizer = "sgd"
lr = 0.1
batch_size = "full"
epochs = 5
shuffle = false
"""


@pytest.fixture
def confident(tmp_path: Path) -> Path:
    path = tmp_path / "confident.toml"
    path.write_text(CONFIDENT, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", ["cross_entropy", "binary_cross_entropy"])
def test_a_right_answer_with_y_equal_to_1_costs_exactly_0(name: str) -> None:
    loss = get_loss(name)
    y = np.array([[1.0, 0.0]])
    d = np.array([[1.0, 0.0]])
    assert loss.terms(y, d).sum() < 0  # the course's log(1 + 1e-7): −1e-7
    assert loss.value(y, d) == 0.0
    assert loss.guard_changed(y, d).any()


@pytest.mark.parametrize("name", ["cross_entropy", "binary_cross_entropy"])
def test_the_floor_is_exactly_the_unguarded_loss_above_1e_7(name: str) -> None:
    rng = np.random.default_rng(0)
    y = rng.uniform(1e-6, 1 - 1e-6, size=(50, 3))
    d = (rng.uniform(size=(50, 3)) > 0.5).astype(float)
    unguarded = -(d * np.log(y)).sum() / 50
    if name == "binary_cross_entropy":
        unguarded += -((1 - d) * np.log(1 - y)).sum() / 50
    assert get_loss(name).value(y, d) == pytest.approx(unguarded, rel=1e-14)
    assert not get_loss(name).guard_changed(y, d).any()
    # Below the floor the term is capped at −log 1e-7, never infinite.
    capped = get_loss(name).value(np.array([[0.0, 1.0]]), np.array([[1.0, 0.0]]))
    assert capped == pytest.approx(-np.log(1e-7) * (2 if name == "binary_cross_entropy" else 1))


def test_backprop_is_the_exact_gradient_of_the_reported_loss() -> None:
    """Numerical gradients of the E the engine reports (floor included) against backprop."""
    trainer = Trainer(load("spiral"))
    trainer.run(300)  # a trained net: many outputs near 1, where the old guard went below 0
    x, d = trainer.data.x_train[:64], trainer.data.d_train[:64]
    _, grads = trainer.net.gradient(x, d)
    grads = {k: v.copy() for k, v in grads.items()}
    numeric = numerical_gradient(trainer.net, x, d)
    # The output layer's: its central differences are exact to ~1e-10 here (the inputs x1², sin x1
    # of the first layer add the O(h²) error of large inputs); the old log(y + 1e-7) put backprop
    # ~6e-8 away from the loss it reported.
    for k in ("W3", "b3"):
        g = grads[k]
        err = np.linalg.norm(g - numeric[k]) / (np.linalg.norm(g) + np.linalg.norm(numeric[k]))
        assert err < 1e-8, k


def test_status_history_and_json_never_show_a_loss_below_0(confident: Path, capsys) -> None:
    trainer = Trainer(load(str(confident)))
    trainer.run(5)
    assert (trainer.steps.column("loss") == 0.0).all()
    assert trainer.evaluate()["train_loss"] == 0.0
    rows = list(csv.DictReader(io.StringIO(history_csv(trainer, per_step=True))))
    assert rows and all(float(r["loss"]) == 0.0 for r in rows)
    assert main(["train", str(confident), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["train_loss"] == 0.0


def test_the_worked_trace_keeps_the_course_formula_and_notes_the_floor(confident: Path) -> None:
    trace = build_trace(Trainer(load(str(confident))), view="scalar")
    terms = [s for s in trace.steps if s.kind == "error_term"]
    assert [s.result for s in terms] == pytest.approx([-1e-7, 0.0], abs=1e-12)
    assert "1e-7" in terms[0].formula  # the course's −d·log(y + 1e-7)
    assert terms[0].notes == ["log_floor"] and terms[1].notes == []
    normal = build_trace(Trainer(load("circle")), view="matrix")
    assert not any("log_floor" in s.notes for s in normal.steps)


@pytest.mark.parametrize(
    "name", ["sum_squared", "mse", "half_mse", "cross_entropy", "binary_cross_entropy"]
)
def test_each_loss_has_its_derivative_by_the_output(name: str) -> None:
    """∂E_n/∂y (what the stepper asks for before δ) against central differences of the course's
    terms, for every loss (binary cross-entropy's had been left outside its class)."""
    rng = np.random.default_rng(4)
    y = rng.uniform(0.1, 0.9, size=(3, 4))
    d = rng.integers(0, 2, size=(3, 4)).astype(float)
    loss, h = get_loss(name), 1e-6
    numeric = np.empty_like(y)
    for i in np.ndindex(y.shape):
        up, down = y.copy(), y.copy()
        up[i] += h
        down[i] -= h
        numeric[i] = (loss.terms(up, d)[i[0]].sum() - loss.terms(down, d)[i[0]].sum()) / (2 * h)
    np.testing.assert_allclose(loss.dE_dy(y, d), numeric, rtol=1e-6, atol=1e-9)
