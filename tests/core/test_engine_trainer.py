"""The training loop: batches, shuffling, decay, weight decay, divergence, history, dtype."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from tui_nn.core import ConfigError, Diverged, Trainer, load, parse
from tui_nn.core.trainer import History

X = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [0.5, 0.5], [0.2, 0.9], [0.7, 0.1]]
LABELS = [0, 1, 1, 0, 1, 1, 0]


def make(train: dict | None = None, network: dict | None = None) -> Trainer:
    doc = {
        "network": {
            "layers": [2, 3, 2],
            "activation": "tanh",
            "output": "softmax",
            "loss": "cross_entropy",
            "init": "xavier",
            "seed": 3,
            **(network or {}),
        },
        "data": {"source": "inline", "x": X, "labels": LABELS},
        "train": {"optimizer": "sgd", "lr": 0.1, **(train or {})},
    }
    return Trainer(parse(doc, "test.toml"))


def test_batch_size_sets_steps_per_epoch_and_the_last_batch_is_smaller() -> None:
    t = make({"batch_size": 3, "shuffle": False})
    assert t.steps_per_epoch == 3
    sizes = []
    for _ in range(3):
        sizes.append(len(t.peek_batch()[2]))
        t.step()
    assert sizes == [3, 3, 1]
    assert t.epochs_done == 1


def test_online_learning_visits_every_sample_once_per_epoch() -> None:
    t = make({"batch_size": 1, "seed": 11})
    seen = []
    for _ in range(len(X)):
        seen.extend(t.peek_batch()[2].tolist())
        t.step()
    assert sorted(seen) == list(range(len(X)))
    assert seen != list(range(len(X)))  # shuffled
    assert t.epochs_done == 1


def test_same_seed_same_numbers_other_seed_other_numbers() -> None:
    def losses(seed: int) -> list[float]:
        t = make({"batch_size": 2, "seed": seed})
        return [t.step().loss for _ in range(12)]

    assert losses(5) == losses(5)
    assert losses(5) != losses(6)


def test_full_batch_gradient_is_the_mean_of_single_sample_gradients() -> None:
    t = make({"batch_size": "full", "shuffle": False})
    x, d = t.data.x_train, t.data.d_train
    _, full = t.net.gradient(x, d)
    full = {k: v.copy() for k, v in full.items()}
    singles = [t.net.gradient(x[i : i + 1], d[i : i + 1])[1]["W1"].copy() for i in range(len(x))]
    np.testing.assert_allclose(full["W1"], np.mean(singles, axis=0), rtol=1e-12)


def test_learning_rate_step_decay() -> None:
    t = make({"lr": 0.8, "lr_decay_every": 2, "lr_decay_factor": 0.5, "batch_size": 1})
    assert [t.step().lr for _ in range(5)] == [0.8, 0.8, 0.4, 0.4, 0.2]


def test_weight_decay_adds_lambda_w_to_weights_only() -> None:
    plain, decayed = make(), make({"weight_decay": 0.3})
    x, d, _ = plain.peek_batch()
    _, g0 = plain.gradients(x, d)
    _, g1 = decayed.gradients(x, d)
    np.testing.assert_allclose(g1["W1"], g0["W1"] + 0.3 * plain.net.params["W1"], rtol=1e-12)
    np.testing.assert_array_equal(g1["b1"], g0["b1"])


def test_changing_lr_applies_from_the_next_step() -> None:
    t = make()
    assert t.step().lr == 0.1
    t.configure(lr=0.02)
    assert t.step().lr == 0.02


def test_divergence_names_step_and_layer_and_goes_back_to_good_weights() -> None:
    t = make({"lr": 1e300}, {"activation": "identity", "output": "identity", "loss": "mse"})
    with pytest.raises(Diverged) as err:
        t.run(50)
    msg = str(err.value)
    assert f"step {t.step_count + 1}" in msg
    assert "learning rate" in msg
    # The update of step 1 (η = 1e300) leaves finite weights whose step-2 outputs overflow.
    assert (err.value.what, err.value.layer) == ("loss", 2)
    assert f"the loss in layer {err.value.layer} output" in msg
    # η = 1e300: the first update already leaves the loss far above the start, so the weights
    # offered back are the initial ones, not the last finite (and useless) ones.
    assert err.value.kept.step == 0
    for k, v in t.net.params.items():
        np.testing.assert_array_equal(v, t.initial[k])
    assert t.diverged is err.value


def test_history_keeps_a_bounded_evenly_spaced_record() -> None:
    h = History(["step", "loss"], capacity=8)
    for i in range(1, 101):
        h.append([i, 1.0 / i])
    steps = h.column("step")
    assert len(steps) <= 8
    assert steps[0] == 1
    assert len(set(np.diff(steps))) == 1  # evenly spaced
    assert steps[-1] >= 100 - h.stride


def test_evaluation_reports_accuracy_for_classification() -> None:
    t = make({"lr": 0.5, "batch_size": "full"})
    t.run(1)
    assert t.evals.n == 1  # full batch: every step ends an epoch
    metrics = t.evaluate()
    y = t.net.forward(t.data.x_train)
    assert metrics["train_accuracy"] == np.mean(y.argmax(1) == np.array(LABELS))
    assert metrics["test_loss"] is None


def test_float32_trains_in_float32() -> None:
    t = make({"dtype": "float32"})
    assert t.net.params["W1"].dtype == np.float32
    assert t.data.x_train.dtype == np.float32
    t.run(3)
    assert t.net.params["W1"].dtype == np.float32


#: circle with momentum, mini-batches and a decaying η, so that every live field matters.
LIVE_BASE = [
    'train.optimizer="momentum"',
    "train.lr=0.1",
    "train.batch_size=8",
    "train.lr_decay_every=3",
    "train.lr_decay_factor=0.5",
]


@pytest.mark.parametrize(
    ("changes", "override"),
    [
        ({"lr": 0.03}, "train.lr=0.03"),
        ({"batch_size": 3}, "train.batch_size=3"),
        ({"batch_size": "full"}, 'train.batch_size="full"'),
        ({"epochs": 7}, "train.epochs=7"),
        ({"lr_decay_every": 2}, "train.lr_decay_every=2"),
        ({"lr_decay_factor": 0.25}, "train.lr_decay_factor=0.25"),
        ({"weight_decay": 0.01}, "train.weight_decay=0.01"),
        ({"eval_every": 2}, "train.eval_every=2"),
        ({"optimizer": "adam"}, 'train.optimizer="adam"'),
        ({"constants": {"momentum": 0.5}}, "train.momentum=0.5"),
    ],
    ids=lambda v: str(v),
)
def test_each_live_field_changes_the_next_steps_as_a_trainer_built_with_it(
    changes: dict, override: str
) -> None:
    """Five steps, then configure(): the next five steps are number for number those of a
    trainer built from the preset with that setting and given the first one's state at step 5
    (weights, batch position, shuffling; the optimizer's state unless the optimizer changed)."""
    assert set(changes) <= Trainer.LIVE_FIELDS
    changed = Trainer(load("circle", LIVE_BASE))
    changed.run(5)
    fresh = Trainer(load("circle", [*LIVE_BASE, override]))
    fresh.net.theta[...] = changed.net.theta
    for name in ("step_count", "epochs_done", "_pos", "_order", "_rng", "_last_batch"):
        setattr(fresh, name, copy.deepcopy(getattr(changed, name)))
    if not {"optimizer", "constants"} & set(changes):
        fresh.optimizer = copy.deepcopy(changed.optimizer)
    changed.configure(**changes)
    assert changed.cfg == fresh.cfg
    for _ in range(5):
        a, b = changed.step(), fresh.step()
        assert (a.loss, a.lr, a.evaluated, a.grad_norms) == (
            b.loss,
            b.lr,
            b.evaluated,
            b.grad_norms,
        )
    np.testing.assert_array_equal(changed.net.theta, fresh.net.theta)


@pytest.mark.parametrize(
    ("changes", "field", "reason"),
    [
        ({"seed": 3}, "train.seed", "is not a setting that can change during a run"),
        ({"dtype": "float32"}, "train.dtype", "is not a setting that can change during a run"),
        ({"learning_rate": 0.1}, "train.learning_rate", "is not a setting that can change"),
        ({"lr": -1.0}, "train.lr", "must be above 0"),
        ({"lr": float("inf")}, "train.lr", "finite"),
        ({"batch_size": "all"}, "train.batch_size", ""),
        ({"optimizer": "sgdd"}, "train.optimizer", ""),
        ({"constants": {"rho": 0.5}}, "train.constants", "momentum has no constant 'rho'"),
        ({"optimizer": "adam", "constants": {"eps": 0.0}}, "train.eps", "adam"),
    ],
    ids=lambda v: str(v),
)
def test_configure_refuses_what_it_cannot_change_and_changes_nothing(
    changes: dict, field: str, reason: str
) -> None:
    trainer = Trainer(load("circle", LIVE_BASE))
    trainer.run(2)
    before, optimizer = trainer.cfg, trainer.optimizer
    with pytest.raises(ConfigError) as err:
        trainer.configure(**changes)
    assert err.value.field == field and reason in err.value.reason
    assert err.value.file == trainer.preset.file
    assert trainer.cfg is before and trainer.optimizer is optimizer
