"""E over a grid of values of two parameters, every other one held where it is.

The layers before the first of the two parameters run once, and from that layer on every grid
point is a batch of its own (g × N × units), the two parameters entering as a change of one
column of u (u_j += Δw · z_prev,i for W[i, j], u_j += Δb for b[j]), which is exactly the
forward pass with those values set. Grid points go through in chunks, so memory stays bounded
whatever the grid. The work is done in the network's own dtype.

Pure NumPy, and it never calls `Network.forward` (whose layers cache u and z for backprop):
call it between two steps in the thread that owns the network.
"""

from __future__ import annotations

from functools import reduce

import numpy as np

from tui_nn.core.activations import Activation
from tui_nn.core.landscape_param import Param
from tui_nn.core.losses import LOG_GUARD
from tui_nn.core.network import Network

#: Array elements (g × N × units) one chunk of grid points may hold: about 8 MB of float64.
CHUNK_ELEMENTS = 1 << 20
#: Array elements (g × N) of one chunk's arrays of one unit: 1 MB of float64, so that the
#: dozen of them a chunk goes through stay in the processor's cache.
UNIT_CHUNK = 1 << 17
#: −log 1e-7: where the log guard's floor caps −d log y (tui_nn.core.losses).
LOG_CAP = -np.log(LOG_GUARD)


