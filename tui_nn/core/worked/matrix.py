"""The matrix view: one step per layer and quantity, as the course's NumPy code computes them.

u_l = z_{l−1}·W_l + b_l and z_l = f(u_l) forward; δ_L from the loss, ∂E/∂W_l = z_{l−1}ᵀ·δ_l,
∂E/∂b_l = column sums of δ_l, δ_{l−1} = (δ_l·W_lᵀ) ⊙ f'(u_{l−1}) backward; then the update of
each parameter array. Arrays bigger than a few rows and columns are written by their shape.
"""

from __future__ import annotations

import numpy as np

from tui_nn.core.worked.context import Context, make_step, needs_delta, slope_text
from tui_nn.core.worked.expr import F, S, add_many, frac, minus, paren, pd
from tui_nn.core.worked.model import Step
from tui_nn.core.worked.rules import np_activation, np_dE_dy, np_derivative, np_loss, rule_name
from tui_nn.core.worked.update import update_steps


def _v(name: str, li: int | None = None, tex: str | None = None) -> F:
    """An array symbol: u1, z1, delta2, W2 (LaTeX u_{1}, \\delta_{2})."""
    if li is None:
        return S(name, tex or name)
    return F(f"{name}{li}", f"{tex or name}_{{{li}}}")


def _z(ctx: Context, li: int) -> F:
    if li == 0:
        return S("x")
    return S("y") if li == ctx.L else _v("z", li)


def _op(a: F, b: F, text: str, tex: str) -> F:
    wrap = [paren(f) if f.level >= 2 else f for f in (a, b)]
    return F(f"{wrap[0].text}{text}{wrap[1].text}", f"{wrap[0].tex}{tex}{wrap[1].tex}", 1)


def dot(a: F, b: F) -> F:
    """Matrix product: a·b in text, juxtaposed in LaTeX."""
    return _op(a, b, "·", " ")


def odot(a: F, b: F) -> F:
    """Elementwise product."""
    return _op(a, b, " ⊙ ", r" \odot ")


def plus(a: F, b: F) -> F:
    return F(f"{a.text} + {b.text}", f"{a.tex} + {b.tex}", 2)


def transpose(a: F) -> F:
    return F(f"{a.text}ᵀ", f"{a.tex}^{{T}}")


def f_of(name: str, arg: F) -> F:
    return F(f"{name}({arg.text})", rf"\mathrm{{{name}}}({arg.tex})")


def forward_steps(ctx: Context) -> list[Step]:
    cap, steps = ctx.cap, []
    for li in range(1, ctx.L + 1):
        W, b = cap.params[f"W{li}"], cap.params[f"b{li}"]
        zp = _z(ctx, li - 1)
        steps.append(
            make_step(
                ctx,
                f"forward.u.{li}",
                "forward",
                "net_matrix",
                str(li),
                _v("u", li),
                plus(dot(zp, _v("W", li)), _v("b", li)),
                plus(dot(ctx.num(cap.z[li - 1]), ctx.num(W)), ctx.num(b)),
                cap.u[li],
                f"u{li} = np.dot({zp.text}, W{li}) + b{li}",
                layer=li,
            )
        )
        name = ctx.f(li).name
        steps.append(
            make_step(
                ctx,
                f"forward.z.{li}",
                "forward",
                "out_matrix",
                _z(ctx, li).text,
                _z(ctx, li),
                f_of(name, _v("u", li)),
                f_of(name, ctx.num(cap.u[li])),
                cap.z[li],
                f"{_z(ctx, li).text} = {np_activation(name, f'u{li}', slope_text(ctx))}",
                layer=li,
                explain=f"out_{name}",
            )
        )
    return steps


def loss_step(ctx: Context) -> Step:
    """E = (1/N) Σ_n E_n, each sample's E_n summed over the outputs by the engine's loss."""
    cap, N = ctx.cap, ctx.N
    if N == 1:
        names = [S(f"E_o{k + 1}", f"E_{{o{k + 1}}}") for k in range(cap.loss_terms.shape[1])]
        values = list(cap.loss_terms[0])
    else:
        names = [S(f"E_{n + 1}", f"E_{{{n + 1}}}") for n in range(N)]
        values = list(cap.loss_terms.sum(axis=1))
    return make_step(
        ctx,
        "loss.total",
        "loss",
        "error_matrix",
        "E",
        ctx.E(None),
        per_batch(ctx, add_many(names)),
        per_batch(ctx, add_many([ctx.num(v) for v in values])),
        cap.loss,
        np_loss(ctx.loss.name),
        notes=["log_floor"] if ctx.loss.guard_changed(cap.z[-1], cap.d).any() else [],
    )


def per_batch(ctx: Context, f: F) -> F:
    """f/N, or f itself for a batch of one."""
    return frac(f, S(str(ctx.N))) if ctx.N > 1 else f


def _unit_notes(ctx: Context, li: int) -> list[str]:
    notes: list[str] = []
    for j in range(ctx.trace.layers[li]):
        for n in range(ctx.N):
            notes += [k for k in ctx.unit_notes(li, j, n) if k not in notes]
    return notes


def output_delta_step(ctx: Context) -> Step:
    """δ_L: fused (y − d)/N, through the softmax Jacobian, or ∂E/∂y ⊙ f'(u_L)/N."""
    L = ctx.L
    if ctx.fused:
        formula, substituted, explain, code = _fused_delta(ctx)
    elif ctx.jacobian:
        formula, substituted, explain, code = _jacobian_delta(ctx)
    else:
        formula, substituted, explain, code = _chain_delta(ctx)
    return make_step(
        ctx,
        f"backward.delta.{L}",
        "backward",
        "delta_matrix",
        f"delta{L}",
        _v("delta", L, r"\delta"),
        formula,
        substituted,
        ctx.cap.delta[L],
        code,
        layer=L,
        explain=explain,
        notes=_unit_notes(ctx, L),
    )


