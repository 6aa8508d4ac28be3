"""Error functions E(y, d), per sample, averaged over the batch.

`terms(y, d)` gives the per-output terms (E_o1, E_o2, ... of the worked example); their row
sum is the per-sample error and the batch loss is the mean of those sums.
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

    def terms(self, y: np.ndarray, d: np.ndarray, guard: float = LOG_GUARD) -> np.ndarray:
        raise NotImplementedError

    def dE_dy(self, y: np.ndarray, d: np.ndarray) -> np.ndarray:
        """∂E_n/∂y for each sample (not yet divided by the batch size)."""
        raise NotImplementedError

    def value(self, y: np.ndarray, d: np.ndarray, guard: float = LOG_GUARD) -> float:
        """The batch loss: mean over samples of the summed terms."""
        return float(self.terms(y, d, guard).sum()) / len(y)


class SumSquared(Loss):
    name = "sum_squared"
    formula = "E = ½ Σ_k (y_k - d_k)²"

    def terms(self, y: np.ndarray, d: np.ndarray, guard: float = LOG_GUARD) -> np.ndarray:
        return 0.5 * (y - d) ** 2

    def dE_dy(self, y: np.ndarray, d: np.ndarray) -> np.ndarray:
        return y - d


class MeanSquared(Loss):
    name = "mse"
    formula = "E = (1/K) Σ_k (y_k - d_k)²"

    def terms(self, y: np.ndarray, d: np.ndarray, guard: float = LOG_GUARD) -> np.ndarray:
        return (y - d) ** 2 / y.shape[1]

    def dE_dy(self, y: np.ndarray, d: np.ndarray) -> np.ndarray:
        return 2.0 * (y - d) / y.shape[1]


class CrossEntropy(Loss):
    name = "cross_entropy"
    formula = "E = -Σ_k d_k log(y_k + 1e-7)"
    fused_with = "softmax"

    def terms(self, y: np.ndarray, d: np.ndarray, guard: float = LOG_GUARD) -> np.ndarray:
        return -d * np.log(y + guard)

    def dE_dy(self, y: np.ndarray, d: np.ndarray) -> np.ndarray:
        return -d / (y + LOG_GUARD)


class BinaryCrossEntropy(Loss):
    name = "binary_cross_entropy"
    formula = "E = -Σ_k [d_k log(y_k + 1e-7) + (1 - d_k) log(1 - y_k + 1e-7)]"
    fused_with = "sigmoid"

    def terms(self, y: np.ndarray, d: np.ndarray, guard: float = LOG_GUARD) -> np.ndarray:
        return -(d * np.log(y + guard) + (1 - d) * np.log(1 - y + guard))

    def dE_dy(self, y: np.ndarray, d: np.ndarray) -> np.ndarray:
        return -d / (y + LOG_GUARD) + (1 - d) / (1 - y + LOG_GUARD)


LOSSES: dict[str, type[Loss]] = {
    c.name: c for c in (SumSquared, MeanSquared, CrossEntropy, BinaryCrossEntropy)
}
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


def output_delta(loss: Loss, output: Activation, u: np.ndarray, y: np.ndarray, d: np.ndarray):
    """δ of the output layer, ∂E/∂u averaged over the batch.

    softmax + cross_entropy and sigmoid + binary_cross_entropy fuse to (y - d) / batch, the
    exact derivative of the unguarded loss. Softmax with any other loss goes through its full
    Jacobian: δ_j = y_j (g_j - Σ_k g_k y_k) with g = ∂E/∂y.
    """
    batch = y.shape[0]
    if is_fused(loss, output):
        return (y - d) / batch
    g = loss.dE_dy(y, d)
    if output.name == "softmax":
        return y * (g - (g * y).sum(axis=1, keepdims=True)) / batch
    return g * output.derivative(u, y) / batch
