"""Activation functions f, z = f(u), each with its derivative f'(u).

The derivative takes both u and z = f(u) because the course writes the cheap forms
in terms of z: sigmoid' = z(1 - z), tanh' = 1 - z².
"""

from __future__ import annotations

import numpy as np

from tui_nn.core.errors import config_error


class Activation:
    """One activation: `forward(u)` gives z, `derivative(u, z)` gives dz/du elementwise."""

    name: str = ""
    formula: str = ""
    derivative_formula: str = ""
    #: False only for `step`: its derivative is zero everywhere, so nothing can learn through it.
    has_gradient: bool = True

    def forward(self, u: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def derivative(self, u: np.ndarray, z: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def __repr__(self) -> str:
        return self.name


class Identity(Activation):
    name = "identity"
    formula = "f(u) = u"
    derivative_formula = "f'(u) = 1"

    def forward(self, u: np.ndarray) -> np.ndarray:
        return u

    def derivative(self, u: np.ndarray, z: np.ndarray) -> np.ndarray:
        return np.ones_like(u)


class Heaviside(Activation):
    """The step function (Heaviside's): 1 above 0, else 0; its preset key is "step"."""

    name = "step"
    formula = "f(u) = 1 if u > 0 else 0"
    derivative_formula = "f'(u) = 0"
    has_gradient = False

    def forward(self, u: np.ndarray) -> np.ndarray:
        return (u > 0).astype(u.dtype)

    def derivative(self, u: np.ndarray, z: np.ndarray) -> np.ndarray:
        return np.zeros_like(u)


class Sigmoid(Activation):
    name = "sigmoid"
    formula = "f(u) = 1 / (1 + exp(-u))"
    derivative_formula = "f'(u) = z(1 - z)"

    def forward(self, u: np.ndarray) -> np.ndarray:
        # exp(-u) overflows for very negative u; the result 0 is still right, so silence it.
        with np.errstate(over="ignore"):
            return 1.0 / (1.0 + np.exp(-u))

    def derivative(self, u: np.ndarray, z: np.ndarray) -> np.ndarray:
        return z * (1.0 - z)


class Tanh(Activation):
    name = "tanh"
    formula = "f(u) = tanh(u)"
    derivative_formula = "f'(u) = 1 - z²"

    def forward(self, u: np.ndarray) -> np.ndarray:
        return np.tanh(u)

    def derivative(self, u: np.ndarray, z: np.ndarray) -> np.ndarray:
        return 1.0 - z * z


class ReLU(Activation):
    """`at_zero` is f'(0): the course's d_relu gives 0, other slides take 1."""

    name = "relu"
    formula = "f(u) = max(0, u)"

    def __init__(self, at_zero: int = 0) -> None:
        self.at_zero = at_zero
        self.derivative_formula = f"f'(u) = 1 if u {'≥' if at_zero else '>'} 0 else 0"

    def forward(self, u: np.ndarray) -> np.ndarray:
        return np.maximum(u, 0)

    def derivative(self, u: np.ndarray, z: np.ndarray) -> np.ndarray:
        return ((u >= 0) if self.at_zero else (u > 0)).astype(u.dtype)


class LeakyReLU(Activation):
    name = "leaky_relu"
    derivative_formula = "f'(u) = 1 if u > 0 else a"

    def __init__(self, slope: float = 0.01) -> None:
        self.slope = slope
        self.formula = f"f(u) = u if u > 0 else {slope:g}·u"

    def forward(self, u: np.ndarray) -> np.ndarray:
        return np.where(u > 0, u, self.slope * u)

    def derivative(self, u: np.ndarray, z: np.ndarray) -> np.ndarray:
        return np.where(u > 0, 1.0, self.slope).astype(u.dtype)


class Softmax(Activation):
    """Output only. Its derivative is a Jacobian, handled by `output_delta` in losses."""

    name = "softmax"
    formula = "f(u)_k = exp(u_k) / Σ_j exp(u_j)"
    derivative_formula = "∂y_k/∂u_j = y_k(δ_kj - y_j)"

    def forward(self, u: np.ndarray) -> np.ndarray:
        # Subtracting the row maximum avoids overflow and leaves the result unchanged.
        e = np.exp(u - u.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)

    def derivative(self, u: np.ndarray, z: np.ndarray) -> np.ndarray:
        raise TypeError("softmax has a Jacobian, not an elementwise derivative")


HIDDEN = ("step", "identity", "sigmoid", "tanh", "relu", "leaky_relu")
#: Outputs; cross-entropy and binary cross-entropy accept only softmax and sigmoid (losses.py).
OUTPUT = ("identity", "sigmoid", "softmax", "relu", "step", "tanh", "leaky_relu")
_CLASSES: dict[str, type[Activation]] = {
    c.name: c for c in (Identity, Heaviside, Sigmoid, Tanh, ReLU, LeakyReLU, Softmax)
}


def get_activation(
    name: str, slope: float = 0.01, *, output: bool = False, relu_at_zero: int = 0
) -> Activation:
    """The activation called `name`; `slope` is leaky_relu's a, `relu_at_zero` relu's f'(0)."""
    allowed = OUTPUT if output else HIDDEN
    if name not in allowed:
        key = "err_unknown_output_activation" if output else "err_unknown_hidden_activation"
        raise config_error(key, name=repr(name), choices=", ".join(allowed))
    if name == "leaky_relu":
        return LeakyReLU(slope)
    if name == "relu":
        return ReLU(relu_at_zero)
    return _CLASSES[name]()
