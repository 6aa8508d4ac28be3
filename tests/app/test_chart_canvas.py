"""The chart renderer (tui_nn.app.widgets.canvas) against hand-computed pictures, and the chart
widgets' data handling: braille dots, connected lines, colours per cell, tick rows, labels
that do not fit, eighth-block bars, tiny sizes, NaN and log scales, and the picture cache."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.style import Style
from textual.app import App, ComposeResult

from tui_nn.app.snapshot import PAUSED, ModelInfo, Snapshot, take
from tui_nn.app.widgets.canvas import (
    Axis,
    Braille,
    Styles,
    bar_chart,
    bar_levels,
    line_chart,
    x_label_starts,
    y_label_rows,
)
from tui_nn.app.widgets.chart import Chart, ChartOptions, LineChart, Series, nice_ticks, tick_label
from tui_nn.app.widgets.charts import AccuracyChart, GradNormChart, LossChart, histogram
from tui_nn.core import Trainer, load

from helpers.pilot import aio

#: Unicode's braille bits by (dot row, dot column), written out here from the standard:
#: dots 1, 2, 3, 7 down the left column and 4, 5, 6, 8 down the right one.
BIT = {(0, 0): 0x01, (1, 0): 0x02, (2, 0): 0x04, (3, 0): 0x40}
BIT |= {(0, 1): 0x08, (1, 1): 0x10, (2, 1): 0x20, (3, 1): 0x80}

BLUE, RED, GREEN = (Style(color=c) for c in ("blue", "red", "green"))
STYLES = Styles(label=Style(), axis=Style(color="grey50"), series=[BLUE, RED, GREEN])


def lit(canvas: Braille) -> np.ndarray:
    """The canvas's dots as a boolean grid (row down, column right), decoded from its cells."""
    dots = np.zeros((4 * canvas.rows, 2 * canvas.cols), dtype=bool)
    for (r, c), bit in BIT.items():
        dots[r::4, c::2] = (canvas.bits & bit) > 0
    return dots


def texts(strips) -> list[str]:
    return [s.text for s in strips]


# ---- dots and lines --------------------------------------------------------------------------


def test_a_single_point_is_the_braille_dot_at_its_position():
    canvas = Braille(2, 1)  # 4×4 dots
    canvas.line(np.array([3.0]), np.array([2.0]), 0)  # right column of cell 1, third dot down
    assert canvas.text() == [" " + chr(0x2800 + 0x20)]  # ⠠, dot 6
    assert canvas.owner[0].tolist() == [-1, 0]


def test_a_horizontal_line_fills_one_row_of_dots_exactly():
    canvas = Braille(3, 2)  # 6×8 dots
    canvas.line(np.array([0.0, 5.0]), np.array([5.0, 5.0]), 0)
    # Dot row 5 is the second dot row of cell row 1: dots 2 and 5, bits 0x02 | 0x10.
    assert canvas.text() == [" " * 3, chr(0x2812) * 3]
    assert lit(canvas).sum() == 6 and lit(canvas)[5].all()


def test_a_diagonal_lights_its_corners_and_every_column_between():
    canvas = Braille(2, 1)  # 4×4 dots: the diagonal is (0,0) (1,1) (2,2) (3,3)
    canvas.line(np.array([0.0, 3.0]), np.array([0.0, 3.0]), 0)
    assert canvas.bits[0].tolist() == [0x01 | 0x10, 0x04 | 0x80]

    wide = Braille(10, 3)  # 20×12 dots, bottom-left to top-right
    wide.line(np.array([0.0, 19.0]), np.array([11.0, 0.0]), 0)
    dots = lit(wide)
    assert dots[11, 0] and dots[0, 19]
    rows_per_column = [np.flatnonzero(dots[:, c]) for c in range(20)]
    assert all(len(r) for r in rows_per_column)  # no gap across
    # Connected: each column's dots touch the next column's (8-neighbours).
    for a, b in pairwise(rows_per_column):
        assert min(abs(a[:, None] - b[None, :]).ravel()) <= 1


def test_a_steep_segment_fills_every_row_between_its_ends():
    canvas = Braille(1, 2)  # 2×8 dots, from the top-left dot to the bottom-right one
    canvas.line(np.array([0.0, 1.0]), np.array([0.0, 7.0]), 0)
    assert lit(canvas).any(axis=1).all()
    # Rows 0-3 in the left column (⡇ = 0x47), rows 4-7 in the right one (⢸ = 0xB8).
    assert canvas.bits[:, 0].tolist() == [0x47, 0xB8]


