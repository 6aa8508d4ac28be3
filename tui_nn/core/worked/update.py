"""The update: batch means of the gradients, weight decay, η_t, and each optimizer's rule.

Every rule is written once as formulas over a namespace; the same formula is drawn with symbols
(w5, η, ∂E/∂w5) and with numbers (scalars in the scalar view, arrays in the matrix view). The
results are the engine's: the new parameters and optimizer state come from the trainer's own
update call run on copies (see engine); m̂ and v̂ of Adam are derived from that state.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from tui_nn.core.worked.context import Context, make_step
from tui_nn.core.worked.expr import (
    F,
    S,
    add,
    add_many,
    frac,
    minus,
    paren,
    pd,
    power,
    prod,
    sqrt,
    square,
)
from tui_nn.core.worked.model import Step

Entry = tuple[str, tuple[int, ...] | None]  # ("W2", (i, j)), ("b1", (j,)), or ("W2", None): all


def _one_minus(s: F) -> F:
    return paren(minus(S("1"), s))


def _adaptive(s: SimpleNamespace, state: F) -> F:
    return minus(s.w, frac(prod(s.eta, s.g), add(sqrt(state), s.eps)))


#: Each rule: (kind, target, formula over the namespace, NumPy line with {p} for the parameter).
RULES: dict[str, list[tuple[str, str, object, str]]] = {
    "sgd": [
        (
            "update",
            "w",
            lambda s: minus(s.w, prod(s.eta, s.g)),
            "network['{p}'] -= learning_rate * grad['{p}']",
        )
    ],
    "momentum": [
        (
            "state",
            "v",
            lambda s: minus(prod(s.mu, s.v), prod(s.eta, s.g)),
            "v['{p}'] = momentum * v['{p}'] - learning_rate * grad['{p}']",
        ),
        ("update", "w", lambda s: add(s.w, s.v_new), "network['{p}'] += v['{p}']"),
    ],
    "nesterov": [
        (
            "state",
            "v",
            lambda s: minus(prod(s.mu, s.v), prod(s.eta, s.g)),
            "v['{p}'] = momentum * v['{p}'] - learning_rate * grad['{p}']",
        ),
        (
            "update",
            "w",
            lambda s: minus(add(s.w, prod(s.mu, s.v_new)), prod(s.eta, s.g)),
            "network['{p}'] += momentum * v['{p}'] - learning_rate * grad['{p}']",
        ),
    ],
    "adagrad": [
        ("state", "h", lambda s: add(s.h, square(s.g)), "h['{p}'] += grad['{p}'] * grad['{p}']"),
        (
            "update",
            "w",
            lambda s: _adaptive(s, s.h_new),
            "network['{p}'] -= learning_rate * grad['{p}'] / (np.sqrt(h['{p}']) + eps)",
        ),
    ],
    "rmsprop": [
        (
            "state",
            "h",
            lambda s: add(prod(s.rho, s.h), prod(_one_minus(s.rho), square(s.g))),
            "h['{p}'] = rho * h['{p}'] + (1 - rho) * grad['{p}'] ** 2",
        ),
        (
            "update",
            "w",
            lambda s: _adaptive(s, s.h_new),
            "network['{p}'] -= learning_rate * grad['{p}'] / (np.sqrt(h['{p}']) + eps)",
        ),
    ],
    "adam": [
        (
            "state",
            "m",
            lambda s: add(prod(s.beta1, s.m), prod(_one_minus(s.beta1), s.g)),
            "m['{p}'] = beta1 * m['{p}'] + (1 - beta1) * grad['{p}']",
        ),
        (
            "state",
            "v",
            lambda s: add(prod(s.beta2, s.v), prod(_one_minus(s.beta2), square(s.g))),
            "v['{p}'] = beta2 * v['{p}'] + (1 - beta2) * grad['{p}'] ** 2",
        ),
        (
            "hat",
            "m",
            lambda s: frac(s.m_new, _one_minus(power(s.beta1, s.t.text))),
            "m_hat = m['{p}'] / (1 - beta1 ** t)",
        ),
        (
            "hat",
            "v",
            lambda s: frac(s.v_new, _one_minus(power(s.beta2, s.t.text))),
            "v_hat = v['{p}'] / (1 - beta2 ** t)",
        ),
        (
            "update",
            "w",
            lambda s: minus(s.w, frac(prod(s.eta, s.m_hat), add(sqrt(s.v_hat), s.eps))),
            "network['{p}'] -= learning_rate * m_hat / (np.sqrt(v_hat) + eps)",
        ),
    ],
}
#: Adam with ε inside the root, W ← W − η m̂ / √(v̂ + ε) (eps_in_sqrt = true).
RULES["adam_eps_in_sqrt"] = [
    *RULES["adam"][:-1],
    (
        "update",
        "w",
        lambda s: minus(s.w, frac(prod(s.eta, s.m_hat), sqrt(add(s.v_hat, s.eps)))),
        "network['{p}'] -= learning_rate * m_hat / np.sqrt(v_hat + eps)",
    ),
]
CONSTANT_SYMBOLS = {
    "momentum": ("mu", "μ", r"\mu"),
    "rho": ("rho", "ρ", r"\rho"),
    "beta1": ("beta1", "β1", r"\beta_1"),
    "beta2": ("beta2", "β2", r"\beta_2"),
    "eps": ("eps", "ε", r"\varepsilon"),
}
ETA = F("η", r"\eta")


def _pick(a: np.ndarray, index: tuple[int, ...] | None) -> float | np.ndarray:
    return a if index is None else float(a[index])


def _names(ctx: Context, param: str, index: tuple[int, ...] | None) -> tuple[F, str, tuple]:
    """The parameter's symbol, the id suffix and the step keywords for an entry or a whole array."""
    li = int(param[1:])
    if index is None:
        sym = F(param, f"{param[0]}_{{{li}}}")
        return sym, param, {"param": param, "layer": li}
    sym = ctx.names.param_entry(param, index)
    where = {"param": param, "layer": li, "index": index, "unit": index[-1]}
    return sym, f"{param}." + ".".join(str(i) for i in index), where


