"""Two small pieces of the training worker's state (tui_nn.app.session), each on its thread."""

from __future__ import annotations

from typing import Any

from tui_nn.app.commands import Probe
from tui_nn.core import Trainer


class StepRate:
    """Steps per second while running, as a short moving average (readable, not lagging far)."""

    def __init__(self) -> None:
        self.rate: float | None = None
        self._mark: tuple[float, int] | None = None

    def reset(self) -> None:
        self.rate, self._mark = None, None

    def measure(self, now: float, step: int) -> None:
        if self._mark is not None and now > self._mark[0]:
            current = (step - self._mark[1]) / (now - self._mark[0])
            self.rate = current if self.rate is None else 0.5 * self.rate + 0.5 * current
        self._mark = (now, step)


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
