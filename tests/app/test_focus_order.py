"""Tab, with no mouse: the settings panels, then the network picture, the decision boundary and
the landscape, round again, in the same order at 120×40 and at 80×24, where the picture Tab
reaches becomes the view shown (a picture `v` had hidden never took the focus before)."""

from __future__ import annotations

import pytest

from tui_nn.app.main import make_app
from tui_nn.core import load
from tui_nn.core.landscape import parse_pair

from helpers.onscreen import assert_on_top
from helpers.pilot import aio, loaded, until


async def tab_through(pilot, key: str, n: int) -> list[str]:
    """The id of the focused widget after each of `n` presses of `key`, each checked to be
    on screen with the heavy border of the focused panel."""
    app, seen = pilot.app, []
    for _ in range(n):
        await pilot.press(key)
        await pilot.pause()
        widget = app.focused
        assert_on_top(app.screen, widget)
        assert widget.styles.border.top[0] == "heavy"
        seen.append(widget.id)
    return seen


@pytest.mark.parametrize(
    "lang, size", [("en", (120, 40)), ("ja", (80, 24))], ids=["en-120x40", "ja-80x24"]
)
@aio
async def test_tab_goes_settings_network_boundary_landscape_and_round(lang, size) -> None:
    app = make_app(load("circle"), lang=lang)
    async with app.run_test(size=size) as pilot:
        await loaded(pilot)
        app.main.query_one("#arch").focus()
        if size[0] < 110:
            await pilot.press("v")  # the accuracy chart: no picture shown
        order = ["hyper", "network", "boundary", "arch"]
        assert await tab_through(pilot, "tab", 8) == order * 2
        assert await tab_through(pilot, "shift+tab", 4) == ["boundary", "network", "hyper", "arch"]
        await app.main.landscape.show(parse_pair("W1[0,0]", "b1[0]", [2, 8, 2]))
        await until(pilot, lambda: app.main.query("#landscape"))
        assert await tab_through(pilot, "tab", 5) == [*order[:3], "landscape", "arch"]


def footer_keys(app) -> set[str]:
    return {b.binding.key for b in app.screen.active_bindings.values() if b.binding.show}


@pytest.mark.parametrize("name, has_slice", [("xor-quadrants", False), ("sphere4", True)])
@aio
async def test_the_slice_keys_show_on_the_focused_boundary_of_3d_data_only(name, has_slice):
    app = make_app(load(name), lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        boundary = app.main.query_one("#boundary")
        await until(pilot, lambda: boundary.grid is not None)
        boundary.focus()
        await pilot.pause()
        assert ("z" in footer_keys(app)) is has_slice
        assert "p" in footer_keys(app)  # the boundary's own keys are there either way


@pytest.mark.parametrize("lang", ["en", "ja"])
@aio
async def test_v_goes_as_tab_does_and_the_focus_follows_a_picture_it_hides(lang) -> None:
    app = make_app(load("circle"), lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        app.main.query_one("#hyper").focus()
        assert await tab_through(pilot, "tab", 1) == ["network"]
        assert await tab_through(pilot, "v", 2) == ["boundary", "hyper"]  # then a chart
        cells = app.main.plots.cells
        assert cells.index("network-slot") + 1 == cells.index("boundary-slot")
