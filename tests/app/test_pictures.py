"""Pictures that do not mislead: the decision boundary keeps the data's aspect ratio (a circle
is round at any size), the gradient-norm panel gives each layer its own colour and its latest
‖∂E/∂W_l‖, and 3-D data shows its slice in the title and moves it from anywhere."""

from __future__ import annotations

import itertools

import numpy as np
from textual.color import Color

from tui_nn.app.main import make_app
from tui_nn.app.snapshot import PAUSED, ModelInfo, take
from tui_nn.app.widgets.boundary import BoundaryView, letterbox
from tui_nn.app.widgets.charts import LAYER_COLORS, GradNormChart, short, wrap_entries
from tui_nn.core import Trainer, load

from helpers.boundary import BoundaryApp, xor_trainer
from helpers.pilot import aio, loaded, settled, until


def test_letterbox_keeps_the_ratio_and_fills_one_side() -> None:
    assert letterbox(118, 76, 1.0) == (76, 76)  # wide panel: full height, centred across
    assert letterbox(29, 74, 1.0) == (29, 29)  # tall panel: full width
    assert letterbox(100, 50, 2.0) == (100, 50)
    assert letterbox(1, 1, 5.0) == (1, 1)  # never nothing


async def square_check(size: tuple[int, int]) -> None:
    """XOR's extent is [-0.5, 1.5]²: as many pixels across as down, pixels square, centred."""
    app = BoundaryApp(xor_trainer())
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        view = app.query_one(BoundaryView)
        cols, rows = view.pixel_size
        w, h = view.content_size
        assert cols == rows and (cols == w or rows in (2 * h, 2 * h - 1))
        assert view.grid.shape == (rows, cols)
        strips = view._strips
        lit = [i for i, s in enumerate(strips) if s.text.strip()]
        top, cells = lit[0], len(lit)
        assert cells == rows // 2 and abs(top - (h - cells - top)) <= 1  # centred down
        row = strips[lit[0]].text
        left, right = len(row) - len(row.lstrip()), w - len(row.rstrip())
        assert abs(left - right) <= 1 and len(row.strip()) == cols  # centred across


@aio
async def test_the_boundary_is_square_in_a_wide_and_in_a_tall_panel() -> None:
    for size in [(120, 40), (60, 20), (40, 40), (200, 30)]:
        await square_check(size)


@aio
async def test_sphere4_slice_keys_work_unfocused_and_the_title_says_z() -> None:
    app = make_app("sphere4", lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await until(pilot, lambda: bool(app.main.query(BoundaryView)))
        view = app.main.query_one(BoundaryView)
        await until(pilot, lambda: view.grid is not None)
        assert not view.has_focus and view.border_title == "Boundary at z = +0.0"
        await pilot.press("z", "z", "Z", "z")  # focus stays where it was
        await until(pilot, lambda: view.grid.z == 1.0)
        assert not view.has_focus and view.border_title == "Boundary at z = +1.0"
        width = view.outer_size.width - 4  # the title fits between the corners
        assert len(view.border_title) <= width


@aio
async def test_a_grid_asked_for_before_the_last_z_key_does_not_move_the_slice_back() -> None:
    app = make_app("sphere4", lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await until(pilot, lambda: bool(app.main.query(BoundaryView)))
        view = app.main.query_one(BoundaryView)
        await until(pilot, lambda: view.grid is not None)
        old = view.grid  # the grid of z = 0, as a late answer would bring it
        await pilot.press("z", "z")
        assert view.z == 1.0
        view.show(old, view.points)
        assert view.z == 1.0 and view.border_title == "Boundary at z = +1.0"


@aio
async def test_the_title_says_z_in_japanese_at_80x24() -> None:
    app = make_app("sphere4", lang="ja")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await until(pilot, lambda: bool(app.main.query(BoundaryView)))
        view = app.main.query_one(BoundaryView)
        await until(pilot, lambda: view.grid is not None)  # the slice exists from the first grid
        await pilot.press("Z")
        await until(pilot, lambda: view.z == -0.5)
        assert view.border_title == "決定境界 z = -0.5"


def lch(color: str) -> tuple[float, float, float]:
    """CIE L*, chroma and hue angle (degrees) of an sRGB colour, D65 white."""
    rgb = np.array(Color.parse(color).rgb) / 255
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    x, y, z = (xyz @ linear) / np.array([0.9505, 1.0, 1.089])
    f = [np.cbrt(t) if t > 0.008856 else 7.787 * t + 16 / 116 for t in (x, y, z)]
    a, b = 500 * (f[0] - f[1]), 200 * (f[1] - f[2])
    return 116 * f[1] - 16, float(np.hypot(a, b)), float(np.degrees(np.arctan2(b, a)) % 360)


def apart(colors: list[str]) -> list[tuple[str, str]]:
    """Pairs of colours a reader may confuse: two greys, or two hues under 25° apart."""
    close = []
    for a, b in itertools.combinations(colors, 2):
        (_, ca, ha), (_, cb, hb) = lch(a), lch(b)
        turn = min(abs(ha - hb), 360 - abs(ha - hb))
        if (ca < 20 and cb < 20) or (ca >= 20 and cb >= 20 and turn < 25):
            close.append((a, b))
    return close


def test_eight_layer_colours_have_hues_of_their_own() -> None:
    assert len(LAYER_COLORS) == 8 and apart(list(LAYER_COLORS)) == []
    assert all(50 <= lch(c)[0] <= 90 for c in LAYER_COLORS)  # readable on a dark panel
    # What the panel used before: the dark theme's primary and secondary, two blues.
    assert apart(["#0178d4", "#004578"]) == [("#0178d4", "#004578")]
    chart = GradNormChart()
    assert len({chart.color(i) for i in range(8)}) == 8 and chart.color(8) == chart.color(0)


def test_the_legend_gives_each_layers_latest_gradient_norm() -> None:
    trainer = Trainer(load("vanishing-sigmoid"))
    for _ in range(7):
        trainer.step()
    # The engine's own gradients of the last update, independent of the recorded history.
    norms = [float(np.linalg.norm(layer.dW)) for layer in trainer.net.layers]
    snap, info = take(trainer, PAUSED, None, 1, {}), ModelInfo.of(trainer)
    legend = GradNormChart().legend(snap, info)
    assert [text for text, _ in legend] == [f"W{i + 1} {short(v)}" for i, v in enumerate(norms)]
    assert [color for _, color in legend] == list(range(7))
    assert norms[0] < 1e-3 < norms[-1]  # the vanishing gradient the panel is there to show
    assert short(1.04e-5) == "1e-5" and short(0.3162) == "0.32" and short(None) == "–"


def test_legend_lines_wrap_at_the_panel_width() -> None:
    entries = [(f"W{i} 0.0012", i) for i in range(1, 5)]  # 9 cells each
    assert [len(line) for line in wrap_entries(entries, 20)] == [2, 2]  # 9 + 2 + 9 = 20
    assert [len(line) for line in wrap_entries(entries, 19)] == [1, 1, 1, 1]
    assert wrap_entries([], 10) == []


@aio
async def test_the_legend_is_drawn_above_the_lines_in_each_layers_colour() -> None:
    app = make_app("vanishing-sigmoid", lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("s", "s")
        await settled(pilot, step=2)
        chart = app.main.query_one(GradNormChart)
        await until(pilot, lambda: "W1 " in chart.render_line(0).text)
        first = chart.render_line(0)
        seg = next(s for s in first if s.text.startswith("W1"))
        assert seg.style.color.triplet == Color.parse(LAYER_COLORS[0]).rgb
        assert chart.border_subtitle in ("", chart.note)
