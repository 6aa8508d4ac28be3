"""The training worker's protocol, without a screen: commands in, messages out, one thread.

Numbers are checked against Mazur's worked example (E before the first update
0.298371109, w5 after it 0.35891648) and against the update rule W <- W - η ∂E/∂W.
"""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from tui_nn.app import session as cmd
from tui_nn.app.messages import (
    CommandFailed,
    LoadFailed,
    TrainerHeld,
    TrainerLoaded,
    TrainingDiverged,
    TrainingFinished,
)
from tui_nn.app.snapshot import DIVERGED, FINISHED, PAUSED, take, thin
from tui_nn.core import Preset, Trainer, load
from tui_nn.core.trainer import History

from helpers.worker import Worker


@pytest.fixture
def worker():
    w = Worker()
    yield w
    w.close()


def mazur(*overrides: str) -> Preset:
    return load("mazur-2-2-2", list(overrides))


def diverging() -> Preset:
    """A linear 2-2-2 network (identity everywhere) with η = 1e5: E overflows within a few steps."""
    return mazur('network.activation="identity"', 'network.output="identity"', "train.lr=1e5")


def test_first_step_reproduces_the_worked_example(worker: Worker) -> None:
    worker.send(cmd.Load(mazur()), cmd.RunSteps(1))
    worker.settled_at(1)
    assert isinstance(worker.messages[0], TrainerLoaded)
    snap = worker.last()
    assert snap.series("steps", "loss")[-1] == pytest.approx(0.298371109, abs=1e-9)
    # w5 is W2[0, 0] in the row-vector convention; the snapshot's copy of W2 holds it.
    worker.send(cmd.Watch(2))
    worker.wait_for(lambda: worker.last().watched.layer == 2)
    assert worker.last().watched.weights[0] == pytest.approx(0.35891648, abs=1e-8)


def test_lr_change_applies_from_the_next_step(worker: Worker) -> None:
    preset = mazur()
    worker.send(cmd.Load(preset), cmd.RunSteps(3))
    worker.settled_at(3)
    # The fourth update is W <- W - 0.1 ∂E/∂W with the gradient at the weights after three.
    ref = Trainer(preset)
    ref.run(3)
    _, grads = ref.gradients(*ref.peek_batch()[:2])
    expected = {name: ref.net.params[name] - 0.1 * grads[name] for name in ("W1", "W2")}
    worker.send(cmd.SetTrain("lr", 0.1), cmd.RunSteps(1))
    worker.settled_at(4)
    trainer = worker.session.trainer
    for name, value in expected.items():
        np.testing.assert_allclose(trainer.net.params[name], value, rtol=1e-15, atol=0)
    worker.send(cmd.RunSteps(1), cmd.RunSteps(1))  # steps add up
    worker.settled_at(6)
    assert trainer.cfg.lr == 0.1
    assert trainer.steps.column("lr").tolist() == [0.5, 0.5, 0.5, 0.1, 0.1, 0.1]


def test_reset_restores_the_exact_initial_weights(worker: Worker) -> None:
    worker.send(cmd.Load(mazur()), cmd.RunSteps(25), cmd.Reset())
    worker.settled_at(0)
    trainer = worker.session.trainer
    for name, value in trainer.initial.items():
        np.testing.assert_array_equal(trainer.net.params[name], value)
    np.testing.assert_array_equal(trainer.net.params["W1"], [[0.15, 0.25], [0.20, 0.30]])


def test_step_epoch_stops_at_the_end_of_the_epoch(worker: Worker) -> None:
    # iris: 120 training samples in batches of 10 -> 12 updates per epoch.
    worker.send(cmd.Load(load("iris")), cmd.RunSteps(5), cmd.StepEpoch())
    worker.settled_at(12)
    assert worker.last().epoch == 1.0


def test_play_stops_after_the_configured_epochs(worker: Worker) -> None:
    worker.send(cmd.Load(mazur("train.epochs=30")), cmd.Play())
    worker.settled_at(30, FINISHED)
    assert any(isinstance(m, TrainingFinished) and m.epochs == 30 for m in worker.messages)


def test_divergence_pauses_and_keeps_finite_weights(worker: Worker) -> None:
    worker.send(cmd.Load(diverging()), cmd.Play())
    worker.wait_for(lambda: any(isinstance(m, TrainingDiverged) for m in worker.messages))
    worker.wait_for(lambda: (s := worker.last()) is not None and s.state == DIVERGED)
    diverged = next(m for m in worker.messages if isinstance(m, TrainingDiverged))
    trainer = worker.session.trainer
    assert diverged.error.step == trainer.step_count + 1 == worker.last().step + 1
    assert diverged.error is trainer.diverged
    assert diverged.lr == 1e5
    assert all(np.isfinite(p).all() for p in trainer.net.params.values())


