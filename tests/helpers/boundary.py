"""A host app showing only the decision-boundary view, fed from a fixed, trained XOR network."""

from __future__ import annotations

from textual.app import App, ComposeResult

from tui_nn.app.widgets.boundary import BoundaryView
from tui_nn.core import Trainer, load
from tui_nn.core.boundary import Model, grid_outputs, overlay_points

#: The xor preset after 2000 steps, rounded: a fixed, trained 2-2-1 network.
XOR_WEIGHTS = [
    "network.weights.W1=[[-4.852, 5.574], [4.678, -5.839]]",
    "network.weights.b1=[-2.644, -3.154]",
    "network.weights.W2=[[7.414], [7.215]]",
    "network.weights.b2=[-3.609]",
]


def xor_trainer() -> Trainer:
    return Trainer(load("xor", XOR_WEIGHTS))


class BoundaryApp(App):
    """A screen with only the boundary view, fed once from a trainer after mounting."""

    lang = "en"

    def __init__(self, trainer: Trainer, *, z: float | None = None, max_fps: float = 10) -> None:
        super().__init__()
        self.trainer = trainer
        self.z = z
        self.max_fps = max_fps
        self.wanted: list[tuple[int, int, float | None]] = []

    def compose(self) -> ComposeResult:
        yield BoundaryView(max_fps=self.max_fps)

    def on_mount(self) -> None:
        self.call_after_refresh(self.feed)

    def feed(self, z: float | None = None) -> None:
        view = self.query_one(BoundaryView)
        model = Model.of(self.trainer.net, self.trainer.data)
        cols, rows = view.pixel_size
        z = self.z if z is None else z
        z_range = model.extent[2] if model.dims == 3 else None
        view.show(
            grid_outputs(model, cols, rows, z),
            overlay_points(self.trainer.data, z),
            self.trainer.data.class_names,
            z_range,
        )

    def on_boundary_view_grid_wanted(self, message: BoundaryView.GridWanted) -> None:
        self.wanted.append((message.cols, message.rows, message.z))
        self.feed(message.z)
