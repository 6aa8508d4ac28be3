"""The landscape view draws what it is given: the colour levels follow E, the path is drawn
where its values are, the marks sit at the start and the current point, the axes name the
two parameters and their ranges, and without colour the map is ASCII density glyphs."""

from __future__ import annotations

import os

import numpy as np
from rich.cells import cell_len
from textual.app import App, ComposeResult

from tui_nn.app.widgets.landscape import (
    DENSITY,
    LEVELS,
    NOW,
    START,
    LandscapeView,
    braille_path,
    levels,
    marker_cell,
)
from tui_nn.core.landscape import Trajectory, landscape, parse_pair
from tui_nn.core.network import Network, NetworkConfig

from helpers.pilot import aio


def test_levels_rise_with_E_and_a_non_finite_E_is_the_top() -> None:
    E = np.array([[0.1, 0.2, 1.0, 10.0, np.inf, np.nan]])
    got = levels(E)[0]
    assert got[0] == 0 and got[3] == LEVELS - 1
    assert list(got[:4]) == sorted(got[:4])
    assert got[4] == got[5] == LEVELS - 1


def test_the_path_is_drawn_where_its_values_are() -> None:
    ranges = ((0.0, 10.0), (0.0, 10.0))
    # From the left edge to the right edge at y = 7.5 (the second cell row of four from the top).
    dots = braille_path(np.array([[0.0, 7.5], [9.99, 7.5]]), ranges, 10, 4)
    assert {r for r, _ in dots} == {1} and {c for _, c in dots} == set(range(10))
    assert marker_cell((5.0, 7.5), ranges, 10, 4) == (1, 5)
    assert marker_cell((11.0, 7.5), ranges, 10, 4) is None
    assert braille_path(np.array([[np.nan, 1.0], [2.0, 3.0]]), ranges, 10, 4) == {}


def small_landscape():
    cfg = NetworkConfig(
        layers=[1, 1],
        output="identity",
        loss="sum_squared",
        weights={"W1": np.array([[0.5]]), "b1": np.array([0.25])},
    )
    net = Network(cfg)
    x, d = np.array([[1.0], [2.0], [-1.0]]), np.array([[2.0], [3.0], [0.5]])
    path = Trajectory(2)
    path.record(0, np.array([-0.5, 1.0]))
    path.record(1, net.theta)
    pair = parse_pair("W1[0,0]", "b1[0]", [1, 1])
    return landscape(net, x, d, pair, path.path(*pair), 1, (30, 16))


class Host(App):
    lang = "en"

    def compose(self) -> ComposeResult:
        yield LandscapeView()


async def drawn_text(
    no_color: bool = False, width: int = 40
) -> tuple[str, LandscapeView, tuple[int, int]]:
    """The view's lines, the view, and the (cols, rows) of its map while it was laid out."""
    if no_color:
        os.environ["NO_COLOR"] = "1"
    try:
        app = Host()
    finally:
        os.environ.pop("NO_COLOR", None)
    async with app.run_test(size=(width, 12)) as pilot:
        view = app.query_one(LandscapeView)
        view.show(small_landscape(), 1, False)
        await pilot.pause()
        lines = [strip.text for strip in view._strips]
        return "\n".join(lines), view, view.map_cells


@aio
async def test_axes_name_the_two_parameters_and_the_marks_are_placed() -> None:
    text, view, (cols, rows) = await drawn_text()
    lines = text.splitlines()
    assert view.border_title == "Landscape of E"
    (lo, hi), land = view.land.p_range, view.land
    assert (lo, hi) == (-0.5 - 0.2, 1.5 + 0.2)  # w = 0.5 ± 1 and the path's -0.5, padded
    assert lines[-1].split() == ["-0.7", "W1[0,0]", "1.7"]
    assert lines[1] == "b1[0]"  # the vertical axis's name, above it
    r, c = marker_cell(land.current, (land.p_range, land.q_range), cols, rows)
    assert lines[2 + r][view.margin + c] == NOW
    r, c = marker_cell(tuple(land.path[0]), (land.p_range, land.q_range), cols, rows)
    assert lines[2 + r][view.margin + c] == START


@aio
async def test_without_colour_the_map_is_density_glyphs() -> None:
    text, view, _ = await drawn_text(no_color=True)
    body = [line[view.margin :] for line in text.splitlines()[2:-1]]
    glyphs = set("".join(body)) - {NOW, START}
    assert "▀" not in glyphs and glyphs & set(DENSITY[1:])
    header = text.splitlines()[0]
    assert header.startswith("E ") and f"{DENSITY[1]} to {DENSITY[-1]}" in header


@aio
async def test_in_a_narrow_cell_the_range_of_E_drops_its_words_but_keeps_both_ends() -> None:
    for width in (40, 21):
        async with Host().run_test(size=(width, 12)) as pilot:
            view = pilot.app.query_one(LandscapeView)
            view.show(small_landscape(), 1, False)
            await pilot.pause()
            header, room = view._strips[0].text, view.content_size.width
        E = view.land.E
        lo, hi = f"{E.min():.3g}", f"{E.max():.3g}"
        assert 0 < cell_len(header) <= room
        assert header.startswith(f"E {lo}") and header.rstrip().endswith(hi)
        assert (" to " in header) is (width == 40)
