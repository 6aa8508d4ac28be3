"""Messages the training worker posts to the screen. Each carries copies, never live engine state,
except `TrainerHeld`, which hands the paused trainer over on purpose."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from tui_nn.app.snapshot import ModelInfo, Snapshot
from tui_nn.core import Trainer
from tui_nn.core.errors import Diverged
from tui_nn.core.watch import LossRising


@dataclass
class TrainingSnapshot(Message):
    """The newest state of the run; a newer one queued behind it replaces it unhandled."""

    snapshot: Snapshot

    def can_replace(self, message: Message) -> bool:
        # Textual asks the older queued message whether the next one may supersede it.
        return isinstance(message, TrainingSnapshot)


@dataclass
class TrainerLoaded(Message):
    """A network was built (a preset loaded, or the architecture changed)."""

    info: ModelInfo


@dataclass
class TrainingDiverged(Message):
    """A step produced NaN or inf; the run paused with the weights `error.kept` names."""

    error: Diverged  # plain data (step, what, layer, param, kept), set before it was raised
    lr: float


@dataclass
class TrainingWarned(Message):
    """The training loss has risen well above its start and stays there; the run goes on."""

    warning: LossRising


@dataclass
class TrainingFinished(Message):
    """Play reached the configured epochs (or the preset's `steps`, when given) and paused."""

    epochs: int
    warning: LossRising | None = None  # a rise of the loss still under way at the end
    steps: int = 0


@dataclass
class CommandFailed(Message):
    """A command could not be carried out; `reason` is the engine's one-line explanation."""

    reason: str


@dataclass
class LoadFailed(Message):
    """A preset could not be built (e.g. its data files are missing); the old network stays."""

    reason: str


@dataclass
class TrainerHeld(Message):
    """The worker paused and hands the trainer to the UI thread until it gets `Release`."""

    trainer: Trainer