def test_the_series_drawn_last_takes_a_shared_cell():
    canvas = Braille(2, 1)
    canvas.line(np.array([0.0, 1.0]), np.array([0.0, 0.0]), 0)  # top of cell 0
    canvas.line(np.array([0.0]), np.array([3.0]), 1)  # bottom-left dot of cell 0
    canvas.line(np.array([3.0]), np.array([3.0]), 0)  # cell 1, series 0 only
    assert canvas.bits[0].tolist() == [0x01 | 0x08 | 0x40, 0x80]
    assert canvas.owner[0].tolist() == [1, 0]

    # In a picture the shared cell comes out in the second series' style, the other in the first.
    top = (np.array([0.0, 1.0]), np.array([1.0, 1.0]))  # the top dot row, both cells
    corner = (np.array([0.0]), np.array([0.0]))  # the bottom-left dot, cell 0
    strips = line_chart(2, 1, [top, corner], Axis(0, 1), Axis(0, 1), STYLES)
    assert [(seg.text, seg.style) for seg in strips[0]] == [
        (chr(0x2800 + 0x01 + 0x08 + 0x40), RED),
        (chr(0x2800 + 0x01 + 0x08), BLUE),
    ]


def test_points_that_are_not_numbers_are_dropped_and_the_rest_joined():
    canvas = Braille(2, 1)
    x = np.array([0.0, np.nan, 1.0, 2.0, 3.0])
    y = np.array([0.0, 1.0, np.inf, 0.0, 0.0])
    canvas.line(x, y, 0)  # (0,0) joined straight to (2,0) and (3,0)
    assert lit(canvas)[0].all() and lit(canvas).sum() == 4


def test_points_far_off_the_area_cost_nothing_and_draw_nothing_outside():
    canvas = Braille(4, 2)
    canvas.line(np.array([0.0, 1e300]), np.array([0.0, -1e300]), 0)
    # Up and to the right from the top-left dot: that dot is the only one inside.
    assert lit(canvas)[0, 0] and lit(canvas).sum() == 1


# ---- axes and labels ---------------------------------------------------------------------


def test_y_tick_labels_sit_on_the_rows_of_their_values():
    # 10×6 cells: labels 2 wide + the axis, 4 plot rows (16 dot rows) over the axis rows.
    y = Axis(0, 10, [(0.0, "0"), (5.0, "5"), (10.0, "10")])
    line = (np.array([0.0, 7.0]), np.array([5.0, 5.0]))  # a level line at y = 5
    strips = texts(line_chart(10, 6, [line], Axis(0, 7), y, STYLES))
    # 10 is the top dot row (row 0); 0 the bottom one (row 3); 5 is 7.5 dot rows up, which
    # rounds to dot row 8 from the bottom: dot row 7 from the top, cell row 1.
    assert [s[:3] for s in strips[:4]] == ["10┤", " 5┤", "  │", " 0┤"]
    assert set(strips[1][3:]) == {chr(0x2800 + 0x40 + 0x80)}  # the line on the label's row
    assert strips[4] == "  └───────"
    assert all(len(s) == 10 for s in strips) and len(strips) == 6


def test_two_ticks_on_one_row_keep_the_first_and_ticks_off_the_range_are_dropped():
    y = Axis(0, 1, [(0.0, "0"), (0.05, "0.05"), (0.5, "0.5"), (1.5, "1.5")])
    assert y_label_rows(y, rows=2) == {1: "0", 0: "0.5"}


def test_x_labels_that_would_overlap_or_be_cut_are_skipped():
    # "200" centred on column 2 would start at 1, touching "100" (columns 0-2): skipped.
    # "300" on column 9 of a 10-wide widget moves in to start at 7 and still covers 9.
    placed = x_label_starts([(0, "100"), (2, "200"), (9, "300")], width=10)
    assert placed == [(0, 0, "100"), (9, 7, "300")]
    assert x_label_starts([(1, "123456")], width=4) == []  # wider than the widget


def test_x_axis_ticks_and_labels_under_their_columns():
    # 9×4 cells, no y labels: the axis in column 0 and 8 plot columns (16 dot columns).
    x = Axis(0, 15, [(0.0, "0"), (7.5, "m"), (15.0, "e")])
    strips = texts(line_chart(9, 4, [], x, Axis(0, 1), STYLES))
    # 7.5 is dot column 7.5, which rounds to 8: plot column 4, widget column 5.
    assert strips[2:] == ["└┬───┬──┬", " 0   m  e"]


