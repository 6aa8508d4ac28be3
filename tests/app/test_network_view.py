"""The network picture: one node per unit, links whose glyph and colour follow the sign of w,
and a layout that shrinks (thumbnails, glyphs, "+N") but never leaves its box."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pytest
from rich.cells import cell_len
from textual.app import App, ComposeResult
from textual.color import Color

from tui_nn.app.main import make_app
from tui_nn.app.theme import theme_color
from tui_nn.app.widgets.network import NetworkView
from tui_nn.app.widgets.network_layout import map_levels, picture_cells, plan, thumbnails
from tui_nn.core.unitmaps import Picture

from helpers.pilot import aio, loaded


def flat_picture(layers, sign: float = 1.0, maps: bool = True) -> Picture:
    weights = tuple(np.full((a, b), sign) for a, b in pairwise(layers))
    grids = tuple(np.zeros((4, 4, n), np.float32) for n in layers) if maps else None
    names = tuple(f"x{i + 1}" for i in range(layers[0]))
    return Picture(weights, grids, ("tanh",) * (len(layers) - 1), names)


@pytest.mark.parametrize("layers", [(2, 2), (2, 8, 2), (7, 8, 8, 2), (2, 8, 8, 8, 8, 8, 8, 2)])
@pytest.mark.parametrize("size", [(29, 36), (46, 19), (20, 10)])
def test_every_unit_is_a_node_or_counted_and_nothing_leaves_the_box(layers, size) -> None:
    w, h = size
    layout = plan(layers, w, h, maps=True, names=2)
    cells = picture_cells(layout, *vars(flat_picture(layers)).values()).cells
    assert len(layout.nodes) == len(layers)
    for units, nodes, more in zip(layers, layout.nodes, layout.more, strict=True):
        assert len(nodes) + more == units
    cw, ch = layout.node_size
    assert all(
        x >= 0 and x + cw <= w and y >= 0 and y + ch <= h for n in layout.nodes for x, y in n
    )
    assert all(0 <= x < w and 0 <= y < h for x, y in cells)


def test_larger_networks_get_smaller_thumbnails_then_glyphs_then_a_count() -> None:
    assert plan((2, 8, 2), 29, 36, True, 2).thumb == (6, 3)
    assert plan((7, 8, 8, 2), 29, 36, True, 6).thumb == (4, 2)
    assert plan((2, 8, 8, 8, 2), 29, 36, True, 2).thumb == (2, 1)
    assert plan((2, 8, 8, 8, 8, 8, 8, 2), 29, 36, True, 2).thumb is None
    big = plan((2, 100, 2), 29, 20, True, 2)
    assert big.thumb is None and big.more == (0, 100 - 19, 0)
    cells = picture_cells(big, *vars(flat_picture((2, 100, 2))).values()).cells
    x, y = big.nodes[1][-1]
    assert "".join(cells[(x + k, y + 1)][0] for k in range(3)) == "+81"


def is_dots(glyph: str) -> bool:
    return len(glyph) == 1 and 0x2801 <= ord(glyph) <= 0x28FF


@pytest.mark.parametrize("sign, dashed", [(1.0, False), (-1.0, True)])
def test_a_link_is_a_line_solid_for_w_above_0_dashed_below(sign, dashed) -> None:
    """One link between two nodes on the same row: every cell of the gap has dots for w > 0;
    for w < 0 the line is dashed (cells without dots between cells with), with no colour."""
    layout = plan((1, 1), 30, 5, maps=False, names=0)
    (x0, y), (x1, _) = layout.nodes[0][0], layout.nodes[1][0]
    cells = picture_cells(layout, *vars(flat_picture((1, 1), sign, maps=False)).values()).cells
    row = [cells.get((x, y), (" ", None, None))[0] for x in range(x0 + 1, x1)]
    assert len(row) >= 4
    assert all(is_dots(g) for g in row) != dashed
    assert sum(is_dots(g) for g in row) >= len(row) // 2 - 1


def test_links_join_their_nodes_across_rows() -> None:
    """A 1-2 network whose targets sit far above and below the source: each link is drawn in
    every column of the gap (a line, not a stub at each end)."""
    layout = plan((1, 2), 20, 12, maps=False, names=0)
    x0 = layout.nodes[0][0][0]
    x1 = layout.nodes[1][0][0]
    cells = picture_cells(layout, *vars(flat_picture((1, 2), maps=False)).values()).cells
    for x in range(x0 + 1, x1):
        assert any(is_dots(cells.get((x, y), (" ",))[0]) for y in range(12)), x


class One(App):
    def __init__(self, picture: Picture, layers) -> None:
        super().__init__()
        self.picture, self.layers, self.lang = picture, layers, "en"

    def compose(self) -> ComposeResult:
        yield NetworkView(id="net")

    def on_mount(self) -> None:
        self.query_one(NetworkView).show(self.layers, self.picture)


def link_style(view: NetworkView):
    """The glyph and style of the first link cell drawn (a 1-1 network has one link)."""
    for strip in view._strips:
        for seg in strip:
            if seg.text and is_dots(seg.text[0]):
                return seg.text[0], seg.style
    raise AssertionError("no link drawn")


@pytest.mark.parametrize("w, theme_name", [(0.7, "primary"), (-0.7, "warning")])
@aio
async def test_a_links_colour_follows_the_sign_of_its_weight(w, theme_name) -> None:
    pic = Picture((np.array([[w]]),), None, ("identity",), ("x1",))
    app = One(pic, (1, 1))
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        view = app.query_one(NetworkView)
        _, style = link_style(view)
        base = theme_color(app, theme_name)
        bg = view.background_colors[1]
        got = Color(*style.color.triplet)
        assert got == bg.blend(base, 1.0)  # the strongest link: the full theme colour
        other = theme_color(app, "warning" if theme_name == "primary" else "primary")
        assert got != bg.blend(other, 1.0)


@pytest.mark.parametrize(
    "preset, layers", [("circle", (2, 8, 2)), ("spiral", (7, 8, 8, 2)), ("xor-quadrants", None)]
)
@aio
async def test_the_app_draws_one_node_per_unit(preset, layers) -> None:
    app = make_app(preset)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        view = app.main.query_one(NetworkView)
        await pilot.pause(0.3)
        assert view.picture is not None and view.border_title == "Network"
        want = layers or app.main.state.info.layers
        assert view.units == tuple(want)
        w, h = view.content_size
        layout = plan(view.units, w, h, True, max(map(len, view.picture.names)))
        assert [len(n) for n in layout.nodes] == list(want)
        assert layout.thumb is not None  # thumbnails at 120×40
        drawn = sum(s.text.count("▀") for s in view._strips)
        cw, ch = layout.thumb
        assert drawn == sum(want) * cw * ch


HOSTILE_NAMES = ("\x1b[31mred", "特徴量のなまえ", "[b]x[/b]", "a\u202eb", "x" * 5000, "")


@pytest.mark.parametrize("size", [(60, 30), (29, 36), (12, 6)])
@aio
async def test_hostile_names_nan_and_huge_layers_stay_inside_the_box(size) -> None:
    """Names from a data file (escapes, wide characters, markup, 5,000 characters), a diverged
    network's NaN and inf, and a 1,000-unit layer: every row is exactly the widget's width."""
    layers = (6, 1000, 2)
    weights = (np.full((6, 64), np.nan), np.full((64, 2), np.inf))
    maps = tuple(np.full((4, 4, n), np.nan if n == 6 else np.inf, np.float32) for n in (6, 64, 2))
    pic = Picture(weights, maps, ("tanh", "softmax"), HOSTILE_NAMES)
    app = One(pic, layers)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        view = app.query_one(NetworkView)
        w, h = view.content_size
        strips = view.build_strips()
        assert len(strips) == h and all(cell_len(s.text) == w for s in strips)
        text = "".join(s.text for s in strips)
        assert "\x1b" not in text and "\u202e" not in text


def test_no_more_nodes_than_the_worker_copies() -> None:
    layout = plan((2, 1000, 2), 40, 200, maps=True, names=2)
    assert len(layout.nodes[1]) == 64 - 1 and layout.more[1] == 1000 - 63
    cells = picture_cells(layout, *vars(flat_picture((2, 64, 2))).values()).cells
    assert all(0 <= y < 200 for _, y in cells)


def test_a_small_thumbnail_of_a_ramp_shows_both_ends() -> None:
    """x1 over a 16-pixel-wide plane in two cells: orange (−) left, blue (+) right."""
    xs = np.linspace(-5.6, 5.6, 16)
    levels = map_levels(np.tile(xs, (16, 1)), None)
    ((left, right),) = thumbnails(levels[:, :, None], 2, 1)[0]
    assert left[1][1] < 0 < right[1][1] and left[2][1] < 0 < right[2][1]


@pytest.mark.parametrize("size", [(29, 36), (46, 19), (12, 10)])
def test_a_network_too_deep_for_the_width_shows_how_many_layers_are_left_out(size) -> None:
    """40 layers in 29, 46 or 12 cells: the first layers, a "+N" for the rest of the hidden
    layers, and the output layer; N counts exactly the layers not drawn; nothing overflows."""
    layers = (2, *([8] * 38), 2)
    w, h = size
    layout = plan(layers, w, h, maps=True, names=2)
    assert layout.thumb is None and layout.columns[-1] == len(layers) - 1
    assert layout.skipped == len(layers) - len(layout.columns) > 0
    assert list(layout.columns[:-1]) == list(range(len(layout.columns) - 1))
    cells = picture_cells(layout, *vars(flat_picture(layers)).values()).cells
    x, y = layout.marker
    text = "".join(cells[(x + k, y)][0] for k in range(len(str(layout.skipped)) + 1))
    assert text == f"+{layout.skipped}"
    assert all(0 <= cx < w and 0 <= cy < h for cx, cy in cells)
