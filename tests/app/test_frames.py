"""A watchable pace draws every frame, and each frame's decision boundary and network picture
come from the same snapshot (the same step): never one of them a frame behind (tearing)."""

from __future__ import annotations

from tui_nn.app.main import make_app
from tui_nn.app.screens.boundary_link import BoundaryLink
from tui_nn.app.widgets.boundary import BoundaryView
from tui_nn.app.widgets.network import NetworkView
from tui_nn.core import load

from helpers.pilot import aio, loaded, until


@aio
async def test_each_paced_frame_draws_both_pictures_from_one_snapshot(monkeypatch) -> None:
    fed, drawn = {}, {"boundary": [], "network": []}
    feed, draw_b, draw_n = BoundaryLink.feed, BoundaryView.redraw, NetworkView.redraw

    def feed_first_picture(self, snapshot):
        if snapshot.paced:
            grid = snapshot.extras["boundary"][0]
            fed[id(grid)] = fed[id(snapshot.extras["network"])] = snapshot.step
        feed(self, snapshot)

    def redraw_b(self):
        drawn["boundary"].append(fed.get(id(self.grid)))
        draw_b(self)

    def redraw_n(self):
        drawn["network"].append(fed.get(id(self.picture)))
        draw_n(self)

    monkeypatch.setattr(BoundaryLink, "feed", feed_first_picture)
    monkeypatch.setattr(BoundaryView, "redraw", redraw_b)
    monkeypatch.setattr(NetworkView, "redraw", redraw_n)
    app = make_app(load("circle", ['view.pace="epoch"', "train.epochs=100000"]), lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("space")
        await until(pilot, lambda: len(set(fed.values())) >= 8)
        await pilot.press("space")
    frames = sorted(set(fed.values()))
    boundary = [s for s in drawn["boundary"] if s is not None]
    network = [s for s in drawn["network"] if s is not None]
    assert boundary == network  # frame by frame the same step in both pictures
    assert set(frames) <= set(boundary)  # every frame handed to the screen was drawn
    assert all(s % 10 == 0 for s in frames)  # an epoch (10 updates) a frame
