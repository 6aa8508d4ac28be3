"""Error functions E(y, d), per sample, averaged over the batch.

`terms(y, d)` gives the per-output terms (E_o1, E_o2, ... of the worked example) as the course
writes them; `floored_terms(y, d)` the ones the engine reports: their row sum is the
per-sample error and the batch loss is the mean of those sums.

The logarithmic losses: the course guards log(0) with log(y + 1e-7), which gives −1e-7 when
y = 1, a loss below 0. The engine applies the guard as a floor, log max(y, 1e-7): that is
exactly −d log y whenever y ≥ 1e-7, so the fused δ = y − d is its exact gradient, and it is
never below 0 (log max(y, 1e-7) ≤ log 1 for y ≤ 1). Below 1e-7 the floor caps the term at
−log 1e-7 ≈ 16.1 while the update keeps the gradient y − d of −d log y, so a confidently wrong
output still learns.
"""

from __future__ import annotations

import numpy as np

from tui_nn.core.activations import Activation
from tui_nn.core.errors import config_error

#: The guard of the course code, -Σ d log(y + 1e-7), so that log(0) never happens.
LOG_GUARD = 1e-7


class Loss:
    name: str = ""
    formula: str = ""
    #: The output activation whose δ this loss fuses into (y - d) / batch, if any.
    fused_with: str | None = None

    def terms(self, y: np.ndarray, d: np.ndarray) -> np.ndarray:
        """The per-output terms, as the course's formula writes them."""
        raise NotImplementedError

    def floored_terms(self, y: np.ndarray, d: np.ndarray) -> np.ndarray:
        """The per-output terms the engine reports (never below 0); see the module's note."""
        return self.terms(y, d)

    def guard_changed(self, y: np.ndarray, d: np.ndarray) -> np.ndarray:
        """True where the floor moves a term away from the course's: below 0 there, or capped."""
        return np.zeros(np.shape(y), dtype=bool)

    def dE_dy(self, y: np.ndarray, d: np.ndarray) -> np.ndarray:
        """∂E_n/∂y for each sample (not yet divided by the batch size)."""
        raise NotImplementedError

    def value(self, y: np.ndarray, d: np.ndarray) -> float:
        """The batch loss: mean over samples of the summed (floored) terms."""
        return float(self.floored_terms(y, d).sum()) / len(y)


class SumSquared(Loss):
    name = "sum_squared"
    formula = "E = ½ Σ_k (y_k - d_k)²"

    def terms(self, y: np.ndarray, d: np.ndarray) -> np.ndarray:
        return 0.5 * (y - d) ** 2

    def dE_dy(self, y: np.ndarray, d: np.ndarray) -> np.ndarray:
        return y - d


class MeanSquared(Loss):
    name = "mse"
    formula = "E = (1/K) Σ_k (y_k - d_k)²"

    def terms(self, y: np.ndarray, d: np.ndarray) -> np.ndarray:
        return (y - d) ** 2 / y.shape[-1]

    def dE_dy(self, y: np.ndarray, d: np.ndarray) -> np.ndarray:
        return 2.0 * (y - d) / y.shape[-1]


class HalfMeanSquared(Loss):
    """The course code's mean_squared_error(d, y) = np.mean(np.square(d - y)) / 2."""

    name = "half_mse"
    formula = "E = (1/2K) Σ_k (y_k - d_k)²"

    def terms(self, y: np.ndarray, d: np.ndarray) -> np.ndarray:
        return 0.5 * (y - d) ** 2 / y.shape[-1]

    def dE_dy(self, y: np.ndarray, d: np.ndarray) -> np.ndarray:
        return (y - d) / y.shape[-1]


