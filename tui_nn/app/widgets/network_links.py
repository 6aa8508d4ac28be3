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
#: Each braille glyph by its dot bits, and each link level's colour key, made once.
GLYPHS = [chr(BRAILLE + bits) for bits in range(256)]
KEYS = {v: ("link", v) for v in range(-LINK_LEVELS, LINK_LEVELS + 1)}

Cell = tuple[str, tuple | None, tuple | None]
#: (weight layer l, source unit i, target unit j): the link of W_l[i, j].
Link = tuple[int, int, int]


def curve_dots(
    ya: np.ndarray, yb: np.ndarray, width: int, negative: np.ndarray, thick: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(link, x, y) of every dot of the curves from (0, ya[k]) to (width − 1, yb[k]) in dots:
    a smoothstep, level where it leaves and where it arrives; dashed where `negative`.

    Each column of dots gets the run of rows the curve crosses in it, so a steep line is
    unbroken with one dot per row (and no more dots than that to draw)."""
    k_links = len(ya)
    edges = np.clip(np.arange(width + 1) - 0.5, 0, max(width - 1, 0)) / max(width - 1, 1)
    y = ya[:, None] + (yb - ya)[:, None] * (edges * edges * (3.0 - 2.0 * edges))
    lo = np.rint(np.minimum(y[:, :-1], y[:, 1:])).astype(np.int64)
    hi = np.rint(np.maximum(y[:, :-1], y[:, 1:])).astype(np.int64)
    counts = (hi - lo + 1).ravel()
    starts = np.cumsum(counts) - counts
    offset = np.arange(int(counts.sum())) - np.repeat(starts, counts)
    ys = np.repeat(lo.ravel(), counts) + offset
    xs = np.repeat(np.tile(np.arange(width), k_links), counts)
    ks = np.repeat(np.repeat(np.arange(k_links), width), counts)
    # Dots along the line so far: a dash is DASH dots whatever the slope.
    before = np.cumsum(counts.reshape(k_links, width), axis=1) - counts.reshape(k_links, width)
    along = np.repeat(before.ravel(), counts) + offset
    keep = ~negative[ks] | ((along // DASH) % 2 == 0)
    ks, xs, ys = ks[keep], xs[keep], ys[keep]
    steep = np.repeat(counts > 1, counts)[keep]
    fat = thick[ks]  # a second dot beside each: to the right where steep, below where flat
    return (
        np.concatenate([ks, ks[fat]]),
        np.concatenate([xs, xs[fat] + steep[fat]]),
        np.concatenate([ys, ys[fat] + ~steep[fat]]),
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
    drawn = np.flatnonzero(bits)
    wins = by_rank[best[drawn]]
    at = list(zip((x0 + drawn % gap).tolist(), (drawn // gap).tolist(), strict=True))
    keys = [KEYS[v] for v in levels[wins].tolist()]
    glyphs = [GLYPHS[b] for b in bits[drawn].tolist()]
    cells = {a: (g, key, None) for a, g, key in zip(at, glyphs, keys, strict=True)}
    return cells, dict(zip(at, wins.tolist(), strict=True))


def strongest(w: np.ndarray, n: int = MAX_LINKS) -> list[tuple[int, int]]:
    """The (i, j) of the n largest finite |w| (a diverged network's NaN and inf are not
    drawn)."""
    mag = np.where(np.isfinite(w), np.abs(w), -1.0)
    order = np.argsort(-mag, axis=None, kind="stable")[: min(n, int((mag >= 0).sum()))]
    return [divmod(int(f), w.shape[1]) for f in order.tolist()]
