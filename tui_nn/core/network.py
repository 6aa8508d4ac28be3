"""A multi-layer perceptron: the forward pass, backprop, and a numerical gradient check.

Parameters live in one dict, `params` = {"W1": ..., "b1": ..., "W2": ...}, shared with the
layers, so an optimizer updating `params` in place updates the network.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from tui_nn.core.activations import Activation, get_activation
from tui_nn.core.errors import ConfigError, config_error
from tui_nn.core.layers import Dense
from tui_nn.core.losses import REDUCTIONS, check_pairing, get_loss, output_delta
from tui_nn.i18n import t

INITS = ("normal", "xavier", "he", "truncated_normal")
#: Biases start at 0, or are drawn like the weights of their layer (the course's 1_3 uses randn).
BIAS_INITS = ("zeros", "normal")
MAX_PARAMS = 20_000_000
#: std of each scheme when `init_std` is not given (normal: the course's 0.01; the
#: truncated normal of the course's TensorFlow code defaults to 1.0).
DEFAULT_STD = {"normal": 0.01, "truncated_normal": 1.0}


@dataclass
class NetworkConfig:
    """What the `[network]` section of a preset describes."""

    layers: list[int]
    activation: list[str] | str = "sigmoid"
    output: str = "sigmoid"
    loss: str = "sum_squared"
    init: str = "normal"
    init_std: float | None = None
    seed: int = 0
    leaky_slope: float = 0.01
    weights: dict[str, np.ndarray] = field(default_factory=dict)
    dtype: str = "float64"
    bias_init: str = "zeros"
    #: ReLU's derivative at u = 0 (0 as the course's d_relu, or 1).
    relu_grad_at_zero: int = 0
    #: E of a batch as the mean or the sum of the samples' E_n (set by [train] reduction).
    reduction: str = "mean"

    @property
    def hidden_activations(self) -> list[str]:
        n_hidden = len(self.layers) - 2
        if isinstance(self.activation, str):
            return [self.activation] * n_hidden
        return list(self.activation)

    def param_names(self) -> list[str]:
        return [f"{p}{i}" for i in range(1, len(self.layers)) for p in ("W", "b")]

    def param_shape(self, name: str) -> tuple[int, ...]:
        i = int(name[1:])
        return (self.layers[i - 1], self.layers[i]) if name[0] == "W" else (self.layers[i],)

    def validate(self) -> None:
        """Raise ConfigError (with the field name) for anything that cannot be built."""
        self._validate_layers()
        self._validate_functions()
        if self.init not in INITS:
            raise config_error(
                "err_unknown_init", name=repr(self.init), choices=", ".join(INITS), field="init"
            )
        if self.init_std is not None and not self.init_std > 0:
            raise config_error("err_positive", field="init_std")
        if self.dtype not in ("float64", "float32"):
            raise config_error("err_dtype", field="dtype")
        self._validate_conventions()
        self._validate_weights()

    def _validate_layers(self) -> None:
        if len(self.layers) < 2 or any(int(n) < 1 for n in self.layers):
            raise config_error("err_layers_too_few", field="layers")
        n_params = sum(a * b + b for a, b in zip(self.layers[:-1], self.layers[1:], strict=False))
        if n_params > MAX_PARAMS:
            raise config_error(
                "err_too_many_params",
                n=f"{n_params:,}",
                max=f"{MAX_PARAMS:,}",
                field="layers",
            )

    def _validate_functions(self) -> None:
        """The hidden activations (one per hidden layer), the output and the loss."""
        acts = self.hidden_activations
        if len(acts) != len(self.layers) - 2:
            raise config_error(
                "err_activation_count",
                n=len(acts),
                hidden=len(self.layers) - 2,
                field="activation",
            )
        checks = [("activation", lambda a=a: get_activation(a)) for a in acts]
        checks += [
            ("output", lambda: get_activation(self.output, output=True)),
            ("loss", lambda: get_loss(self.loss)),
            ("loss", lambda: check_pairing(self.loss, self.output)),
        ]
        for fld, check in checks:
            try:
                check()
            except ConfigError as e:
                raise e.located(field=fld) from None
        if self.output == "softmax" and self.layers[-1] < 2:
            raise config_error("err_softmax_units", field="output")

    def _validate_weights(self) -> None:
        """Given initial weights: each a parameter of these layers, of its shape."""
        names = self.param_names()
        for name, value in self.weights.items():
            if name not in names:
                raise config_error(
                    "err_no_param",
                    name=name,
                    names=", ".join(names),
                    field=f"weights.{name}",
                )
            want = self.param_shape(name)
            if np.shape(value) != want:
                raise config_error(
                    "err_param_shape",
                    shape=np.shape(value),
                    layers=self.layers,
                    want=want,
                    field=f"weights.{name}",
                )

    def _validate_conventions(self) -> None:
        for fld, value, choices in (
            ("bias_init", self.bias_init, BIAS_INITS),
            ("relu_grad_at_zero", self.relu_grad_at_zero, (0, 1)),
            ("reduction", self.reduction, REDUCTIONS),
        ):
            if value not in choices or isinstance(value, bool):
                raise config_error(
                    "err_one_of",
                    choices=", ".join(map(str, choices)),
                    got=repr(value),
                    field=fld,
                )


def initial_params(cfg: NetworkConfig) -> dict[str, np.ndarray]:
    """The initial W1, b1, ...: explicit values where given, else drawn from `cfg.seed`."""
    rng = np.random.default_rng(cfg.seed)
    params: dict[str, np.ndarray] = {}
    for name in cfg.param_names():
        shape = cfg.param_shape(name)
        # Draw every W (and b, when drawn) even when it is given, so giving W1 does not change
        # W2's draw.
        n_in = cfg.layers[int(name[1:]) - 1]
        drawn = name[0] == "W" or cfg.bias_init == "normal"
        value = _draw(rng, cfg, shape, n_in) if drawn else np.zeros(shape)
        if name in cfg.weights:
            value = np.asarray(cfg.weights[name], dtype=np.float64)
        params[name] = value.astype(cfg.dtype)
    return params


def _draw(
    rng: np.random.Generator, cfg: NetworkConfig, shape: tuple[int, ...], n_in: int
) -> np.ndarray:
    std = {"xavier": 1 / np.sqrt(n_in), "he": np.sqrt(2 / n_in)}.get(cfg.init)
    if std is None:
        std = cfg.init_std if cfg.init_std is not None else DEFAULT_STD[cfg.init]
    w = rng.standard_normal(shape)
    if cfg.init == "truncated_normal":
        # As TensorFlow's truncated_normal: redraw every value beyond two standard deviations.
        while (out := np.abs(w) > 2).any():
            w[out] = rng.standard_normal(out.sum())
    return w * std


def flat_views(flat: np.ndarray, shapes: dict[str, tuple[int, ...]]) -> dict[str, np.ndarray]:
    """Named views into one flat vector, in order: W1, b1, W2, ... share its memory."""
    views, offset = {}, 0
    for name, shape in shapes.items():
        size = int(np.prod(shape))
        views[name] = flat[offset : offset + size].reshape(shape)
        offset += size
    return views


class Network:
    """The layers, with every parameter a view into one vector `theta` and every gradient a
    view into one vector `grad`: the optimizer updates all of them with a few array operations.
    """

    def __init__(self, cfg: NetworkConfig, params: dict[str, np.ndarray] | None = None) -> None:
        cfg.validate()
        self.cfg = cfg
        self.loss = get_loss(cfg.loss)
        self.output: Activation = get_activation(
            cfg.output, cfg.leaky_slope, output=True, relu_at_zero=cfg.relu_grad_at_zero
        )
        values = params if params is not None else initial_params(cfg)
        shapes = {name: cfg.param_shape(name) for name in cfg.param_names()}
        size = sum(int(np.prod(s)) for s in shapes.values())
        dtype = values["W1"].dtype
        self.theta = np.empty(size, dtype)
        self.grad = np.zeros(size, dtype)
        self.params = flat_views(self.theta, shapes)
        for name, view in self.params.items():
            view[...] = values[name]
        grads = self._grads = flat_views(self.grad, shapes)
        hidden = [
            get_activation(a, cfg.leaky_slope, relu_at_zero=cfg.relu_grad_at_zero)
            for a in cfg.hidden_activations
        ]
        acts = [*hidden, self.output]
        self.layers = [
            Dense(i, self.params[f"W{i}"], self.params[f"b{i}"], f, grads[f"W{i}"], grads[f"b{i}"])
            for i, f in enumerate(acts, start=1)
        ]

    @property
    def dtype(self) -> np.dtype:
        return self.params["W1"].dtype

    @property
    def warning_keys(self) -> list[str]:
        """Catalogue keys of the things the student should know before training this network."""
        if any(not layer.f.has_gradient for layer in self.layers):
            return ["warn_step_no_gradient"]
        return []

    @property
    def warnings(self) -> list[str]:
        """Things the student should know before training this network, in English."""
        return self.warnings_in("en")

    def warnings_in(self, lang: str) -> list[str]:
        """The warnings in `lang`."""
        return [t(key, lang) for key in self.warning_keys]

    def forward(self, x: np.ndarray) -> np.ndarray:
        z = x
        for layer in self.layers:
            z = layer.forward(z)
        return z

    def backward(self, d: np.ndarray) -> dict[str, np.ndarray]:
        """Backprop from the last forward pass; returns ∂E/∂W, ∂E/∂b by parameter name."""
        last = self.layers[-1]
        delta = output_delta(self.loss, self.output, last.u, last.z, d, self.cfg.reduction)
        for i in range(len(self.layers) - 1, -1, -1):
            dz = self.layers[i].backward(delta, need_input_grad=i > 0)
            if i > 0:
                prev = self.layers[i - 1]
                delta = dz * prev.f.derivative(prev.u, prev.z)
        return self.grads()

    def grads(self) -> dict[str, np.ndarray]:
        """∂E/∂W, ∂E/∂b of the last backward pass: views, overwritten by the next one."""
        return self._grads

    def batch_loss(self, y: np.ndarray, d: np.ndarray) -> float:
        """E of a batch: the mean of the samples' E_n, or their sum for reduction "sum"."""
        e = self.loss.value(y, d)
        return e * len(y) if self.cfg.reduction == "sum" else e

    def loss_value(self, x: np.ndarray, d: np.ndarray) -> float:
        return self.batch_loss(self.forward(x), d)

    def gradient(self, x: np.ndarray, d: np.ndarray) -> tuple[float, dict[str, np.ndarray]]:
        y = self.forward(x)
        return self.batch_loss(y, d), self.backward(d)


