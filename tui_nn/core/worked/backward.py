"""The scalar view, backward: per unit ∂E/∂out, ∂out/∂net and δ; per weight the chain rule.

Output units: the loss's ∂E/∂out times f', or the fused δ = out − target, or the softmax
Jacobian. Hidden units: the paths back from every unit of the next layer, summed (Mazur:
∂E_total/∂out_h1 = ∂E_o1/∂out_h1 + ∂E_o2/∂out_h1). A per-sample δ is the engine's δ times the
batch size, since the engine stores ∂E/∂u of the batch mean.
"""

from __future__ import annotations

import numpy as np

from tui_nn.core.worked.context import Context, make_step, needs_delta, slope_text, trainable
from tui_nn.core.worked.expr import F, S, add_many, minus, pd, prod
from tui_nn.core.worked.model import Factor, Step
from tui_nn.core.worked.rules import dE_dout, derivative, np_dE_dy, np_derivative, rule_name


def factor(f: F, value: float) -> Factor:
    return Factor(f.text, f.tex, float(value))


def zname(li: int) -> str:
    return "x" if li == 0 else f"z{li}"


def dE_dout_value(ctx: Context, li: int, n: int, j: int) -> float:
    """∂E_n/∂out_j: from the loss for outputs, the sum over the paths back for hidden units."""
    if li == ctx.L:
        return float(ctx.loss.dE_dy(ctx.cap.z[li], ctx.cap.d)[n, j])
    W = ctx.cap.params[f"W{li + 1}"]
    return float(sum(ctx.delta(li + 1, n, k) * W[j, k] for k in range(W.shape[1])))


def dout_dnet_value(ctx: Context, li: int, n: int, j: int) -> float:
    return float(ctx.f(li).derivative(ctx.cap.u[li], ctx.cap.z[li])[n, j])


def _dout_dnet_step(ctx: Context, li: int, j: int, n: int) -> Step:
    nm, cap, f = ctx.names, ctx.cap, ctx.f(li)
    slope = ctx.num(ctx.trace.leaky_slope)
    der = np_derivative(rule_name(f), f"u{li}", "y" if li == ctx.L else f"z{li}", slope_text(ctx))
    return make_step(
        ctx,
        f"backward.dout_dnet.{li}.{j}{ctx.sfx(n)}",
        "backward",
        "dout_dnet",
        nm.unit(li, j),
        pd(nm.out(li, j), nm.net(li, j)),
        derivative(rule_name(f), nm.net(li, j), nm.out(li, j), slope),
        derivative(rule_name(f), ctx.num(cap.u[li][n, j]), ctx.num(cap.z[li][n, j]), slope),
        dout_dnet_value(ctx, li, n, j),
        f"dz{li} = {der}",
        layer=li,
        unit=j,
        sample=n,
        explain=f"dout_dnet_{f.name}",
        notes=ctx.unit_notes(li, j, n),
    )


def _delta_step(ctx: Context, li: int, j: int, n: int, top: F) -> Step:
    """∂E/∂net_j = ∂E/∂out_j · ∂out_j/∂net_j, with `top` the error symbol (E_o1 or E_total)."""
    nm = ctx.names
    a, b = pd(top, nm.out(li, j)), pd(nm.out(li, j), nm.net(li, j))
    va, vb = dE_dout_value(ctx, li, n, j), dout_dnet_value(ctx, li, n, j)
    return make_step(
        ctx,
        f"backward.delta.{li}.{j}{ctx.sfx(n)}",
        "backward",
        "delta",
        nm.unit(li, j),
        pd(top, nm.net(li, j)),
        prod(a, b),
        prod(ctx.num(va), ctx.num(vb)),
        ctx.delta(li, n, j),
        _np_delta(ctx, li),
        layer=li,
        unit=j,
        sample=n,
        factors=[factor(a, va), factor(b, vb)],
        notes=ctx.unit_notes(li, j, n),
    )


def _np_delta(ctx: Context, li: int) -> str:
    f = ctx.f(li)
    if li == ctx.L:
        if ctx.fused:
            return f"delta{li} = (y - d) / batch_size"
        if ctx.jacobian:
            return (
                f"g = {np_dE_dy(ctx.loss.name)}; "
                f"delta{li} = y * (g - np.sum(g * y, axis=1, keepdims=True)) / batch_size"
            )
        der = np_derivative(rule_name(f), f"u{li}", "y", slope_text(ctx))
        return f"delta{li} = {np_dE_dy(ctx.loss.name)} * {der} / batch_size"
    der = np_derivative(rule_name(f), f"u{li}", f"z{li}", slope_text(ctx))
    return f"delta{li} = np.dot(delta{li + 1}, W{li + 1}.T) * {der}"


