"""The network picture on the main screen, for data whose points are 2-D (or 3-D): it comes
and goes with the decision boundary, and its maps are computed on the worker thread by a probe
(the engine is not thread-safe), arriving with each snapshot in `extras["network"]`.

It extends BoundaryFlows' `link_boundary`, `want_grid` and `feed_boundary`, so the screen
links and feeds both views where it did the boundary alone.
"""

from __future__ import annotations

from collections.abc import Callable

from tui_nn.app import commands as cmd
from tui_nn.app.screens.boundary_flows import BoundaryFlows
from tui_nn.app.snapshot import ModelInfo, Snapshot
from tui_nn.app.widgets.network import NetworkView
from tui_nn.core import Trainer
from tui_nn.core.unitmaps import picture


def network_probe(z: float | None) -> Callable[[Trainer], object]:
    """What the worker computes for each snapshot: weights and every unit's map."""
    return lambda trainer: picture(trainer.net, trainer.data, z)


class NetworkFlows(BoundaryFlows):
    """Mixin for MainScreen: mounts and feeds the network picture beside the boundary."""

    async def link_boundary(self, info: ModelInfo) -> None:
        await super().link_boundary(info)
        slot = self.query_one("#network-slot")
        await slot.remove_children()
        if info.plot_dims is None:
            self.session.send(cmd.AddProbe("network", None))
        else:
            self.session.send(cmd.AddProbe("network", network_probe(None)))
            await slot.mount(NetworkView(id="network"))
        self.layout_cells()

    def want_grid(self, cols: int, rows: int, z: float | None) -> None:
        super().want_grid(cols, rows, z)
        if self.query(NetworkView):  # the maps follow the boundary's z-slice
            self.session.send(cmd.AddProbe("network", network_probe(z)))

    def feed_boundary(self, snapshot: Snapshot) -> None:
        super().feed_boundary(snapshot)
        found = snapshot.extras.get("network")
        views = self.query(NetworkView)
        if found is not None and views and self.info is not None:
            views.first().show(self.info.layers, found)