@dataclass
class GradCheck:
    """Backprop against central differences, per parameter."""

    name: str
    max_abs_error: float
    relative_error: float  # ‖backprop − numerical‖ / (‖backprop‖ + ‖numerical‖)
    checked: int = 0  # entries compared: all of them, or a seeded sample
    entries: int = 0  # entries of the parameter


def numerical_gradient(
    net: Network,
    x: np.ndarray,
    d: np.ndarray,
    h: float = 1e-4,
    entries: dict[str, list[tuple[int, ...]]] | None = None,
    progress: Callable[[int], None] | None = None,
):
    """Central difference (E(w + h) − E(w − h)) / 2h for every parameter, as in the notes,
    or only at `entries` (name → indices; the others stay 0); `progress(done)` after each.

    E is the loss the engine reports: with the log guard as a floor (tui_nn.core.losses) it is
    exactly −Σ d log y wherever y ≥ 1e-7, whose derivative the fused δ = (y − d)/batch is.
    """
    grads, done = {}, 0
    for name, p in net.params.items():
        g = np.zeros_like(p)
        for idx in np.ndindex(p.shape) if entries is None else entries.get(name, []):
            keep = p[idx]
            p[idx] = keep + h
            e_plus = net.loss_value(x, d)
            p[idx] = keep - h
            e_minus = net.loss_value(x, d)
            p[idx] = keep
            g[idx] = (e_plus - e_minus) / (2 * h)
            done += 1
            if progress is not None:
                progress(done)
        grads[name] = g
    return grads
