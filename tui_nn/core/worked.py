"""Worked backprop: every number of one iteration, as an ordered list of steps.

`build_trace(trainer)` takes the batch the trainer's next `step()` will use and records, from the
engine itself (Network.forward/backward, the loss, a deep copy of the optimizer), each value the
iteration computes: forward (net = Σ w·out + b, out = f(net)), loss terms, backward (chain-rule
factors per weight, or δ per layer in the matrix view) and the update. `trace.new_params` are
exactly the parameters `trainer.step()` would produce.

Two views:
- "scalar": one step per unit and per weight, named as Mazur names them (i1, h1, o1, w1..w8);
- "matrix": one step per layer and per quantity (u1 = x·W1 + b1, delta2, grad['W2'] = z1ᵀ·delta2).
"auto" picks the scalar view for small networks and the matrix view past `SCALAR_LIMIT`
weights; `trace.expand("W2", i, j)` then gives the scalar steps of one chosen weight.

Naming: for networks with at most one hidden layer Mazur's names (inputs i1.., hidden h1..,
outputs o1.., weights w1..wN numbered layer by layer, for each unit j of the layer, for each
input i). With two or more hidden layers: hidden unit j of layer l is h{l}_{j}, and the weight
from unit i of layer l−1 to unit j of layer l is w{l}_{ji} (the course's w_ji^(l)). Indices in
step ids and in `Step.unit` / `Step.index` are 0-based, as in NumPy; names are 1-based.
Biases: b1 for a whole layer when its biases are frozen and equal (as Mazur's), else b{l}_{j}.

Step ids: forward.u.{l}.{j}, forward.z.{l}.{j}, loss.E.{k}, loss.total, loss.mean,
backward.{dE_dout|dout_dnet|delta}.{l}.{j}, backward.path.{l}.{j}.{k}, backward.jacobian.{L},
backward.dW.{l}.{i}.{j}, backward.db.{l}.{j}, backward.mean.{W2.i.j|b2.j},
update.lr, update.{W2.i.j}[.decay|.v|.h|.m|.m_hat|.v_hat], update.{b1} (frozen);
per-sample steps end in .n{n} when the batch has more than one sample. Matrix view:
forward.u.{l}, forward.z.{l}, loss.total, backward.delta.{l}, backward.dW.{l}, backward.db.{l},
update.{W2}[.v|...].
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from tui_nn.core.errors import Diverged, config_error
from tui_nn.core.limits import check_worked_size

if TYPE_CHECKING:
    from tui_nn.core.trainer import Trainer

PHASES = ("forward", "loss", "backward", "update")
VIEWS = ("auto", "scalar", "matrix")
#: The scalar view is built wholesale up to this many trainable weights and biases ...
SCALAR_LIMIT = 48
#: ... and this many samples shown one by one (pass sample=I for bigger batches).
SCALAR_SAMPLES = 4


@dataclass
class Factor:
    """One factor of a chain-rule product, e.g. ∂E_total/∂out_o1 = 0.74136507."""

    symbol: str  # plain text, e.g. "∂E_total/∂out_o1"
    tex: str  # LaTeX, e.g. r"\frac{\partial E_{\mathrm{total}}}{\partial \mathrm{out}_{o1}}"
    value: float


@dataclass
class Step:
    """One computed quantity: its formula, the formula with numbers, the result, the NumPy line.

    `kind` names the sort of step ("net", "out", "error_term", "chain", "delta", "update", ...);
    the label and the one-sentence explanation are `worked_label_{kind}` and
    `worked_explain_{kind}` in tui_nn/i18n/worked.toml, filled with `subject`.
    """

    id: str  # stable, e.g. "forward.u.2.1", "backward.dW.2.0.0", "update.W2.0.0"
    phase: str  # forward | loss | backward | update
    kind: str
    subject: str  # the unit, weight or array concerned, as named in the formulas: "h1", "w5", "W2"
    symbol: str  # left-hand side, plain text: "net_h1"
    formula: str  # right-hand side in symbols: "w1·i1 + w2·i2 + b1·1"
    substituted: str  # the same with numbers: "0.15·0.05 + 0.2·0.1 + 0.35·1"
    result: float | np.ndarray
    numpy: str  # the course-style NumPy line computing it: "u1 = np.dot(x, W1) + b1"
    symbol_tex: str = ""
    formula_tex: str = ""
    substituted_tex: str = ""
    layer: int | None = None  # l of W_l (0 = the inputs)
    unit: int | None = None  # 0-based unit within the layer
    index: tuple[int, ...] | None = None  # 0-based (i, j) into W_l, or (j,) into b_l
    param: str | None = None  # "W2", "b1", ...
    sample: int | None = None  # 0-based row of the batch; None: the whole batch
    shape: tuple[int, ...] | None = None  # for array results
    factors: list[Factor] = field(default_factory=list)
    #: Optimizer state terms {"v": (before, after)} for update steps.
    state: dict[str, tuple[float | np.ndarray, float | np.ndarray]] = field(default_factory=dict)
    #: Pitfalls the student should know, keys `worked_note_{name}` in worked.toml.
    notes: list[str] = field(default_factory=list)
    #: Explanation variant when one kind needs several (e.g. "out_sigmoid"); default `kind`.
    explain: str = ""

    @property
    def label_key(self) -> str:
        # A hidden unit's output has its own name in the course (中間層出力, z).
        hidden = self.kind in ("out", "out_matrix") and self.subject[:1] in ("h", "z")
        return f"worked_label_{self.kind}" + ("_hidden" if hidden else "")

    @property
    def explain_key(self) -> str:
        return f"worked_explain_{self.explain or self.kind}"

    def render(self, lang: str = "en", *, ascii_only: bool = False, digits: int = 9) -> str:
        """This step as a few lines of plain text in `lang` (ASCII glyphs when `ascii_only`)."""
        from tui_nn.core.worked_render import render_step

        return render_step(self, lang, ascii_only=ascii_only, digits=digits)


@dataclass
class Capture:
    """What the engine computed for one batch; every number of the trace comes from here."""

    x: np.ndarray  # the batch inputs (N × n0)
    d: np.ndarray  # the batch targets
    indices: np.ndarray  # rows of the training set
    u: list[np.ndarray]  # u[l] for l = 1..L (u[0] unused, None)
    z: list[np.ndarray]  # z[0] = x, z[l] = f(u[l])
    delta: list[np.ndarray]  # δ_l = ∂E/∂u_l as the engine stores it (divided by the batch size)
    dW: dict[str, np.ndarray]  # ∂E/∂W_l, ∂E/∂b_l from backprop (no weight decay)
    grads: dict[str, np.ndarray]  # what the optimizer gets: dW plus λ·W when weight decay is on
    loss_terms: np.ndarray  # per sample, per output
    loss: float
    params: dict[str, np.ndarray]  # before the update
    new_params: dict[str, np.ndarray]  # after, from the optimizer's own step on copies
    state_before: dict[str, dict[str, np.ndarray]]
    state_after: dict[str, dict[str, np.ndarray]]
    t: int  # the update number, from 1
    lr: float  # η_t used by this update

    @property
    def batch(self) -> int:
        return len(self.x)


@dataclass
class Trace:
    """One iteration worked number by number; `steps` in the order a student computes them."""

    preset: str
    iteration: int  # 1 = the first update from the initial weights
    view: str  # "scalar" | "matrix"
    sample: int | None  # the batch row the scalar steps are restricted to, if any
    digits: int
    layers: list[int]
    activations: list[str]  # f of each layer 1..L
    loss_name: str
    optimizer: str
    constants: dict[str, float]
    weight_decay: float
    frozen: list[str]
    capture: Capture
    steps: list[Step] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # whole-network pitfalls
    #: No targets in the preset: the trace is the forward propagation alone.
    forward_only: bool = False
    ctx: object = None  # the builder's context, kept for expand()

    @property
    def x(self) -> np.ndarray:
        return self.capture.x

    @property
    def d(self) -> np.ndarray:
        return self.capture.d

    @property
    def batch_indices(self) -> list[int]:
        return [int(i) for i in self.capture.indices]

    @property
    def lr(self) -> float:
        return self.capture.lr

    @property
    def params(self) -> dict[str, np.ndarray]:
        return self.capture.params

    @property
    def new_params(self) -> dict[str, np.ndarray]:
        return self.capture.new_params

    @property
    def grads(self) -> dict[str, np.ndarray]:
        return self.capture.grads

    @property
    def loss(self) -> float:
        return self.capture.loss

    def step(self, step_id: str) -> Step:
        """The step with this id; KeyError when there is none."""
        for s in self.steps:
            if s.id == step_id:
                return s
        raise KeyError(step_id)

    def phase(self, phase: str) -> list[Step]:
        return [s for s in self.steps if s.phase == phase]

    def expand(self, param: str, *index: int) -> list[Step]:
        """The scalar steps of one weight ("W2", i, j), bias ("b2", j) or unit ("u2", j).

        Works in either view; follows `sample` when the trace has one, else every sample of
        the batch. Raises ConfigError for a name or index the network does not have.
        """
        from tui_nn.core.worked_scalar import expand

        return expand(self.ctx, param, index)


def build_trace(
    trainer: Trainer, sample: int | None = None, view: str = "auto", digits: int = 9
) -> Trace:
    """Every number of the iteration `trainer.step()` would do next, leaving the trainer as is.

    `sample` (0-based row of the batch) restricts the per-sample steps to that row; the update
    still uses the whole batch, as the trainer does. `digits` is the number of decimal places
    of the numbers in the substituted formulas (9, as the slides print them; tiny numbers keep
    `digits` significant digits instead, see worked_expr.fmt).
    """
    from tui_nn.core.worked_expr import Context, network_notes
    from tui_nn.core.worked_matrix import matrix_steps
    from tui_nn.core.worked_scalar import forward_only_steps, scalar_steps

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
    ctx = Context(trace, trainer)
    trace.ctx = ctx
    if trainer.forward_only:
        trace.forward_only, trace.notes = True, ["forward_only"]
        trace.steps = forward_only_steps(ctx)
        return trace
    trace.notes = network_notes(ctx)
    trace.steps = scalar_steps(ctx) if trace.view == "scalar" else matrix_steps(ctx)
    return trace


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


def capture(trainer: Trainer) -> Capture:
    """Run the engine on the next batch and keep every value it computes (the trainer is unchanged).

    The forward pass, δ and the gradients (with weight decay) come from `trainer.gradients`, the
    call `trainer.step()` makes; the update is the optimizer's own `step` (kept in the engine for
    this replay) run on deep copies of the optimizer and the parameters.
    """
    x, d, idx = trainer.peek_batch()
    net, t = trainer.net, trainer.step_count + 1
    if trainer.forward_only:
        return _forward_capture(trainer, x, d, idx)
    with np.errstate(over="ignore", invalid="ignore"):
        loss, grads = trainer.gradients(x, d)
        if not np.isfinite(loss):
            bad = (lay.index for lay in net.layers if not np.isfinite(lay.z).all())
            raise Diverged(t, "loss", layer=next(bad, None))
        cap = Capture(
            x=np.array(x),
            d=np.array(d),
            indices=np.array(idx),
            u=[None, *(layer.u.copy() for layer in net.layers)],
            z=[np.array(x), *(layer.z.copy() for layer in net.layers)],
            delta=[None, *(layer.delta.copy() for layer in net.layers)],
            dW={},
            grads={k: v.copy() for k, v in grads.items()},
            loss_terms=net.loss.terms(net.layers[-1].z, d),
            loss=loss,
            params={k: v.copy() for k, v in net.params.items()},
            new_params={},
            state_before=copy.deepcopy(trainer.optimizer.state),
            state_after={},
            t=trainer.optimizer.t + 1,
            lr=trainer.lr,
        )
        # ∂E/∂W before weight decay is added (the gradients above include λW when it is on).
        raw = net.gradient(x, d)[1] if trainer.cfg.weight_decay else grads
        cap.dW = {k: v.copy() for k, v in raw.items()}
        opt = copy.deepcopy(trainer.optimizer)
        new = {k: v.copy() for k, v in cap.params.items()}
        opt.step(
            new,
            {k: v.copy() for k, v in cap.grads.items()},
            cap.lr,
            frozenset(trainer.cfg.freeze),
            t,
        )
    cap.new_params = new
    cap.state_after = opt.state
    return cap


def _forward_capture(trainer: Trainer, x: np.ndarray, d: np.ndarray, idx: np.ndarray) -> Capture:
    """The forward pass alone, for a preset without targets: no error, gradient or update."""
    net = trainer.net
    with np.errstate(over="ignore", invalid="ignore"):
        net.forward(x)
    params = {k: v.copy() for k, v in net.params.items()}
    # NaN, never 0: a gradient the stepper or a script reads by mistake must not look computed.
    unknown = {k: np.full_like(v, np.nan) for k, v in params.items()}
    return Capture(
        x=np.array(x),
        d=np.array(d),
        indices=np.array(idx),
        u=[None, *(layer.u.copy() for layer in net.layers)],
        z=[np.array(x), *(layer.z.copy() for layer in net.layers)],
        delta=[None] * (len(net.layers) + 1),
        dW=unknown,
        grads=unknown,
        loss_terms=np.full_like(d, np.nan),
        loss=float("nan"),
        params=params,
        new_params=params,
        state_before={},
        state_after={},
        t=trainer.optimizer.t + 1,
        lr=trainer.lr,
    )
