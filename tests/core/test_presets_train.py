"""Every shipped preset trains headless (Trainer API, no app) to what its file promises.

Each preset runs as a user runs it (`tui-nn train PRESET`: its own epochs, seeds and settings),
and the README's table of promises is read back and checked against the same runs; together
these runs take a few seconds.
"""

from __future__ import annotations

import functools
import re

import numpy as np
import pytest

from tui_nn.core import Trainer, builtin_presets, load

from helpers import ROOT

#: preset: (metric, threshold); accuracy is on the test split when there is one.
PROMISES = {
    "xor": ("train_accuracy", 1.0),
    "circle": ("test_accuracy", 0.95),
    "spiral": ("test_accuracy", 0.95),
    "gauss": ("test_accuracy", 1.0),
    "linear": ("test_accuracy", 0.98),
    "xor-quadrants": ("test_accuracy", 0.98),
    "sphere4": ("test_accuracy", 0.90),
    "iris": ("test_accuracy", 0.93),
    "digits": ("test_accuracy", 0.95),
    "vanishing-relu": ("test_accuracy", 0.95),
}
#: regression presets: largest test loss E = ½(y − d)² averaged.
REGRESSION = {"regression": 0.01, "exercise-2-3-3-1": 0.02, "exercise-2-3-1": 0.001}
COURSE = {"mazur-2-2-2", "mnist", "vanishing-sigmoid", "optimizers"}
#: The course's notebooks (checked number by number in test_course_presets.py).
NOTEBOOKS = {
    *(f"course-1_1{c}" for c in "abcdef"),
    "course-1_2",
    "course-1_3",
    "course-1_4",
    "course-squared-error",
}
README = ROOT / "README.md"


def trained(name: str, steps: int, *overrides: str) -> Trainer:
    trainer = Trainer(load(name, list(overrides)))
    trainer.run(steps)
    return trainer


def shipped_steps(name: str) -> int:
    """The number of updates `tui-nn train NAME` makes: the preset's epochs, whole."""
    trainer = Trainer(load(name))
    return trainer.cfg.epochs * trainer.steps_per_epoch


@functools.cache
def shipped(name: str) -> Trainer:
    """The preset trained exactly as `tui-nn train NAME` trains it (one run per test session)."""
    return trained(name, shipped_steps(name))


def readme_promise(name: str) -> str:
    """The last cell of the preset's row in the README's table of shipped presets."""
    row = re.search(rf"^\| `{re.escape(name)}` \|.*\| ([^|]+) \|$", README.read_text("utf-8"), re.M)
    assert row, f"{name} has no row in the README's table"
    return row[1]


def test_every_shipped_preset_is_covered_and_described() -> None:
    shipped = set(builtin_presets())
    assert shipped >= set(PROMISES) | set(REGRESSION) | COURSE | NOTEBOOKS
    for name in shipped:
        p = load(name)
        assert p.name == name
        assert p.name_ja and p.description and p.description_ja, name


def test_every_shipped_preset_has_a_row_in_the_readme() -> None:
    for name in builtin_presets():
        assert readme_promise(name).strip(), name


@pytest.mark.parametrize("name", sorted(PROMISES))
def test_preset_as_shipped_reaches_its_accuracy(name: str) -> None:
    metric, threshold = PROMISES[name]
    trainer = shipped(name)
    result = trainer.evaluate()
    steps = trainer.step_count
    assert result[metric] >= threshold, f"{name}: {metric} {result[metric]:.3f} after {steps}"
    assert trainer.epochs_done == trainer.cfg.epochs


@pytest.mark.parametrize("name", sorted(REGRESSION))
def test_regression_preset_as_shipped_reaches_its_error(name: str) -> None:
    limit = REGRESSION[name]
    before = Trainer(load(name)).evaluate()["test_loss"]
    after = shipped(name).evaluate()["test_loss"]
    assert after < limit < before


#: Presets that train on data tui-nn ships or generates (MNIST's files are not shipped).
TRAINABLE = sorted(n for n in builtin_presets() if load(n).data.get("source") != "mnist")


@pytest.mark.parametrize("name", TRAINABLE)
def test_no_shipped_preset_raises_a_false_alarm(name: str) -> None:
    """Run as shipped, no preset trips the rising-loss warning or diverges."""
    if Trainer(load(name)).forward_only:
        pytest.skip("a forward-propagation exercise: no targets, nothing to train")
    trainer = shipped(name)
    assert trainer.warnings == [] and trainer.diverged is None
    assert trainer.watch is not None and trainer.watch.active is None


@pytest.mark.parametrize("name", sorted(PROMISES) + sorted(REGRESSION))
def test_the_readme_promises_what_the_shipped_preset_does(name: str) -> None:
    """The README's step count is the preset's own, and its threshold the one checked here."""
    promise = readme_promise(name)
    steps = re.search(r"(?:in|after) (\d+) steps", promise)
    assert steps and int(steps[1]) == shipped_steps(name), (name, promise)
    if name in PROMISES:
        percent = re.search(r"(\d+)%", promise)
        assert percent and int(percent[1]) / 100 == PROMISES[name][1], (name, promise)
    else:
        limit = re.search(r"test E < ([\d.]+)", promise)
        assert limit and float(limit[1]) == REGRESSION[name], (name, promise)


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
