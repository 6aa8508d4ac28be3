"""Checking a number the student computed by hand against a step, and naming the likely slip.

The verdict is "right" when the typed number is the step's value rounded to the digits the
student gave (at most the digits on screen); the same digits cut off instead of rounded get
their own verdict. A wrong number is then compared with what the student's own earlier
answers in this iteration lead to (error carried forward), with the classic slips followed
through the whole iteration (flow.py), and with the values common slips give at this step (a
factor or term left out, a sign, the ½, η, another unit's value in one factor); the first that
fits names what to recheck.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np

from tui_nn.app.stepper.carry import carried, classic
from tui_nn.app.stepper.notation import number
from tui_nn.app.stepper.typed import agreement, echo, fits, parse, precision, rounding, significant
from tui_nn.core.worked import Names, Step, Trace
from tui_nn.i18n import t

PRODUCT_KINDS = {"chain", "chain_bias", "delta", "path"}
#: Fewer significant digits than this cannot tell a right answer from a lucky one.
MIN_DIGITS = 3


@dataclass
class Verdict:
    """The outcome of one check; `message(lang)` is the sentence to show."""

    # right | truncated | carried | wrong | close | unreadable | too_few | not_scalar
    status: str
    key: str
    values: dict[str, str] = field(default_factory=dict)
    recheck: int | None = None  # index into step.factors (or the terms) to recheck
    step_id: str = ""
    answer: str = ""
    value: float | None = None  # the number read from the answer

    def message(self, lang: str) -> str:
        return t(self.key, lang, **self.values)


def check(
    text: str, step: Step, trace: Trace, earlier: Mapping[str, float] | None = None
) -> Verdict:
    """The verdict on `text` as the value of `step`, judged to the precision on screen
    (`trace.digits` decimal places, as the trace prints numbers); `earlier` holds the
    student's earlier wrong answers of this iteration by step id."""
    verdict = _check(text, step, trace, earlier or {})
    verdict.step_id, verdict.answer = step.id, echo(text)
    return verdict


def _check(text: str, step: Step, trace: Trace, earlier: Mapping[str, float]) -> Verdict:
    if isinstance(step.result, np.ndarray) and step.result.ndim > 0:
        return Verdict("not_scalar", "stepper_check_not_scalar")
    parsed = parse(text)
    if parsed is None:
        return Verdict("unreadable", "stepper_check_unreadable", {"text": echo(text)})
    a, typed = parsed
    v, p = float(step.result), trace.digits
    shown = number(v, p)
    if typed < min(MIN_DIGITS, significant(v, p)):
        return Verdict("too_few", "stepper_check_too_few", {"n": str(MIN_DIGITS)}, value=a)
    judged = [rounding(text, typed, x, p) for x in _both(trace, lambda q: _value(step, trace, q))]
    if "right" in judged:
        n = min(typed, precision(v, p))
        key = "stepper_check_right" if n >= significant(v, p) else "stepper_check_right_to"
        return Verdict("right", key, {"value": shown, "n": str(n)}, value=a)
    if "truncated" in judged:
        return Verdict("truncated", "stepper_check_truncated", {"n": str(typed)}, value=a)
    verdict = _explained(a, typed, step, trace, earlier)
    if verdict is not None:
        verdict.value = a
        return verdict
    # Neither says the value or the difference: in quiz mode the result is still hidden.
    agree = agreement(a, v)
    if agree >= 2:
        return Verdict("close", "stepper_check_close", {"n": str(agree)}, value=a)
    key = "stepper_check_wrong_factors" if step.factors else "stepper_check_wrong"
    return Verdict("wrong", key, value=a)


def _explained(
    a: float, typed: int, step: Step, trace: Trace, earlier: Mapping[str, float]
) -> Verdict | None:
    """The first explanation of a wrong `a`: the student's own earlier values carried here;
    a classic slip followed through the iteration; a slip at this step. An update's own slips
    (η, the sign) come before the classic ones: with η = 0.5, w − ∂E/∂w is also what a
    dropped ½ gives, and η is what an update step is about."""
    local = _slipped(a, typed, step, trace) if step.kind == "update" else None
    found = carried(a, typed, step, trace, earlier)
    if found is None and local is None:
        found = classic(a, typed, step, trace)
    if found is not None:
        return Verdict(*found)
    return local or _slipped(a, typed, step, trace)


def _slipped(a: float, typed: int, step: Step, trace: Trace) -> Verdict | None:
    shown = number(float(step.result), trace.digits)
    for values, key, info, recheck in slips(step, trace):
        if any(fits(a, typed, x, trace.digits) for x in values):
            return Verdict("wrong", key, {"value": shown, **info}, recheck)
    return None


