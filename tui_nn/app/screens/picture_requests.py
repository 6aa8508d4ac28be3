"""Where each picture's request goes: the boundary's grid, the landscape's size and close, the
network picture's picks, points and weights (each to the helper of the main screen that owns
it), so the screen routes them with one call."""

from __future__ import annotations

from textual.message import Message
from textual.screen import Screen

from tui_nn.app.screens.boundary_link import BoundaryLink
from tui_nn.app.screens.landscape_link import LandscapeLink
from tui_nn.app.screens.plots import PlotGrid
from tui_nn.app.screens.touch import Touch
from tui_nn.app.widgets.boundary import BoundaryView
from tui_nn.app.widgets.landscape import LandscapeView
from tui_nn.app.widgets.network import NetworkView


class PictureRequests:
    """Hands a picture's message to the helper that acts on it."""

    def __init__(
        self,
        screen: Screen,
        boundary: BoundaryLink,
        landscape: LandscapeLink,
        touch: Touch,
        plots: PlotGrid,
    ) -> None:
        self.screen, self.boundary, self.landscape = screen, boundary, landscape
        self.touch, self.plots = touch, plots

    async def handle(self, message: Message) -> None:
        if isinstance(message, BoundaryView.GridWanted):
            self.boundary.want_grid(message.cols, message.rows, message.z)
        elif isinstance(message, LandscapeView.SizeWanted):
            self.landscape.resized(message.cols, message.rows)
        elif isinstance(message, LandscapeView.CloseWanted):
            await self.close_landscape()
        elif isinstance(message, NetworkView.PickParameter):
            self.landscape.picked(message.name, message.index)
        else:
            self.touch.handle(message)

    async def close_landscape(self) -> None:
        """The boundary takes the landscape's place, and the focus with it."""
        await self.landscape.close()
        self.plots.show_cell("boundary-slot")
        boundary = self.screen.query(BoundaryView)
        (boundary.first() if boundary else self.screen.query_one("#hyper")).focus()
