"""Every shipped preset trains headless (Trainer API, no app) to what its file promises.

The step counts and thresholds are the ones stated in each preset's comment and in the README
table; together these runs take a few seconds.
"""

from __future__ import annotations

import numpy as np
import pytest

from tui_nn.core import Trainer, builtin_presets, load

#: preset: (steps, metric, threshold); accuracy is on the test split when there is one.
PROMISES = {
    "xor": (2000, "train_accuracy", 1.0),
    "circle": (500, "test_accuracy", 0.95),
    "spiral": (2000, "test_accuracy", 0.95),
    "gauss": (200, "test_accuracy", 1.0),
    "linear": (2000, "test_accuracy", 0.98),
    "xor-quadrants": (1000, "test_accuracy", 0.98),
    "sphere4": (9500, "test_accuracy", 0.90),
    "iris": (1000, "test_accuracy", 0.95),
    "digits": (1000, "test_accuracy", 0.95),
    "vanishing-relu": (1000, "test_accuracy", 0.95),
}
#: regression presets: (steps, largest test loss E = ½(y − d)² averaged).
REGRESSION = {
    "regression": (2000, 0.01),
    "exercise-2-3-3-1": (2000, 0.02),
    "exercise-2-3-1": (2000, 0.001),
}
COURSE = {"mazur-2-2-2", "mnist", "vanishing-sigmoid", "optimizers"}


def trained(name: str, steps: int, *overrides: str) -> Trainer:
    trainer = Trainer(load(name, list(overrides)))
    trainer.run(steps)
    return trainer


def test_every_shipped_preset_is_covered_and_described() -> None:
    shipped = set(builtin_presets())
    assert shipped >= set(PROMISES) | set(REGRESSION) | COURSE
    for name in shipped:
        p = load(name)
        assert p.name == name
        assert p.name_ja and p.description and p.description_ja, name


@pytest.mark.parametrize("name", sorted(PROMISES))
def test_preset_reaches_its_accuracy(name: str) -> None:
    steps, metric, threshold = PROMISES[name]
    trainer = trained(name, steps)
    result = trainer.evaluate()
    assert result[metric] >= threshold, f"{name}: {metric} {result[metric]:.3f} after {steps}"
    assert trainer.step_count == steps


@pytest.mark.parametrize("name", sorted(REGRESSION))
def test_regression_preset_reaches_its_error(name: str) -> None:
    steps, limit = REGRESSION[name]
    trainer = trained(name, steps)
    before = Trainer(load(name)).evaluate()["test_loss"]
    after = trainer.evaluate()["test_loss"]
    assert after < limit < before


def test_preset_training_is_reproducible() -> None:
    a, b = trained("circle", 50), trained("circle", 50)
    np.testing.assert_array_equal(a.net.params["W1"], b.net.params["W1"])
    assert a.steps.column("loss").tolist() == b.steps.column("loss").tolist()


def test_xor_local_minimum_with_another_seed() -> None:
    # The comment in xor.toml: with network.seed = 5 the same network gets stuck at 75%.
    assert trained("xor", 2000, "network.seed=5").evaluate()["train_accuracy"] == 0.75


def test_vanishing_gradient_sigmoid_against_relu() -> None:
    """Same network and data; only the activation (and its init) differs."""
    sig, relu = trained("vanishing-sigmoid", 1), trained("vanishing-relu", 1)

    def first_norms(t: Trainer) -> np.ndarray:  # ‖∂E/∂W1‖ .. ‖∂E/∂W7‖ of the first step
        return np.array([t.steps.column(f"grad_norm_W{i}")[0] for i in range(1, 8)])

    g_sig, g_relu = first_norms(sig), first_norms(relu)
    assert g_sig[0] / g_sig[-1] < 1e-3  # sigmoid: the first layer hardly gets a gradient
    assert g_relu[0] / g_relu[-1] > 0.1
    assert np.all(np.diff(g_sig) > 0)  # it shrinks at every layer on the way back
    sig.run(999)
    assert sig.evaluate()["test_accuracy"] <= 0.6


def test_optimizers_compare_in_the_expected_order() -> None:
    """At the preset's η = 0.01, 1000 steps: momentum and the adaptive methods beat plain SGD."""
    loss = {
        opt: trained("optimizers", 1000, f"train.optimizer={opt}").evaluate()["train_loss"]
        for opt in ("sgd", "momentum", "adagrad", "rmsprop", "adam")
    }
    assert loss["adam"] < loss["momentum"] < loss["sgd"]
    assert loss["rmsprop"] < loss["adagrad"] < loss["sgd"]
    assert loss["sgd"] > 0.5 and loss["adam"] < 0.05
