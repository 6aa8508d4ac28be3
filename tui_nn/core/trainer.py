"""The training loop: one knob for batch / mini-batch / SGD / online learning, seeded shuffling,
learning-rate decay, weight decay, frozen parameters, divergence detection and a history.

The trainer is stepped by its caller (the CLI, a test, the app's worker thread); it never
sleeps, prints or touches a UI.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from tui_nn.core.data import DataContext, Dataset
from tui_nn.core.errors import ConfigError, Diverged, Kept, config_error
from tui_nn.core.limits import check_forward
from tui_nn.core.live import LIVE_FIELDS, changed
from tui_nn.core.network import Network, flat_views
from tui_nn.core.optimizers import Optimizer, SavedState, make_optimizer
from tui_nn.core.points import PointEdits
from tui_nn.core.preset_data import load_data
from tui_nn.core.presets import Preset
from tui_nn.core.watch import LossRising, LossWatch, window_for


@dataclass
class StepResult:
    step: int  # updates done, counting this one
    epoch: float  # passes over the training set done, fractional within an epoch
    loss: float  # the batch loss before this update
    lr: float  # η used by this update
    grad_norms: list[float]  # ‖∂E/∂W_l‖ per layer, l = 1..L
    evaluated: bool = False
    warning: LossRising | None = None  # a rise of the loss confirmed at this step


class History:
    """Fixed-memory columns of numbers: when full, keep every other row and record half as often.

    A 30-minute run keeps its whole shape in a bounded array; recent detail is what the eye
    needs and what the plots downsample to anyway.
    """

    def __init__(self, columns: list[str], capacity: int = 20_000) -> None:
        self.columns = columns
        self._rows = np.empty((capacity, len(columns)))
        self.n = 0
        self.stride = 1
        self._seen = 0

    def append(self, row: list[float]) -> None:
        self._seen += 1
        if (self._seen - 1) % self.stride:
            return
        if self.n == len(self._rows):
            half = self._rows[::2].copy()
            self.n = len(half)
            self._rows[: self.n] = half
            self.stride *= 2
        self._rows[self.n] = row
        self.n += 1

    def column(self, name: str) -> np.ndarray:
        return self._rows[: self.n, self.columns.index(name)].copy()

    def rows(self) -> np.ndarray:
        return self._rows[: self.n].copy()

    def view(self) -> np.ndarray:
        """The rows without a copy, read-only: valid until the next `append`."""
        rows = self._rows[: self.n]
        rows.flags.writeable = False
        return rows

    def last(self) -> dict[str, float] | None:
        return (
            dict(zip(self.columns, self._rows[self.n - 1].tolist(), strict=True))
            if self.n
            else None
        )


def accuracy(y: np.ndarray, d: np.ndarray) -> float:
    """Share of samples whose predicted class is the target class (0.5 threshold for one output)."""
    if y.shape[1] == 1:
        return float(np.mean((y[:, 0] > 0.5) == (d[:, 0] > 0.5)))
    return float(np.mean(y.argmax(axis=1) == d.argmax(axis=1)))


class Trainer:
    def __init__(self, preset: Preset, data: Dataset | None = None) -> None:
        self.preset = preset
        self.cfg = preset.train
        dtype = self.cfg.dtype
        if data is None:
            layers = preset.network.layers
            ctx = DataContext(layers[-1], layers[0], preset.base_dir, preset.file)
            data = load_data(preset.data, ctx)
        rows = max(len(data.x_train), len(data.x_test))  # evaluate() runs each set at once
        check_forward(rows, preset.network.layers, file=preset.file)
        self.data = data.astype(dtype)
        self.n_train = len(self.data.x_train)
        self.points = PointEdits(preset.data, self.data)
        #: Weights set by hand: (step, name, index, old, new), cleared by reset().
        self.edits: list[tuple[int, str, tuple[int, int], float, float]] = []
        self.net = Network(replace(preset.network, dtype=dtype))
        self._layout = {k: v.shape for k, v in self.net.params.items()}
        self._weights_only = self._mask(lambda name: name[0] == "W")
        self.initial = {k: v.copy() for k, v in self.net.params.items()}
        n_layers = len(self.net.layers)
        self.layer_names = [f"W{i}" for i in range(1, n_layers + 1)]
        gcols = [f"grad_norm_W{i}" for i in range(1, n_layers + 1)]
        self._step_cols = ["step", "epoch", "lr", "loss", *gcols]
        self._eval_cols = [
            "step",
            "epoch",
            "lr",
            "train_loss",
            "train_accuracy",
            "test_loss",
            "test_accuracy",
            *gcols,
        ]
        self.reset()

    # ---- state ---------------------------------------------------------------------------

    def reset(self) -> None:
        """Back to the exact initial weights, a fresh optimizer and the first batch."""
        for k, v in self.initial.items():
            self.net.params[k][...] = v
        self.optimizer: Optimizer = self._new_optimizer(self.cfg.optimizer, self.cfg.constants)
        self.step_count = 0
        self.epochs_done = 0
        self._rng = np.random.default_rng(self.cfg.seed)
        self._order: np.ndarray | None = None
        self._last_batch: np.ndarray | None = None
        self._pos = 0
        self.diverged: Diverged | None = None
        #: The loss watch starts at the first step, from the loss of the weights it starts from.
        self.watch: LossWatch | None = None
        self.warnings: list[LossRising] = []
        # The weights to go back to on a divergence: (step, loss), θ and the optimizer's state.
        self._good: tuple[int, float] | None = None
        self._good_theta: np.ndarray | None = None
        self._good_state: SavedState | None = None
        self.steps = History(self._step_cols)
        self.evals = History(self._eval_cols)
        self.edits = []
        self._last_norms = [0.0] * len(self.layer_names)

    def _mask(self, keep: Callable[[str], bool]) -> np.ndarray:
        """1 over the parameters `keep` accepts, 0 elsewhere, laid out like the flat vector."""
        mask = np.zeros_like(self.net.theta)
        for name, view in flat_views(mask, self._layout).items():
            view[...] = keep(name)
        return mask

    def _new_optimizer(self, name: str, constants: dict[str, float]) -> Optimizer:
        return make_optimizer(name, **constants).bind(self._layout, self.cfg.freeze)

    @property
    def batch_size(self) -> int:
        b = self.cfg.batch_size
        return self.n_train if b == "full" else min(int(b), self.n_train)

    @property
    def steps_per_epoch(self) -> int:
        return -(-self.n_train // self.batch_size)

    @property
    def total_steps(self) -> int:
        """The run's length in updates: [train] steps, or epochs × steps per epoch."""
        return self.cfg.steps or self.cfg.epochs * self.steps_per_epoch

    @property
    def finished(self) -> bool:
        """The run has done its [train] steps, or else its epochs."""
        steps = self.cfg.steps
        return self.step_count >= steps if steps else self.epochs_done >= self.cfg.epochs

    @property
    def epoch(self) -> float:
        return self.epochs_done + self._pos / self.n_train

    @property
    def forward_only(self) -> bool:
        """The preset gives inputs and no targets: outputs can be computed, nothing learnt."""
        return not self.data.has_targets

    def check_trainable(self) -> None:
        """Raise ConfigError (one line, naming data.d) when there are no targets to learn."""
        if self.forward_only:
            raise config_error("err_forward_only", file=self.preset.file, field="data.d")

    @property
    def is_classification(self) -> bool:
        return self.net.output.name not in ("identity", "relu", "leaky_relu")

    def lr_at(self, t: int) -> float:
        """η_t = η · factor^⌊t / every⌋, t = updates done before this one."""
        every = self.cfg.lr_decay_every
        return self.cfg.lr * (self.cfg.lr_decay_factor ** (t // every) if every else 1.0)

    @property
    def lr(self) -> float:
        return self.lr_at(self.step_count)

    # ---- changes that apply from the next step --------------------------------------------

    #: The [train] settings `configure` changes mid-run; the others need a new Trainer.
    LIVE_FIELDS = LIVE_FIELDS

    def configure(self, **changes: Any) -> None:
        """Change live settings (LIVE_FIELDS) from the next step on, as a trainer built with
        them would take that step; a new `optimizer` or `constants` starts its state afresh.
        Raises ConfigError, leaving the trainer as it was, for any other field or a bad value."""
        cfg = changed(self.cfg, changes, self.preset.file)
        if "optimizer" in changes or "constants" in changes:
            try:
                self.optimizer = self._new_optimizer(cfg.optimizer, cfg.constants)
            except ConfigError as e:
                raise e.located(file=self.preset.file, field="train.constants") from None
        self.cfg = cfg

    # ---- batches ---------------------------------------------------------------------------

    def _epoch_order(self) -> np.ndarray:
        if self._order is None:
            n = self.n_train
            self._order = self._rng.permutation(n) if self.cfg.order == "shuffle" else np.arange(n)
        return self._order

    def _batch_indices(self) -> np.ndarray:
        if self.cfg.order != "with_replacement":
            return self._epoch_order()[self._pos : self._pos + self.batch_size]
        # One draw per step, kept until the step is taken, so peeking does not consume it.
        if self._order is None or len(self._order) != self.batch_size:
            self._order = self._rng.choice(self.n_train, size=self.batch_size)
        return self._order

    def peek_batch(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The (x, d, sample indices) the next step will use, without consuming them."""
        idx = self._batch_indices()
        in_order = self.cfg.order == "in_order"
        if len(idx) == self.n_train and self.cfg.batch_size == "full" and in_order:
            return self.data.x_train, self.data.d_train, idx
        return self.data.x_train[idx], self.data.d_train[idx], idx

    def _advance(self, n: int) -> None:
        self._pos += n
        if self.cfg.order == "with_replacement":
            self._order = None
        if self._pos >= self.n_train:
            self._pos = 0
            self._order = None
            self.epochs_done += 1

    # ---- training ------------------------------------------------------------------------

    def gradients(self, x: np.ndarray, d: np.ndarray) -> tuple[float, dict[str, np.ndarray]]:
        """Batch loss and the gradients the optimizer will use (with weight decay λW added).

        The gradients are views of the network's flat `grad`, valid until the next call.
        """
        loss, grads = self.net.gradient(x, d)
        if self.cfg.weight_decay:
            self.net.grad += self.cfg.weight_decay * self.net.theta * self._weights_only
        return loss, grads

    def step(self) -> StepResult:
        """One update on the next mini-batch.

        Raises Diverged when the loss, the gradient or the update is NaN or infinite, after
        putting back the last weights (and optimizer state) whose loss was finite and not above
        the starting loss.
        """
        self.check_trainable()
        x, d, idx = self.peek_batch()
        t = self.step_count + 1
        lr = self.lr
        watch = self.watch or self._start_watch()
        # Overflow is detected below and reported as divergence; NumPy's warnings would only
        # repeat it, on stderr, under the app's screen.
        with np.errstate(over="ignore", invalid="ignore"):
            loss, grads = self.gradients(x, d)
            norms = [float(np.sqrt(np.vdot(grads[w], grads[w]))) for w in self.layer_names]
            if not np.isfinite(loss):
                self._fail(Diverged(t, "loss", layer=self._first_bad_layer()))
            if not np.isfinite(self.net.grad).all():
                name = self._first_bad_grad(grads)
                self._fail(Diverged(t, "gradient", layer=int(name[1:]), param=name))
            if loss <= watch.start:
                self._keep_good(t - 1, loss)
            try:
                self.optimizer.update(self.net.theta, self.net.grad, lr, t)
            except Diverged as e:
                self._fail(e)
        self.step_count = t
        self._last_batch = idx
        self._advance(len(idx))
        self._last_norms = norms
        self.steps.append([t, self.epoch, lr, loss, *norms])
        result = StepResult(t, self.epoch, loss, lr, norms, warning=watch.see(t, loss, lr))
        if result.warning is not None:
            self.warnings.append(result.warning)
        if self._due_for_eval():
            self.evaluate()
            result.evaluated = True
        return result

    def _first_bad_grad(self, grads: dict[str, np.ndarray]) -> str:
        return next(k for k, g in grads.items() if not np.isfinite(g).all())

    def _start_watch(self) -> LossWatch:
        """The watch over this run, from the loss of the current weights on the training set
        (for reduction "sum", as the sum over one batch, which is what each step reports)."""
        with np.errstate(over="ignore", invalid="ignore"):
            y = self.net.forward(self.data.x_train)
            start = self.net.loss.value(y, self.data.d_train)
        if self.net.cfg.reduction == "sum":
            start *= self.batch_size
        self.watch = LossWatch(start, window_for(self.steps_per_epoch))
        if math.isfinite(start):
            self._keep_good(self.step_count, start)
        return self.watch

    def _keep_good(self, step: int, loss: float) -> None:
        """θ after `step` and the optimizer's state then: the weights a divergence goes back to."""
        if self._good_theta is None:
            self._good_theta = self.net.theta.copy()
        else:
            np.copyto(self._good_theta, self.net.theta)
        self._good_state = self.optimizer.save_state(self._good_state)
        self._good = (step, loss)

    def _fail(self, e: Diverged) -> None:
        start = self.watch.start if self.watch else math.nan
        kept = Kept(None, math.nan, start)
        if self._good is not None and self._good_theta is not None:
            np.copyto(self.net.theta, self._good_theta)
            if self._good_state is not None and self._good_state.owner is self.optimizer:
                self.optimizer.load_state(self._good_state)
            else:  # the optimizer was changed after those weights: it starts afresh from them
                self.optimizer = self._new_optimizer(self.cfg.optimizer, self.cfg.constants)
            kept = Kept(*self._good, start)
            if self.watch is not None:
                self.watch.restart(kept.loss)
            self.evaluate()  # the status and the plots show the loss of the weights now in place
        e.keep(kept)
        self.diverged = e
        raise e

    def _first_bad_layer(self) -> int | None:
        """The first layer whose output is not finite; None when only the loss is."""
        return next((lay.index for lay in self.net.layers if not np.isfinite(lay.z).all()), None)

    def _due_for_eval(self) -> bool:
        every = self.cfg.eval_every
        return self.step_count % every == 0 if every else self._pos == 0

    def run(self, steps: int, should_stop=None) -> StepResult | None:
        """Up to `steps` updates; stops early (without error) when should_stop() is true."""
        last = None
        for _ in range(steps):
            if should_stop is not None and should_stop():
                break
            last = self.step()
        return last

    def evaluate(self) -> dict[str, float | None]:
        """Loss and accuracy on the training and test sets; appended to the history."""
        out: dict[str, float | None] = {"step": self.step_count, "epoch": self.epoch, "lr": self.lr}
        for part in ("train", "test"):
            x = getattr(self.data, f"x_{part}")
            d = getattr(self.data, f"d_{part}")
            if part == "train" and self.cfg.eval_train == "batch" and self._last_batch is not None:
                # As the course's 1_4 prints it: the mini-batch of the last update.
                x, d = x[self._last_batch], d[self._last_batch]
            if len(x) == 0 or self.forward_only:
                out[f"{part}_loss"] = out[f"{part}_accuracy"] = None
                continue
            with np.errstate(over="ignore", invalid="ignore"):
                y = self.net.forward(x)
                out[f"{part}_loss"] = self.net.loss.value(y, d)
            out[f"{part}_accuracy"] = accuracy(y, d) if self.is_classification else None
        row = [np.nan if v is None else v for v in out.values()]
        self.evals.append([*row, *self._last_norms])
        return out
