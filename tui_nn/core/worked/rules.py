"""How each activation, loss and derivative is written: formulas (text + LaTeX) and NumPy code.

Only the writing lives here; every value shown comes from the engine. The same builder writes
the symbolic formula (called with symbols) and the substituted one (called with numbers).
"""

from __future__ import annotations

from tui_nn.core.worked.expr import (
    F,
    S,
    add,
    call,
    exp,
    frac,
    minus,
    neg,
    paren,
    prod,
    square,
)

ONE = S("1")
#: How the rules name a ReLU whose derivative at 0 is 1 (relu_grad_at_zero = 1).
RELU_AT_ZERO_1 = "relu (f'(0) = 1)"


def rule_name(f: object) -> str:
    """The name the rules below know an activation by: its own, but for a ReLU with f'(0) = 1."""
    return RELU_AT_ZERO_1 if getattr(f, "at_zero", 0) else f.name


GUARD = F("1e-7", "10^{-7}")


def _cases(text: str, tex_yes: str, tex_no: str, cond: F, strict: bool = True) -> F:
    yes, no = (">", r"\le") if strict else (r"\ge", "<")
    c = cond.tex
    tex = rf"\begin{{cases}} {tex_yes} & {c} {yes} 0 \\ {tex_no} & {c} {no} 0 \end{{cases}}"
    return F(text, tex)


def activation(name: str, net: F, slope: F) -> F:
    """f(net) for an elementwise activation (softmax: see `softmax`)."""
    if name == "identity":
        return net
    if name == "sigmoid":
        return frac(ONE, add(ONE, exp(neg(net))))
    if name == "tanh":
        return call("tanh", net, r"\tanh")
    if name == "relu":
        return call("max", F(f"0, {net.text}", f"0, {net.tex}"), r"\max")
    if name == "leaky_relu":
        inner = prod(slope, net)
        return call("max", F(f"{inner.text}, {net.text}", f"{inner.tex}, {net.tex}"), r"\max")
    if name == "step":
        return _cases(f"1 if {net.text} > 0 else 0", "1", "0", net)
    raise ValueError(name)


def softmax(nets: list[F], j: int) -> F:
    """e^(net_oj) / (e^(net_o1) + e^(net_o2) + ...)."""
    return frac(exp(nets[j]), add(*(exp(n) for n in nets)))


def derivative(name: str, net: F, out: F, slope: F) -> F:
    """∂out/∂net of an elementwise activation, in the course's cheap form (z(1 − z), 1 − z²)."""
    if name == "identity":
        return ONE
    if name == "sigmoid":
        # Juxtaposition, as the course slides write it: out_o1(1 - out_o1).
        right = paren(minus(ONE, out))
        return F(f"{out.text}{right.text}", f"{out.tex}{right.tex}", 1)
    if name == "tanh":
        return minus(ONE, square(out))
    if name == "relu":
        return _cases(f"1 if {net.text} > 0 else 0", "1", "0", net)
    if name == RELU_AT_ZERO_1:
        return _cases(f"1 if {net.text} ≥ 0 else 0", "1", "0", net, strict=False)
    if name == "leaky_relu":
        return _cases(f"1 if {net.text} > 0 else {slope.text}", "1", slope.tex, net)
    if name == "step":
        return S("0")
    raise ValueError(name)


def error_term(loss: str, out: F, target: F, K: F) -> F:
    """The part E_ok of the error that output k contributes, for one sample."""
    diff = minus(target, out)
    if loss == "sum_squared":
        sq = square(diff)
        return F(f"½{sq.text}", rf"\frac{{1}}{{2}}{sq.tex}", 1)
    if loss == "mse":
        return frac(square(diff), K)
    if loss == "half_mse":
        return frac(square(diff), prod(S("2"), K))
    log_y = call("log", add(out, GUARD), r"\log")
    if loss == "cross_entropy":
        return neg(prod(target, log_y))
    if loss == "binary_cross_entropy":
        log_1y = call("log", add(minus(ONE, out), GUARD), r"\log")
        return neg(paren(add(prod(target, log_y), prod(paren(minus(ONE, target)), log_1y))))
    raise ValueError(loss)


def dE_dout(loss: str, out: F, target: F, K: F) -> F:
    """∂E/∂out_ok for one sample (in the worked example: −(target_o1 − out_o1))."""
    if loss == "sum_squared":
        return neg(paren(minus(target, out)))
    if loss == "mse":
        return frac(prod(S("2"), paren(minus(out, target))), K)
    if loss == "half_mse":
        return frac(paren(minus(out, target)), K)
    if loss == "cross_entropy":
        return neg(frac(target, paren(add(out, GUARD))))
    if loss == "binary_cross_entropy":
        return add(
            neg(frac(target, paren(add(out, GUARD)))),
            frac(paren(minus(ONE, target)), paren(add(minus(ONE, out), GUARD))),
        )
    raise ValueError(loss)


# ---- NumPy, in the course's style ---------------------------------------------------------


def np_activation(name: str, u: str, slope: str) -> str:
    return {
        "identity": u,
        "sigmoid": f"functions.sigmoid({u})",
        "tanh": f"np.tanh({u})",
        "relu": f"functions.relu({u})",
        "leaky_relu": f"np.where({u} > 0, {u}, {slope} * {u})",
        "step": f"functions.step_function({u})",
        "softmax": f"functions.softmax({u})",
    }[name]


def np_derivative(name: str, u: str, z: str, slope: str) -> str:
    return {
        "identity": "1",
        "sigmoid": f"{z} * (1 - {z})",
        "tanh": f"(1 - {z} ** 2)",
        "relu": f"({u} > 0)",
        RELU_AT_ZERO_1: f"({u} >= 0)",
        "leaky_relu": f"np.where({u} > 0, 1, {slope})",
        "step": "0",
    }[name]


def np_loss(loss: str) -> str:
    return {
        "sum_squared": "E = np.sum(0.5 * (y - d) ** 2) / batch_size",
        "mse": "E = np.mean((y - d) ** 2)",
        "half_mse": "E = np.mean(np.square(d - y)) / 2",
        "cross_entropy": "E = -np.sum(d * np.log(y + 1e-7)) / batch_size",
        "binary_cross_entropy": "E = -np.sum(d * np.log(y + 1e-7) + (1 - d) * np.log(1 - y + 1e-7))"
        " / batch_size",
    }[loss]


def np_term(loss: str) -> str:
    """The per-output error terms E_ok of every sample, as one array."""
    return (
        "E_terms = "
        + {
            "sum_squared": "0.5 * (d - y) ** 2",
            "mse": "(d - y) ** 2 / y.shape[1]",
            "half_mse": "0.5 * (d - y) ** 2 / y.shape[1]",
            "cross_entropy": "-d * np.log(y + 1e-7)",
            "binary_cross_entropy": "-(d * np.log(y + 1e-7) + (1 - d) * np.log(1 - y + 1e-7))",
        }[loss]
    )


def np_dE_dy(loss: str) -> str:
    return {
        "sum_squared": "(y - d)",
        "mse": "2 * (y - d) / y.shape[1]",
        "half_mse": "(y - d) / y.shape[1]",
        "cross_entropy": "-d / (y + 1e-7)",
        "binary_cross_entropy": "(-d / (y + 1e-7) + (1 - d) / (1 - y + 1e-7))",
    }[loss]