def _state_sym(key: str, w: F, new: bool = False, hat: bool = False) -> F:
    text = f"{key}̂" if hat else key
    tex = rf"\hat{{{key}}}" if hat else key
    return F(
        f"{text}_{w.text}" + ("⁺" if new else ""), f"{tex}_{{{w.tex}}}" + ("^{+}" if new else "")
    )


def _grad_sym(ctx: Context, w: F, decayed: bool) -> F:
    if decayed:
        return F(f"g_{w.text}", f"g_{{{w.tex}}}")
    return pd(ctx.E(None), w)


def _namespaces(ctx: Context, param: str, index, w: F, decayed: bool):
    """The same names twice: as symbols, and as the engine's numbers."""
    cap, c = ctx.cap, ctx.trace.constants
    sym = SimpleNamespace(w=w, g=_grad_sym(ctx, w, decayed), eta=ETA, t=S("t"))
    val = SimpleNamespace(
        w=ctx.num(_pick(cap.params[param], index)),
        g=ctx.num(_pick(cap.grads[param], index)),
        eta=ctx.num(cap.lr),
        t=S(str(cap.t)),
    )
    for name, (attr, text, tex) in CONSTANT_SYMBOLS.items():
        if name in c:
            setattr(sym, attr, F(text, tex))
            setattr(val, attr, ctx.num(c[name]))
    raw: dict[str, float | np.ndarray] = {}
    for key, per in cap.state_after.items():
        before = cap.state_before.get(key, {}).get(param)
        raw[key] = _pick(before, index) if before is not None else 0.0 * _pick(per[param], index)
        raw[f"{key}_new"] = _pick(per[param], index)
    if ctx.trace.optimizer == "adam":
        t, c1, c2 = cap.t, c["beta1"], c["beta2"]
        raw["m_hat"] = raw["m_new"] / (1 - c1**t)
        raw["v_hat"] = raw["v_new"] / (1 - c2**t)
    for key, value in raw.items():
        base = key.split("_")[0]
        setattr(sym, key, _state_sym(base, w, new=key.endswith("new"), hat=key.endswith("hat")))
        setattr(val, key, ctx.num(value))
    return sym, val, raw


def update_steps(ctx: Context, todo: list[Entry]) -> list[Step]:
    """η_t when it decays, then per entry: weight decay, state terms, the new value."""
    steps = [lr_step(ctx)] if ctx.trace.lr_decay_every else []
    for param, index in todo:
        if param in ctx.trace.frozen:
            steps.append(frozen_step(ctx, param, index))
        else:
            steps += entry_steps(ctx, param, index)
    return steps


