"""The decision-boundary view on the main screen, for data whose points are 2-D (or 3-D).

The grid is computed on the worker thread by a probe (the engine is not thread-safe) at the
size the view asks for, and arrives with each snapshot in `extras["boundary"]`.
"""

from __future__ import annotations

from collections.abc import Callable

from tui_nn.app import commands as cmd
from tui_nn.app.snapshot import ModelInfo, Snapshot
from tui_nn.app.widgets.boundary import BoundaryView
from tui_nn.core import Trainer
from tui_nn.core.boundary import Model, grid_outputs, overlay_points

#: The grid asked for before the view knows its size (it asks again once laid out).
FIRST_GRID = (60, 40)


def boundary_probe(cols: int, rows: int, z: float | None) -> Callable[[Trainer], object]:
    """What the worker computes for each snapshot: the grid and the points to draw on it."""

    def probe(trainer: Trainer) -> object:
        model = Model.of(trainer.net, trainer.data)
        return grid_outputs(model, cols, rows, z), overlay_points(trainer.data, z)

    return probe


class BoundaryFlows:
    """Mixin for MainScreen: mounts, feeds and resizes the boundary view."""

    async def link_boundary(self, info: ModelInfo) -> None:
        if info.plot_dims is None:
            self.session.send(cmd.AddProbe("boundary", None))
            await self.show_in_boundary_slot(None)
            return
        self.session.send(cmd.AddProbe("boundary", boundary_probe(*FIRST_GRID, None)))
        await self.show_in_boundary_slot(BoundaryView(id="boundary"))

    def action_slice(self, direction: int) -> None:
        """z / Z on the main screen move the boundary's z-slice (3-D data; else nothing)."""
        for view in self.query(BoundaryView):
            view.action_slice(direction)

    def on_boundary_view_grid_wanted(self, message: BoundaryView.GridWanted) -> None:
        self.want_grid(message.cols, message.rows, message.z)

    def want_grid(self, cols: int, rows: int, z: float | None) -> None:
        self.session.send(cmd.AddProbe("boundary", boundary_probe(cols, rows, z)))

    def feed_boundary(self, snapshot: Snapshot) -> None:
        found = snapshot.extras.get("boundary")
        views = self.query(BoundaryView)
        if found is None or not views:
            return
        grid, points = found
        view = views.first()
        view.show(grid, points, list(self.info.class_names), self.info.z_range)
        if grid.shape != view.pixel_size[::-1]:  # the first grid, before the view had a size
            self.want_grid(*view.pixel_size, view.z)
