"""A loss that rises well above its start without becoming NaN is reported (and training goes
on); a NaN divergence puts back the last weights, and optimizer state, whose loss was finite
and not above the starting loss, so that lowering η and going on works."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from tui_nn.cli import main
from tui_nn.core import Diverged, Trainer, load
from tui_nn.core.watch import LossWatch


def overflowing(trainer: Trainer) -> None:
    """η = ∞ for the next update, which then overflows for certain. No preset may set it (and
    configure refuses it as a preset would), so it goes straight into the trainer's settings."""
    trainer.cfg = replace(trainer.cfg, lr=math.inf)


def run(name: str, *overrides: str, steps: int | None = None) -> Trainer:
    trainer = Trainer(load(name, list(overrides)))
    trainer.run(steps if steps is not None else trainer.cfg.epochs * trainer.steps_per_epoch)
    return trainer


@pytest.mark.parametrize("lr", ["50", "1e10"])
def test_a_loss_far_above_its_start_is_reported_once_and_training_goes_on(lr: str) -> None:
    trainer = run("circle", f"train.lr={lr}")
    assert trainer.step_count == 500 and trainer.diverged is None  # it warns, it does not stop
    start = trainer.watch.start
    assert start == pytest.approx(Trainer(load("circle")).evaluate()["train_loss"], rel=1e-12)
    assert trainer.evaluate()["train_loss"] > 4 * start  # what the warning is about
    [w] = trainer.warnings
    assert w.kind == "loss_rising" and 1 <= w.step <= w.noticed <= 20
    # The smoothed loss was above twice the start at every step from w.step to w.noticed.
    losses = trainer.steps.column("loss")
    assert losses[w.step - 1 : w.noticed].min() > 2 * start
    assert f"from step {w.step} on" in w.message and f"η = {float(lr):g}" in w.message
    assert f"ステップ {w.step} から" in w.message_in("ja") and "η = " in w.message_in("ja")


def test_the_watch_confirms_a_rise_after_a_window_and_forgets_it_after_one() -> None:
    watch = LossWatch(start=1.0, window=10)
    seen = [watch.see(t, 3.0, 0.1) for t in range(1, 40)]
    first = next(i for i, w in enumerate(seen) if w is not None)
    assert seen[first].step < seen[first].noticed == first + 1
    assert seen[first].noticed - seen[first].step + 1 == 10
    assert sum(w is not None for w in seen) == 1  # once per rise
    for t in range(40, 200):
        watch.see(t, 0.5, 0.1)
    assert watch.active is None  # back down: the next rise is reported again
    assert any(watch.see(t, 3.0, 0.1) for t in range(200, 240))
    assert LossWatch(start=1.0, window=10).see(1, 1.9, 0.1) is None


def test_one_huge_loss_does_not_hold_the_average_up() -> None:
    """A single step at 1e300 counts as 20 × start: the average is back under the line within
    a few dozen steps, and nothing is reported for a spike that did not last."""
    watch = LossWatch(start=1.0, window=10)
    seen = [watch.see(1, 1e300, 0.1)] + [watch.see(t, 0.5, 0.1) for t in range(2, 40)]
    assert not any(seen) and watch.smoothed < 1.0


def test_a_nan_divergence_goes_back_to_the_weights_of_a_good_step() -> None:
    """regression with η = 50: every update makes the loss worse, so the only weights whose
    loss was not above the start are the initial ones (before, step 61's with E ≈ 1e300)."""
    trainer = Trainer(load("regression", ["train.lr=50"]))
    with pytest.raises(Diverged) as err:
        trainer.run(2400)
    assert err.value.step == 62 and err.value.kept is not None and err.value.kept.step == 0
    for k, v in trainer.net.params.items():
        np.testing.assert_array_equal(v, trainer.initial[k])
    assert "back to the initial ones" in str(err.value)
    # The last evaluation, which the status line and the plots show, is of those weights.
    assert trainer.evals.last()["train_loss"] == pytest.approx(trainer.watch.start, rel=1e-12)


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "nesterov", "adam"])
def test_lowering_eta_after_a_divergence_goes_on_from_the_good_step(optimizer: str) -> None:
    """An update of step 41 that overflows (η = inf), then η lowered again: the run is the one
    that never diverged, number for number, because the weights, the velocity v (m, v and t
    for Adam) and the batch are those after step 40."""
    opt = [f'train.optimizer="{optimizer}"', "train.lr=0.05"]
    reference = run("circle", *opt, steps=80)
    trainer = run("circle", *opt, steps=40)
    overflowing(trainer)
    with pytest.raises(Diverged) as err:
        trainer.step()
    assert err.value.step == 41 and err.value.kept.step == 40 and err.value.what == "update"
    assert "weights and the optimizer's state are back to those after step 40" in str(err.value)
    trainer.configure(lr=0.05)
    trainer.run(40)
    assert trainer.step_count == 80
    for k, v in trainer.net.params.items():
        np.testing.assert_array_equal(v, reference.net.params[k])
    assert trainer.optimizer.t == reference.optimizer.t == 80


