"""Watching a run for a loss that is not NaN but has gone wrong.

A learning rate far too large need not overflow: with η = 50 on `circle` the loss bounces
between 3 and 10 from a start of 0.69 and never becomes NaN. `LossWatch` follows a smoothed
training loss and reports, once, when it has risen well above the loss of the starting weights
and stayed there; training goes on (it is a warning, not an error).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from tui_nn.i18n import t

#: "Well above the start": the smoothed loss is more than this many times the starting loss.
RISE_FACTOR = 2.0
#: A batch loss above CAP × start counts as CAP × start in the average: one overflowing step
#: (1e300) must not keep the average high for thousands of steps after it.
CAP = 10 * RISE_FACTOR
#: The smoothing window, in steps, and how long the loss must stay high: about one epoch,
#: within these bounds (full-batch runs have an epoch of one step, online ones of hundreds).
WINDOW_MIN, WINDOW_MAX = 10, 50


@dataclass(frozen=True)
class LossRising:
    """The training loss rose well above its starting value from `step` on and stayed there."""

    step: int  # the step from which the smoothed loss stayed above RISE_FACTOR × start
    loss: float  # the smoothed loss when the rise was noticed
    start: float  # the loss of the starting weights, over the training set
    lr: float  # η when the rise was noticed
    noticed: int  # the step at which it was noticed
    kind: str = "loss_rising"

    def message_in(self, lang: str) -> str:
        return t(
            "warn_loss_rising",
            lang,
            step=self.step,
            loss=f"{self.loss:.3g}",
            start=f"{self.start:.3g}",
            lr=f"{self.lr:g}",
            noticed=self.noticed,
        )

    @property
    def message(self) -> str:
        return self.message_in("en")


def window_for(steps_per_epoch: int) -> int:
    return min(max(steps_per_epoch, WINDOW_MIN), WINDOW_MAX)


class LossWatch:
    """An exponential moving average of the batch loss (span `window` steps, each loss capped
    at CAP × start), started at the starting loss; a rise counts once the average has stayed
    above RISE_FACTOR × start for `window` steps, and is over once it has stayed below for as
    long. A start of 0 (or not finite) leaves nothing to rise above: the watch stays quiet."""

    def __init__(self, start: float, window: int) -> None:
        self.start = start
        self.window = window
        self._alpha = 2.0 / (window + 1)
        #: The rise in progress, if any (None once the loss has come back down).
        self.active: LossRising | None = None
        self.restart(start)

    def restart(self, loss: float) -> None:
        """Start the average again at `loss`, the loss of weights the trainer went back to (not
        above the start): whatever rise there was is over."""
        self.smoothed = loss
        self._since: int | None = None  # first step of the current run above the line
        self._below = 0  # steps in a row below the line
        self.active = None

    def see(self, step: int, loss: float, lr: float) -> LossRising | None:
        """Take the batch loss of `step`; the new warning when a rise has just been confirmed."""
        if not (math.isfinite(loss) and math.isfinite(self.start) and self.start > 0):
            return None  # a NaN is the trainer's Diverged
        self.smoothed += self._alpha * (min(loss, CAP * self.start) - self.smoothed)
        if self.smoothed <= RISE_FACTOR * self.start:
            self._since = None
            self._below += 1
            if self._below >= self.window:
                self.active = None
            return None
        self._below = 0
        if self._since is None:
            self._since = step
        if self.active is None and step - self._since + 1 >= self.window:
            self.active = LossRising(self._since, self.smoothed, self.start, lr, step)
            return self.active
        return None
