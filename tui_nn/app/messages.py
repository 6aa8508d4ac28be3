"""Messages the training worker posts to the screen. Each carries copies, never live engine state,
except `TrainerHeld`, which hands the paused trainer over on purpose."""

from __future__ import annotations

from textual.message import Message

from tui_nn.app.snapshot import ModelInfo, Snapshot
from tui_nn.core import Trainer
from tui_nn.core.errors import Diverged
from tui_nn.core.watch import LossRising


class TrainingSnapshot(Message):
    """The newest state of the run; a newer one queued behind it replaces it unhandled."""

    def __init__(self, snapshot: Snapshot) -> None:
        super().__init__()
        self.snapshot = snapshot

    def can_replace(self, message: Message) -> bool:
        # Textual asks the older queued message whether the next one may supersede it.
        return isinstance(message, TrainingSnapshot)


class TrainerLoaded(Message):
    """A network was built (a preset loaded, or the architecture changed)."""

    def __init__(self, info: ModelInfo) -> None:
        super().__init__()
        self.info = info


class TrainingDiverged(Message):
    """A step produced NaN or inf; the run paused with the weights `error.kept` names. The
    error is plain data (step, what, layer, param, kept), set before it was raised."""

    def __init__(self, error: Diverged, lr: float) -> None:
        super().__init__()
        self.error = error
        self.lr = lr


class TrainingWarned(Message):
    """The training loss has risen well above its start and stays there; the run goes on."""

    def __init__(self, warning: LossRising) -> None:
        super().__init__()
        self.warning = warning


class TrainingFinished(Message):
    """Play reached the configured number of epochs (or of `steps`, when the preset gives
    them) and paused; `warning` is a rise of the loss still under way at the end."""

    def __init__(self, epochs: int, warning: LossRising | None = None, steps: int = 0) -> None:
        super().__init__()
        self.epochs = epochs
        self.warning = warning
        self.steps = steps


class CommandFailed(Message):
    """A command could not be carried out; `reason` is the engine's one-line explanation."""

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


class LoadFailed(Message):
    """A preset could not be built (e.g. its data files are missing); the old network stays."""

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


class TrainerHeld(Message):
    """The worker paused and hands the trainer to the UI thread until it gets `Release`."""

    def __init__(self, trainer: Trainer) -> None:
        super().__init__()
        self.trainer = trainer