Round = Callable[[float], float]
Term = tuple[str, tuple[float, ...]]  # a term of a sum: its symbol and the numbers multiplied
#: Values a slip gives, worked from exact numbers and from the numbers as shown on screen.
Slip = tuple[tuple[float, ...], str, dict[str, str], int | None]


def _both(trace: Trace, compute: Callable[[Round], float]) -> tuple[float, float]:
    """`compute` twice: on the exact numbers, and on the numbers rounded as the screen shows
    them (what a student multiplying the displayed factors gets)."""
    return compute(lambda x: x), compute(lambda x: float(number(x, trace.digits)))


def _value(step: Step, trace: Trace, q: Round) -> float:
    """The step's value recomputed from its parts as `q` gives them: factors multiplied, terms
    added, or the engine's own activation and loss applied to the shown net, out and target."""
    terms = _terms(step, trace)
    if step.kind in PRODUCT_KINDS and step.factors:
        return math.prod(q(f.value) for f in step.factors)
    if terms:
        return _sum(terms, q)
    cap = trace.capture
    if step.kind == "update" and trace.optimizer == "sgd" and step.index is not None:
        w, g = cap.params[step.param][step.index], cap.grads[step.param][step.index]
        return q(float(w)) - q(cap.lr) * q(float(g))
    engine = _engine_value(step, trace, q)
    return float(step.result) if engine is None else engine


def _engine_value(step: Step, trace: Trace, q: Round) -> float | None:
    """out = f(net), f'(net), E_ok and ∂E/∂out from the engine, on the numbers `q` gives."""
    li, j = step.layer, step.unit
    if li is None or j is None or li == 0 or step.index is not None:
        return None
    cap, n = trace.capture, step.sample or 0
    row = slice(n, n + 1)
    shown = np.vectorize(q, otypes=[float])
    u, z = shown(cap.u[li][row]), shown(cap.z[li][row])
    f = trace.functions[li - 1]
    if step.kind == "out":
        return float(f.forward(u)[0, j])
    if step.kind == "dout_dnet" and f.name != "softmax":
        return float(f.derivative(u, z)[0, j])
    if li == len(trace.layers) - 1 and step.kind in ("error_term", "dE_dout"):
        d = shown(cap.d[row])
        loss = trace.loss_fn
        values = loss.terms(z, d) if step.kind == "error_term" else loss.dE_dy(z, d)
        return float(values[0, j])
    return None


def slips(step: Step, trace: Trace) -> list[Slip]:
    """Values common mistakes would give for this step, most specific first."""
    v, p = float(step.result), trace.digits
    out: list[Slip] = []
    terms = _terms(step, trace)
    if step.kind in PRODUCT_KINDS and step.factors:
        out += _product_slips(step, trace)
    elif terms:
        out += _sum_slips(terms, trace)
    out += _kind_slips(step, trace)
    out.append(_sign_slip(step, v, p))
    out += [((2 * v,), "stepper_slip_twice", {}, None), ((v / 2,), "stepper_slip_half", {}, None)]
    out += [
        ((value,), "stepper_slip_other", {"name": name, "other": number(value, p)}, None)
        for name, value in known_values(trace, step.sample or 0)
        if name != step.symbol
    ]
    return [s for s in out if not any(math.isclose(x, v, rel_tol=1e-12) for x in s[0])]


def _sign_slip(step: Step, v: float, digits: int) -> Slip:
    """Only the sign differs: point at the first negative factor, where minus signs hide."""
    neg = next((i for i, f in enumerate(step.factors) if f.value < 0), None)
    if neg is None:
        return (-v,), "stepper_slip_sign", {}, None
    return (-v,), "stepper_slip_sign_factor", _fv(step.factors[neg], digits), neg


def _product_slips(step: Step, trace: Trace) -> list[Slip]:
    fs, p = step.factors, trace.digits
    out: list[Slip] = []
    n = len(fs)
    for size in range(n - 1, 0, -1):
        for kept in combinations(range(n), size):
            missing = next(i for i in range(n) if i not in kept)
            values = _both(trace, lambda q, kept=kept: math.prod(q(fs[i].value) for i in kept))
            out.append((values, "stepper_slip_missing_factor", _fv(fs[missing], p), missing))
    for i, f in enumerate(fs):
        # The product the student gets when factor i is another known number: a wrong unit's
        # out, a neighbouring weight, ...
        for name, value in known_values(trace, step.sample or 0):
            if name == f.symbol or math.isclose(value, f.value, rel_tol=1e-12):
                continue
            values = _both(
                trace,
                lambda q, i=i, value=value: (
                    q(value) * math.prod(q(g.value) for k, g in enumerate(fs) if k != i)
                ),
            )
            info = {**_fv(f, p), "name": name, "other": number(value, p)}
            out.append((values, "stepper_slip_factor_is", info, i))
    return out


