"""The record of one worked iteration: plain data, written by `build` and read by the views.

A `Trace` holds copies of every array the iteration computed (`Capture`), its steps in the order
a student computes them, and the engine's stateless functions (each layer's f and the loss) so
that a step can be recomputed from other numbers; it holds no network, trainer or optimizer.

Step ids: forward.u.{l}.{j}, forward.z.{l}.{j}, loss.E.{k}, loss.total, loss.mean,
backward.{dE_dout|dout_dnet|delta}.{l}.{j}, backward.path.{l}.{j}.{k}, backward.jacobian.{L},
backward.dW.{l}.{i}.{j}, backward.db.{l}.{j}, backward.mean.{W2.i.j|b2.j},
update.lr, update.{W2.i.j}[.decay|.v|.h|.m|.m_hat|.v_hat], update.{b1} (frozen);
per-sample steps end in .n{n} when the batch has more than one sample. Matrix view:
forward.u.{l}, forward.z.{l}, loss.total, backward.delta.{l}, backward.dW.{l}, backward.db.{l},
update.{W2}[.v|...]. Indices in step ids and in `Step.unit` / `Step.index` are 0-based, as in
NumPy; the names in the formulas are 1-based.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from tui_nn.core.activations import Activation
    from tui_nn.core.losses import Loss

PHASES = ("forward", "loss", "backward", "update")


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
    #: f of each layer 1..L and the loss, as the engine computed with them (no state of theirs).
    functions: list[Activation]
    loss_fn: Loss
    leaky_slope: float
    reduction: str  # "mean" | "sum"
    #: η before decay and its schedule η_t = η·factor^⌊t / every⌋ (every = 0: no decay).
    base_lr: float
    lr_decay_every: int
    lr_decay_factor: float
    steps: list[Step] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # whole-network pitfalls
    #: No targets in the preset: the trace is the forward propagation alone.
    forward_only: bool = False

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
        """The steps of one phase, in order."""
        return [s for s in self.steps if s.phase == phase]
