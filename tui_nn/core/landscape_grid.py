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
from typing import TYPE_CHECKING

import numpy as np

from tui_nn.core.activations import Activation
from tui_nn.core.losses import LOG_GUARD
from tui_nn.core.network import Network

if TYPE_CHECKING:
    from tui_nn.core.landscape import Param

#: Array elements (g × N × units) one chunk of grid points may hold: about 8 MB of float64.
CHUNK_ELEMENTS = 1 << 20
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
        per = max(1, CHUNK_ELEMENTS // max(1, len(dp) * len(x) * widest))
        for r in range(0, len(dq), per):
            # Each parameter's change, shaped to broadcast over (q rows, p columns, samples).
            changes = ((p, dp[None, :, None]), (q, dq[r : r + per, None, None]))
            out[r : r + per] = _mean_loss(net, _rows(net, base, first, changes), d)
    return out


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


def _rows(net: Network, base: list[np.ndarray], first: int, changes) -> np.ndarray:
    """u of the output layer at the grid points of a few rows (q values) × every column.

    In layer `first` a parameter changes one column j of u, by Δ·z_i (W[i, j]) or Δ (b[j]),
    and, the hidden activations being elementwise, only that column of z: computed for each p
    value and each q value apart (P + Q columns, not P·Q), unless both share the column. The
    next layer takes them as Δz · W[J, :]; from there on each grid point is a batch of its own.
    """
    z_in, u0, z0 = base[0], base[1], base[2]
    moved: dict[int, np.ndarray] = {}  # column j of u in layer `first` → its change
    for param, delta in changes:
        if param.layer == first:
            j = param.index[-1]
            step = delta * z_in[:, param.index[0]] if param.is_weight else delta
            moved[j] = moved[j] + step if j in moved else step
    layer = net.layers[first - 1]
    if first == len(net.layers):  # the output layer: every grid point's u, as it is
        u = _grid_copy(u0, changes)
        for j, change in moved.items():
            u[..., j] += change
        return u
    dz = {j: layer.f.forward(u0[:, j] + c) - z0[:, j] for j, c in moved.items()}
    nxt = net.layers[first]
    u = _grid_copy(base[3], changes)
    for j, change in dz.items():
        u += change[..., None] * nxt.W[j]
    _add_changes(u, lambda i: z0[:, i] + dz[i] if i in dz else z0[:, i], nxt.index, changes)
    for later in net.layers[first + 1 :]:
        z = nxt.f.forward(u)
        u = z @ later.W + later.b
        _add_changes(u, lambda i, z=z: z[..., i], later.index, changes)
        nxt = later
    return u


def _grid_copy(u: np.ndarray, changes) -> np.ndarray:
    """u (N × k) repeated for every grid point of the rows: rows × P × N × k."""
    (_, dp), (_, dq) = changes
    return np.broadcast_to(u, (dq.shape[0], dp.shape[1], *u.shape)).copy()


def _add_changes(u: np.ndarray, z_prev, index: int, changes) -> None:
    """u_j += Δw · z_prev,i for a changed W[i, j] of this layer, u_j += Δb for b[j]."""
    for param, delta in changes:
        if param.layer == index:
            step = delta * z_prev(param.index[0]) if param.is_weight else delta
            u[..., param.index[-1]] += step


def _mean_loss(net: Network, u: np.ndarray, d: np.ndarray) -> np.ndarray:
    """The mean over the samples of E_n at each grid point, from the output layer's u
    (rows × P × N × K)."""
    rows, cols, (n, k) = u.shape[0], u.shape[1], d.shape
    if net.loss.name == "cross_entropy":  # whose output is softmax
        terms = _softmax_log_terms(u)
        return terms.reshape(rows, cols, n * k) @ np.ravel(d).astype(u.dtype) / n
    terms = net.loss.floored_terms(_output(net.layers[-1].f, u), d)
    return terms.reshape(rows, cols, n * k).sum(axis=2) / n


def _softmax_log_terms(u: np.ndarray) -> np.ndarray:
    """−log max(y_k, 1e-7) of y = softmax(u), written as min(log s + (top − u_k), −log 1e-7)
    with s = Σ_j exp(u_j − top): the same value, with one log per sample instead of K (the
    logs and exps are nearly all of a landscape's time). For two outputs, s = 1 + exp(−|gap|)."""
    if u.shape[-1] == 2:
        gap = u[..., 1] - u[..., 0]
        shifted = np.empty_like(u)
        np.maximum(gap, 0, out=shifted[..., 0])
        np.maximum(-gap, 0, out=shifted[..., 1])
        s = np.abs(gap, out=gap)
        np.exp(np.negative(s, out=s), out=s)
        s += 1
    else:
        k = u.shape[-1]
        top = reduce(np.maximum, (u[..., j] for j in range(k)))
        shifted = top[..., None] - u
        s = reduce(np.add, (np.exp(-shifted[..., j]) for j in range(k)))
    shifted += np.log(s, out=s)[..., None]
    return np.minimum(shifted, LOG_CAP, out=shifted)


def _output(f: Activation, u: np.ndarray) -> np.ndarray:
    """f(u) of the output layer. Softmax is written out over its few columns: NumPy's max and
    sum along an axis of 2 to 10 values cost more than the rest of the landscape."""
    if f.name != "softmax":
        return f.forward(u)
    k = u.shape[-1]
    top = reduce(np.maximum, (u[..., j] for j in range(k)))
    e = np.exp(u - top[..., None])
    return e / reduce(np.add, (e[..., j] for j in range(k)))[..., None]