def _sum_slips(terms: list[Term], trace: Trace) -> list[Slip]:
    out: list[Slip] = []
    for i, (sym, parts) in enumerate(terms):
        info = {"term": sym, "term_value": number(math.prod(parts), trace.digits)}
        for key, sign in (("stepper_slip_missing_term", 0), ("stepper_slip_term_sign", -1)):
            values = _both(trace, lambda q, i=i, sign=sign: _sum(terms, q, {i: sign}))
            out.append((values, key, info, i))
    return out


def _sum(terms: list[Term], q: Round, signs: dict[int, int] | None = None) -> float:
    """Σ of each term's product of parts, each part as `q` gives it; term i times signs[i]."""
    signs = signs or {}
    return sum(
        signs.get(i, 1) * math.prod(q(p) for p in parts) for i, (_, parts) in enumerate(terms)
    )


def _kind_slips(step: Step, trace: Trace) -> list[Slip]:
    """Slips particular to one sort of step: the update's sign and η, σ's exponent, f'(net)."""
    cap = trace.capture
    if step.kind == "update" and trace.optimizer == "sgd" and step.index is not None:
        w = float(cap.params[step.param][step.index])
        g = float(cap.grads[step.param][step.index])
        eta = cap.lr
        eta_text = {"eta": number(eta, trace.digits)}
        return [
            (_both(trace, lambda q: q(w) + q(eta) * q(g)), "stepper_slip_update_sign", {}, None),
            (_both(trace, lambda q: q(w) - q(g)), "stepper_slip_update_eta", eta_text, None),
            ((eta * g, -eta * g), "stepper_slip_update_delta", {}, None),
        ]
    if step.layer is None or step.unit is None or step.layer == 0:
        return []
    f = trace.activations[step.layer - 1]
    n = step.sample or 0
    u = float(cap.u[step.layer][n, step.unit])
    z = float(cap.z[step.layer][n, step.unit])
    if step.kind == "out" and f == "sigmoid":
        return [((1 - z,), "stepper_slip_exp_sign", {}, None)]
    if step.kind == "dout_dnet" and f == "sigmoid":
        return [(_both(trace, lambda q: q(u) * (1 - q(u))), "stepper_slip_net_for_out", {}, None)]
    return []


def _fv(f, digits: int) -> dict[str, str]:
    return {"factor": f.symbol, "factor_value": number(f.value, digits)}


def _terms(step: Step, trace: Trace) -> list[Term]:
    """The terms a sum step adds up, each as the numbers multiplied in it (rounded one by one
    when the student works from the screen): w and out of each input and b for net, E_ok for
    E_total, the paths for ∂E/∂out of a hidden unit."""
    cap, n = trace.capture, step.sample or 0
    if step.kind == "path_sum":
        return [(f.symbol, (f.value,)) for f in step.factors]
    if step.kind == "error_total":
        return [(f"E_o{k + 1}", (float(e),)) for k, e in enumerate(cap.loss_terms[n])]
    if step.kind != "net" or step.layer is None or step.unit is None:
        return []
    li, j = step.layer, step.unit
    names = Names(trace.layers, trace.params, trace.frozen)
    W, b = trace.params[f"W{li}"], trace.params[f"b{li}"]
    terms = [
        (
            f"{names.weight(li, i, j).text}·{names.out(li - 1, i).text}",
            (float(W[i, j]), float(cap.z[li - 1][n, i])),
        )
        for i in range(W.shape[0])
    ]
    return [*terms, (f"{names.bias(li, j).text}·1", (float(b[j]),))]


def known_values(trace: Trace, n: int = 0) -> list[tuple[str, float]]:
    """Every named number of the iteration for sample n: inputs, targets, weights, each step's
    result (the first value of each name)."""
    names = Names(trace.layers, trace.params, trace.frozen)
    out: list[tuple[str, float]] = []
    x, d = trace.x, trace.d
    out += [(names.out(0, i).text, float(x[n, i])) for i in range(x.shape[1])]
    out += [(names.target(k).text, float(d[n, k])) for k in range(d.shape[1])]
    for li in range(1, len(trace.layers)):
        W, b = trace.params[f"W{li}"], trace.params[f"b{li}"]
        out += [
            (names.weight(li, i, j).text, float(W[i, j]))
            for i in range(W.shape[0])
            for j in range(W.shape[1])
        ]
        out += [(names.bias(li, j).text, float(b[j])) for j in range(len(b))]
    for s in trace.steps:
        scalar = not (isinstance(s.result, np.ndarray) and s.result.ndim > 0)
        if scalar and s.sample in (None, n):
            out.append((s.symbol, float(s.result)))
    first: dict[str, float] = {}
    for name, value in out:
        first.setdefault(name, value)
    return list(first.items())