def output_unit_steps(ctx: Context, j: int, n: int) -> list[Step]:
    """How δ of output j is found: via the loss and f', fused, or through the softmax Jacobian."""
    nm, cap, L = ctx.names, ctx.cap, ctx.L
    if ctx.fused:
        return [
            make_step(
                ctx,
                f"backward.delta.{L}.{j}{ctx.sfx(n)}",
                "backward",
                "delta_fused",
                nm.unit(L, j),
                pd(ctx.E(n), nm.net(L, j)),
                minus(nm.out(L, j), nm.target(j)),
                minus(ctx.num(cap.z[L][n, j]), ctx.num(cap.d[n, j])),
                ctx.delta(L, n, j),
                _np_delta(ctx, L),
                layer=L,
                unit=j,
                sample=n,
                explain=f"delta_fused_{ctx.f(L).name}",
            )
        ]
    if ctx.jacobian:
        return [_jacobian_delta_step(ctx, j, n)]
    return [
        _dE_dout_step(ctx, j, n),
        _dout_dnet_step(ctx, L, j, n),
        _delta_step(ctx, L, j, n, ctx.E_out(j, n)),
    ]


def _dE_dout_step(ctx: Context, k: int, n: int) -> Step:
    nm, cap, L = ctx.names, ctx.cap, ctx.L
    name, K = ctx.loss.name, S(str(cap.z[L].shape[1]))
    return make_step(
        ctx,
        f"backward.dE_dout.{L}.{k}{ctx.sfx(n)}",
        "backward",
        "dE_dout",
        nm.unit(L, k),
        pd(ctx.E(n), nm.out(L, k)),
        dE_dout(name, nm.out(L, k), nm.target(k), K),
        dE_dout(name, ctx.num(cap.z[L][n, k]), ctx.num(cap.d[n, k]), K),
        dE_dout_value(ctx, L, n, k),
        f"dy = {np_dE_dy(name)}",
        layer=L,
        unit=k,
        sample=n,
        explain=f"dE_dout_{name}",
    )


def jacobian_steps(ctx: Context, n: int) -> list[Step]:
    """Softmax with a squared loss: every ∂E/∂out_k, then the Jacobian ∂out_k/∂net_j."""
    L, y = ctx.L, ctx.cap.z[ctx.L][n]
    K = len(y)
    J = np.array([[y[k] * ((k == j) - y[j]) for j in range(K)] for k in range(K)])
    step = make_step(
        ctx,
        f"backward.jacobian.{L}{ctx.sfx(n)}",
        "backward",
        "jacobian",
        "softmax",
        S("∂out_ok/∂net_oj", r"\frac{\partial \mathrm{out}_{ok}}{\partial \mathrm{net}_{oj}}"),
        S("out_ok([k = j] - out_oj)", r"\mathrm{out}_{ok}(\delta_{kj} - \mathrm{out}_{oj})"),
        ctx.num(J),
        J,
        "J = np.diag(y) - np.outer(y, y)",
        layer=L,
        sample=n,
        notes=["softmax_jacobian"],
    )
    return [*(_dE_dout_step(ctx, k, n) for k in range(K)), step]


def _jacobian_delta_step(ctx: Context, j: int, n: int) -> Step:
    nm, y, L = ctx.names, ctx.cap.z[ctx.L][n], ctx.L
    factors, sym, val = [], [], []
    for k in range(len(y)):
        a, b = pd(ctx.E(n), nm.out(L, k)), pd(nm.out(L, k), nm.net(L, j))
        va, vb = dE_dout_value(ctx, L, n, k), float(y[k] * ((k == j) - y[j]))
        factors += [factor(a, va), factor(b, vb)]
        sym.append(prod(a, b))
        val.append(prod(ctx.num(va), ctx.num(vb)))
    return make_step(
        ctx,
        f"backward.delta.{L}.{j}{ctx.sfx(n)}",
        "backward",
        "delta_jacobian",
        nm.unit(L, j),
        pd(ctx.E(n), nm.net(L, j)),
        add_many(sym),
        add_many(val),
        ctx.delta(L, n, j),
        _np_delta(ctx, L),
        layer=L,
        unit=j,
        sample=n,
        factors=factors,
    )


def _path_top(ctx: Context, li: int, k: int, n: int) -> F:
    """The error symbol of a path back through unit k of layer l+1 (E_o1 from an output unit)."""
    return ctx.E_out(k, n) if li + 1 == ctx.L else ctx.E(n)


def hidden_unit_steps(ctx: Context, li: int, j: int, n: int) -> list[Step]:
    """Paths back from each unit k of layer l+1, their sum ∂E/∂out_j, f', and δ_j."""
    paths = [_path_step(ctx, li, j, k, n) for k in range(ctx.trace.layers[li + 1])]
    return [
        *paths,
        _path_sum_step(ctx, li, j, n, paths),
        _dout_dnet_step(ctx, li, j, n),
        _delta_step(ctx, li, j, n, ctx.E(n)),
    ]


