"""How often the costly pictures (charts, decision boundary) may redraw while training.

On a small network the trainer thread runs Python bytecode almost all the time and needs the
GIL that Textual's UI thread needs too: every millisecond of Python on the UI thread is one
the trainer loses. The UI thread's own CPU clock (`time.thread_time`, read on that thread)
counts all of it: handling snapshots, building pictures, the compositor, the driver. A
redraw is allowed only while that clock's share of the time since the last redraw is within
`share`, so the app's cost to the trainer stays near `share` whatever the machine or the
size of the terminal. A big network spends its time in NumPy with the GIL released; the UI
is then cheap next to it and the pictures redraw at the timer's rate.
"""

from __future__ import annotations

import time
from collections.abc import Callable


class FrameBudget:
    """`allows()` answers "may the pictures redraw now?" and, if so, starts a new window.

    Call it from the UI thread only: the CPU clock is the calling thread's.
    """

    def __init__(
        self,
        share: float = 0.05,
        *,
        longest_wait: float = 3.0,
        clock: Callable[[], float] = time.monotonic,
        cpu: Callable[[], float] = time.thread_time,
    ) -> None:
        #: Largest share of one core the UI thread may use between two redraws.
        self.share = share
        #: Seconds after which a redraw is allowed whatever it costs: the plots never freeze.
        self.longest_wait = longest_wait
        self._clock, self._cpu = clock, cpu
        self._since = (clock(), cpu())

    def used(self) -> float:
        """The UI thread's share of the time since the last redraw (0..1)."""
        wall, cpu = self._clock() - self._since[0], self._cpu() - self._since[1]
        return cpu / wall if wall > 0 else 1.0

    def allows(self) -> bool:
        waited = self._clock() - self._since[0]
        if waited < self.longest_wait and self.used() > self.share:
            return False
        self._since = (self._clock(), self._cpu())
        return True
