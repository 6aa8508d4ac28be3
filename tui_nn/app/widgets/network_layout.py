"""Where the network picture puts each node and link, as plain cells (no widget, no colour).

Layers are columns, one node per unit; a node is a thumbnail of its map over the input plane
(half-blocks: two pixels per cell, square), or one glyph when there is no room or no plane.
Links run between the columns as lines of braille dots (`network_links`): solid for w > 0,
dashed for w < 0, thick for the stronger half, so that the picture reads without colour too.
Cells carry keys, not colours: the widget turns ("map", level), ("link", level), ("sel",)
(the student's pick) and ("hot",) (a highlighted link) into the theme's colours.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rich.cells import cell_len

from tui_nn.app.widgets.network_links import Cell, Link, gap_cells, strongest
from tui_nn.core.unitmaps import MAX_UNITS

#: Thumbnail sizes tried in turn, in cells (cols, rows): 2 pixels per row, so each is square.
THUMBS = ((6, 3), (4, 2), (2, 1))
#: Shade levels of a map on each side of zero.
MAP_LEVELS = 4
NODE_GLYPH = "●"
MIN_GAP = 2
#: Widest name of an input feature shown left of the inputs (sin_x1 whole).
NAME_WIDTH = 6


@dataclass(frozen=True)
class Layout:
    """Node positions: `nodes[c]` holds the (x, y) of the top-left cell of each unit shown in
    column c, which is layer `columns[c]` of the network; `more[c]` how many of its units are
    not shown. A network too deep for the width shows its first layers and its output, and
    `skipped` layers between them are a "+N" at `marker` (x, y)."""

    thumb: tuple[int, int] | None
    gap: int
    name_width: int
    nodes: tuple[tuple[tuple[int, int], ...], ...]
    more: tuple[int, ...]
    columns: tuple[int, ...] = ()
    skipped: int = 0
    marker: tuple[int, int] = (0, 0)

    @property
    def node_size(self) -> tuple[int, int]:
        return self.thumb or (1, 1)


def fits(layers: tuple[int, ...], size: tuple[int, int], width: int, height: int) -> bool:
    cols, rows = size
    room = (height + 1) // (rows + 1)
    return len(layers) * cols + (len(layers) - 1) * MIN_GAP <= width and max(layers) <= room


def shown_columns(n: int, width: int) -> tuple[list[int], int]:
    """Which layers get a column of one-cell nodes in `width` cells, and the width of the
    "+N" marker standing for the others (0: every layer fits)."""
    if 2 * n - 1 <= width:
        return list(range(n)), 0
    for k in range(n - 2, 0, -1):  # k leading layers, the marker, the output layer
        marker = len(f"+{n - 1 - k}")
        if 2 * (k + 1) + marker <= width:
            return [*range(k), n - 1], marker
    return list(range(max(1, (width + 1) // 2))), 0  # not even that: what fits, left first


def plan(layers: tuple[int, ...], width: int, height: int, maps: bool, names: int) -> Layout:
    """The largest thumbnails every unit fits with; else glyphs, then "+N" per column, then
    "+N" for the middle layers. `names` is the longest input name's length (0: none shown)."""
    n = len(layers)
    # The names go first when even one-cell nodes with one-cell gaps would not fit beside them.
    wanted = min(names, NAME_WIDTH) + 1 if names else 0
    name_width = wanted if width - wanted >= 2 * n - 1 else 0
    room_w = width - name_width
    thumb = next((s for s in THUMBS if maps and fits(layers, s, room_w, height)), None)
    cols, rows = thumb or (1, 1)
    shown, marker = shown_columns(n, room_w) if thumb is None else (list(range(n)), 0)
    slots = len(shown) + (1 if marker else 0)
    used_w = len(shown) * cols + marker
    gap = max(1, min(8, (room_w - used_w) // max(slots - 1, 1)))
    vgap = 1 if thumb else 0  # glyph nodes stack; thumbnails keep a row apart
    # The worker copies at most MAX_UNITS units per layer: never more nodes than that.
    per_column = min(max(1, (height + vgap) // (rows + vgap)), MAX_UNITS)
    nodes, more, columns, x, spot = [], [], [], name_width, (0, 0)
    for layer in shown:
        if marker and layer == n - 1:
            spot, x = (x, max(0, (height - 1) // 2)), x + marker + gap
        units = layers[layer]
        count = units if units <= per_column else max(per_column - 1, 0)
        used = count * rows + max(count - 1, 0) * vgap + (1 if count < units else 0)
        top = max(0, (height - used) // 2)
        if x + cols > width:
            break
        nodes.append(tuple((x, top + k * (rows + vgap)) for k in range(count)))
        more.append(units - count)
        columns.append(layer)
        x += cols + gap
    skipped = n - len(columns) if marker else 0
    return Layout(thumb, gap, name_width, tuple(nodes), tuple(more), tuple(columns), skipped, spot)


def map_levels(values: np.ndarray, activation: str | None) -> np.ndarray:
    """A unit's map (h × w), or a layer's (h × w × units), as signed levels −MAP_LEVELS..
    MAP_LEVELS: outputs in [0, 1] (sigmoid, softmax) around 0.5, any other around 0 on the
    scale of each map's largest |value|."""
    if activation in ("sigmoid", "softmax"):
        t = 2.0 * values - 1.0
    else:
        with np.errstate(invalid="ignore"):
            scale = np.abs(values).max(axis=(0, 1), keepdims=True) if values.size else 0.0
        ok = (scale > 0) & (scale < np.inf)
        with np.errstate(invalid="ignore", divide="ignore"):
            t = np.where(ok, values / np.where(ok, scale, 1.0), 0.0)
    t = np.nan_to_num(t, nan=0.0)  # a diverged network: its NaN maps show as blank
    return np.rint(np.clip(t, -1.0, 1.0) * MAP_LEVELS).astype(np.int32)


def thumbnails(levels: np.ndarray, cols: int, rows: int) -> list[list[list[Cell]]]:
    """Each unit's map of a layer's levels (h × w × units) as rows of ▀ cells."""
    h, w, _ = levels.shape
    # The centre of each block of pixels, so that a ramp shows both of its ends.
    r = (2 * np.arange(2 * rows) + 1) * h // (4 * rows)
    c = (2 * np.arange(cols) + 1) * w // (2 * cols)
    # Plain ints, unit first: indexing an array per cell is slow.
    px = levels[np.ix_(r, c)].transpose(2, 0, 1).tolist()
    return [
        [
            [("▀", ("map", t), ("map", b)) for t, b in zip(u[2 * i], u[2 * i + 1], strict=True)]
            for i in range(rows)
        ]
        for u in px
    ]


@dataclass(frozen=True)
class Marks:
    """What the student picked: a node (layer, unit), a link (l, i, j) of W_l[i, j], and a link
    to highlight (the one that changed most, or a parameter of the landscape)."""

    node: tuple[int, int] | None = None
    link: Link | None = None
    highlight: Link | None = None


#: What a cell of the picture stands for: ("node", layer, unit) or ("link", l, i, j).
Hit = tuple


@dataclass
class Drawn:
    """Every drawn cell by (x, y), and what a click on each would pick."""

    cells: dict[tuple[int, int], Cell]
    hits: dict[tuple[int, int], Hit]


def node_centre(layout: Layout, x: int, y: int) -> int:
    """The row of dots a link leaves or enters a node at (its middle)."""
    rows = layout.node_size[1]
    return 4 * y + 2 * rows - 1


def draw_links(layout: Layout, weights: tuple[np.ndarray, ...], out: Drawn, marks: Marks) -> None:
    """The links between each pair of neighbouring columns (not across a "+N" marker)."""
    cols = layout.node_size[0]
    height = 1 + max((y for nodes in layout.nodes for _, y in nodes), default=0)
    height += layout.node_size[1]
    for c in range(len(layout.nodes) - 1):
        layer = layout.columns[c]
        src, dst = layout.nodes[c], layout.nodes[c + 1]
        if layout.columns[c + 1] != layer + 1 or not src or not dst:
            continue
        w = weights[layer][: len(src), : len(dst)]
        links = strongest(w)
        if not links:
            continue
        ij = np.array(links)
        ya = np.array([node_centre(layout, *p) for p in src], float)[ij[:, 0]]
        yb = np.array([node_centre(layout, *p) for p in dst], float)[ij[:, 1]]
        ws = w[ij[:, 0], ij[:, 1]]
        x0 = src[0][0] + cols
        gap = dst[0][0] - x0
        cells, hits = gap_cells(x0, gap, height, ya, yb, ws, links)
        out.cells.update(cells)
        for at, k in hits.items():
            out.hits[at] = ("link", layer + 1, *links[k])
        for mark, key in ((marks.highlight, "hot"), (marks.link, "sel")):
            if mark is not None and mark[0] == layer + 1 and (mark[1], mark[2]) in links:
                k = links.index((mark[1], mark[2]))
                one, _ = gap_cells(
                    x0, gap, height, ya[k : k + 1], yb[k : k + 1], ws[k : k + 1], [links[k]]
                )
                for at in one:
                    glyph = out.cells.get(at, one[at])[0]
                    out.cells[at] = (glyph, (key,), None)


def draw_node(out: Drawn, layout: Layout, layer: int, unit: int, x: int, y: int, thumb) -> None:
    cols, rows = layout.node_size
    if thumb is None:
        out.cells[(x, y)] = (NODE_GLYPH, ("node",), None)
    else:
        for i, row in enumerate(thumb):
            for j, cell in enumerate(row):
                out.cells[(x + j, y + i)] = cell
    for i in range(rows):
        for j in range(cols):
            out.hits[(x + j, y + i)] = ("node", layer, unit)


def mark_node(out: Drawn, layout: Layout, x: int, y: int) -> None:
    """Brackets either side of the selected node (its own cells stay its map)."""
    cols, rows = layout.node_size
    for i in range(rows):
        out.cells[(x - 1, y + i)] = ("▐" if rows > 1 else "▸", ("sel",), None)
        out.cells[(x + cols, y + i)] = ("▌" if rows > 1 else "◂", ("sel",), None)


def picture_cells(
    layout: Layout,
    weights: tuple[np.ndarray, ...],
    maps: tuple[np.ndarray, ...] | None,
    activations: tuple[str, ...],
    names: tuple[str, ...],
    marks: Marks | None = None,
) -> Drawn:
    """Every drawn cell of the picture, by (x, y), and what each stands for."""
    marks = marks or Marks()
    out = Drawn({}, {})
    draw_links(layout, weights, out, marks)
    rows = layout.node_size[1]
    for c, nodes in enumerate(layout.nodes):
        layer = layout.columns[c]
        f = activations[layer - 1] if layer else None
        thumbs = [None] * len(nodes)
        if layout.thumb is not None and maps is not None and nodes:
            levels = map_levels(maps[layer][:, :, : len(nodes)], f)
            thumbs = thumbnails(levels, *layout.thumb)
        for unit, (x, y) in enumerate(nodes):
            draw_node(out, layout, layer, unit, x, y, thumbs[unit])
            if layer == 0 and unit < len(names) and layout.name_width:
                put_text(out.cells, 0, y + rows // 2, clip(names[unit], layout.name_width - 1))
            if marks.node == (layer, unit):
                mark_node(out, layout, x, y)
        if layout.more[c]:
            x, y = nodes[-1] if nodes else (layout.name_width, -rows)
            put_text(out.cells, x, y + rows, f"+{layout.more[c]}")
    if layout.skipped:
        put_text(out.cells, *layout.marker, f"+{layout.skipped}")
    return out


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