def loss_grid(
    net: Network,
    x: np.ndarray,
    d: np.ndarray,
    p: Param,
    q: Param,
    p_values: np.ndarray,
    q_values: np.ndarray,
) -> np.ndarray:
    """E (the mean over the samples of E_n, as the training loss of the plots) with p set to
    each of `p_values` and q to each of `q_values`: len(q_values) × len(p_values)."""
    dt = net.dtype
    # The values as the network would store them, less the ones it holds.
    dp = np.asarray(p_values, float).astype(dt) - net.theta[p.flat]
    dq = np.asarray(q_values, float).astype(dt) - net.theta[q.flat]
    first = min(p.layer, q.layer)
    out = np.empty((len(dq), len(dp)))
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        base = _base_pass(net, np.asarray(x, dt), first)
        widest = max(net.cfg.layers[first:])
        cells = max(1, len(dp) * len(x))
        per = max(1, min(CHUNK_ELEMENTS // (cells * widest), UNIT_CHUNK // cells))
        scratch = _Scratch((min(per, len(dq)), len(dp), len(x)), dt)
        for r in range(0, len(dq), per):
            # Each parameter's change, shaped to broadcast over (q rows, p columns, samples).
            changes = ((p, dp[None, :, None]), (q, dq[r : r + per, None, None]))
            scratch.shape = (len(dq[r : r + per]), len(dp), len(x))
            out[r : r + per] = _mean_loss(
                net, _rows(net, base, first, changes, scratch), d, scratch
            )
    return out


class _Scratch:
    """Arrays of one chunk of the grid (rows × P × N), reused by every chunk: a new array of
    that size costs more, in page faults, than the arithmetic done in it."""

    def __init__(self, shape: tuple[int, int, int], dtype: np.dtype) -> None:
        self.shape, self._full, self._dtype = shape, shape, dtype
        self._arrays: dict[str, np.ndarray] = {}

    def take(self, name: str) -> np.ndarray:
        """The array called `name`, of the current chunk's shape; its values are undefined."""
        if name not in self._arrays:
            self._arrays[name] = np.empty(self._full, self._dtype)
        return self._arrays[name][: self.shape[0]]


def _base_pass(net: Network, x: np.ndarray, first: int) -> list[np.ndarray]:
    """The forward pass with the weights as they are: [z, u, z, u, z, ...] from the input of
    layer `first` on (the layers before it are the same for every grid point)."""
    z = x
    for layer in net.layers[: first - 1]:
        z = layer.f.forward(z @ layer.W + layer.b)
    out = [z]
    for layer in net.layers[first - 1 :]:
        u = z @ layer.W + layer.b
        z = layer.f.forward(u)
        out += [u, z]
    return out


def _rows(
    net: Network, base: list[np.ndarray], first: int, changes, scratch: _Scratch
) -> list[np.ndarray]:
    """u of the output layer at the grid points of a few rows (q values) × every column, as
    one array per unit, each broadcasting to the chunk's shape (rows × P × N).

    In layer `first` a parameter changes one column j of u, by Δ·z_i (W[i, j]) or Δ (b[j]),
    and, the hidden activations being elementwise, only that column of z: computed for each p
    value and each q value apart (P + Q columns, not P·Q), unless both share the column. The
    next layer takes them as Δz · W[J, :], column by column, the changes along p and along q
    added apart before they meet; from there on each grid point is a batch of its own.
    """
    z_in, u0, z0 = base[0], base[1], base[2]
    moved = _steps(first, lambda i: z_in[:, i], changes)
    if first == len(net.layers):  # the output layer
        return [
            _sum([u0[:, j], *moved.get(j, [])], scratch.take(f"u{j}")) for j in range(u0.shape[1])
        ]
    dz = _z_changes(net.layers[first - 1].f, u0, z0, moved, scratch)
    nxt = net.layers[first]
    steps = _steps(nxt.index, lambda i: z0[:, i] + dz[i] if i in dz else z0[:, i], changes)
    cols = [
        _sum(
            [base[3][:, k], *(c * nxt.W[j, k] for j, c in dz.items()), *steps.get(k, [])],
            scratch.take(f"u{k}"),
        )
        for k in range(nxt.W.shape[1])
    ]
    if nxt is net.layers[-1]:
        return cols
    u = np.stack([np.broadcast_to(c, scratch.shape) for c in cols], axis=-1)
    for later in net.layers[first + 1 :]:
        z = nxt.f.forward(u)
        u = z @ later.W + later.b
        for j, more in _steps(later.index, lambda i, z=z: z[..., i], changes).items():
            u[..., j] += reduce(np.add, more)
        nxt = later
    return [u[..., k] for k in range(u.shape[-1])]


def _z_changes(f: Activation, u0, z0, moved: dict, scratch: _Scratch) -> dict[int, np.ndarray]:
    """Column j of a hidden layer's u changed by Σ moved[j] → the change it makes to z_j."""
    dz = {}
    for j, steps in moved.items():
        u = _sum([u0[:, j], *steps], buffer := scratch.take(f"dz{j}"))
        dz[j] = np.subtract(f.forward(u), z0[:, j], out=u if u is buffer else None)
    return dz


def _steps(index: int, z_prev, changes) -> dict[int, list[np.ndarray]]:
    """Column j of u in this layer → the changes made to it: Δw · z_prev,i for W[i, j], Δb
    for b[j]."""
    out: dict[int, list[np.ndarray]] = {}
    for param, delta in changes:
        if param.layer == index:
            step = delta * z_prev(param.index[0]) if param.is_weight else delta
            out.setdefault(param.index[-1], []).append(step)
    return out


def _sum(terms: list[np.ndarray], out: np.ndarray) -> np.ndarray:
    """Σ terms, broadcasting: the terms of one shape added first, the smallest sums next, so
    that an array of every grid point is formed once, in `out` (if the sum is of that shape;
    else a new, smaller array)."""
    groups: dict[tuple[int, ...], np.ndarray] = {}
    for term in terms:
        key = np.shape(term)
        groups[key] = groups[key] + term if key in groups else term
    ordered = sorted(groups.values(), key=np.size)
    if np.broadcast_shapes(*groups) != out.shape:
        return reduce(np.add, ordered) + 0  # a new array, never one of the terms
    if len(ordered) == 1:
        np.copyto(out, ordered[0])
        return out
    return np.add(reduce(np.add, ordered[:-1]), ordered[-1], out=out)


def _mean_loss(
    net: Network, cols: list[np.ndarray], d: np.ndarray, scratch: _Scratch
) -> np.ndarray:
    """The mean over the samples of E_n at each grid point, from the output layer's u (one
    array per unit, each broadcasting to rows × P × N)."""
    n = len(d)
    if net.loss.name == "cross_entropy":  # whose output is softmax
        d_cols = np.asarray(d, float).T
        terms = _softmax_log_terms(cols, scratch)
        return reduce(np.add, (t @ d_cols[k] for k, t in enumerate(terms))) / n
    u = np.stack([np.broadcast_to(c, scratch.shape) for c in cols], axis=-1)
    terms = net.loss.floored_terms(_output(net.layers[-1].f, u), d)
    return terms.reshape(*scratch.shape[:2], -1).sum(axis=2) / n


def _softmax_log_terms(cols: list[np.ndarray], scratch: _Scratch) -> list[np.ndarray]:
    """−log max(y_k, 1e-7) of y = softmax(u), written as min(log s + (top − u_k), −log 1e-7)
    with s = Σ_j exp(u_j − top): the same value, with one log per sample instead of K (the
    logs and exps are nearly all of a landscape's time). For two outputs, s = 1 + exp(−|gap|)
    and top − u_k is max(±gap, 0)."""
    s = scratch.take("s")
    if len(cols) == 2:
        gap = np.subtract(cols[1], cols[0], out=scratch.take("gap"))
        np.exp(np.negative(np.abs(gap, out=s), out=s), out=s)
        s += 1
        shifted = [np.maximum(gap, 0, out=scratch.take("t0"))]
        shifted.append(np.maximum(np.negative(gap, out=gap), 0, out=gap))
    else:
        top = scratch.take("top")
        np.copyto(top, cols[0])
        for c in cols[1:]:
            np.maximum(top, c, out=top)
        shifted = [np.subtract(top, c, out=scratch.take(f"t{k}")) for k, c in enumerate(cols)]
        e, s[...] = scratch.take("e"), 0
        for t in shifted:
            s += np.exp(np.negative(t, out=e), out=e)
    np.log(s, out=s)
    for t in shifted:
        np.minimum(np.add(t, s, out=t), LOG_CAP, out=t)
    return shifted


def _output(f: Activation, u: np.ndarray) -> np.ndarray:
    """f(u) of the output layer. Softmax is written out over its few columns: NumPy's max and
    sum along an axis of 2 to 10 values cost more than the rest of the landscape."""
    if f.name != "softmax":
        return f.forward(u)
    k = u.shape[-1]
    top = reduce(np.maximum, (u[..., j] for j in range(k)))
    e = np.exp(u - top[..., None])
    return e / reduce(np.add, (e[..., j] for j in range(k)))[..., None]
