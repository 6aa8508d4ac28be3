"""A trace from a trainer: the engine's numbers for its next batch, written out as steps.

`build_trace(trainer)` records, from the engine itself (the trainer's forward and backward pass,
the loss, and the update its optimizer runs), each value the iteration computes, and leaves the
trainer as it was: `trace.new_params` are exactly the parameters `trainer.step()` produces.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui_nn.core.errors import config_error
from tui_nn.core.limits import check_worked_size
from tui_nn.core.worked import matrix, scalar
from tui_nn.core.worked.context import Context, network_notes
from tui_nn.core.worked.engine import capture
from tui_nn.core.worked.model import Capture, Step, Trace

if TYPE_CHECKING:
    from tui_nn.core.trainer import Trainer

VIEWS = ("auto", "scalar", "matrix")
#: The scalar view is built wholesale up to this many trainable weights and biases ...
SCALAR_LIMIT = 48
#: ... and this many samples shown one by one (pass sample=I for bigger batches).
SCALAR_SAMPLES = 4


def build_trace(
    trainer: Trainer, sample: int | None = None, view: str = "auto", digits: int = 9
) -> Trace:
    """Every number of the iteration `trainer.step()` would do next, leaving the trainer as is.

    `sample` (0-based row of the batch) restricts the per-sample steps to that row; the update
    still uses the whole batch, as the trainer does. `digits` is the number of decimal places
    of the numbers in the substituted formulas (9, as the slides print them; tiny numbers keep
    `digits` significant digits instead, see expr.fmt).
    """
    if view not in VIEWS:
        raise config_error(
            "err_worked_view", view=repr(view), choices=", ".join(VIEWS), field="view"
        )
    if not 1 <= digits <= 17:
        raise config_error("worked_err_digits", value=digits, field="digits")
    check_worked_size(trainer.net.cfg.layers, file=trainer.preset.file)
    cap = capture(trainer)
    if trainer.net.cfg.reduction == "sum" and cap.batch > 1:
        raise config_error("worked_err_sum_batch", n=cap.batch, field="train.reduction")
    if sample is not None and not 0 <= sample < cap.batch:
        raise config_error(
            "err_worked_sample", sample=sample, n=cap.batch, last=cap.batch - 1, field="sample"
        )
    trace = _new_trace(trainer, cap, sample, digits)
    trace.view = _pick_view(view, trace)
    ctx = Context(trace)
    if trainer.forward_only:
        trace.forward_only, trace.notes = True, ["forward_only"]
        trace.steps = forward_only_steps(ctx)
        return trace
    trace.notes = network_notes(ctx)
    trace.steps = scalar.scalar_steps(ctx) if trace.view == "scalar" else matrix.matrix_steps(ctx)
    return trace


def forward_only_steps(ctx: Context) -> list[Step]:
    """Forward propagation alone (a preset without targets), in the trace's view."""
    if ctx.trace.view == "matrix":
        return matrix.forward_steps(ctx)
    return [s for n in ctx.samples() for s in scalar.forward_steps(ctx, n)]


def _new_trace(trainer: Trainer, cap: Capture, sample: int | None, digits: int) -> Trace:
    cfg = trainer.cfg
    return Trace(
        preset=trainer.preset.name,
        iteration=trainer.step_count + 1,
        view="",
        sample=sample,
        digits=digits,
        layers=list(trainer.net.cfg.layers),
        activations=[layer.f.name for layer in trainer.net.layers],
        loss_name=trainer.net.loss.name,
        optimizer=trainer.optimizer.name,
        constants=dict(trainer.optimizer.c),
        weight_decay=cfg.weight_decay,
        frozen=list(cfg.freeze),
        capture=cap,
        functions=[layer.f for layer in trainer.net.layers],
        loss_fn=trainer.net.loss,
        leaky_slope=trainer.net.cfg.leaky_slope,
        reduction=trainer.net.cfg.reduction,
        base_lr=cfg.lr,
        lr_decay_every=cfg.lr_decay_every,
        lr_decay_factor=cfg.lr_decay_factor,
    )


def trainable_count(trace: Trace) -> int:
    """Weights and biases the update changes: the size that decides the view."""
    return sum(v.size for k, v in trace.params.items() if k not in trace.frozen)


def _pick_view(view: str, trace: Trace) -> str:
    shown = 1 if trace.sample is not None else trace.capture.batch
    small = trainable_count(trace) <= SCALAR_LIMIT and shown <= SCALAR_SAMPLES
    if view == "auto":
        return "scalar" if small else "matrix"
    if view == "scalar" and not small:
        raise config_error(
            "err_worked_scalar",
            limit=SCALAR_LIMIT,
            samples=SCALAR_SAMPLES,
            weights=trainable_count(trace),
            shown=shown,
            field="view",
        )
    return view
