"""Parameter updates, each exactly its published rule (g = gradient, t = step from 1).

Each optimizer turns a gradient into an increment ΔW and keeps its state (v, h, m) by
parameter name; `step` applies the increments only when every one of them is finite, so a
diverging update never reaches the weights.
"""

from __future__ import annotations

import numpy as np

from tui_nn.core.errors import Diverged, EpsilonZero, config_error
from tui_nn.core.network import flat_views

#: The name under which the trainer updates all parameters at once, as one flat vector.
FLAT = "*"


class Optimizer:
    name: str = ""
    rule: str = ""
    #: Constants and their defaults; every one can be set in a preset's [train] section.
    defaults: dict[str, float] = {}
    #: Switches between published forms of the rule (true/false in [train]), default False.
    flags: tuple[str, ...] = ()

    def __init__(self, **constants: float) -> None:
        unknown = set(constants) - set(self.defaults) - set(self.flags)
        if unknown:
            raise config_error(
                "err_no_constant",
                optimizer=self.name,
                name=repr(sorted(unknown)[0]),
                constants=", ".join([*self.defaults, *self.flags]) or "none",
            )
        self.c = {**self.defaults, **dict.fromkeys(self.flags, False), **constants}
        self.t = 0
        #: State by kind and parameter name, e.g. state["v"]["W1"]: what the worked trace shows.
        self.state: dict[str, dict[str, np.ndarray]] = {}
        self._flat: dict[str, np.ndarray] = {}
        self.layout: dict[str, tuple[int, ...]] = {}

    def bind(self, layout: dict[str, tuple[int, ...]]) -> Optimizer:
        """Name the slices of the flat vector (W1, b1, ...) so the state can be read by name."""
        self.layout = layout
        return self

    def increment(self, name: str, g: np.ndarray, lr: float) -> np.ndarray:
        """ΔW for parameter `name` at step self.t, updating the optimizer's state."""
        raise NotImplementedError

    def save_state(self, into: SavedState | None = None) -> SavedState:
        """A copy of the flat state (t, v, h, m); `into`'s arrays are reused when given."""
        saved = into if into is not None and into.owner is self else SavedState(self)
        saved.t = self.t
        for key, buf in self._flat.items():
            if key in saved.buffers:
                np.copyto(saved.buffers[key], buf)
            else:
                saved.buffers[key] = buf.copy()
        return saved

    def load_state(self, saved: SavedState) -> None:
        """Back to a saved state; a buffer made after it was saved was all zeros then."""
        self.t = saved.t
        for key, buf in self._flat.items():
            if key in saved.buffers:
                np.copyto(buf, saved.buffers[key])
            else:
                buf[...] = 0.0

    def _buf(self, key: str, name: str, like: np.ndarray) -> np.ndarray:
        if name == FLAT:
            if key not in self._flat:
                self._flat[key] = np.zeros_like(like)
                self.state[key] = flat_views(self._flat[key], self.layout)
            return self._flat[key]
        per = self.state.setdefault(key, {})
        if name not in per:
            per[name] = np.zeros_like(like)
        return per[name]

    def step(
        self,
        params: dict[str, np.ndarray],
        grads: dict[str, np.ndarray],
        lr: float,
        frozen: frozenset[str] = frozenset(),
        step_no: int | None = None,
    ) -> None:
        """Update each named parameter in place (the way the worked trace replays a step)."""
        self.t += 1
        incs = {k: self.increment(k, g, lr) for k, g in grads.items() if k not in frozen}
        for k, inc in incs.items():
            if not np.isfinite(inc).all():
                raise self._diverged(step_no if step_no is not None else self.t, k)
        for k, inc in incs.items():
            params[k] += inc

    def step_flat(
        self,
        theta: np.ndarray,
        grad: np.ndarray,
        lr: float,
        keep: np.ndarray | None,
        step_no: int,
    ) -> None:
        """The same update on all parameters at once; `keep` is 0 where a parameter is frozen."""
        self.t += 1
        inc = self.increment(FLAT, grad, lr)
        if keep is not None:
            # where, not a product: a frozen parameter's 0/0 (ε = 0) must not reach the check.
            inc = np.where(keep != 0, inc, 0.0).astype(inc.dtype, copy=False)
        if not np.isfinite(inc).all():
            bad = [k for k, v in flat_views(inc, self.layout).items() if not np.isfinite(v).all()]
            raise self._diverged(step_no, bad[0])
        theta += inc

    def _diverged(self, step_no: int, param: str) -> Diverged:
        """NaN in an update: 0/0 of g / (√h + ε) when ε = 0, otherwise a step too large."""
        kind = EpsilonZero if self.c.get("eps") == 0 else Diverged
        return kind(step_no, "update", layer=int(param[1:]), param=param)


