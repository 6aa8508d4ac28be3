"""The landscape of two parameters: E over a grid of values of two of them, every other one
held where it is (computed by `tui_nn.core.landscape_grid`), with the path training has taken
through that plane.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from tui_nn.core.boundary import pixel_centres
from tui_nn.core.errors import config_error
from tui_nn.core.landscape_grid import loss_grid
from tui_nn.core.landscape_param import Param, flat_position, label_of
from tui_nn.core.network import Network

#: Array elements (grid points × samples × widest layer) one landscape may go through: beyond
#: it E is the mean over a seeded sample of the training set, and the view says so.
MAX_WORK = 50_000_000
#: Longest text read as a parameter name (W12[255,1023] is 15 characters).
MAX_NAME = 40
_NAME = re.compile(r"\s*([WwBb])\s*(\d{1,4})\s*\[([\d\s,\]\[]*)\]\s*")


def parse_param(text: str, layers: list[int]) -> Param:
    """`W1[0,1]`, `w1[0][1]` or `b2[0]` of a network with these layer sizes; a ConfigError of
    one line (naming the parameters there are, or the shape) for anything else."""
    if not text.strip():
        raise config_error("err_param_empty")
    m = _NAME.fullmatch(text) if len(text) <= MAX_NAME else None
    if m is None:
        raise config_error("err_param_syntax", got=repr(text[:MAX_NAME]))
    kind, layer = m.group(1).upper(), int(m.group(2))
    name = f"{'W' if kind == 'W' else 'b'}{layer}"
    index = tuple(int(i) for i in re.findall(r"\d+", m.group(3)))
    if not 1 <= layer < len(layers):
        names = [f"{p}{i}" for i in range(1, len(layers)) for p in ("W", "b")]
        raise config_error("err_no_param", name=name, names=", ".join(names))
    shape = (layers[layer - 1], layers[layer]) if kind == "W" else (layers[layer],)
    if len(index) != len(shape):
        form = f"{name}[i,j]" if kind == "W" else f"{name}[j]"
        raise config_error("err_param_arity", name=name, n=len(shape), form=form)
    if any(i >= n for i, n in zip(index, shape, strict=True)):
        raise config_error("err_param_index", got=label_of(name, index), name=name, shape=shape)
    return Param(name, index, layer, flat_position(layers, layer, kind == "W", index))


def parse_pair(first: str, second: str, layers: list[int]) -> tuple[Param, Param]:
    """Two different parameters, by name."""
    p, q = parse_param(first, layers), parse_param(second, layers)
    if p.flat == q.flat:
        raise config_error("err_param_twice", got=p.label)
    return p, q


def axis_range(current: float, path: np.ndarray, pad: float = 0.1) -> tuple[float, float]:
    """The values one axis covers: the path and the current value with a margin, and at least
    max(1, |current|) either side of the current value (a flat start still shows a valley)."""
    half = max(1.0, abs(current))
    lo, hi = current - half, current + half
    finite = path[np.isfinite(path)] if len(path) else path
    if len(finite):
        lo, hi = min(lo, float(finite.min())), max(hi, float(finite.max()))
    margin = (hi - lo) * pad
    return lo - margin, hi + margin


class Trajectory:
    """θ after every update (and where training started), in bounded memory: when full, the
    older half is thinned to every other row and the newer half kept as it is, so the last
    steps (where a too-large η zigzags) are always there update by update.

    Columns are all of θ for a network small enough (`columns=None`), or the positions given
    (a pair chosen on a large network, recorded from the moment it was chosen).
    """

    #: Bytes the rows may take, and the most rows kept.
    BUDGET, MAX_ROWS = 16 << 20, 4096

    def __init__(self, size: int, columns: np.ndarray | None = None) -> None:
        self.columns = None if columns is None else np.asarray(columns, dtype=np.intp)
        width = size if columns is None else len(self.columns)
        self.capacity = int(min(self.MAX_ROWS, self.BUDGET // (8 * (width + 1))))
        self._rows = np.empty((max(self.capacity, 0), width))
        self._steps = np.empty(max(self.capacity, 0), dtype=np.int64)
        self.n = 0

    @classmethod
    def fits(cls, size: int) -> bool:
        """Whether every parameter of a network this size can be recorded (256 rows at least)."""
        return cls.BUDGET // (8 * (size + 1)) >= 256

    def record(self, step: int, theta: np.ndarray) -> None:
        """θ after `step` updates. A smaller step than the last one is a new run (a reset);
        the same step again is a change without an update (weights set or put back)."""
        n = self.n
        if n and step < self._steps[n - 1]:
            n = 0
        elif n and step == self._steps[n - 1]:
            n -= 1
        elif n == self.capacity:
            n = self._thin()
        self._rows[n] = theta if self.columns is None else theta[self.columns]
        self._steps[n] = step
        self.n = n + 1

    def _thin(self) -> int:
        half = self.n // 2
        keep = np.r_[np.arange(0, half, 2), np.arange(half, self.n)]
        self._rows[: len(keep)] = self._rows[keep]
        self._steps[: len(keep)] = self._steps[keep]
        return len(keep)

    def path(self, p: Param, q: Param) -> tuple[np.ndarray, np.ndarray]:
        """(steps, n × 2 values of p and q) as recorded, oldest first."""
        cols = [self._column(p.flat), self._column(q.flat)]
        return self._steps[: self.n].copy(), self._rows[: self.n][:, cols].copy()

    def _column(self, flat: int) -> int:
        if self.columns is None:
            return flat
        return int(np.flatnonzero(self.columns == flat)[0])


@dataclass(frozen=True)
class Landscape:
    """E over a grid of two parameters' values, and the path training took through it."""

    p: Param
    q: Param
    p_range: tuple[float, float]
    q_range: tuple[float, float]
    #: rows × cols, row 0 at the top (the largest q), column 0 at the left (the smallest p).
    E: np.ndarray
    step: int  # the updates done when E was computed
    path_steps: np.ndarray
    path: np.ndarray  # n × 2: p, q after each recorded step
    current: tuple[float, float]
    samples: int  # training samples E is the mean over
    of_samples: int  # training samples there are


