"""The decision-boundary widget: half-block cells (top pixel = foreground, bottom pixel =
background), merged runs, points on top, the redraw rate bound, the z-slice keys, and a snapshot
of a fixed, trained XOR network."""

from __future__ import annotations

import numpy as np
from textual.color import Color

from tui_nn.app.widgets.boundary import (
    LEVELS,
    VALUE_LEVELS,
    BoundaryView,
    StyleCache,
    pixel_indices,
    render_strips,
    resample,
)
from tui_nn.core import Trainer, load
from tui_nn.core.boundary import Grid, Model, grid_outputs

from helpers.boundary import BoundaryApp, xor_trainer
from helpers.pilot import aio

# ---- pure rendering ---------------------------------------------------------------------------


def palette(n: int) -> list[Color]:
    return [Color(10 * i, 0, 255 - 10 * i) for i in range(n)]


def test_cells_hold_two_pixels_and_runs_merge() -> None:
    table = palette(4)
    idx = np.array([[0, 0, 0, 1], [2, 2, 2, 3], [1, 1, 1, 1]])  # 3 pixel rows → 2 cell rows
    strips = render_strips(idx, {}, StyleCache(table, []))
    assert len(strips) == 2 and all(s.cell_length == 4 for s in strips)
    first = list(strips[0])
    assert [seg.text for seg in first] == ["▀▀▀", "▀"]
    assert (
        first[0].style.color.triplet == table[0].rgb
        and first[0].style.bgcolor.triplet == table[2].rgb
    )
    assert (
        first[1].style.color.triplet == table[1].rgb
        and first[1].style.bgcolor.triplet == table[3].rgb
    )
    last = list(strips[1])  # odd pixel row count: the last cells have no bottom pixel
    assert [seg.text for seg in last] == ["▀▀▀▀"] and last[0].style.bgcolor is None


def test_points_are_drawn_on_top_in_their_class_colour() -> None:
    table, marks = palette(4), [Color(255, 0, 0), Color(0, 255, 0)]
    idx = np.zeros((4, 5), int)
    cells = {
        (0, 1): (1, 1, False),
        (1, 3): (2, 0, True),
    }  # (cell row, col): (pixel row, class, test)
    strips = render_strips(idx, cells, StyleCache(table, marks))
    row0 = list(strips[0])
    assert [s.text for s in row0] == ["▀", "●", "▀▀▀"]
    assert (
        row0[1].style.color.triplet == marks[1].rgb
        and row0[1].style.bgcolor.triplet == table[0].rgb
    )
    assert [s.text for s in strips[1]] == ["▀▀▀", "○", "▀"]
    ascii_rows = render_strips(
        idx, {(1, 1): (1, 0, False)}, StyleCache(table, marks), ascii_only=True
    )
    assert len(ascii_rows) == 4 and "".join(s.text for s in ascii_rows[1]) == " o   "


def test_class_points_over_a_value_grid_keep_the_default_colour() -> None:
    """Class data on a network edited to an identity output: the grid is a value ramp with
    no class colours, and its points are drawn in the default colour (this crashed)."""
    table = palette(3)
    strips = render_strips(np.zeros((2, 3), int), {(0, 1): (0, 1, False)}, StyleCache(table, []))
    point = list(strips[0])[1]
    assert point.text == "●" and point.style.color is None
    assert point.style.bgcolor.triplet == table[0].rgb


def test_pixel_indices_shade_by_confidence_and_resample() -> None:
    classes = np.array([[0, 1]])
    confidence = np.array([[0.0, 1.0]])
    grid = Grid(None, classes, confidence, None, ((0, 1), (0, 1)))
    np.testing.assert_array_equal(pixel_indices(grid), [[0, 1 * LEVELS + LEVELS - 1]])
    # A regression: values 2, 5, 8 on the ramp of VALUE_LEVELS colours, min to max.
    values = Grid(None, None, np.ones((1, 3)), np.array([[2.0, 5.0, 8.0]]), ((0, 1), (0, 1)))
    assert VALUE_LEVELS == 12  # 5 is halfway: 5.5 rounds to the even 6
    np.testing.assert_array_equal(pixel_indices(values), [[0, 6, 11]])
    np.testing.assert_array_equal(
        resample(np.array([[1, 2], [3, 4]]), 4, 2), [[1, 2], [1, 2], [3, 4], [3, 4]]
    )


