"""The landscape on the training worker: computed there when asked for and whenever the run
stands still, while training only its path and current point move; the path is every update
from the start."""

from __future__ import annotations

import threading

import numpy as np

from tui_nn.app import session as cmd
from tui_nn.app.landscape_work import LandscapeWork
from tui_nn.app.snapshot import PAUSED, RUNNING
from tui_nn.core import Trainer, load
from tui_nn.core.landscape import loss_grid, parse_pair

from helpers.worker import Worker


def shown(w: Worker):
    return [s for s in w.snapshots() if "landscape" in s.extras]


def test_asked_paused_it_is_the_loss_over_the_grid_with_the_whole_path(monkeypatch) -> None:
    threads = []
    real = LandscapeWork.extra

    def spy(self, trainer, running):
        threads.append(threading.current_thread())
        return real(self, trainer, running)

    monkeypatch.setattr(LandscapeWork, "extra", spy)
    preset = load("circle")
    pair = parse_pair("W1[0,1]", "b2[0]", preset.network.layers)
    w = Worker()
    try:
        w.send(cmd.Load(preset), cmd.RunSteps(12))
        w.settled_at(12)
        w.send(cmd.AskLandscape(pair, (12, 8)))
        w.wait_for(lambda: shown(w))
        got = shown(w)[-1].extras["landscape"]
    finally:
        w.close()
    assert threads and all(t is w.thread for t in threads)  # never the caller's thread
    t = Trainer(preset)
    values = [t.net.theta[[pair[0].flat, pair[1].flat]].copy()]
    for _ in range(12):
        t.step()
        values.append(t.net.theta[[pair[0].flat, pair[1].flat]].copy())
    assert got.step == 12 and got.path_steps.tolist() == list(range(13))
    np.testing.assert_array_equal(got.path, np.array(values))
    assert got.current == tuple(values[-1])
    cols = got.p_range[0] + (np.arange(12) + 0.5) * (got.p_range[1] - got.p_range[0]) / 12
    rows = got.q_range[0] + (np.arange(8) + 0.5) * (got.q_range[1] - got.q_range[0]) / 8
    want = loss_grid(t.net, t.data.x_train, t.data.d_train, *pair, cols, rows[::-1])
    np.testing.assert_allclose(got.E, want, rtol=1e-12)


def test_while_training_the_map_stays_and_the_path_moves_then_a_pause_recomputes() -> None:
    preset = load("circle", ["train.epochs=100000"])
    pair = parse_pair("W2[0,0]", "W2[0,1]", preset.network.layers)
    w = Worker()
    try:
        w.send(cmd.Load(preset), cmd.AskLandscape(pair, (10, 6)), cmd.Play())
        w.wait_for(lambda: sum(s.state == RUNNING for s in shown(w)) >= 3)
        w.send(cmd.Pause())
        w.wait_for(lambda: (s := w.last()) is not None and s.state == PAUSED and s.step > 0)
        w.wait_for(lambda: shown(w)[-1].extras["landscape"].step == w.last().step)
        running = [s for s in shown(w) if s.state == RUNNING]
        last = shown(w)[-1]
    finally:
        w.close()
    maps = {s.extras["landscape"].step for s in running}
    assert len(maps) <= 2  # asked before the first update, and maybe once as it started
    grown = [s.extras["landscape"].path_steps[-1] for s in running]
    assert grown[-1] > grown[0] and grown[-1] == running[-1].step
    assert last.extras["landscape"].path_steps[-1] == last.step


def test_a_reset_starts_the_path_again() -> None:
    preset = load("circle")
    pair = parse_pair("W1[0,0]", "W1[1,0]", preset.network.layers)
    w = Worker()
    try:
        w.send(cmd.Load(preset), cmd.RunSteps(5))
        w.settled_at(5)
        w.send(cmd.AskLandscape(pair, (6, 4)), cmd.Reset())
        w.wait_for(lambda: shown(w) and shown(w)[-1].step == 0)
        got = shown(w)[-1].extras["landscape"]
    finally:
        w.close()
    assert got.path_steps.tolist() == [0] and got.step == 0
