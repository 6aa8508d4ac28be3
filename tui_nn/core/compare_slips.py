"""The known slips of a hand-written backward pass, each recomputed from the engine's forward pass.

Each slip gives the δ, gradients (and, for plain SGD, updated parameters) a program with that
slip would print; `compare` names the slip whose numbers are the printed ones. The same
catalogue as the stepper's answer checker: a sign, 1/batch missing, ½ missing, σ′ applied to
the wrong quantity, the updated weights used too early, the course's d_mean_squared_error.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from tui_nn.core.worked import Capture

Quantities = dict[str, np.ndarray]
Derivative = Callable[[int], np.ndarray]


def _sigmoid(a: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-a))


def _backward(
    cap: Capture, fprime: Derivative, delta_out: np.ndarray, weights: dict[str, np.ndarray]
) -> Quantities:
    """δ_l = (δ_{l+1}·W_{l+1}ᵀ) ⊙ f′_l, ∂E/∂W_l = z_{l−1}ᵀ·δ_l, ∂E/∂b_l = Σ_n δ_l."""
    L = len(cap.u) - 1
    out: Quantities = {f"delta{L}": delta_out}
    for li in range(L - 1, 0, -1):
        out[f"delta{li}"] = (out[f"delta{li + 1}"] @ weights[f"W{li + 1}"].T) * fprime(li)
    for li in range(1, L + 1):
        out[f"grad W{li}"] = cap.z[li - 1].T @ out[f"delta{li}"]
        out[f"grad b{li}"] = out[f"delta{li}"].sum(axis=0)
    return out


def slips(cap: Capture, net, lr: float, sgd: bool) -> dict[str, Quantities]:
    """Each known slip's δ and gradients (and updates under plain SGD), by slip name."""
    L = len(cap.u) - 1
    layers = net.layers

    def fprime(li: int) -> np.ndarray:
        return layers[li - 1].f.derivative(cap.u[li], cap.z[li])

    def course_d_sigmoid(li: int) -> np.ndarray:  # d_sigmoid(z): σ′ of the output z, not of u
        s = _sigmoid(cap.z[li])
        return s * (1 - s)

    delta_out, params = cap.delta[L], cap.params
    N, K = cap.batch, cap.z[L].shape[1]
    cases: dict[str, tuple[Derivative, np.ndarray, dict[str, np.ndarray]]] = {
        "sign": (fprime, -delta_out, params),
        "sigma_prime": (course_d_sigmoid, delta_out, params),
        "early_update": (fprime, delta_out, cap.new_params),
    }
    if N > 1:
        cases["batch"] = (fprime, delta_out * N, params)
    if net.loss.name == "half_mse" and K > 1:  # before "half": with K = 2 the two coincide
        cases["course_dmse"] = (fprime, delta_out * K, params)
    if net.loss.name in ("sum_squared", "half_mse"):
        cases["half"] = (fprime, delta_out * 2, params)
    out = {}
    for name, (f, delta, weights) in cases.items():
        with np.errstate(all="ignore"):
            q = _backward(cap, f, delta, weights)
        if sgd:
            q.update({f"new {k}": v - lr * q[f"grad {k}"] for k, v in params.items()})
        out[name] = q
    if net.loss.name in ("sum_squared", "half_mse"):
        out["half"]["E"] = np.array(2 * cap.loss)
    if N > 1:
        out["batch"]["E"] = np.array(N * cap.loss)
    return out