def test_nice_ticks_and_their_labels():
    assert nice_ticks(0, 10, 4) == [0, 5, 10]
    # Steps 1..200: multiples of 50, and 1 itself so the start of the data is marked.
    assert nice_ticks(1, 200, 4) == [1, 50, 100, 150, 200]
    # Two ticks asked over 1..499.5 (a thinned step history): a step of 500 would leave
    # only the start labelled, so the next finer step, 200, is taken.
    assert nice_ticks(1, 499.5, 2) == [1, 200, 400]
    assert nice_ticks(0, 0.9, 2) == [0, 0.5]
    assert [tick_label(v) for v in (10000.0, 0.5, -2.0)] == ["10,000", "0.5", "-2"]


# ---- bars --------------------------------------------------------------------------------


def test_bars_are_exact_to_an_eighth_of_a_cell():
    glyphs = np.array(list(" ▁▂▃▄▅▆▇█"))
    one_row = bar_levels(np.array([0, 4, 8, 3]), top=8, cols=4, rows=1)
    assert "".join(glyphs[one_row[0]]) == " ▄█▃"
    # Two rows: counts of 8 are 16 eighths tall, 3 is 6 eighths.
    two_rows = bar_levels(np.array([0, 4, 8, 3]), top=8, cols=4, rows=2)
    assert ["".join(glyphs[r]) for r in two_rows] == ["  █ ", " ██▆"]


def test_a_lone_count_shows_and_narrow_columns_show_the_tallest_bin():
    assert bar_levels(np.array([1, 1000]), top=1000, cols=2, rows=1).tolist() == [[1, 8]]
    # Four bins in two columns: each column shows the taller of its two bins.
    assert bar_levels(np.array([8, 2, 0, 4]), top=8, cols=2, rows=1).tolist() == [[8, 4]]


def test_a_bar_chart_with_count_ticks_and_edge_labels():
    y = Axis(0, 8, [(0.0, "0"), (8.0, "8")])
    edges = [(0, "a"), (2, "m"), (4, "z")]
    strips = texts(bar_chart(10, 4, np.array([0, 4, 8, 3]), edges, y, STYLES))
    # Gutter 1 and the axis leave 8 columns, 2 per bin; 2 rows, so a count of 8 is 16 eighths,
    # 4 is 8 (the bottom row full) and 3 is 6 (▆).
    assert strips == ["8┤    ██  ", "0┤  ████▆▆", " └┬───┬──┬", "  a   m  z"]


# ---- tiny and empty ------------------------------------------------------------------------


def test_empty_data_gives_an_empty_plot_area():
    strips = texts(line_chart(6, 4, [], Axis(0, 1), Axis(0, 1), STYLES))
    assert strips == ["│     ", "│     ", "└─────", "      "]
    assert texts(bar_chart(3, 2, np.zeros(0), [], Axis(0, 1), STYLES)) == ["│  ", "│  "]


@settings(max_examples=60, deadline=None)
@given(
    width=st.integers(0, 14),
    height=st.integers(0, 7),
    ys=st.lists(st.floats(allow_nan=True, allow_infinity=True, width=32), max_size=6),
)
def test_any_size_gives_exactly_that_many_cells(width: int, height: int, ys: list[float]):
    y = np.array(ys, dtype=np.float64)
    x = np.arange(len(y), dtype=np.float64)
    axis = Axis(0, 5, [(0.0, "0"), (2.5, "2.5"), (5.0, "5")])
    for strips in (
        line_chart(width, height, [(x, y)], axis, axis, STYLES),
        bar_chart(
            width,
            height,
            np.abs(np.nan_to_num(y, posinf=0, neginf=0)),
            [(0, "lo"), (3, "hi")],
            axis,
            STYLES,
        ),
    ):
        assert len(strips) == height
        assert all(s.cell_length == width for s in strips)


# ---- the chart widgets ----------------------------------------------------------------------


class Levels(LineChart):
    log = True

    def series(self, snap, info) -> list[Series]:
        x = np.arange(6, dtype=np.float64)
        return [Series("a", x, np.array([1.0, np.nan, 0.0, -1.0, np.inf, 100.0]))]


def test_drawable_drops_nan_inf_and_on_a_log_scale_zero_and_below():
    [(i, s)] = Levels().drawable(None, None)
    assert i == 0 and s.x.tolist() == [0.0, 5.0] and s.y.tolist() == [1.0, 100.0]


