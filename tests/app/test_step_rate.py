"""The status bar's steps per second: steady at a slow pace, following a change of speed."""

from __future__ import annotations

import pytest

from tui_nn.app.worker_parts import StepRate


def rates(schedule, seconds: float, every: float = 0.1):
    """The rate measured at each snapshot (every `every` s) while `schedule(t)` steps are done."""
    rate = StepRate()
    out = []
    for i in range(round(seconds / every) + 1):
        t = i * every
        rate.measure(t, schedule(t))
        out.append((t, rate.rate))
    return out, rate


def test_one_update_a_second_reads_one_between_updates_and_after_them() -> None:
    measured, _ = rates(lambda t: int(t + 0.95), 8.0)  # an update at 0.05 s, 1.05 s, ...
    late = [r for t, r in measured if t >= 2.5]
    assert all(0.9 <= r <= 1.05 for r in late), late  # a moving average read 0, 1 and 2


def test_a_steady_fast_rate_is_exact_and_a_new_speed_shows_within_the_window() -> None:
    def steps(t: float) -> int:  # 1000 a second for 3 s, then 100 a second
        return round(1000 * t) if t <= 3 else 3000 + round(100 * (t - 3))

    measured, _ = rates(steps, 5.5)
    at = dict((round(t, 1), r) for t, r in measured)
    assert at[3.0] == pytest.approx(1000, rel=1e-6)
    assert at[5.5] == pytest.approx(100, rel=0.06)  # 2 s after the change


def test_a_reset_forgets_the_run_before() -> None:
    _, rate = rates(lambda t: int(1000 * t), 1.0)
    rate.reset()
    assert rate.rate is None
    rate.measure(10.0, 5)
    assert rate.rate is None  # one mark: no rate yet
    rate.measure(10.5, 6)
    assert rate.rate == pytest.approx(2.0)
