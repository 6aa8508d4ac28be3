"""Where the network picture puts each node and link, as plain cells (no widget, no colour).

Layers are columns, one node per unit; a node is a thumbnail of its map over the input plane
(half-blocks: two pixels per cell, square), or one glyph when there is no room or no plane.
Links run between the columns: each cell of a gap takes the strongest link through it, drawn
with a glyph that says the sign of w (━ ─ for w > 0, ╍ ╌ for w < 0; heavy for the stronger
half), so that the picture reads without colour too. Cells carry keys, not colours: the widget
turns ("map", level) and ("link", level) into the theme's colours.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from rich.cells import cell_len

from tui_nn.core.unitmaps import MAX_UNITS

#: Thumbnail sizes tried in turn, in cells (cols, rows): 2 pixels per row, so each is square.
THUMBS = ((6, 3), (4, 2), (2, 1))
#: Shade levels of a map on each side of zero, and of a link's strength.
MAP_LEVELS = 4
LINK_LEVELS = 4
POS_GLYPHS, NEG_GLYPHS = ("─", "━"), ("╌", "╍")
NODE_GLYPH = "●"
MIN_GAP = 2
#: Widest name of an input feature shown left of the inputs (sin_x1 whole).
NAME_WIDTH = 6

Cell = tuple[str, tuple | None, tuple | None]  # glyph, foreground key, background key


@dataclass(frozen=True)
class Layout:
    """Node positions: `nodes[l]` holds the (x, y) of the top-left cell of each unit shown
    in layer l; `more[l]` how many units of layer l are not shown."""

    thumb: tuple[int, int] | None
    gap: int
    name_width: int
    nodes: tuple[tuple[tuple[int, int], ...], ...]
    more: tuple[int, ...]

    @property
    def node_size(self) -> tuple[int, int]:
        return self.thumb or (1, 1)


def fits(layers: tuple[int, ...], size: tuple[int, int], width: int, height: int) -> bool:
    cols, rows = size
    room = (height + 1) // (rows + 1)
    return len(layers) * cols + (len(layers) - 1) * MIN_GAP <= width and max(layers) <= room


def plan(layers: tuple[int, ...], width: int, height: int, maps: bool, names: int) -> Layout:
    """The largest thumbnails every unit fits with; else glyphs, then "+N" per column.
    `names` is the longest input name's length (0: none shown)."""
    n = len(layers)
    # The names go first when even one-cell nodes with one-cell gaps would not fit beside them.
    wanted = min(names, NAME_WIDTH) + 1 if names else 0
    name_width = wanted if width - wanted >= 2 * n - 1 else 0
    room_w = width - name_width
    thumb = next((s for s in THUMBS if maps and fits(layers, s, room_w, height)), None)
    cols, rows = thumb or (1, 1)
    vgap = 1 if thumb else 0  # glyph nodes stack; thumbnails keep a row apart
    gap = max(1, min(8, (room_w - n * cols) // max(n - 1, 1)))
    # The worker copies at most MAX_UNITS units per layer: never more nodes than that.
    per_column = min(max(1, (height + vgap) // (rows + vgap)), MAX_UNITS)
    nodes, more = [], []
    for i, units in enumerate(layers):
        shown = units if units <= per_column else max(per_column - 1, 0)
        used = shown * rows + max(shown - 1, 0) * vgap + (1 if shown < units else 0)
        top = max(0, (height - used) // 2)
        x = name_width + i * (cols + gap)
        if x + cols > width:
            break
        nodes.append(tuple((x, top + k * (rows + vgap)) for k in range(shown)))
        more.append(units - shown)
    return Layout(thumb, gap, name_width, tuple(nodes), tuple(more))


def map_levels(values: np.ndarray, activation: str | None) -> np.ndarray:
    """A unit's map as signed levels −MAP_LEVELS..MAP_LEVELS: outputs in [0, 1] (sigmoid,
    softmax) around 0.5, any other around 0 on the scale of the map's largest |value|."""
    if activation in ("sigmoid", "softmax"):
        t = 2.0 * values - 1.0
    else:
        scale = float(np.abs(values).max()) if values.size else 0.0
        t = values / scale if 0 < scale < np.inf else np.zeros_like(values)
    t = np.nan_to_num(t, nan=0.0)  # a diverged network: its NaN maps show as blank
    return np.rint(np.clip(t, -1.0, 1.0) * MAP_LEVELS).astype(np.int32)


def thumbnail(levels: np.ndarray, cols: int, rows: int) -> list[list[Cell]]:
    """A map of levels resampled to cols × 2·rows pixels, as rows of ▀ cells."""
    h, w = levels.shape
    # The centre of each block of pixels, so that a ramp shows both of its ends.
    r = (2 * np.arange(2 * rows) + 1) * h // (4 * rows)
    c = (2 * np.arange(cols) + 1) * w // (2 * cols)
    px = levels[np.ix_(r, c)].tolist()  # plain ints: indexing an array per cell is slow
    return [
        [("▀", ("map", t), ("map", b)) for t, b in zip(px[2 * i], px[2 * i + 1], strict=True)]
        for i in range(rows)
    ]


def link_cells(
    layout: Layout, layer: int, w: np.ndarray, cells: dict[tuple[int, int], Cell]
) -> None:
    """The links from layer `layer` to the next into `cells`: the strongest wins a cell."""
    src, dst = layout.nodes[layer], layout.nodes[layer + 1]
    cols, rows = layout.node_size
    w = w[: len(src), : len(dst)]
    top = float(np.abs(w).max()) if w.size else 0.0
    if top == 0 or not np.isfinite(top):
        return
    x0 = src[0][0] + cols
    # Weakest first, so that where links cross, the strongest is drawn last and stays.
    values = w.ravel().tolist()
    steps = [(x0 + k, (k + 0.5) / layout.gap) for k in range(layout.gap)]
    for flat in np.argsort(np.abs(w), axis=None, kind="stable").tolist():
        i, j = divmod(flat, w.shape[1])
        a, b = src[i][1] + rows // 2, dst[j][1] + rows // 2
        cell = link_cell(values[flat], abs(values[flat]) / top)
        for x, t in steps:
            cells[(x, round(a + (b - a) * t))] = cell


def link_cell(w: float, strength: float) -> Cell:
    level = max(1, math.ceil(strength * LINK_LEVELS))
    glyphs = POS_GLYPHS if w >= 0 else NEG_GLYPHS
    return (glyphs[strength >= 0.5], ("link", level if w >= 0 else -level), None)


def picture_cells(
    layout: Layout,
    weights: tuple[np.ndarray, ...],
    maps: tuple[np.ndarray, ...] | None,
    activations: tuple[str, ...],
    names: tuple[str, ...],
) -> dict[tuple[int, int], Cell]:
    """Every drawn cell of the picture, by (x, y)."""
    cells: dict[tuple[int, int], Cell] = {}
    for layer in range(len(layout.nodes) - 1):
        link_cells(layout, layer, weights[layer], cells)
    cols, rows = layout.node_size
    for layer, nodes in enumerate(layout.nodes):
        f = activations[layer - 1] if layer else None
        for unit, (x, y) in enumerate(nodes):
            if layout.thumb is None or maps is None:
                cells[(x, y)] = (NODE_GLYPH, ("node",), None)
            else:
                levels = map_levels(maps[layer][:, :, unit], f)
                for i, row in enumerate(thumbnail(levels, cols, rows)):
                    for j, cell in enumerate(row):
                        cells[(x + j, y + i)] = cell
            if layer == 0 and unit < len(names) and layout.name_width:
                put_text(cells, 0, y + rows // 2, clip(names[unit], layout.name_width - 1))
        if layout.more[layer]:
            x, y = nodes[-1] if nodes else (layout.name_width, -rows)
            put_text(cells, x, y + rows, f"+{layout.more[layer]}")
    return cells


def put_text(cells: dict[tuple[int, int], Cell], x: int, y: int, text: str) -> None:
    """Text from (x, y) on: a wide character takes two cells (the second holds nothing)."""
    for ch in text:
        cells[(x, y)] = (ch, ("text",), None)
        if cell_len(ch) == 2:
            x += 1
            cells[(x, y)] = ("", ("text",), None)
        x += 1


def clip(text: str, width: int) -> str:
    """The longest start of `text` at most `width` cells wide."""
    out, used = [], 0
    for ch in text:
        used += cell_len(ch)
        if used > width:
            break
        out.append(ch)
    return "".join(out)