class SavedState:
    """An optimizer's step count and state buffers at one moment (see Optimizer.save_state)."""

    def __init__(self, owner: Optimizer) -> None:
        self.owner = owner
        self.t = 0
        self.buffers: dict[str, np.ndarray] = {}


class SGD(Optimizer):
    name = "sgd"
    rule = "W ← W − η g"

    def increment(self, name: str, g: np.ndarray, lr: float) -> np.ndarray:
        return -lr * g


class Momentum(Optimizer):
    name = "momentum"
    rule = "v ← μ v − η g;  W ← W + v"
    defaults = {"momentum": 0.9}

    def increment(self, name: str, g: np.ndarray, lr: float) -> np.ndarray:
        v = self._buf("v", name, g)
        v *= self.c["momentum"]
        v -= lr * g
        return v.copy()


class Nesterov(Optimizer):
    name = "nesterov"
    rule = "v ← μ v − η g;  W ← W + μ v − η g"
    defaults = {"momentum": 0.9}

    def increment(self, name: str, g: np.ndarray, lr: float) -> np.ndarray:
        mu = self.c["momentum"]
        v = self._buf("v", name, g)
        v *= mu
        v -= lr * g
        return mu * v - lr * g


class AdaGrad(Optimizer):
    name = "adagrad"
    rule = "h ← h + g²;  W ← W − η g / (√h + ε)"
    defaults = {"eps": 1e-7}

    def increment(self, name: str, g: np.ndarray, lr: float) -> np.ndarray:
        h = self._buf("h", name, g)
        h += g * g
        return -lr * g / (np.sqrt(h) + self.c["eps"])


class RMSProp(Optimizer):
    name = "rmsprop"
    rule = "h ← ρ h + (1 − ρ) g²;  W ← W − η g / (√h + ε)"
    defaults = {"rho": 0.99, "eps": 1e-7}

    def increment(self, name: str, g: np.ndarray, lr: float) -> np.ndarray:
        rho = self.c["rho"]
        h = self._buf("h", name, g)
        h *= rho
        h += (1 - rho) * g * g
        return -lr * g / (np.sqrt(h) + self.c["eps"])


class Adam(Optimizer):
    name = "adam"
    rule = (
        "m ← β1 m + (1 − β1) g;  v ← β2 v + (1 − β2) g²;  "
        "W ← W − η m̂ / (√v̂ + ε),  m̂ = m / (1 − β1ᵗ),  v̂ = v / (1 − β2ᵗ)"
    )
    defaults = {"beta1": 0.9, "beta2": 0.999, "eps": 1e-8}
    #: W ← W − η m̂ / √(v̂ + ε), the form of the seminar slides.
    flags = ("eps_in_sqrt",)

    def increment(self, name: str, g: np.ndarray, lr: float) -> np.ndarray:
        b1, b2, t = self.c["beta1"], self.c["beta2"], self.t
        m = self._buf("m", name, g)
        v = self._buf("v", name, g)
        m *= b1
        m += (1 - b1) * g
        v *= b2
        v += (1 - b2) * g * g
        m_hat = m / (1 - b1**t)
        v_hat = v / (1 - b2**t)
        if self.c["eps_in_sqrt"]:
            return -lr * m_hat / np.sqrt(v_hat + self.c["eps"])
        return -lr * m_hat / (np.sqrt(v_hat) + self.c["eps"])


OPTIMIZERS: dict[str, type[Optimizer]] = {
    c.name: c for c in (SGD, Momentum, Nesterov, AdaGrad, RMSProp, Adam)
}


def make_optimizer(name: str, **constants: float) -> Optimizer:
    if name not in OPTIMIZERS:
        raise config_error("err_unknown_optimizer", name=repr(name), choices=", ".join(OPTIMIZERS))
    return OPTIMIZERS[name](**constants)
