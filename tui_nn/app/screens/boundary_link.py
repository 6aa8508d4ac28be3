"""The decision boundary and the network picture on the main screen, for data whose points are
2-D (or 3-D): they come and go together, in the `#boundary-slot` and `#network-slot` cells.

Their grids and unit maps are computed on the worker thread by probes (the engine is not
thread-safe) at the size the boundary asks for, and arrive with each snapshot in
`extras["boundary"]` and `extras["network"]`.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from textual.screen import Screen
from textual.widgets import Static

from tui_nn.app import commands as cmd
from tui_nn.app.screens.run_state import RunState
from tui_nn.app.snapshot import ModelInfo, Snapshot
from tui_nn.app.widgets.boundary import BoundaryView
from tui_nn.app.widgets.network import NetworkView
from tui_nn.core import Trainer
from tui_nn.core.boundary import Model, grid_outputs, overlay_points
from tui_nn.core.unitmaps import picture, unit_grid

#: The pictures draw as soon as they are fed: the plot grid decides when (within the UI's
#: budget, every frame of a watchable pace), so both show the same snapshot, never one old.
PICTURE_FPS = math.inf
#: The grid asked for before the view knows its size (it asks again once laid out).
FIRST_GRID = (60, 40)


def boundary_probe(cols: int, rows: int, z: float | None) -> Callable[[Trainer], object]:
    """What the worker computes for each snapshot: the grid and the points to draw on it."""

    def probe(trainer: Trainer) -> object:
        model = Model.of(trainer.net, trainer.data)
        return grid_outputs(model, cols, rows, z), overlay_points(trainer.data, z)

    return probe


def unit_probe(cols: int, rows: int, z: float | None, node: tuple[int, int]):
    """One unit's map at the boundary's size, with the points, in the boundary's place."""

    def probe(trainer: Trainer) -> object:
        model = Model.of(trainer.net, trainer.data)
        return unit_grid(model, cols, rows, z, *node), overlay_points(trainer.data, z)

    return probe


def network_probe(z: float | None) -> Callable[[Trainer], object]:
    """What the worker computes for each snapshot: weights and every unit's map."""
    return lambda trainer: picture(trainer.net, trainer.data, z)


class BoundaryLink:
    """Mounts the two views for the loaded data, keeps their probes at the boundary's size and
    z-slice, and feeds them each snapshot."""

    def __init__(self, screen: Screen, state: RunState, send: Callable[[object], None]) -> None:
        self.screen, self.state, self.send = screen, state, send
        #: The unit (layer, unit) whose map shows in the boundary's place; None: the boundary.
        self.unit: tuple[int, int] | None = None

    async def link(self, info: ModelInfo) -> None:
        """Mount the views when `info`'s data has points to draw, else empty their slots."""
        drawn = info.plot_dims is not None
        self.send(cmd.AddProbe("boundary", boundary_probe(*FIRST_GRID, None) if drawn else None))
        self.send(cmd.AddProbe("network", network_probe(None) if drawn else None))
        views = (
            BoundaryView(id="boundary", max_fps=PICTURE_FPS),
            NetworkView(id="network", max_fps=PICTURE_FPS),
        )
        for slot, view in zip(("#boundary-slot", "#network-slot"), views, strict=True):
            cell = self.screen.query_one(slot)
            await cell.remove_children()
            if drawn:
                await cell.mount(view)
        if drawn:  # the numbers of what is picked in the picture, under it
            await self.screen.query_one("#network-slot").mount(
                Static(id="network-info", markup=False)
            )

    def slice(self, direction: int) -> None:
        """Move the boundary's z-slice (3-D data; else nothing)."""
        for view in self.screen.query(BoundaryView):
            view.action_slice(direction)

    def want_grid(self, cols: int, rows: int, z: float | None) -> None:
        """The boundary's grid (or the picked unit's map) at this size and slice; the unit
        maps follow the slice."""
        if self.unit is None:
            self.send(cmd.AddProbe("boundary", boundary_probe(cols, rows, z)))
        else:
            self.send(cmd.AddProbe("boundary", unit_probe(cols, rows, z, self.unit)))
        if self.screen.query(NetworkView):
            self.send(cmd.AddProbe("network", network_probe(z)))

    def feed(self, snapshot: Snapshot) -> None:
        info = self.state.info
        grid_found, maps = snapshot.extras.get("boundary"), snapshot.extras.get("network")
        boundaries, networks = self.screen.query(BoundaryView), self.screen.query(NetworkView)
        if grid_found is not None and boundaries and info is not None:
            grid, points = grid_found
            view = boundaries.first()
            view.show(grid, points, list(info.class_names), info.z_range)
            if grid.shape != view.pixel_size[::-1]:  # the first grid, before the view had a size
                self.want_grid(*view.pixel_size, view.z)
        if maps is not None and networks and info is not None:
            networks.first().show(info.layers, maps)