@pytest.mark.parametrize("optimizer", ["momentum", "nesterov"])
def test_after_an_overflow_a_smaller_eta_trains_on(optimizer: str) -> None:
    """regression: η = 50 overflows within a few dozen steps; with η back at 0.01 training goes
    on (the velocity v is the one of the good step, not infinite) and the loss comes down."""
    trainer = run("regression", f'train.optimizer="{optimizer}"', "train.lr=0.01", steps=40)
    trainer.configure(lr=50)
    with pytest.raises(Diverged) as err:
        trainer.run(1000)
    assert err.value.kept.step >= 40
    assert all(np.isfinite(v).all() for v in trainer.optimizer.state["v"].values())
    assert trainer.evaluate()["train_loss"] <= trainer.watch.start
    assert trainer.watch.active is None  # back at good weights: the rise before is over
    trainer.configure(lr=0.01)
    trainer.run(400)  # no Diverged
    assert trainer.evaluate()["train_loss"] < trainer.watch.start / 10
    assert trainer.watch.active is None


def test_no_good_weights_is_said_plainly(tmp_path: Path) -> None:
    """Weights so large that the very first loss overflows: nothing to go back to."""
    text = Path(load("mazur-2-2-2").file).read_text(encoding="utf-8")
    text = text.replace('activation = "sigmoid"', 'activation = "identity"')
    text = text.replace('output = "sigmoid"', 'output = "identity"')
    text = text.replace(
        "W1 = [[0.15, 0.25], [0.20, 0.30]]", "W1 = [[1e300, 1e300], [1e300, 1e300]]"
    )
    path = tmp_path / "huge.toml"
    path.write_text(text, encoding="utf-8")
    trainer = Trainer(load(str(path)))
    with pytest.raises(Diverged) as err:
        trainer.step()
    assert err.value.kept is not None and err.value.kept.step is None
    assert "No weights of this run had a finite loss" in str(err.value)
    assert "重みがありません" in err.value.message_in("ja")


def test_train_json_lists_the_warnings_and_stderr_repeats_them(capsys) -> None:
    status = main(["--lang", "en", "train", "circle", "--set", "train.lr=50", "--json"])
    out, err = capsys.readouterr()
    assert status == 0  # unchanged: a warning is not a failure
    [w] = json.loads(out)["warnings"]
    assert set(w) == {"step", "kind", "message"} and w["kind"] == "loss_rising"
    assert err.splitlines() == [f"tui-nn: warning: {w['message']}"]
    assert main(["--lang", "en", "train", "circle", "--json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["warnings"] == [] and err == ""


def test_train_says_which_weights_it_saved_after_a_divergence(tmp_path: Path, capsys) -> None:
    save = tmp_path / "w.npz"
    argv = ["--lang", "en", "train", "regression", "--set", "train.lr=50", "--save", str(save)]
    assert main(argv) == 3
    err = capsys.readouterr().err
    assert "back to the initial ones" in err
    with np.load(save) as saved:
        np.testing.assert_array_equal(saved["W1"], Trainer(load("regression")).initial["W1"])


def test_with_summed_batches_the_start_is_one_batch_summed() -> None:
    """reduction = "sum": each step's E is a sum over 25 samples, and so is the start."""
    calm = run("circle", 'train.reduction="sum"', "train.lr=0.01")
    mean_start = Trainer(load("circle")).evaluate()["train_loss"]
    assert calm.watch.start == pytest.approx(25 * mean_start, rel=1e-12)
    assert calm.warnings == []
    assert [w.kind for w in run("circle", 'train.reduction="sum"', "train.lr=2").warnings] == [
        "loss_rising"
    ]
