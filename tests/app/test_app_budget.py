"""The UI thread's redraw budget: a redraw is allowed while the thread's CPU share since the
last one is within the budget, and always after the longest wait."""

from __future__ import annotations

import time

import pytest

from tui_nn.app.budget import FrameBudget
from tui_nn.app.main import make_app
from tui_nn.app.snapshot import RUNNING
from tui_nn.app.widgets.charts import LossChart
from tui_nn.core import load

from helpers.pilot import FULL_SPEED, aio


class Clocks:
    """A wall clock and a CPU clock the test moves by hand."""

    def __init__(self) -> None:
        self.wall = 100.0
        self.cpu = 7.0

    def spend(self, wall: float, cpu: float) -> None:
        self.wall += wall
        self.cpu += cpu


def budget(clocks: Clocks, share: float = 0.05, longest_wait: float = 3.0) -> FrameBudget:
    return FrameBudget(
        share, longest_wait=longest_wait, clock=lambda: clocks.wall, cpu=lambda: clocks.cpu
    )


def test_share_is_cpu_time_over_wall_time_since_the_last_redraw() -> None:
    clocks = Clocks()
    b = budget(clocks)
    clocks.spend(wall=0.5, cpu=0.02)
    assert b.used() == pytest.approx(0.04)
    assert b.allows()  # 4% ≤ 5%
    clocks.spend(wall=0.5, cpu=0.03)
    assert b.used() == pytest.approx(0.06)  # measured from the redraw, not from the start
    assert not b.allows()
    clocks.spend(wall=0.2, cpu=0.0)  # 0.03 s over 0.7 s = 4.3%
    assert b.allows()


def test_a_costly_redraw_pushes_the_next_one_out_in_proportion() -> None:
    # A redraw that costs 40 ms at a 5% budget can repeat after 0.8 s, not before.
    clocks = Clocks()
    b = budget(clocks)
    clocks.spend(wall=0.01, cpu=0.04)
    for _ in range(7):
        clocks.spend(wall=0.1, cpu=0.0)
        assert not b.allows()
    clocks.spend(wall=0.1, cpu=0.0)
    assert b.used() == pytest.approx(0.04 / 0.81)
    assert b.allows()


def test_the_plots_never_freeze_for_longer_than_the_longest_wait() -> None:
    clocks = Clocks()
    b = budget(clocks, longest_wait=3.0)
    clocks.spend(wall=2.9, cpu=2.9)  # a UI thread busy all the time
    assert not b.allows()
    clocks.spend(wall=0.1, cpu=0.1)
    assert b.allows()
    clocks.spend(wall=0.1, cpu=0.1)
    assert not b.allows()  # the wait starts again


def test_the_real_clock_is_this_threads_cpu_time() -> None:
    """Busy work on this thread counts, sleeping does not. The wall clock is a stand-in moved
    by exactly the CPU time spent, so a machine whose other cores are loaded cannot change the
    share (a loaded machine gives this thread less CPU per wall-clock second)."""
    wall = [0.0]
    b = FrameBudget(0.05, clock=lambda: wall[0])
    start = time.thread_time()
    while time.thread_time() - start < 0.05:  # busy: this thread's CPU clock runs
        pass
    wall[0] += 0.05
    assert b.used() > 0.9
    assert not b.allows()
    b = FrameBudget(0.05, clock=lambda: wall[0])
    time.sleep(0.05)  # idle: the CPU clock stands still
    wall[0] += 0.05
    assert b.used() < 0.05
    assert b.allows()


# ---- in the app -------------------------------------------------------------------------------


async def _train_with(budget: FrameBudget, seconds: float) -> tuple[list[int], int]:
    """Steps shown by the loss chart at each redraw while circle trains, and the last step
    the status bar reported."""
    app = make_app(load("circle", ["train.epochs=1000000", FULL_SPEED]), lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        while app.main.state.snapshot is None:
            await pilot.pause(0.02)
        app.main.plots.budget = budget
        chart = app.main.query_one(LossChart)
        await pilot.press("space")
        drawn: list[int] = []
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            await pilot.pause(0.02)
            shown = chart.snapshot
            if shown is not None and shown.state == RUNNING and shown.step not in drawn:
                drawn.append(shown.step)
        last = app.main.state.snapshot.step
        await pilot.press("space")
    return drawn, last


@aio
async def test_a_spent_budget_holds_the_pictures_while_the_status_moves_on() -> None:
    drawn, last = await _train_with(FrameBudget(0.0, longest_wait=1e9), 1.5)
    assert drawn == []  # every redraw refused: the charts still show the paused network
    assert last > 0  # while the status line followed the trainer


@aio
async def test_the_pictures_follow_a_run_within_the_longest_wait() -> None:
    drawn, last = await _train_with(FrameBudget(0.0, longest_wait=0.4), 2.0)
    assert len(drawn) >= 2 and drawn == sorted(drawn)
    assert 0 < drawn[-1] <= last
