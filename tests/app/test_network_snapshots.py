"""Screenshots of the network picture on the main screen, paused after an exact number of
updates. Review a changed snapshot in the report before updating it
(`pytest tests/app/test_network_snapshots.py --snapshot-update`)."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from tui_nn.app import session as cmd
from tui_nn.app.main import make_app
from tui_nn.app.widgets.boundary import BoundaryView
from tui_nn.app.widgets.network import NetworkView

from helpers.pilot import settled, until


async def circle_after_100(pilot: Pilot) -> None:
    """circle paused at step 100; at 80×24 `v` cycles to the picture (after the boundary)."""
    app = pilot.app
    await until(pilot, lambda: app.main.state.snapshot is not None)
    app.main.session.send(cmd.RunSteps(100))
    await settled(pilot, 100)
    if app.main.has_class("-compact"):
        for _ in range(app.main.plots.cells.index("network-slot")):
            await pilot.press("v")
    await pilot.pause(0.3)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_circle_network_picture(snap_compare, size: tuple[int, int]) -> None:
    """2-8-2: x1 and x2 as left/right and up/down ramps, eight tanh units each a line across the
    plane, the two softmax outputs the circle and its complement; links between them as lines
    of braille dots, solid and blue for w > 0, dashed and orange for w < 0. At 120×40 the loss
    plot and the boundary show beside it; at 80×24 it is one of the views v cycles through."""
    assert snap_compare(
        make_app("circle", lang="en"), terminal_size=size, run_before=circle_after_100
    )


def test_circle_network_picture_in_japanese(snap_compare) -> None:
    """The title 「ネットワーク」 and the legend fit at 120×40."""
    app = make_app("circle", lang="ja")
    assert snap_compare(app, terminal_size=(120, 40), run_before=circle_after_100)


def picked(what: str):
    """circle at step 100 with layer 1 unit 3 picked (its map in the boundary's place, its u
    and z under the picture) or the link W2[3, 1] (its w and ∂E/∂w, drawn in the accent)."""

    async def run_before(pilot: Pilot) -> None:
        await circle_after_100(pilot)
        main = pilot.app.main
        view = main.query_one(NetworkView)
        if what == "node":
            view.select(node=(1, 2))
            boundary = main.query_one(BoundaryView)
            await until(pilot, lambda: boundary.grid is not None and boundary.grid.centre == 0)
        else:
            view.select(link=(2, 3, 1))
        await until(pilot, lambda: main.touch.numbers is not None)
        await pilot.pause(0.3)

    return run_before


@pytest.mark.parametrize("what", ["node", "link"])
@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_circle_with_a_pick(snap_compare, size: tuple[int, int], what: str) -> None:
    assert snap_compare(make_app("circle", lang="en"), terminal_size=size, run_before=picked(what))
