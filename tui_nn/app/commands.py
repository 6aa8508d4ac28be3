"""Commands the UI thread sends to the training worker (tui_nn.app.session).

Each is a frozen dataclass; the worker applies them in the order they arrive, between two
training steps. Steps add up: two `RunSteps(1)` sent quickly are two updates.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tui_nn.core import Preset, Trainer
from tui_nn.core.landscape import Param

#: Something computed from the trainer in the worker thread for each snapshot (it must return
#: copies); its result appears in `Snapshot.extras[name]`.
Probe = Callable[[Trainer], Any]


@dataclass(frozen=True)
class Load:
    """Build a new Trainer (and network) from a validated preset."""

    preset: Preset


@dataclass(frozen=True)
class Play:
    """Train until paused, diverged, or the configured epochs are done."""


@dataclass(frozen=True)
class Pause:
    """Stop after the current step."""


@dataclass(frozen=True)
class RunSteps:
    """Exactly `count` updates, then pause."""

    count: int = 1


@dataclass(frozen=True)
class StepEpoch:
    """Updates until the current epoch ends, then pause."""


@dataclass(frozen=True)
class Reset:
    """Back to the exact initial weights, a fresh optimizer and the first batch."""


@dataclass(frozen=True)
class SetTrain:
    """Change one [train] field; it applies from the next step (lr, batch_size, epochs, ...)."""

    name: str
    value: Any


@dataclass(frozen=True)
class SetOptimizer:
    """Switch optimizer (its state starts afresh) with these constants."""

    name: str
    constants: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class SetPace:
    """How fast to train when playing ([view] pace): "max", "epoch", "step" or "slow"."""

    pace: str


@dataclass(frozen=True)
class Watch:
    """Which layer's W and ∂E/∂W the snapshots copy (1 for W1)."""

    layer: int


@dataclass(frozen=True)
class AddProbe:
    """Compute `probe(trainer)` for every snapshot, into `extras[name]` (None removes it)."""

    name: str
    probe: Probe | None


@dataclass(frozen=True)
class AskLandscape:
    """Compute the landscape of two parameters (None: no more), cols × rows points, for the
    next snapshot's `extras["landscape"]`, and again whenever the run stands still."""

    pair: tuple[Param, Param] | None
    size: tuple[int, int] = (60, 40)


@dataclass(frozen=True)
class Hold:
    """Pause and hand the trainer to the UI thread (TrainerHeld) until Release."""


@dataclass(frozen=True)
class Release:
    """The UI thread is done with the held trainer; publish its (maybe changed) state."""


@dataclass(frozen=True)
class Stop:
    """End the worker loop."""


@dataclass(frozen=True)
class Apply:
    """Change the trainer by hand between two steps: `change(trainer)` runs on the worker
    (set a weight, add a point); a Message it returns is posted to the screen."""

    change: Callable[[Trainer], Any]
