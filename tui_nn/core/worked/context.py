"""What the step builders share: the trace being written, its numbers, names and formatting.

The builders read only the trace (its captured arrays and the engine's stateless functions), so
a trace can be extended later, e.g. by `scalar.expand`, without the trainer that made it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from tui_nn.core.worked.expr import F, array, num
from tui_nn.core.worked.model import Step, Trace
from tui_nn.core.worked.names import Names, error_symbol

if TYPE_CHECKING:
    from tui_nn.core.activations import Activation


class Context:
    """What the step builders share: the trace, the engine's values, names, number formatting."""

    def __init__(self, trace: Trace) -> None:
        self.trace = trace
        self.cap = trace.capture
        self.loss = trace.loss_fn
        self.output = trace.functions[-1]
        self.L = len(trace.layers) - 1
        self.N = self.cap.batch
        self.names = Names(trace.layers, self.cap.params, trace.frozen)

    def num(self, v: float | np.ndarray) -> F:
        if isinstance(v, np.ndarray) and v.ndim > 0:
            return array(v, self.trace.digits)
        return num(float(v), self.trace.digits)

    def f(self, li: int) -> Activation:
        """The activation of layer l (1..L)."""
        return self.trace.functions[li - 1]

    @property
    def fused(self) -> bool:
        return self.loss.fused_with == self.output.name

    @property
    def jacobian(self) -> bool:
        """Softmax output with a loss it does not fuse with: δ needs the full Jacobian."""
        return self.output.name == "softmax" and not self.fused

    def samples(self) -> list[int]:
        return [self.trace.sample] if self.trace.sample is not None else list(range(self.N))

    def sfx(self, n: int) -> str:
        """Step-id suffix naming the sample, only when the batch has more than one."""
        return f".n{n}" if self.N > 1 else ""

    def E(self, n: int | None) -> F:
        """E_total for a batch of one (as Mazur's), E_n of sample n, or E for the batch mean."""
        return error_symbol(self.N, n)

    def E_out(self, k: int, n: int) -> F:
        """The part of the error that flows through output k: E_o1 when outputs are separate."""
        if self.output.name == "softmax":
            return self.E(n)
        return F(f"E_o{k + 1}", f"E_{{o{k + 1}}}")

    def delta(self, li: int, n: int, j: int) -> float:
        """∂E_n/∂net of one sample: the engine's δ, which is divided by the batch size, times N."""
        return float(self.cap.delta[li][n, j]) * self.N

    def unit_notes(self, li: int, j: int, n: int) -> list[str]:
        """Pitfalls of unit j of layer l on sample n: no gradient, dead ReLU, saturation."""
        f = self.f(li)
        u = self.cap.u[li][:, j]
        if not f.has_gradient:
            return ["step"]
        if f.name == "relu" and np.all(u <= 0):
            return ["dead_relu"]
        # |u| > 7 gives σ'(u) < 0.001; with a fused loss σ' cancels, so it does not matter there.
        fused_out = li == self.L and self.fused
        if f.name == "sigmoid" and not fused_out and abs(float(self.cap.u[li][n, j])) > 7:
            return ["saturated"]
        return []


def network_notes(ctx: Context) -> list[str]:
    """Pitfalls of the whole network for this iteration, keys `worked_note_{name}`."""
    notes = []
    if any(not f.has_gradient for f in ctx.trace.functions):
        notes.append("step")
    if ctx.jacobian:
        notes.append("softmax_jacobian")
    if ctx.fused:
        notes.append(f"fused_{ctx.output.name}")
    for li in range(1, ctx.L):
        if ctx.f(li).name == "relu" and np.any(np.all(ctx.cap.u[li] <= 0, axis=0)):
            notes.append("dead_relu")
            break
    if ctx.trace.frozen:
        notes.append("frozen")
    if ctx.loss.name == "half_mse" and ctx.cap.z[ctx.L].shape[1] > 1:
        notes.append("half_mse_course")
    if ctx.trace.reduction == "sum":
        notes.append("reduction_sum")
    return notes


def make_step(
    ctx: Context,
    id: str,
    phase: str,
    kind: str,
    subject: str,
    symbol: F,
    formula: F,
    substituted: F,
    result: float | np.ndarray,
    numpy: str,
    **kw,
) -> Step:
    """A Step with both notations filled in from the fragments."""
    if isinstance(result, np.ndarray):
        kw.setdefault("shape", tuple(result.shape))
        result = result.astype(float).copy()
    else:
        result = float(result)
    return Step(
        id=id,
        phase=phase,
        kind=kind,
        subject=subject,
        symbol=symbol.text,
        formula=formula.text,
        substituted=substituted.text,
        result=result,
        numpy=numpy,
        symbol_tex=symbol.tex,
        formula_tex=formula.tex,
        substituted_tex=substituted.tex,
        **kw,
    )


def slope_text(ctx: Context) -> str:
    """The leaky ReLU's slope as the NumPy lines write it."""
    return ctx.num(ctx.trace.leaky_slope).text


def trainable(ctx: Context, name: str) -> bool:
    return name not in ctx.trace.frozen


def needs_delta(ctx: Context, li: int) -> bool:
    """δ of layer l is worth showing when a parameter of layer l or before it learns."""
    return any(trainable(ctx, f"{p}{m}") for m in range(1, li + 1) for p in "Wb")
