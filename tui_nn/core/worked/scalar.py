"""The scalar view: one step per unit and per weight, as Mazur works the 2-2-2 network.

Forward and loss here, backward in `backward`; values come from the engine's capture
(u, z, δ, ∂E/∂W), this module only writes them down. `expand` gives the steps of one weight.
"""

from __future__ import annotations

from tui_nn.core.errors import config_error
from tui_nn.core.worked.backward import (
    backward_steps,
    bias_step,
    jacobian_steps,
    unit_backward_steps,
    weight_step,
    zname,
)
from tui_nn.core.worked.context import Context, make_step, slope_text, trainable
from tui_nn.core.worked.expr import F, S, add_many, frac, prod
from tui_nn.core.worked.model import Step, Trace
from tui_nn.core.worked.rules import (
    activation,
    error_term,
    np_activation,
    np_loss,
    np_term,
    softmax,
)
from tui_nn.core.worked.update import mean_steps, update_steps

# ---- forward ------------------------------------------------------------------------------


def net_step(ctx: Context, li: int, j: int, n: int) -> Step:
    nm, cap = ctx.names, ctx.cap
    W, b = cap.params[f"W{li}"], cap.params[f"b{li}"]
    n_in = W.shape[0]
    sym = [prod(nm.weight(li, i, j), nm.out(li - 1, i)) for i in range(n_in)]
    val = [prod(ctx.num(W[i, j]), ctx.num(cap.z[li - 1][n, i])) for i in range(n_in)]
    return make_step(
        ctx,
        f"forward.u.{li}.{j}{ctx.sfx(n)}",
        "forward",
        "net",
        nm.unit(li, j),
        nm.net(li, j),
        add_many([*sym, prod(nm.bias(li, j), "1")]),
        add_many([*val, prod(ctx.num(b[j]), "1")]),
        cap.u[li][n, j],
        f"u{li} = np.dot({zname(li - 1)}, W{li}) + b{li}",
        layer=li,
        unit=j,
        sample=n,
    )


def out_step(ctx: Context, li: int, j: int, n: int) -> Step:
    nm, cap, f = ctx.names, ctx.cap, ctx.f(li)
    slope = ctx.num(ctx.trace.leaky_slope)
    if f.name == "softmax":
        K = cap.u[li].shape[1]
        formula = softmax([nm.net(li, k) for k in range(K)], j)
        substituted = softmax([ctx.num(cap.u[li][n, k]) for k in range(K)], j)
    else:
        formula = activation(f.name, nm.net(li, j), slope)
        substituted = activation(f.name, ctx.num(cap.u[li][n, j]), slope)
    lhs = "y" if li == ctx.L else f"z{li}"
    return make_step(
        ctx,
        f"forward.z.{li}.{j}{ctx.sfx(n)}",
        "forward",
        "out",
        nm.unit(li, j),
        nm.out(li, j),
        formula,
        substituted,
        cap.z[li][n, j],
        f"{lhs} = {np_activation(f.name, f'u{li}', slope_text(ctx))}",
        layer=li,
        unit=j,
        sample=n,
        explain=f"out_{f.name}",
    )


def forward_steps(ctx: Context, n: int, units: dict[int, list[int]] | None = None) -> list[Step]:
    """net and out of every unit, or only of `units` ({layer: [unit, ...]})."""
    steps = []
    for li in range(1, ctx.L + 1):
        for j in range(ctx.trace.layers[li]) if units is None else units.get(li, []):
            steps += [net_step(ctx, li, j, n), out_step(ctx, li, j, n)]
    return steps


# ---- loss ---------------------------------------------------------------------------------


def loss_steps(ctx: Context, n: int, outputs: list[int] | None = None) -> list[Step]:
    """E_ok of each output (or only of `outputs`) for sample n, then their sum."""
    K = ctx.trace.layers[ctx.L]
    changed = ctx.loss.guard_changed(ctx.cap.z[ctx.L], ctx.cap.d)
    ks = range(K) if outputs is None else outputs
    steps = [_error_term_step(ctx, k, n, bool(changed[n, k])) for k in ks]
    return steps if outputs is not None else [*steps, _error_total_step(ctx, n)]


def _error_o(k: int) -> F:
    return F(f"E_o{k + 1}", f"E_{{o{k + 1}}}")


