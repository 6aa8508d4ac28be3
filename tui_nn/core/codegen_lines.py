"""The NumPy lines the code generator writes for each activation, loss and optimizer.

Each line does the engine's arithmetic in the engine's order (activations.py, losses.py,
optimizers.py), so the script's numbers equal the engine's; change one side, change both.
"""

from __future__ import annotations

import numpy as np

from tui_nn.core.optimizers import OPTIMIZERS
from tui_nn.core.safe_text import visible

_FORWARD = {
    "identity": "u",
    "step": "(u > 0).astype(u.dtype)",
    "sigmoid": "1.0 / (1.0 + np.exp(-u))",
    "tanh": "np.tanh(u)",
    "relu": "np.maximum(u, 0)",
    "leaky_relu": "np.where(u > 0, u, leaky_slope * u)",
}
# Each derivative from z = f(u) (z > 0 exactly when u > 0 for relu and leaky_relu).
_DERIVATIVE = {
    "identity": "np.ones_like(z)",
    "step": "np.zeros_like(z)",
    "sigmoid": "z * (1.0 - z)",
    "tanh": "1.0 - z * z",
    "relu": "(z > 0).astype(z.dtype)",
    # f'(0) = 1 needs u: z = max(u, 0) is 0 both at u = 0 and below.
    "relu_at_zero_1": "(u >= 0).astype(u.dtype)",
    "leaky_relu": "np.where(z > 0, 1.0, leaky_slope).astype(z.dtype)",
}
LOSS = {
    "sum_squared": ("sum_squared_error", "0.5 * (y - d) ** 2"),
    "mse": ("mean_squared_error", "(y - d) ** 2 / y.shape[1]"),
    "cross_entropy": ("cross_entropy_error", "-d * np.log(np.maximum(y, 1e-7))"),
    "half_mse": ("mean_squared_error", "0.5 * (y - d) ** 2 / y.shape[1]"),
    "binary_cross_entropy": (
        "binary_cross_entropy_error",
        "-(d * np.log(np.maximum(y, 1e-7)) + (1 - d) * np.log(np.maximum(1 - y, 1e-7)))",
    ),
}
# ∂E/∂y of the losses that are not fused with their output (see losses.output_delta).
DE_DY = {
    "sum_squared": "(y - d)",
    "mse": "2.0 * (y - d) / y.shape[1]",
    "half_mse": "(y - d) / y.shape[1]",
}
# The update of one parameter `key`, as the optimizer computes it; state arrays named as in
# optimizers.py (v, h, m).
UPDATE = {
    "sgd": ["network[key] -= lr * grad[key]"],
    "momentum": ["v[key] = momentum * v[key] - lr * grad[key]", "network[key] += v[key]"],
    "nesterov": [
        "v[key] = momentum * v[key] - lr * grad[key]",
        "network[key] += momentum * v[key] - lr * grad[key]",
    ],
    "adagrad": [
        "h[key] += grad[key] * grad[key]",
        "network[key] -= lr * grad[key] / (np.sqrt(h[key]) + eps)",
    ],
    "rmsprop": [
        "h[key] = rho * h[key] + (1 - rho) * grad[key] * grad[key]",
        "network[key] -= lr * grad[key] / (np.sqrt(h[key]) + eps)",
    ],
    "adam": [
        "m[key] = beta1 * m[key] + (1 - beta1) * grad[key]",
        "v[key] = beta2 * v[key] + (1 - beta2) * grad[key] * grad[key]",
        "m_hat = m[key] / (1 - beta1**t)",
        "v_hat = v[key] / (1 - beta2**t)",
        "network[key] -= lr * m_hat / (np.sqrt(v_hat) + eps)",
    ],
}
#: Adam with ε inside the square root, as the seminar slides write it.
ADAM_EPS_IN_SQRT = "network[key] -= lr * m_hat / np.sqrt(v_hat + eps)"
STATE = {"momentum": "v", "nesterov": "v", "adagrad": "h", "rmsprop": "h", "adam": "m, v"}


def forward_line(name: str) -> str:
    """z = f(u) for a hidden or output activation other than softmax."""
    return _FORWARD[name]


def derivative_line(name: str) -> str:
    """f'(u) written with z = f(u) (with u for relu_at_zero_1)."""
    return _DERIVATIVE[name]


def update_lines(optimizer: str, constants: dict[str, float]) -> list[str]:
    """The update of one parameter `key`, in the form the constants choose."""
    lines = list(UPDATE[optimizer])
    if constants.get("eps_in_sqrt"):
        lines[-1] = ADAM_EPS_IN_SQRT
    return lines


def rule_text(optimizer: str, constants: dict[str, float]) -> str:
    """The optimizer's rule as the engine applies it, ε inside the root when chosen."""
    rule = OPTIMIZERS[optimizer].rule
    return rule.replace("(√v̂ + ε)", "√(v̂ + ε)") if constants.get("eps_in_sqrt") else rule


def array_literal(a: np.ndarray) -> str:
    """An array literal at full precision (repr of each float reads back exactly)."""
    a = np.asarray(a, dtype=np.float64)
    if a.ndim == 1:
        return "[" + ", ".join(repr(float(v)) for v in a) + "]"
    rows = ["    [" + ", ".join(repr(float(v)) for v in row) + "]," for row in a]
    return "[\n" + "\n".join(rows) + "\n]"


def docstring_safe(text: str) -> str:
    """Text for inside a triple-quoted docstring: on one line, every backslash and quote
    escaped (so no run of quotes can end the string early), reading back as `visible(text)`."""
    return visible(text).replace("\\", "\\\\").replace('"', '\\"')


# Whole functions; `{note}` is the comment in the student's language.
_BLOCKS = {
    "softmax": """def softmax(u):
    # {note}
    e = np.exp(u - u.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)""",
    "accuracy": """def accuracy(y, d):
    # {note}
    if y.shape[1] == 1:
        return float(np.mean((y[:, 0] > 0.5) == (d[:, 0] > 0.5)))
    return float(np.mean(np.argmax(y, axis=1) == np.argmax(d, axis=1)))""",
    # As network._draw: TensorFlow's truncated normal redraws values beyond 2 std.
    "truncated_normal": """def truncated_normal(shape):
    # {note}
    w = rng_init.standard_normal(shape)
    out = np.abs(w) > 2
    while out.any():
        w[out] = rng_init.standard_normal(out.sum())
        out = np.abs(w) > 2
    return w""",
}


def block(name: str, note: str) -> list[str]:
    """The lines of one whole helper function of the script, with its comment."""
    return _BLOCKS[name].replace("{note}", note).splitlines()