#: How δ_L is written: (formula, substituted, explanation variant, NumPy line).
DeltaParts = tuple[F, F, str, str]


def _fused_delta(ctx: Context) -> DeltaParts:
    y, d, L = ctx.cap.z[ctx.L], ctx.cap.d, ctx.L
    formula = per_batch(ctx, paren(minus(S("y"), S("d"))))
    substituted = per_batch(ctx, paren(minus(ctx.num(y), ctx.num(d))))
    return formula, substituted, f"delta_fused_{ctx.f(L).name}", f"delta{L} = (y - d) / batch_size"


def _jacobian_delta(ctx: Context) -> DeltaParts:
    y, d, L = ctx.cap.z[ctx.L], ctx.cap.d, ctx.L
    g = ctx.loss.dE_dy(y, d)
    gy = np.sum(g * y, axis=1, keepdims=True)
    sum_gy = S("Σ_k g_k·y_k", r"\sum_k g_k y_k")
    formula = per_batch(ctx, odot(S("y"), paren(minus(S("g"), sum_gy))))
    substituted = per_batch(ctx, odot(ctx.num(y), paren(minus(ctx.num(g), ctx.num(gy)))))
    code = (
        f"g = {np_dE_dy(ctx.loss.name)}; "
        f"delta{L} = y * (g - np.sum(g * y, axis=1, keepdims=True)) / batch_size"
    )
    return formula, substituted, "delta_jacobian", code


def _chain_delta(ctx: Context) -> DeltaParts:
    y, d, L, f = ctx.cap.z[ctx.L], ctx.cap.d, ctx.L, ctx.f(ctx.L)
    g, fp = ctx.loss.dE_dy(y, d), f.derivative(ctx.cap.u[L], y)
    formula = per_batch(ctx, odot(pd(ctx.E(None), S("y")), S(f"f'(u{L})", f"f'(u_{{{L}}})")))
    substituted = per_batch(ctx, odot(ctx.num(g), ctx.num(fp)))
    der = np_derivative(rule_name(f), f"u{L}", "y", slope_text(ctx))
    return (
        formula,
        substituted,
        "delta_matrix",
        f"delta{L} = {np_dE_dy(ctx.loss.name)} * {der} / batch_size",
    )


def hidden_delta_step(ctx: Context, li: int) -> Step:
    cap, f = ctx.cap, ctx.f(li)
    fp = f.derivative(cap.u[li], cap.z[li])
    nxt = _v("delta", li + 1, r"\delta")
    formula = odot(paren(dot(nxt, transpose(_v("W", li + 1)))), S(f"f'(u{li})", f"f'(u_{{{li}}})"))
    substituted = odot(
        paren(dot(ctx.num(cap.delta[li + 1]), ctx.num(cap.params[f"W{li + 1}"].T))), ctx.num(fp)
    )
    code = (
        f"delta{li} = np.dot(delta{li + 1}, W{li + 1}.T) * "
        f"{np_derivative(rule_name(f), f'u{li}', f'z{li}', slope_text(ctx))}"
    )
    return make_step(
        ctx,
        f"backward.delta.{li}",
        "backward",
        "delta_matrix",
        f"delta{li}",
        _v("delta", li, r"\delta"),
        formula,
        substituted,
        cap.delta[li],
        code,
        layer=li,
        explain="delta_hidden",
        notes=_unit_notes(ctx, li),
    )


def grad_steps(ctx: Context, li: int) -> list[Step]:
    cap, steps = ctx.cap, []
    zp, delta = _z(ctx, li - 1), _v("delta", li, r"\delta")
    if f"W{li}" not in ctx.trace.frozen:
        steps.append(
            make_step(
                ctx,
                f"backward.dW.{li}",
                "backward",
                "grad_matrix",
                f"W{li}",
                pd(ctx.E(None), _v("W", li)),
                dot(transpose(zp), delta),
                dot(ctx.num(cap.z[li - 1].T), ctx.num(cap.delta[li])),
                cap.dW[f"W{li}"],
                f"grad['W{li}'] = np.dot({zp.text}.T, delta{li})",
                layer=li,
                param=f"W{li}",
            )
        )
    if f"b{li}" not in ctx.trace.frozen:
        steps.append(
            make_step(
                ctx,
                f"backward.db.{li}",
                "backward",
                "grad_bias_matrix",
                f"b{li}",
                pd(ctx.E(None), _v("b", li)),
                S(f"Σ_n delta{li}", rf"\sum_n \delta_{{{li}}}"),
                F(f"Σ_n {ctx.num(cap.delta[li]).text}", rf"\sum_n {ctx.num(cap.delta[li]).tex}"),
                cap.dW[f"b{li}"],
                f"grad['b{li}'] = np.sum(delta{li}, axis=0)",
                layer=li,
                param=f"b{li}",
            )
        )
    return steps


def matrix_steps(ctx: Context) -> list[Step]:
    steps = [*forward_steps(ctx), loss_step(ctx)]
    for li in range(ctx.L, 0, -1):
        if not needs_delta(ctx, li):
            break
        steps.append(output_delta_step(ctx) if li == ctx.L else hidden_delta_step(ctx, li))
        steps += grad_steps(ctx, li)
    todo = [(p, None) for p in ctx.cap.params]
    todo.sort(key=lambda e: (-int(e[0][1:]), e[0][0] == "b"))
    return steps + update_steps(ctx, todo)
