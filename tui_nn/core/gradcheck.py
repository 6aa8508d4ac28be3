"""Backprop checked against numerical gradients, the course's 勾配確認, at any size.

Every entry is compared while the check costs at most CHECK_BUDGET multiply-adds; a bigger
network (an allowed 8-million-parameter one would take days) gets a seeded sample of entries,
and says so. Progress is reported entry by entry, and ctrl+c stops it at once.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace

import numpy as np

from tui_nn.core.network import GradCheck, Network, numerical_gradient

#: Multiply-adds the numerical check may spend (two forward passes an entry). Past it, a
#: seeded sample of the entries is compared instead of all of them, and the check says so.
CHECK_BUDGET = 2_000_000_000
#: The fewest entries a sampled check compares; a layer's Python overhead, in multiply-adds.
MIN_SAMPLE, LAYER_COST = 20, 1_000


def check_entries(net: Network, rows: int) -> int:
    """How many entries gradient_check compares: all of them while two forward passes over
    `rows` samples for each fit CHECK_BUDGET, else as many as fit (at least MIN_SAMPLE)."""
    n_params = sum(p.size for p in net.params.values())
    per_pass = rows * n_params + LAYER_COST * len(net.layers)
    fits = CHECK_BUDGET // (2 * per_pass)
    return n_params if fits >= n_params else max(MIN_SAMPLE, fits)


def sample_entries(
    shapes: dict[str, tuple[int, ...]], k: int, seed: int = 0
) -> dict[str, list[tuple[int, ...]]]:
    """k entries drawn with `seed`: one in each parameter while k allows, the rest uniformly
    over all the entries, so that a small bias is checked beside a large W."""
    rng = np.random.default_rng(seed)
    names = list(shapes)
    sizes = np.array([math.prod(shapes[n]) for n in names], dtype=np.int64)
    first = rng.choice(len(names), min(k, len(names)), replace=False)
    picked = {int(i): {int(rng.integers(sizes[i]))} for i in first}
    starts = np.concatenate([[0], np.cumsum(sizes)])
    for flat in rng.choice(int(starts[-1]), min(k, int(starts[-1])), replace=False):
        if sum(map(len, picked.values())) >= k:
            break
        i = int(np.searchsorted(starts, flat, side="right") - 1)
        picked.setdefault(i, set()).add(int(flat - starts[i]))
    return {
        names[i]: [np.unravel_index(j, shapes[names[i]]) for j in sorted(js)]
        for i, js in sorted(picked.items())
    }


def gradient_check(
    net: Network,
    x: np.ndarray,
    d: np.ndarray,
    h: float = 1e-4,
    *,
    max_entries: int | None = None,
    seed: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> list[GradCheck]:
    """Compare backprop with numerical gradients, in float64 whatever the network's dtype.

    Every entry while there are at most `max_entries` (default: `check_entries`); past that a
    sample of them drawn with `seed`, and a parameter none of whose entries was drawn is left
    out. `progress(done, total)` is called after each entry (the check can take minutes).
    """
    net64 = Network(
        replace(net.cfg, dtype="float64"), {k: v.astype(np.float64) for k, v in net.params.items()}
    )
    x64, d64 = np.asarray(x, np.float64), np.asarray(d, np.float64)
    _, analytic = net64.gradient(x64, d64)
    analytic = {k: v.copy() for k, v in analytic.items()}
    shapes = {k: v.shape for k, v in net64.params.items()}
    total = sum(math.prod(s) for s in shapes.values())
    k = check_entries(net64, len(x64)) if max_entries is None else max_entries
    entries = None if k >= total else sample_entries(shapes, k, seed)
    count = total if entries is None else sum(map(len, entries.values()))
    tick = None if progress is None else (lambda done: progress(done, count))
    numeric = numerical_gradient(net64, x64, d64, h, entries, tick)
    if entries is None:
        return [_compare(name, a, numeric[name]) for name, a in analytic.items()]
    return [_compare(n, analytic[n], numeric[n], entries[n]) for n in analytic if n in entries]


def _compare(
    name: str, a: np.ndarray, n: np.ndarray, at: list[tuple[int, ...]] | None = None
) -> GradCheck:
    """Backprop `a` against numerical `n`, at the entries `at` (all when None)."""
    size = a.size
    if at is not None:
        where = tuple(zip(*at, strict=True))
        a, n, checked = a[where], n[where], len(at)
    else:
        checked = a.size
    denom = np.linalg.norm(a) + np.linalg.norm(n)
    rel = float(np.linalg.norm(a - n) / denom) if denom > 0 else 0.0
    return GradCheck(name, float(np.max(np.abs(a - n))), rel, checked, size)