def entry_steps(ctx: Context, param: str, index: tuple[int, ...] | None) -> list[Step]:
    cap = ctx.cap
    w, suffix, where = _names(ctx, param, index)
    decayed = ctx.trace.weight_decay > 0 and param[0] == "W"
    sym, val, raw = _namespaces(ctx, param, index, w, decayed)
    steps = [decay_step(ctx, param, index, w, sym)] if decayed else []
    in_sqrt = ctx.trace.constants.get("eps_in_sqrt")
    for kind, target, rule, code in RULES[
        ctx.trace.optimizer + ("_eps_in_sqrt" if in_sqrt else "")
    ]:
        numpy = code.format(p=param)
        if kind == "update":
            lhs, result = F(f"{w.text}⁺", f"{w.tex}^{{+}}"), _pick(cap.new_params[param], index)
            key = f"update.{suffix}"
        else:
            name = f"{target}_new" if kind == "state" else f"{target}_hat"
            lhs, result, key = getattr(sym, name), raw[name], f"update.{suffix}.{target}"
            key += "_hat" if kind == "hat" else ""
        state = (
            {} if kind != "update" else {k: (raw[k], raw[f"{k}_new"]) for k in ctx.cap.state_after}
        )
        steps.append(
            make_step(
                ctx,
                key,
                "update",
                kind,
                w.text,
                lhs,
                rule(sym),
                rule(val),
                result,
                numpy,
                state=state,
                explain=f"{kind}_{ctx.trace.optimizer}",
                **where,
            )
        )
    return steps


def decay_step(ctx: Context, param: str, index, w: F, sym: SimpleNamespace) -> Step:
    cap = ctx.cap
    lam = F("λ", r"\lambda")
    _, suffix, where = _names(ctx, param, index)
    g_raw = pd(ctx.E(None), w)
    lam_v = ctx.num(ctx.trace.weight_decay)
    return make_step(
        ctx,
        f"update.{suffix}.decay",
        "update",
        "decay",
        w.text,
        sym.g,
        add(g_raw, prod(lam, w)),
        add(
            ctx.num(_pick(cap.dW[param], index)),
            prod(lam_v, ctx.num(_pick(cap.params[param], index))),
        ),
        _pick(cap.grads[param], index),
        f"grad['{param}'] += weight_decay * network['{param}']",
        **where,
    )


def lr_step(ctx: Context) -> Step:
    """η_t = η·factor^⌊t / every⌋, t = updates done before this one."""
    trace, t = ctx.trace, ctx.cap.t - 1
    every, factor = trace.lr_decay_every, trace.lr_decay_factor
    exponent = f"⌊{t}/{every}⌋"
    return make_step(
        ctx,
        "update.lr",
        "update",
        "lr_decay",
        "η",
        F("η_t", r"\eta_t"),
        prod(F("η", r"\eta"), F("factor^⌊t/every⌋", r"\text{factor}^{\lfloor t / every \rfloor}")),
        prod(
            ctx.num(trace.base_lr),
            power(ctx.num(factor), exponent, rf"\lfloor {t}/{every} \rfloor"),
        ),
        ctx.cap.lr,
        "learning_rate = lr * factor ** (t // every)",
    )


def frozen_step(ctx: Context, param: str, index: tuple[int, ...] | None) -> Step:
    """A frozen parameter keeps its value (Mazur's worked example never updates b1 and b2)."""
    cap = ctx.cap
    value = _pick(cap.params[param], index)
    li = int(param[1:])
    if index is None and param[0] == "b" and ctx.names.shared[li]:
        value, w, suffix, where = (
            float(value[0]),
            ctx.names.bias(li, 0),
            param,
            {"param": param, "layer": li},
        )
    else:
        w, suffix, where = _names(ctx, param, index)
    return make_step(
        ctx,
        f"update.{suffix}",
        "update",
        "frozen",
        w.text,
        F(f"{w.text}⁺", f"{w.tex}^{{+}}"),
        w,
        ctx.num(value),
        value,
        f"# '{param}' is frozen: network['{param}'] is not updated",
        **where,
    )


def mean_steps(ctx: Context, todo: list[Entry]) -> list[Step]:
    """∂E/∂w = (1/N) Σ_n ∂E_n/∂w: the batch mean the optimizer uses (engine's ∂E/∂W)."""
    cap, N = ctx.cap, ctx.N
    steps = []
    for param, index in todo:
        if param in ctx.trace.frozen or index is None:
            continue
        li, j = int(param[1:]), index[-1]
        per = cap.delta[li][:, j] * N
        if param[0] == "W":
            per = per * cap.z[li - 1][:, index[0]]
        w, suffix, where = _names(ctx, param, index)
        steps.append(
            make_step(
                ctx,
                f"backward.mean.{suffix}",
                "backward",
                "mean",
                w.text,
                pd(ctx.E(None), w),
                frac(add_many([pd(ctx.E(n), w) for n in range(N)]), S(str(N))),
                frac(add_many([ctx.num(v) for v in per]), S(str(N))),
                _pick(cap.dW[param], index),
                f"grad['{param}'] = np.dot(z{li - 1}.T, delta{li})".replace("z0", "x")
                if param[0] == "W"
                else f"grad['{param}'] = np.sum(delta{li}, axis=0)",
                **where,
            )
        )
    return steps