def test_log_axis_labels():
    chart = Levels()
    # Three decades or more: decades only, written 1e-3 ... 1e0.
    y = chart.y_axis(-3.0, 0.0, log=True, height=16)
    assert [label for _, label in y.ticks] == ["1e-3", "1e-2", "1e-1", "1e0"]
    # Less than two decades: ticks every half decade, labelled with the values.
    y = chart.y_axis(-2.0, -1.0, log=True, height=16)
    assert [label for _, label in y.ticks] == ["0.01", "0.0316", "0.1"]
    # One value: half a decade either side.
    one = chart.y_axis(-1.0, -1.0, log=True, height=16)
    assert (one.lo, one.hi) == (-1.5, -0.5)


def test_accuracy_is_always_drawn_from_0_to_1():
    y = AccuracyChart().y_axis(0.9, 0.95, log=False, height=16)
    assert (y.lo, y.hi) == (0.0, 1.0)
    assert [label for _, label in y.ticks] == ["0", "0.5", "1"]


class OneChart(App):
    """One chart of the given class, 42×12 cells with its border (40×10 inside)."""

    lang = "en"
    CSS = "Chart { width: 42; height: 12; }"

    def __init__(self, chart: type[Chart] = LossChart) -> None:
        super().__init__()
        self.chart = chart()

    def compose(self) -> ComposeResult:
        yield self.chart


def mazur_after(steps: int) -> tuple[Snapshot, ModelInfo]:
    trainer = Trainer(load("mazur-2-2-2"))
    for _ in range(steps):
        trainer.step()
    return take(trainer, PAUSED, None, 1, {}), ModelInfo.of(trainer)


@aio
async def test_the_picture_is_built_once_per_draw_and_size() -> None:
    snap, info = mazur_after(30)
    app = OneChart()
    async with app.run_test(size=(60, 20)) as pilot:
        chart = app.chart
        builds = []
        picture = chart.picture
        chart.picture = lambda w, h: builds.append((w, h)) or picture(w, h)
        chart.draw(snap, info, ChartOptions())
        await pilot.pause()
        assert builds == [(40, 10)]
        for y in range(10):  # Textual asking for lines again: the kept picture
            chart.render_line(y)
        chart.draw(snap, info, ChartOptions())  # same data, not forced: nothing to do
        await pilot.pause()
        assert len(builds) == 1
        chart.styles.width = 32
        await pilot.pause()
        assert builds[-1] == (30, 10)
        assert chart.render_line(0).cell_length == 30
        # Steps 1..30 across 30 columns: about 3 ticks 10 apart, and 1 where the data starts.
        assert chart.render_line(9).text.split() == ["1", "10", "20", "30"]


@aio
async def test_the_step_axis_spans_the_run_as_recorded_not_as_thinned() -> None:
    snap, info = mazur_after(1000)
    # 1,000 steps thinned to 400 means: the first point stands for steps 1 and 2 (x = 1.5).
    assert snap.series("steps", "step")[0] == 1.5
    assert snap.span("step") == (1.0, 1000.0)
    app = OneChart(GradNormChart)  # its lines come from the thinned step history
    async with app.run_test(size=(60, 20)) as pilot:
        app.chart.draw(snap, info, ChartOptions())
        await pilot.pause()
        # About 4 ticks: 1 where the data starts, then every 500 steps.
        assert app.chart.render_line(9).text.split() == ["1", "500", "1,000"]


@pytest.mark.parametrize(
    "values",
    [
        np.full(6, 1e200),  # weights all equal and large, as a preset may give them
        np.full(3, 1e17),
        np.array([-1e308, 0.0, 1e308]),  # a span wider than a float holds
        np.array([-3.0, 1.0, 1.0, 2.0]),  # the usual case: exactly np.histogram's
    ],
    ids=["1e200", "1e17", "1e308", "plain"],
)
def test_the_histogram_bins_any_finite_values(values: np.ndarray) -> None:
    counts, edges = histogram(values, 24)
    assert counts.sum() == len(values) and len(edges) == 25
    assert np.isfinite(edges).all() and (np.diff(edges) > 0).all()
    assert edges[0] <= values.min() and values.max() <= edges[-1]
    if values.min() < values.max() < 10:
        expected = np.histogram(values, bins=24)
        np.testing.assert_array_equal(counts, expected[0])
        np.testing.assert_array_equal(edges, expected[1])
