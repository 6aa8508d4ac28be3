"""Following one changed number through an iteration.

Each scalar step is recomputed from the steps it is made of, as the chain rule writes it: a
product of its factors (∂E/∂w5 = ∂E/∂out_o1 · ∂out_o1/∂net_o1 · out_h1), a sum of its terms
(net, E_total, the paths back into a hidden unit), f of a total input, the loss of the outputs,
w − η·∂E/∂w. Replacing some values (what the student typed earlier) or one rule (a classic
slip) and running the flow again gives what that change leads to everywhere downstream, and
which earlier steps each value depends on.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np

from tui_nn.core.worked import Step, Trace

Round = Callable[[float], float]
#: Slips a flow can replay (the i18n key of each is stepper_classic_<name>).
SLIPS = ("new_weights", "sigma_of_out", "half")
UNKNOWN = math.nan
SAMPLE = re.compile(r"\.n\d+$")


_FLOWS: dict[int, Flow] = {}


def exact(x: float) -> float:
    return x


@dataclass
class Run:
    """One pass of the flow: every step's value, and the earlier steps each one read."""

    values: dict[str, float] = field(default_factory=dict)
    inputs: dict[str, set[str]] = field(default_factory=dict)

    def ancestors(self, step_id: str) -> set[str]:
        """The steps `step_id` is computed from, directly or through others."""
        seen: set[str] = set()
        todo = list(self.inputs.get(step_id, ()))
        while todo:
            s = todo.pop()
            if s not in seen:
                seen.add(s)
                todo += self.inputs.get(s, ())
        return seen


class _Reader:
    """What one step's rule reads: earlier values by id (recorded as inputs) and constants,
    each through `q` (the screen's rounding, or none)."""

    def __init__(self, run: Run, q: Round, read: set[str], truth: dict[str, float]) -> None:
        self.run, self.q, self.read, self.truth = run, q, read, truth

    def __call__(self, step_id: str) -> float:
        self.read.add(step_id)
        # A softmax output reads the total inputs of units the walk reaches after it.
        value = self.run.values.get(step_id, self.truth.get(step_id, UNKNOWN))
        return self.q(value)

    def const(self, x: float) -> float:
        return self.q(float(x))


def flow_of(trace: Trace) -> Flow:
    """The flow of `trace`, built once for the last few traces checked."""
    hit = _FLOWS.get(id(trace))
    if hit is None or hit.trace is not trace:
        while len(_FLOWS) >= 4:
            _FLOWS.pop(next(iter(_FLOWS)))
        hit = _FLOWS[id(trace)] = Flow(trace)
    return hit


class Flow:
    """The recomputation rules of a scalar trace (steps it has no rule for are left as they
    are, and become unknown once anything before them has changed)."""

    def __init__(self, trace: Trace) -> None:
        self.trace = trace
        self.sources: dict[tuple[str, str], str | None] = {}
        self.pos = {s.id: i for i, s in enumerate(trace.steps)}
        self.truth = {s.id: float(s.result) for s in trace.steps if not s.shape}

    def run(
        self, given: Mapping[str, float] | None = None, slip: str = "", q: Round = exact
    ) -> Run:
        """Every step's value with the steps in `given` taking those values and `slip`'s rule
        in place of the right one; NaN where the flow cannot say."""
        given = given or {}
        out, changed = Run(), False
        for step in self.trace.steps:
            read: set[str] = set()
            value = given.get(step.id)
            if value is None:
                value = self._rule(step, _Reader(out, q, read, self.truth), slip)
            if value is None:
                value = UNKNOWN if changed else float(step.result)
            out.values[step.id], out.inputs[step.id] = value, read
            changed = changed or not math.isclose(value, float(step.result), rel_tol=1e-12)
        return out

    def _rule(self, step: Step, get: _Reader, slip: str) -> float | None:
        if self.trace.view != "scalar" or step.shape:
            return None
        rule = RULES.get(step.kind)
        return None if rule is None else rule(self, step, get, slip)

    # ---- names of the steps a rule reads ---------------------------------------------------

    def source(self, step: Step, symbol: str, value: float) -> str | None:
        """The earlier step a factor of `step` is read from (None: a constant)."""
        return _source(self, step, symbol, value)

    def sfx(self, step: Step) -> str:
        """The sample suffix of the step's id (".n3"), "" for a batch of one."""
        found = SAMPLE.search(step.id)
        return found.group() if found else ""

    def out_of(self, step: Step, li: int, i: int, get: _Reader) -> float:
        """out of unit i of layer li (an input when li is 0) for the step's sample."""
        if li == 0:
            return get.const(self.trace.x[step.sample or 0, i])
        return get(f"forward.z.{li}.{i}{self.sfx(step)}")

    def outputs(self, step: Step, get: _Reader) -> tuple[np.ndarray, np.ndarray]:
        """The output row and its target row, as 1×K arrays."""
        L, n = len(self.trace.layers) - 1, step.sample or 0
        y = [self.out_of(step, L, k, get) for k in range(self.trace.layers[L])]
        d = [get.const(v) for v in self.trace.d[n]]
        return np.array([y]), np.array([d])


def _net(flow: Flow, step: Step, get: _Reader, slip: str) -> float:
    li, j, p = step.layer, step.unit, flow.trace.params
    W, b = p[f"W{li}"], p[f"b{li}"]
    ins = sum(get.const(W[i, j]) * flow.out_of(step, li - 1, i, get) for i in range(W.shape[0]))
    return ins + get.const(b[j])