class CrossEntropy(Loss):
    name = "cross_entropy"
    formula = "E = -Σ_k d_k log(y_k + 1e-7)"
    fused_with = "softmax"

    def terms(self, y: np.ndarray, d: np.ndarray) -> np.ndarray:
        return -d * np.log(y + LOG_GUARD)

    def floored_terms(self, y: np.ndarray, d: np.ndarray) -> np.ndarray:
        return -d * np.log(np.maximum(y, LOG_GUARD))

    def guard_changed(self, y: np.ndarray, d: np.ndarray) -> np.ndarray:
        return (d != 0) & _guard_matters(y)

    def dE_dy(self, y: np.ndarray, d: np.ndarray) -> np.ndarray:
        return -d / (y + LOG_GUARD)


class BinaryCrossEntropy(Loss):
    name = "binary_cross_entropy"
    formula = "E = -Σ_k [d_k log(y_k + 1e-7) + (1 - d_k) log(1 - y_k + 1e-7)]"
    fused_with = "sigmoid"

    def terms(self, y: np.ndarray, d: np.ndarray) -> np.ndarray:
        return -(d * np.log(y + LOG_GUARD) + (1 - d) * np.log(1 - y + LOG_GUARD))

    def floored_terms(self, y: np.ndarray, d: np.ndarray) -> np.ndarray:
        floor = LOG_GUARD
        return -(d * np.log(np.maximum(y, floor)) + (1 - d) * np.log(np.maximum(1 - y, floor)))

    def guard_changed(self, y: np.ndarray, d: np.ndarray) -> np.ndarray:
        return ((d != 0) & _guard_matters(y)) | ((d != 1) & _guard_matters(1 - y))

    def dE_dy(self, y: np.ndarray, d: np.ndarray) -> np.ndarray:
        return -d / (y + LOG_GUARD) + (1 - d) / (1 - y + LOG_GUARD)


def _guard_matters(p: np.ndarray) -> np.ndarray:
    """Where log(p + 1e-7) is below 0 (p > 1 − 1e-7) or the floor max(p, 1e-7) is reached."""
    return (p + LOG_GUARD > 1) | (p < LOG_GUARD)


LOSSES: dict[str, type[Loss]] = {
    c.name: c for c in (SumSquared, MeanSquared, HalfMeanSquared, CrossEntropy, BinaryCrossEntropy)
}
#: How a batch's E is formed from the samples' E_n: their mean (1/N Σ E_n) or their sum.
REDUCTIONS = ("mean", "sum")
#: The output activation each loss requires, where it requires one.
REQUIRED_OUTPUT = {"cross_entropy": "softmax", "binary_cross_entropy": "sigmoid"}


def get_loss(name: str) -> Loss:
    if name not in LOSSES:
        raise config_error("err_unknown_loss", name=repr(name), choices=", ".join(LOSSES))
    return LOSSES[name]()


def check_pairing(loss: str, output: str) -> None:
    """Refuse a loss with an output it cannot work with, saying why."""
    need = REQUIRED_OUTPUT.get(loss)
    if need and output != need:
        key = "err_pairing_softmax" if need == "softmax" else "err_pairing_sigmoid"
        raise config_error(key, loss=repr(loss), need=repr(need), output=repr(output))


def is_fused(loss: Loss, output: Activation) -> bool:
    return loss.fused_with == output.name


def output_delta(
    loss: Loss,
    output: Activation,
    u: np.ndarray,
    y: np.ndarray,
    d: np.ndarray,
    reduction: str = "mean",
):
    """δ of the output layer, ∂E/∂u: averaged over the batch, or summed for reduction "sum".

    softmax + cross_entropy and sigmoid + binary_cross_entropy fuse to (y - d) / batch, the
    exact derivative of the unguarded loss. Softmax with any other loss goes through its full
    Jacobian: δ_j = y_j (g_j - Σ_k g_k y_k) with g = ∂E/∂y.
    """
    batch = y.shape[0] if reduction == "mean" else 1
    if is_fused(loss, output):
        return (y - d) / batch
    g = loss.dE_dy(y, d)
    if output.name == "softmax":
        return y * (g - (g * y).sum(axis=1, keepdims=True)) / batch
    return g * output.derivative(u, y) / batch
