"""Parameter updates, each exactly its published rule (g = gradient, t = step from 1).

One update path, as in "Deep Learning from Scratch"'s optimizer.py: each optimizer turns the
gradient of every parameter at once (the network's flat `grad`) into an increment ΔW, keeping
its state (v, h, m) in flat buffers that `state["v"]["W1"]` views by parameter name; `update`
applies the increment only when all of it is finite, so a diverging update never reaches the
weights. The trainer runs `update` on the network's θ; the worked trace runs the same call on
a copy of θ with a copy of the optimizer (`Optimizer.copy`).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable

import numpy as np

from tui_nn.core.errors import Diverged, EpsilonZero, config_error
from tui_nn.core.network import flat_views


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
        #: State by kind and parameter name, e.g. state["v"]["W1"]: views into the flat buffers.
        self.state: dict[str, dict[str, np.ndarray]] = {}
        self._flat: dict[str, np.ndarray] = {}
        self.layout: dict[str, tuple[int, ...]] = {}
        self._keep: np.ndarray | None = None

    def bind(self, layout: dict[str, tuple[int, ...]], frozen: Iterable[str] = ()) -> Optimizer:
        """Name the slices of the flat vector (W1, b1, ...) so the state can be read by name;
        the `frozen` ones are never updated."""
        self.layout = layout
        frozen = set(frozen)
        if frozen:
            self._keep = np.ones(sum(int(np.prod(s)) for s in layout.values()), dtype=bool)
            for name, view in flat_views(self._keep, layout).items():
                view[...] = name not in frozen
        return self

    def increment(self, g: np.ndarray, lr: float) -> np.ndarray:
        """ΔW for the flat gradient `g` at step self.t, updating the optimizer's state."""
        raise NotImplementedError

    def update(self, theta: np.ndarray, grad: np.ndarray, lr: float, step_no: int) -> None:
        """θ += ΔW for the flat gradient, in place; the trainer's update and the worked trace's.

        Raises Diverged (θ unchanged) when an increment of a parameter that learns is not finite.
        """
        self.t += 1
        inc = self.increment(grad, lr)
        if self._keep is not None:
            # where, not a product: a frozen parameter's 0/0 (ε = 0) must not reach the check.
            inc = np.where(self._keep, inc, 0.0).astype(inc.dtype, copy=False)
        if not np.isfinite(inc).all():
            bad = [k for k, v in flat_views(inc, self.layout).items() if not np.isfinite(v).all()]
            raise self._diverged(step_no, bad[0])
        theta += inc

    def copy(self) -> Optimizer:
        """An independent optimizer in the same state: what the next update would do, without
        doing it to this one."""
        twin = copy.copy(self)
        twin.c = dict(self.c)
        twin._flat = {key: buf.copy() for key, buf in self._flat.items()}
        twin.state = {key: flat_views(buf, self.layout) for key, buf in twin._flat.items()}
        return twin

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

    def _buf(self, key: str, like: np.ndarray) -> np.ndarray:
        """The flat state buffer `key` (v, h, m), zeros the first time it is asked for."""
        if key not in self._flat:
            self._flat[key] = np.zeros_like(like)
            self.state[key] = flat_views(self._flat[key], self.layout)
        return self._flat[key]

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

    def increment(self, g: np.ndarray, lr: float) -> np.ndarray:
        return -lr * g


class Momentum(Optimizer):
    name = "momentum"
    rule = "v ← μ v − η g;  W ← W + v"
    defaults = {"momentum": 0.9}

    def increment(self, g: np.ndarray, lr: float) -> np.ndarray:
        v = self._buf("v", g)
        v *= self.c["momentum"]
        v -= lr * g
        return v.copy()


class Nesterov(Optimizer):
    name = "nesterov"
    rule = "v ← μ v − η g;  W ← W + μ v − η g"
    defaults = {"momentum": 0.9}

    def increment(self, g: np.ndarray, lr: float) -> np.ndarray:
        mu = self.c["momentum"]
        v = self._buf("v", g)
        v *= mu
        v -= lr * g
        return mu * v - lr * g


class AdaGrad(Optimizer):
    name = "adagrad"
    rule = "h ← h + g²;  W ← W − η g / (√h + ε)"
    defaults = {"eps": 1e-7}

    def increment(self, g: np.ndarray, lr: float) -> np.ndarray:
        h = self._buf("h", g)
        h += g * g
        return -lr * g / (np.sqrt(h) + self.c["eps"])


class RMSProp(Optimizer):
    name = "rmsprop"
    rule = "h ← ρ h + (1 − ρ) g²;  W ← W − η g / (√h + ε)"
    defaults = {"rho": 0.99, "eps": 1e-7}

    def increment(self, g: np.ndarray, lr: float) -> np.ndarray:
        rho = self.c["rho"]
        h = self._buf("h", g)
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

    def increment(self, g: np.ndarray, lr: float) -> np.ndarray:
        b1, b2, t = self.c["beta1"], self.c["beta2"], self.t
        m = self._buf("m", g)
        v = self._buf("v", g)
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
