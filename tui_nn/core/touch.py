"""What the student changes by hand between two steps (a weight, a training point), and the
numbers shown for what they pick in the network picture: a unit's u and z on a sample, a
link's w and ∂E/∂w at the current step.

Call everything here from the thread that steps the trainer (the app's worker), between two
steps. `readings` leaves the trainer as it found it: the gradients it computes for ∂E/∂w
are put back, so the histogram of the last update still shows that update.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from tui_nn.core.errors import config_error

if TYPE_CHECKING:
    from tui_nn.core.trainer import Trainer


def set_weight(t: Trainer, name: str, index: tuple[int, int], value: float) -> float:
    """W[i, j] = value from the next step on, recorded in `t.edits`; the old value. Raises
    ConfigError for a value that is not a finite number or an index not in W."""
    W = t.net.params.get(name) if name.startswith("W") else None
    i, j = index
    if W is None or not (0 <= i < W.shape[0] and 0 <= j < W.shape[1]):
        raise config_error("err_weight_index", name=name, i=i, j=j)
    if not settable(value):
        raise config_error("err_weight_value", got=repr(value), field=f"{name}[{i}, {j}]")
    old = float(W[i, j])
    W[i, j] = value
    t.edits.append((t.step_count, name, (i, j), old, float(W[i, j])))
    return old


#: Far beyond any weight a student sets by hand, and small enough that one update cannot
#: overflow float64 on the way to a divergence message.
MAX_WEIGHT = 1e6


def settable(value: object) -> bool:
    """A weight the student may set by hand: a finite number within ±MAX_WEIGHT."""
    numeric = isinstance(value, int | float) and not isinstance(value, bool)
    return numeric and math.isfinite(value) and abs(value) <= MAX_WEIGHT


def _data_changed(t: Trainer) -> None:
    t.n_train = len(t.data.x_train)
    data = t.points.spec(t.preset.data)
    t.preset = replace(t.preset, data=data, raw={**t.preset.raw, "data": data})


def add_point(t: Trainer, x: float, y: float, cls: int) -> None:
    """Append (x, y) of class `cls` to the training set; it joins the current epoch's order."""
    data = t.data
    if data.points("train").shape[1] != 2 or not data.n_classes:
        raise config_error("err_points_plane", field="data.added_points")
    if not (math.isfinite(x) and math.isfinite(y)) or not 0 <= cls < data.n_classes:
        raise config_error(
            "err_points_labels", n=1, top=data.n_classes - 1, field="data.added_labels"
        )
    t.points.add(float(x), float(y), int(cls))
    xy = np.array([[x, y]], np.float64)
    d = np.zeros((1, data.d_train.shape[1]), data.d_train.dtype)
    if d.shape[1] == 1:
        d[0, 0] = cls
    else:
        d[0, cls] = 1
    x_in = data.inputs(xy).astype(data.x_train.dtype, copy=False)
    t.data = replace(
        data,
        x_train=np.concatenate([data.x_train, x_in]),
        d_train=np.concatenate([data.d_train, d]),
        raw_train=None if data.raw_train is None else np.concatenate([data.raw_train, xy]),
    )
    if t._order is not None and t.cfg.order != "with_replacement":
        t._order = np.append(t._order, len(t.data.x_train) - 1)
    else:
        t._order = None
    _data_changed(t)


def remove_nearest(t: Trainer, x: float, y: float) -> int | None:
    """Take out the training point nearest (x, y) (never the last one); its row or None."""
    pts = t.data.points("train")
    if len(pts) <= 1 or pts.shape[1] != 2 or not t.data.n_classes:
        return None
    row = int(np.argmin(np.hypot(pts[:, 0] - x, pts[:, 1] - y)))
    t.points.remove_row(row)
    data = t.data
    t.data = replace(
        data,
        x_train=np.delete(data.x_train, row, axis=0),
        d_train=np.delete(data.d_train, row, axis=0),
        raw_train=None if data.raw_train is None else np.delete(data.raw_train, row, axis=0),
    )
    if t._order is not None and t.cfg.order != "with_replacement":
        at = int(np.flatnonzero(t._order == row)[0])
        if at < t._pos:
            t._pos -= 1  # the epoch has one point fewer behind its position
        order = np.delete(t._order, at)
        t._order = order - (order > row)
    else:
        t._order = None
    t._last_batch = None
    _data_changed(t)
    if t._pos >= t.n_train:
        t._pos, t._order = 0, None
        t.epochs_done += 1
    return row


@dataclass(frozen=True)
class Readings:
    """The numbers of the picked node or link. `sample`: the training row the node's u and z
    are of (the first of the next mini-batch); `grad`: ∂E/∂w on that mini-batch."""

    node: tuple[int, int] | None = None
    u: float | None = None
    z: float | None = None
    sample: int | None = None
    link: tuple[int, int, int] | None = None
    w: float | None = None
    grad: float | None = None


def readings(
    t: Trainer, node: tuple[int, int] | None, link: tuple[int, int, int] | None
) -> Readings:
    """u and z of unit `node` = (layer, unit) on the next batch's first sample (layer 0: the
    input itself), and w and ∂E/∂w of `link` = (l, i, j), W_l[i, j], at the current step."""
    out = Readings(node=node, link=link)
    x, d, idx = t.peek_batch()
    with np.errstate(all="ignore"):
        if node is not None and node[0] <= len(t.net.layers):
            layer, unit = node
            z = x[:1].astype(np.float64)
            u = None
            for li in range(1, layer + 1):
                u = z @ t.net.params[f"W{li}"] + t.net.params[f"b{li}"]
                z = t.net.layers[li - 1].f.forward(u)
            if unit < z.shape[1]:
                out = replace(
                    out,
                    u=None if u is None else float(u[0, unit]),
                    z=float(z[0, unit]),
                    sample=int(idx[0]),
                )
        if link is not None:
            out = replace(out, **_link_readings(t, link, x, d))
    return out


def _link_readings(t: Trainer, link: tuple[int, int, int], x, d) -> dict:
    layer, i, j = link
    W = t.net.params.get(f"W{layer}")
    if W is None or not (i < W.shape[0] and j < W.shape[1]) or t.forward_only:
        return {}
    saved = t.net.grad.copy()  # the last update's gradients, which the histogram shows
    try:
        _, grads = t.gradients(x, d)
        grad = float(grads[f"W{layer}"][i, j])
    finally:
        t.net.grad[...] = saved
    return {"w": float(W[i, j]), "grad": grad}