# ---- in an app ----------------------------------------------------------------------------------


@aio
async def test_grid_fills_the_widget_at_120x40() -> None:
    app = BoundaryApp(xor_trainer())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        view = app.query_one(BoundaryView)
        cols, rows = view.pixel_size
        # XOR's [-0.5, 1.5]² drawn square: the full 38 rows' 76 pixels down, as many across.
        assert (cols, rows) == (76, 76) and view.content_size == (118, 38)
        assert view.grid.shape == (rows, cols) and len(view._strips) == rows // 2  # drawn
        assert len(view.build_strips()) == rows // 2
        # XOR: (0, 1) is class 1 and (0, 0) class 0 in the grid the view holds.
        (x_lo, x_hi), (y_lo, y_hi) = view.grid.extent
        col = lambda x: int((x - x_lo) / (x_hi - x_lo) * cols)  # noqa: E731
        row = lambda y: int((y_hi - y) / (y_hi - y_lo) * rows)  # noqa: E731
        assert view.grid.classes[row(1), col(0)] == 1 and view.grid.classes[row(0), col(0)] == 0


@aio
async def test_redraws_are_rate_bounded_and_the_newest_grid_wins() -> None:
    app = BoundaryApp(xor_trainer(), max_fps=5)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        view = app.query_one(BoundaryView)
        built = view.redraw
        draws = []
        view.redraw = lambda: (draws.append(1), built())
        start = len(draws)
        model = Model.of(app.trainer.net, app.trainer.data)
        grids = [grid_outputs(model, 8 + i, 6) for i in range(30)]
        for g in grids:
            view.show(g)
        burst = len(draws)
        assert burst - start <= 1  # 30 grids at once: at most one picture now
        await pilot.pause(0.35)  # > 1/5 s: the pending one is drawn, once
        assert len(draws) == burst + 1

        def picture(grid: Grid) -> list[list]:
            view.grid = grid
            return [list(strip) for strip in view.build_strips()]

        shown = [list(strip) for strip in view._strips]
        assert shown == picture(grids[-1]) != picture(grids[-2])


@aio
async def test_z_keys_move_the_slice_of_sphere4() -> None:
    trainer = Trainer(load("sphere4", ["data.n=300"]))
    app = BoundaryApp(trainer)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        view = app.query_one(BoundaryView)
        assert view.z == 0.0 and view.border_title == "Boundary at z = +0.0"
        view.focus()
        await pilot.press("z", "z", "up", "x")
        await pilot.pause()
        cols, rows = view.pixel_size
        assert app.wanted == [(cols, rows, z) for z in (0.5, 1.0, 1.5, 1.0)]
        assert view.grid.z == 1.0
        for _ in range(20):
            await pilot.press("z")
        await pilot.pause()
        assert app.wanted[-1][2] == 6.0 and view.z == 6.0  # clamped at the top of the cube


@aio
async def test_resize_asks_for_a_grid_of_the_new_size() -> None:
    app = BoundaryApp(xor_trainer())
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        view = app.query_one(BoundaryView)
        assert view.grid.shape == (36, 36) and app.wanted == []
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert app.wanted == [(44, 44, None)] and view.grid.shape == (44, 44)


@aio
async def test_points_toggle() -> None:
    app = BoundaryApp(xor_trainer())
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        view = app.query_one(BoundaryView)
        glyphs = lambda: sum("●" in s.text for strip in view._strips for s in strip)  # noqa: E731
        assert glyphs() == 4  # the four XOR points, all training points
        view.focus()
        await pilot.press("p")
        assert glyphs() == 0


def test_snapshot_trained_xor(snap_compare) -> None:
    """The trained XOR network over [-0.5, 1.5]²: an orange band (class 0) from bottom-left to
    top-right through the points (0, 0) and (1, 1), blue (class 1) in the top-left and
    bottom-right corners around (0, 1) and (1, 0), darker where the output is near 0.5; the four
    truth-table points ● in their class colour; the legend "■ 0  ■ 1  ● train  ○ test". The
    square plane is drawn square (36 cells across, 18 down) in the middle of the panel."""
    assert xor_trainer().evaluate()["train_accuracy"] == 1.0  # the weights are a trained XOR
    assert snap_compare(BoundaryApp(xor_trainer()), terminal_size=(60, 20))
