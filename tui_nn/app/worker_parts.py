"""Two small pieces of the training worker's state (tui_nn.app.session), each on its thread."""

from __future__ import annotations

from collections import deque
from typing import Any

from tui_nn.app.commands import Probe
from tui_nn.core import Trainer


class StepRate:
    """Steps per second while running, over the last `window` seconds: long enough that a
    pace of one update a second reads 1 (not 0 between its updates and 2 after one), short
    enough to follow a change of speed."""

    def __init__(self, window: float = 2.0) -> None:
        self.rate: float | None = None
        self.window = window
        self._marks: deque[tuple[float, int]] = deque()

    def reset(self) -> None:
        self.rate = None
        self._marks.clear()

    def measure(self, now: float, step: int) -> None:
        marks = self._marks
        marks.append((now, step))
        while len(marks) > 2 and now - marks[1][0] >= self.window:
            marks.popleft()  # the oldest mark left is the last one at least `window` old
        (t0, s0) = marks[0]
        if now > t0:
            self.rate = (step - s0) / (now - t0)


class Probes:
    """Functions of the trainer run on the worker thread at each snapshot, by name."""

    def __init__(self) -> None:
        self._probes: dict[str, Probe] = {}

    def set(self, name: str, probe: Probe | None) -> None:
        """Add (or replace) the probe `name`; None removes it."""
        if probe is None:
            self._probes.pop(name, None)
        else:
            self._probes[name] = probe

    def run(self, trainer: Trainer) -> tuple[dict[str, Any], list[str]]:
        """Each probe's result, and a line for each probe that failed (and is removed)."""
        extras, failed = {}, []
        for name, probe in list(self._probes.items()):
            try:
                extras[name] = probe(trainer)
            except Exception as e:
                del self._probes[name]
                failed.append(f"{name}: {type(e).__name__}: {e}")
        return extras, failed