def _error_term_step(ctx: Context, k: int, n: int, floored: bool) -> Step:
    nm, cap, L, name = ctx.names, ctx.cap, ctx.L, ctx.loss.name
    K = S(str(cap.z[L].shape[1]))
    sym, val = (nm.out(L, k), nm.target(k)), (ctx.num(cap.z[L][n, k]), ctx.num(cap.d[n, k]))
    return make_step(
        ctx,
        f"loss.E.{k}{ctx.sfx(n)}",
        "loss",
        "error_term",
        nm.unit(L, k),
        _error_o(k),
        error_term(name, *sym, K),
        error_term(name, *val, K),
        cap.loss_terms[n, k],
        np_term(name),
        layer=L,
        unit=k,
        sample=n,
        explain=f"error_term_{name}",
        notes=["log_floor"] if floored else [],
    )


def _error_total_step(ctx: Context, n: int) -> Step:
    terms = ctx.cap.loss_terms[n]
    return make_step(
        ctx,
        f"loss.total{ctx.sfx(n)}",
        "loss",
        "error_total",
        "E",
        ctx.E(n),
        add_many([_error_o(k) for k in range(len(terms))]),
        add_many([ctx.num(v) for v in terms]),
        terms.sum(),
        np_loss(ctx.loss.name) if ctx.N == 1 else "E_n = np.sum(E_terms, axis=1)",
        sample=n,
    )


def loss_mean_step(ctx: Context) -> Step:
    per = ctx.cap.loss_terms.sum(axis=1)
    return make_step(
        ctx,
        "loss.mean",
        "loss",
        "error_mean",
        "E",
        ctx.E(None),
        frac(add_many([ctx.E(n) for n in range(ctx.N)]), S(str(ctx.N))),
        frac(add_many([ctx.num(v) for v in per]), S(str(ctx.N))),
        ctx.cap.loss,
        np_loss(ctx.loss.name),
    )


def entries(ctx: Context) -> list[tuple[str, tuple[int, ...]]]:
    """Every trainable (parameter, index) in the course's order: layer, unit j, input i."""
    out = []
    for li in range(ctx.L, 0, -1):
        W = ctx.cap.params[f"W{li}"]
        if trainable(ctx, f"W{li}"):
            out += [(f"W{li}", (i, j)) for j in range(W.shape[1]) for i in range(W.shape[0])]
        if trainable(ctx, f"b{li}"):
            out += [(f"b{li}", (j,)) for j in range(W.shape[1])]
    return out


def scalar_steps(ctx: Context) -> list[Step]:
    samples = ctx.samples()
    steps = [s for n in samples for s in forward_steps(ctx, n)]
    steps += [s for n in samples for s in loss_steps(ctx, n)]
    if ctx.N > 1:
        steps.append(loss_mean_step(ctx))
    steps += [s for n in samples for s in backward_steps(ctx, n)]
    todo = entries(ctx)
    if ctx.N > 1:
        steps += mean_steps(ctx, todo)
    return steps + update_steps(ctx, todo + [(p, None) for p in ctx.trace.frozen])


def expand(trace: Trace, param: str, *index: int) -> list[Step]:
    """The scalar steps of one weight ("W2", i, j), bias ("b2", j) or unit ("u2", j).

    Works in either view; follows `sample` when the trace has one, else every sample of
    the batch. Raises ConfigError for a name or index the network does not have.
    """
    ctx = Context(trace)
    li, j, i = _check_target(ctx, param, index)
    steps = []
    for n in ctx.samples():
        steps += forward_steps(ctx, n, {li: [j]})
        if li == ctx.L:
            steps += loss_steps(ctx, n, [j])
        if li == ctx.L and ctx.jacobian:
            steps += jacobian_steps(ctx, n)
        steps += unit_backward_steps(ctx, li, j, n)
        if param[0] == "W":
            steps.append(weight_step(ctx, li, i, j, n))
        elif param[0] == "b":
            steps.append(bias_step(ctx, li, j, n))
    if param[0] in "Wb":
        todo = [(param, tuple(index))]
        if ctx.N > 1:
            steps += mean_steps(ctx, todo)
        steps += update_steps(ctx, todo)
    return steps


def _check_target(ctx: Context, param: str, index: tuple[int, ...]) -> tuple[int, int, int]:
    kind, rest = param[:1], param[1:]
    if kind not in ("W", "b", "u") or not rest.isdigit() or not 1 <= int(rest) <= ctx.L:
        raise config_error("err_worked_target", param=repr(param), L=ctx.L, field="expand")
    li = int(rest)
    shape = ctx.cap.params[f"W{li}"].shape if kind == "W" else (ctx.trace.layers[li],)
    if len(index) != len(shape) or not all(0 <= v < s for v, s in zip(index, shape, strict=True)):
        raise config_error(
            "err_worked_index", param=param, shape=shape, index=tuple(index), field="expand"
        )
    return (li, index[1], index[0]) if kind == "W" else (li, index[0], 0)
