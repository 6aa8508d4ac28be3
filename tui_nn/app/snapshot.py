"""What the worker thread hands to the screen: plain copies, never references into the engine.

A `Snapshot` is built in the worker at most ~10 times a second; the screen only reads it. The
histories are thinned to a few hundred rows (the plots are a few dozen cells wide anyway), and
the watched layer's W and ∂E/∂W are copied (a strided sample for very large layers).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

import numpy as np

from tui_nn.core import Preset, TrainConfig, Trainer
from tui_nn.core.boundary import plot_dims

IDLE, PAUSED, RUNNING, FINISHED, DIVERGED = "idle", "paused", "running", "finished", "diverged"
#: Rows kept of each history for the plots; the last row is always kept.
MAX_POINTS = 400
#: Values of W and ∂E/∂W copied for the histogram; larger layers are sampled with a stride.
MAX_VALUES = 50_000


def thin(rows: np.ndarray, k: int = MAX_POINTS, mean: bool = False) -> np.ndarray:
    """At most k rows: evenly spread picks (first and last included), or with `mean` the means
    of k runs of consecutive rows, which keeps a noisy per-step curve readable."""
    n = len(rows)
    if n <= k:
        return rows
    if mean:
        starts = np.linspace(0, n, k + 1).astype(int)[:-1]
        counts = np.diff(np.append(starts, n))
        return np.add.reduceat(rows, starts, axis=0) / counts[:, None]
    return rows[np.unique(np.linspace(0, n - 1, k).round().astype(int))]


def _sample(a: np.ndarray | None) -> np.ndarray | None:
    if a is None:
        return None
    flat = np.asarray(a).ravel()
    stride = -(-flat.size // MAX_VALUES)
    return flat[::stride].astype(np.float64)  # astype copies even when the stride is 1


@dataclass(frozen=True)
class ModelInfo:
    """What does not change while one network trains: sent once after each load."""

    preset: Preset
    layers: tuple[int, ...]
    n_params: int
    n_train: int
    n_test: int
    is_classification: bool
    warnings: tuple[str, ...]
    #: 2 or 3 when the data's points can be drawn as a decision boundary (3: z-slices).
    plot_dims: int | None = None
    class_names: tuple[str, ...] = ()
    z_range: tuple[float, float] | None = None

    @property
    def n_weight_layers(self) -> int:
        return len(self.layers) - 1

    @classmethod
    def of(cls, trainer: Trainer) -> ModelInfo:
        """Read in the worker thread, right after the trainer is built."""
        # Classes or one regression output can be coloured over the plane; several real-valued
        # outputs (the 2-2-2 worked example) cannot.
        drawable = trainer.data.n_classes is not None or trainer.net.cfg.layers[-1] == 1
        dims = plot_dims(trainer.data) if drawable else None
        return cls(
            preset=trainer.preset,
            layers=tuple(trainer.net.cfg.layers),
            n_params=int(sum(p.size for p in trainer.net.params.values())),
            n_train=trainer.n_train,
            n_test=len(trainer.data.x_test),
            is_classification=trainer.is_classification,
            warnings=tuple(trainer.net.warnings),
            plot_dims=dims,
            class_names=tuple(trainer.data.class_names),
            z_range=tuple(trainer.data.extent[2]) if dims == 3 else None,
        )


@dataclass(frozen=True)
class Watched:
    """A sample of one layer's weights W and last gradient ∂E/∂W (None before the first step)."""

    layer: int  # 1 for W1, as in the course
    weights: np.ndarray
    grads: np.ndarray | None


@dataclass(frozen=True)
class Snapshot:
    """The trainer's state at one moment, copied."""

    step: int
    epoch: float
    lr: float  # η the next update will use (after decay)
    state: str
    steps_per_s: float | None  # only while running
    batch_size: int
    steps_per_epoch: int
    train: TrainConfig
    step_cols: tuple[str, ...]
    steps: np.ndarray  # thinned rows of step, epoch, lr, loss, grad_norm_W1, ...
    #: The first and last rows of the step history as they are (the thinned rows are means).
    step_ends: np.ndarray
    eval_cols: tuple[str, ...]
    evals: np.ndarray  # thinned rows of step, epoch, lr, train_loss, ..., test_accuracy, ...
    watched: Watched
    extras: dict[str, Any] = field(default_factory=dict)
    serial: int = 0  # counts snapshots; the UI acknowledges the newest it handled
    paced: bool = False  # a frame of a watchable pace, to be drawn as it comes

    @cached_property
    def _columns(self) -> dict[int, dict[str, int]]:
        """Each column's position, by id of its tuple: a search per call took time quadratic
        in the layers (20,000 columns of a 10,000-layer network, searched for each)."""
        return {id(c): {n: i for i, n in enumerate(c)} for c in (self.step_cols, self.eval_cols)}

    def last(self, cols: tuple[str, ...], rows: np.ndarray, name: str) -> float | None:
        """The newest value of a column, None when there is none or it is NaN."""
        if not len(rows):
            return None
        v = float(rows[-1, self._columns[id(cols)][name]])
        return None if np.isnan(v) else v

    def series(self, which: str, name: str) -> np.ndarray:
        """One column of the thinned step ("steps") or evaluation ("evals") history."""
        if which == "steps":
            cols, rows = self.step_cols, self.steps
        else:
            cols, rows = self.eval_cols, self.evals
        return rows[:, self._columns[id(cols)][name]] if len(rows) else np.empty(0)

    def span(self, name: str) -> tuple[float, float] | None:
        """First and last value of a step-history column (step, epoch) as recorded, not as
        thinned: where an axis of this run starts and ends. None before the first step."""
        if not len(self.step_ends):
            return None
        i = self.step_cols.index(name)
        return float(self.step_ends[0, i]), float(self.step_ends[-1, i])


def watch(trainer: Trainer, layer: int) -> Watched:
    layer = min(max(layer, 1), len(trainer.net.layers))
    dense = trainer.net.layers[layer - 1]
    # Before the first update the gradient buffers hold zeros, not a gradient.
    grads = _sample(dense.dW) if trainer.step_count else None
    return Watched(layer, _sample(dense.W), grads)


def take(
    trainer: Trainer,
    state: str,
    rate: float | None,
    layer: int,
    extras: dict[str, Any],
    serial: int = 0,
) -> Snapshot:
    """Copy what the screen shows; runs in the worker thread, between two steps."""
    steps, evals = trainer.steps, trainer.evals
    # Views: only the few hundred thinned rows are copied, not up to 20,000 at each snapshot.
    rows = steps.view()
    return Snapshot(
        step=trainer.step_count,
        epoch=trainer.epoch,
        lr=trainer.lr,
        state=state,
        steps_per_s=rate if state == RUNNING else None,
        batch_size=trainer.batch_size,
        steps_per_epoch=trainer.steps_per_epoch,
        train=replace(
            trainer.cfg, constants=dict(trainer.cfg.constants), freeze=list(trainer.cfg.freeze)
        ),
        step_cols=tuple(steps.columns),
        steps=np.array(thin(rows, mean=True)),
        step_ends=rows[[0, -1]] if len(rows) else rows.copy(),
        eval_cols=tuple(evals.columns),
        evals=np.array(thin(evals.view())),
        watched=watch(trainer, layer),
        extras=extras,
        serial=serial,
    )