def _out(flow: Flow, step: Step, get: _Reader, slip: str) -> float:
    """f(net); softmax reads every total input of its layer, the others only their own."""
    li, j, sfx = step.layer, step.unit, flow.sfx(step)
    f = flow.trace.functions[li - 1]
    units = range(flow.trace.layers[li]) if f.name == "softmax" else [j]
    row = np.array([[get(f"forward.u.{li}.{k}{sfx}") for k in units]])
    return float(f.forward(row)[0, units.index(j)])


def _error_term(flow: Flow, step: Step, get: _Reader, slip: str) -> float:
    y, d = flow.outputs(step, get)
    k = int(step.id.split(".")[2])
    return float(flow.trace.loss_fn.terms(y, d)[0, k]) * _halved(flow, slip)


def _halved(flow: Flow, slip: str) -> float:
    """The ½ dropped from the squared error doubles E and its derivative."""
    return 2.0 if slip == "half" and flow.trace.loss_fn.name == "sum_squared" else 1.0


def _error_total(flow: Flow, step: Step, get: _Reader, slip: str) -> float:
    sfx, K = flow.sfx(step), flow.trace.layers[-1]
    return sum(get(f"loss.E.{k}{sfx}") for k in range(K) if f"loss.E.{k}{sfx}" in flow.truth)


def _dE_dout(flow: Flow, step: Step, get: _Reader, slip: str) -> float:
    y, d = flow.outputs(step, get)
    return float(flow.trace.loss_fn.dE_dy(y, d)[0, step.unit]) * _halved(flow, slip)


def _dout_dnet(flow: Flow, step: Step, get: _Reader, slip: str) -> float:
    li, j, sfx = step.layer, step.unit, flow.sfx(step)
    u, z = get(f"forward.u.{li}.{j}{sfx}"), get(f"forward.z.{li}.{j}{sfx}")
    f = flow.trace.functions[li - 1]
    if f.name == "softmax":
        return None
    if slip == "sigma_of_out" and f.name == "sigmoid":
        s = 1.0 / (1.0 + math.exp(-z))  # σ applied once more, to out
        return s * (1.0 - s)
    return float(f.derivative(np.array([[u]]), np.array([[z]]))[0, 0])


def _delta_fused(flow: Flow, step: Step, get: _Reader, slip: str) -> float:
    y, d = flow.outputs(step, get)
    return float(y[0, step.unit] - d[0, step.unit])


def _product(flow: Flow, step: Step, get: _Reader, slip: str) -> float | None:
    """Π of the factors, each read from the earlier step it is (by its symbol, or for
    ∂E_o1/∂out_o1 and ∂net/∂w by its value), else a constant: a weight, an input, 1."""
    value = 1.0
    for i, f in enumerate(step.factors):
        source = _source(flow, step, f.symbol, f.value)
        if source is not None:
            value *= get(source)
        elif step.kind == "path" and i == 1:
            value *= get.const(_weight(flow, step, slip))
        else:
            value *= get.const(f.value)
    return value


def _weight(flow: Flow, step: Step, slip: str) -> float:
    """The weight a path back goes through: w before the update, or w⁺ with that slip."""
    li, j, k = step.layer, step.unit, int(step.id.split(".")[4])
    params = flow.trace.new_params if slip == "new_weights" else flow.trace.params
    return float(params[f"W{li + 1}"][j, k])


def _source(flow: Flow, step: Step, symbol: str, value: float) -> str | None:
    key = (step.id, symbol)
    if key not in flow.sources:
        flow.sources[key] = _find_source(flow, step, symbol, value)
    return flow.sources[key]


def _find_source(flow: Flow, step: Step, symbol: str, value: float) -> str | None:
    earlier = flow.trace.steps[: flow.pos[step.id]]
    mine = [s for s in reversed(earlier) if s.sample == step.sample and not s.shape]
    named = next((s.id for s in mine if s.symbol == symbol), None)
    if named is not None or symbol.startswith("∂net"):
        # ∂net/∂out is a weight (a constant); ∂net/∂w is the out it multiplies.
        if named is None and symbol.split("/")[1].startswith("∂w"):
            return next((s.id for s in mine if s.kind == "out" and s.result == value), None)
        return named
    return next((s.id for s in mine if s.kind == "dE_dout" and s.result == value), None)


def _path_sum(flow: Flow, step: Step, get: _Reader, slip: str) -> float:
    sources = [(_source(flow, step, f.symbol, f.value), f.value) for f in step.factors]
    return sum(get(s) if s else get.const(v) for s, v in sources)


def _update(flow: Flow, step: Step, get: _Reader, slip: str) -> float | None:
    if flow.trace.optimizer != "sgd" or step.index is None:
        return None
    cap, idx = flow.trace.capture, tuple(step.index)
    earlier = flow.trace.steps[: flow.pos[step.id]]
    source = next(
        (
            s.id
            for s in reversed(earlier)
            if s.phase == "backward"
            and s.param == step.param
            and s.index is not None
            and tuple(s.index) == idx
        ),
        None,
    )
    if source is None:
        return None
    decay = float(cap.grads[step.param][idx] - cap.dW[step.param][idx])  # λ·w, when it is on
    w = get.const(cap.params[step.param][idx])
    return w - get.const(cap.lr) * (get(source) + get.const(decay))


RULES: dict[str, Callable[[Flow, Step, _Reader, str], float | None]] = {
    "net": _net,
    "out": _out,
    "error_term": _error_term,
    "error_total": _error_total,
    "dE_dout": _dE_dout,
    "dout_dnet": _dout_dnet,
    "delta_fused": _delta_fused,
    "delta": _product,
    "chain": _product,
    "chain_bias": _product,
    "path": _product,
    "path_sum": _path_sum,
    "update": _update,
}