def _path_step(ctx: Context, li: int, j: int, k: int, n: int) -> Step:
    """The error reaching out_j of layer l through unit k of layer l+1: δ_k · w_jk."""
    nm, W = ctx.names, ctx.cap.params[f"W{li + 1}"]
    top, nxt = _path_top(ctx, li, k, n), nm.net(li + 1, k)
    a, b = pd(top, nxt), pd(nxt, nm.out(li, j))
    va, vb = ctx.delta(li + 1, n, k), float(W[j, k])
    # Mazur names the path ∂E_o1/∂out_h1; past the output layer it is the product itself.
    named = top.text != ctx.E(n).text
    return make_step(
        ctx,
        f"backward.path.{li}.{j}.{k}{ctx.sfx(n)}",
        "backward",
        "path",
        nm.unit(li, j),
        pd(top, nm.out(li, j)) if named else prod(a, b),
        prod(a, b) if named else prod(a, nm.weight(li + 1, j, k)),
        prod(ctx.num(va), ctx.num(vb)),
        va * vb,
        f"np.dot(delta{li + 1}, W{li + 1}.T)",
        layer=li,
        unit=j,
        sample=n,
        factors=[factor(a, va), factor(b, vb)],
    )


def _path_sum_step(ctx: Context, li: int, j: int, n: int, paths: list[Step]) -> Step:
    """∂E/∂out_j as the sum of the paths back (Mazur: ∂E_o1/∂out_h1 + ∂E_o2/∂out_h1)."""
    nm = ctx.names
    terms = [F(p.symbol, p.symbol_tex) for p in paths]
    values = [float(p.result) for p in paths]
    return make_step(
        ctx,
        f"backward.dE_dout.{li}.{j}{ctx.sfx(n)}",
        "backward",
        "path_sum",
        nm.unit(li, j),
        pd(ctx.E(n), nm.out(li, j)),
        add_many(terms),
        add_many([ctx.num(v) for v in values]),
        sum(values),
        f"np.dot(delta{li + 1}, W{li + 1}.T)",
        layer=li,
        unit=j,
        sample=n,
        factors=[factor(t, v) for t, v in zip(terms, values, strict=True)],
    )


def unit_backward_steps(ctx: Context, li: int, j: int, n: int) -> list[Step]:
    return output_unit_steps(ctx, j, n) if li == ctx.L else hidden_unit_steps(ctx, li, j, n)


def weight_step(ctx: Context, li: int, i: int, j: int, n: int) -> Step:
    """∂E/∂w as the product of its chain-rule factors, each with its number."""
    nm, cap = ctx.names, ctx.cap
    w, net, out = nm.weight(li, i, j), nm.net(li, j), nm.out(li, j)
    last = (pd(net, w), float(cap.z[li - 1][n, i]))
    if li == ctx.L and (ctx.fused or ctx.jacobian):
        chain = [(pd(ctx.E(n), net), ctx.delta(li, n, j)), last]
    else:
        chain = [
            (pd(ctx.E(n), out), dE_dout_value(ctx, li, n, j)),
            (pd(out, net), dout_dnet_value(ctx, li, n, j)),
            last,
        ]
    value = cap.dW[f"W{li}"][i, j] if ctx.N == 1 else ctx.delta(li, n, j) * cap.z[li - 1][n, i]
    return make_step(
        ctx,
        f"backward.dW.{li}.{i}.{j}{ctx.sfx(n)}",
        "backward",
        "chain",
        w.text,
        pd(ctx.E(n), w),
        prod(*(s for s, _ in chain)),
        prod(*(ctx.num(v) for _, v in chain)),
        value,
        f"grad['W{li}'] = np.dot({zname(li - 1)}.T, delta{li})",
        layer=li,
        unit=j,
        index=(i, j),
        param=f"W{li}",
        sample=n,
        factors=[factor(s, v) for s, v in chain],
        notes=ctx.unit_notes(li, j, n),
    )


def bias_step(ctx: Context, li: int, j: int, n: int) -> Step:
    nm, cap = ctx.names, ctx.cap
    b, net = nm.bias(li, j), nm.net(li, j)
    chain = [(pd(ctx.E(n), net), ctx.delta(li, n, j)), (pd(net, b), 1.0)]
    value = cap.dW[f"b{li}"][j] if ctx.N == 1 else ctx.delta(li, n, j)
    return make_step(
        ctx,
        f"backward.db.{li}.{j}{ctx.sfx(n)}",
        "backward",
        "chain_bias",
        b.text,
        pd(ctx.E(n), b),
        prod(*(s for s, _ in chain)),
        prod(ctx.num(chain[0][1]), "1"),
        value,
        f"grad['b{li}'] = np.sum(delta{li}, axis=0)",
        layer=li,
        unit=j,
        index=(j,),
        param=f"b{li}",
        sample=n,
        factors=[factor(s, v) for s, v in chain],
    )


def backward_steps(ctx: Context, n: int) -> list[Step]:
    steps = []
    for li in range(ctx.L, 0, -1):
        if not needs_delta(ctx, li):
            break
        n_in, n_out = ctx.trace.layers[li - 1], ctx.trace.layers[li]
        if li == ctx.L and ctx.jacobian:
            steps += jacobian_steps(ctx, n)
        for j in range(n_out):
            steps += unit_backward_steps(ctx, li, j, n)
        if trainable(ctx, f"W{li}"):
            steps += [weight_step(ctx, li, i, j, n) for j in range(n_out) for i in range(n_in)]
        if trainable(ctx, f"b{li}"):
            steps += [bias_step(ctx, li, j, n) for j in range(n_out)]
    return steps