def test_snapshots_are_bounded_while_running() -> None:
    w = Worker(max_rate=10.0)
    try:
        w.send(cmd.Load(mazur("train.epochs=100000000")), cmd.Play())
        w.wait_for(lambda: w.last() is not None and w.last().step > 0)
        start, n0 = time.monotonic(), len(w.snapshots())
        time.sleep(0.5)
        n, elapsed = len(w.snapshots()) - n0, time.monotonic() - start
        w.send(cmd.Pause())
        assert n <= 10 * elapsed + 2
        assert w.last().steps_per_s is None or w.last().steps_per_s > 0
        assert len(w.last().steps) <= 400  # histories are thinned for the plots
    finally:
        w.close()


def test_held_trainer_is_untouched_until_release(worker: Worker) -> None:
    worker.send(cmd.Load(mazur()), cmd.Hold(), cmd.RunSteps(3))
    worker.wait_for(lambda: any(isinstance(m, TrainerHeld) for m in worker.messages))
    held = next(m for m in worker.messages if isinstance(m, TrainerHeld)).trainer
    assert held is worker.session.trainer
    held.step()  # the UI thread owns it now, as the stepper does
    worker.send(cmd.Release())
    worker.settled_at(4)  # the deferred RunSteps(3) ran after the release, from step 1


def test_stop_returns_at_once_while_running() -> None:
    w = Worker()
    w.send(cmd.Load(mazur("train.epochs=100000000")), cmd.Play())
    w.wait_for(lambda: w.last() is not None and w.last().step > 100)
    start = time.monotonic()
    w.session.stop()
    assert w.session.finished.wait(1.0)
    assert time.monotonic() - start < 0.5
    w.close()


def test_a_preset_whose_data_is_missing_reports_and_keeps_the_old_network(worker: Worker) -> None:
    worker.send(cmd.Load(mazur()), cmd.Load(load("mnist", ['data.path="/nonexistent"'])))
    worker.wait_for(lambda: any(isinstance(m, LoadFailed) for m in worker.messages))
    failed = next(m for m in worker.messages if isinstance(m, LoadFailed))
    assert "data.path" in failed.reason and "/nonexistent" in failed.reason
    assert worker.session.trainer.preset.name == "mazur-2-2-2"


def test_probes_run_on_the_worker_thread_and_fill_extras(worker: Worker) -> None:
    threads = []

    def probe(trainer: Trainer) -> int:
        threads.append(threading.current_thread())
        return trainer.step_count

    worker.send(cmd.Load(mazur()), cmd.AddProbe("steps", probe), cmd.RunSteps(2))
    worker.settled_at(2)
    assert worker.last().extras["steps"] == 2
    assert threading.main_thread() not in threads


def test_thin_keeps_the_ends_and_at_most_k_rows() -> None:
    rows = np.arange(1000.0).reshape(-1, 1)
    out = thin(rows, 50)
    assert len(out) == 50 and out[0, 0] == 0 and out[-1, 0] == 999
    assert thin(rows[:10], 50) is not None and len(thin(rows[:10], 50)) == 10


def test_thin_by_means_averages_runs_of_rows() -> None:
    rows = np.column_stack([np.arange(1.0, 13.0), np.arange(1.0, 13.0) ** 2])  # steps 1..12
    out = thin(rows, 4, mean=True)
    # Four runs of three steps: (1, 2, 3), (4, 5, 6), (7, 8, 9), (10, 11, 12).
    np.testing.assert_allclose(out[:, 0], [2, 5, 8, 11])
    np.testing.assert_allclose(out[:, 1], [14 / 3, 77 / 3, 194 / 3, 365 / 3])


def test_a_snapshot_keeps_its_numbers_when_training_goes_on() -> None:
    # The history is read without a copy: the snapshot must still own what it shows when the
    # full history thins itself in place (here after four rows).
    trainer = Trainer(load("circle", ["train.eval_every=1"]))
    trainer.steps = History(trainer.steps.columns, capacity=4)
    trainer.evals = History(trainer.evals.columns, capacity=4)
    for _ in range(3):
        trainer.step()
    snap = take(trainer, PAUSED, None, 1, {})
    steps, ends, evals = snap.steps.copy(), snap.step_ends.copy(), snap.evals.copy()
    for _ in range(9):
        trainer.step()
    assert trainer.steps.stride > 1 and trainer.evals.stride > 1  # both thinned meanwhile
    np.testing.assert_array_equal(snap.steps, steps)
    np.testing.assert_array_equal(snap.step_ends, ends)
    np.testing.assert_array_equal(snap.evals, evals)
    assert snap.steps[:, 0].tolist() == [1, 2, 3] and snap.step_ends[:, 0].tolist() == [1, 3]


def test_a_failing_probe_is_reported_and_training_goes_on(worker: Worker) -> None:
    def broken(trainer: Trainer) -> None:
        raise ValueError("grid too big")

    worker.send(cmd.Load(mazur()), cmd.AddProbe("boundary", broken), cmd.RunSteps(3))
    worker.settled_at(3)
    failed = [m for m in worker.messages if isinstance(m, CommandFailed)]
    assert len(failed) == 1 and failed[0].reason == "boundary: ValueError: grid too big"
    assert "boundary" not in worker.last().extras