def landscape(
    net: Network,
    x: np.ndarray,
    d: np.ndarray,
    pair: tuple[Param, Param],
    path: tuple[np.ndarray, np.ndarray],
    step: int,
    size: tuple[int, int] = (60, 40),
) -> Landscape:
    """The landscape of `pair` around the current weights, over a range that takes in the
    path (steps, values); cols × rows points, each E at a pixel's centre."""
    p, q = pair
    cols, rows = size
    now = (float(net.theta[p.flat]), float(net.theta[q.flat]))
    steps, values = path
    p_range = axis_range(now[0], values[:, 0])
    q_range = axis_range(now[1], values[:, 1])
    p_values = pixel_centres(*p_range, cols)
    q_values = pixel_centres(*q_range, rows)[::-1]
    rows_used = sample_rows(len(x), cols * rows, max(net.cfg.layers[min(p.layer, q.layer) - 1 :]))
    xs, ds = (x, d) if rows_used is None else (x[rows_used], d[rows_used])
    grid = loss_grid(net, xs, ds, p, q, p_values, q_values)
    return Landscape(p, q, p_range, q_range, grid, step, steps, values, now, len(xs), len(x))


def sample_rows(n: int, cells: int, widest: int) -> np.ndarray | None:
    """The training samples a landscape of `cells` grid points may afford (None: all of them):
    a seeded, sorted choice when all would cost more than MAX_WORK array elements."""
    afford = MAX_WORK // max(1, cells * widest)
    if n <= afford:
        return None
    return np.sort(np.random.default_rng(0).choice(n, size=max(afford, 1), replace=False))
