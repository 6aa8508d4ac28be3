"""The network picture's links as lines: each link a smooth curve from the right edge of its
source node to the left edge of its target, drawn in braille dots (2 × 4 per cell), so that
a link stays one unbroken line however far it climbs in a narrow gap (Playground draws the
same curves in SVG).

The sign of w is in the line itself, for a terminal without colour: solid for w > 0, dashed
for w < 0; a link of at least half the layer's largest |w| is drawn two dots thick. Where links
cross, a cell shows the dots of all of them in the colour of the strongest.
"""

from __future__ import annotations

import numpy as np

#: Braille dot bits by (row, column) inside a cell.
DOT_BITS = np.array([[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]], np.int32)
BRAILLE = 0x2800
#: A negative link's dashes: this many dots on, as many off, along the line.
DASH = 2
#: Links drawn per gap at most, strongest first: more would only grey the gap out.
MAX_LINKS = 256
LINK_LEVELS = 4

Cell = tuple[str, tuple | None, tuple | None]
#: (weight layer l, source unit i, target unit j): the link of W_l[i, j].
Link = tuple[int, int, int]


def curve_dots(
    ya: np.ndarray, yb: np.ndarray, width: int, negative: np.ndarray, thick: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(link, x, y) of every dot of the curves from (0, ya[k]) to (width − 1, yb[k]) in dots:
    a smoothstep, level where it leaves and where it arrives; dashed where `negative`."""
    span = int(np.abs(yb - ya).max(initial=0))
    n = 2 * max(width, span) + 2
    t = np.linspace(0.0, 1.0, n)
    s = t * t * (3.0 - 2.0 * t)
    x = np.rint(np.broadcast_to(t * (width - 1), (len(ya), n)))
    y = np.rint(ya[:, None] + (yb - ya)[:, None] * s)
    # Each new dot along the line counts one: a dash is DASH dots whatever the slope.
    new = np.ones_like(x, bool)
    new[:, 1:] = (np.diff(x, axis=1) != 0) | (np.diff(y, axis=1) != 0)
    along = np.cumsum(new, axis=1) - 1
    keep = new & (~negative[:, None] | ((along // DASH) % 2 == 0))
    link = np.broadcast_to(np.arange(len(ya))[:, None], (len(ya), n))
    xs, ys, ks = x[keep], y[keep], link[keep]
    fat = thick[ks]
    return (
        np.concatenate([ks, ks[fat]]),
        np.concatenate([xs, xs[fat]]).astype(np.int64),
        np.concatenate([ys, ys[fat] + 1]).astype(np.int64),
    )


def gap_cells(
    x0: int,
    gap: int,
    height: int,
    ya: np.ndarray,
    yb: np.ndarray,
    w: np.ndarray,
    links: list[tuple[int, int]],
) -> tuple[dict[tuple[int, int], Cell], dict[tuple[int, int], int]]:
    """The cells of one gap (`gap` cells wide from x0) and, for each, the index into `links`
    of the strongest link through it. ya / yb are the links' ends in dots; w their weights."""
    if not links:
        return {}, {}
    top = float(np.abs(w).max())
    strength = np.abs(w) / top if top > 0 and np.isfinite(top) else np.zeros_like(w)
    k, x, y = curve_dots(ya, yb, 2 * gap, w < 0, strength >= 0.5)
    inside = (y >= 0) & (y < 4 * height) & (x >= 0) & (x < 2 * gap)
    k, x, y = k[inside], x[inside], y[inside]
    ids = (y // 4) * gap + x // 2
    bits = np.zeros(gap * height, np.int32)
    np.bitwise_or.at(bits, ids, DOT_BITS[y % 4, x % 2])
    rank = np.empty(len(w), np.int64)
    rank[np.argsort(np.abs(w), kind="stable")] = np.arange(len(w))
    best = np.full(gap * height, -1, np.int64)
    np.maximum.at(best, ids, rank[k])
    by_rank = np.argsort(rank)
    levels = np.maximum(1, np.ceil(strength * LINK_LEVELS)).astype(int) * np.where(w < 0, -1, 1)
    cells, hits = {}, {}
    for cell in np.flatnonzero(bits).tolist():
        win = int(by_rank[best[cell]])
        at = (x0 + cell % gap, cell // gap)
        cells[at] = (chr(BRAILLE + int(bits[cell])), ("link", int(levels[win])), None)
        hits[at] = win
    return cells, hits


def strongest(w: np.ndarray, n: int = MAX_LINKS) -> list[tuple[int, int]]:
    """The (i, j) of the n largest finite |w| (a diverged network's NaN and inf are not
    drawn)."""
    mag = np.where(np.isfinite(w), np.abs(w), -1.0)
    order = np.argsort(-mag, axis=None, kind="stable")[: min(n, int((mag >= 0).sum()))]
    return [divmod(int(f), w.shape[1]) for f in order.tolist()]
