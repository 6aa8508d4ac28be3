"""The training worker's side of the landscape view (tui_nn.core.landscape).

It records θ after every update from the moment a network is loaded (every parameter of a
network small enough for that; on a larger one only the pair chosen, from the moment it is
chosen), and computes the landscape of the chosen pair when it is asked for and again
whenever the run stands still on weights it was not computed for (paused, finished, after a
reset or a step). While training it hands out the last landscape with the path and the
current point brought up to date: recomputing E over the whole training set at every frame
would take the trainer's time.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from tui_nn.core import Trainer
from tui_nn.core.landscape import Landscape, Param, Trajectory, landscape


class LandscapeWork:
    """Owned by the worker thread; the session calls it after each update and each snapshot."""

    def __init__(self) -> None:
        self.trajectory: Trajectory | None = None
        self.pair: tuple[Param, Param] | None = None
        self.size = (60, 40)
        self.result: Landscape | None = None
        self._theta: np.ndarray | None = None  # θ the result was computed for

    def loaded(self, trainer: Trainer) -> None:
        size = trainer.net.theta.size
        self.trajectory = Trajectory(size) if Trajectory.fits(size) else None
        self.pair, self.result = None, None
        self.recorded(trainer)

    def recorded(self, trainer: Trainer) -> None:
        """θ now, after `trainer.step_count` updates."""
        if self.trajectory is not None:
            self.trajectory.record(trainer.step_count, trainer.net.theta)

    def ask(self, trainer: Trainer, pair: tuple[Param, Param] | None, size: tuple[int, int]):
        """Compute the landscape of `pair` (None: stop) at the next snapshot, cols × rows."""
        self.pair, self.size, self.result = pair, size, None
        if pair is not None and (self.trajectory is None or self.trajectory.columns is not None):
            # A large network: from now on, the two values only.
            self.trajectory = Trajectory(0, columns=np.array([p.flat for p in pair]))
        self.recorded(trainer)

    def extra(self, trainer: Trainer, running: bool) -> Landscape | None:
        """What the next snapshot carries: the landscape, its path and point as they are now."""
        if self.pair is None or self.trajectory is None:
            return None
        self.recorded(trainer)  # weights may have changed between updates (a reset, the stepper)
        path = self.trajectory.path(*self.pair)
        theta = trainer.net.theta
        if self.result is None or (not running and not np.array_equal(self._theta, theta)):
            data = trainer.data
            self.result = landscape(
                trainer.net,
                data.x_train,
                data.d_train,
                self.pair,
                path,
                trainer.step_count,
                self.size,
            )
            self._theta = theta.copy()
            return self.result
        p, q = self.pair
        return replace(
            self.result,
            path_steps=path[0],
            path=path[1],
            current=(float(theta[p.flat]), float(theta[q.flat])),
        )
