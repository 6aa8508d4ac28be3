"""The layers as the course draws them: x, hidden layers with their activation, y, and E."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from tui_nn.app.helping import HelpData
from tui_nn.app.lang import bind
from tui_nn.app.widgets.rows import RowsPanel
from tui_nn.core import NetworkConfig


class ArchitecturePanel(RowsPanel):
    """Rows `input`, `hidden-1` ... `hidden-k`, `output`, `loss`. The input and output sizes come
    from the data; hidden layers can be added (a), removed (d) and edited (Enter), or the whole
    network typed at once (t)."""

    BINDINGS = [
        bind("a", "add_layer", "add_layer", show=False),
        bind("d,delete", "remove_layer", "remove_layer", show=False),
        bind("t", "edit_network", "edit_network", show=False),
    ]

    class EditNetwork(Message):
        """The student wants to type every layer at once."""

    @dataclass
    class AddLayer(Message):
        """Insert a hidden layer at `position` of the layer list (1 = right after x)."""

        position: int
        units: int
        activation: str

    @dataclass
    class RemoveLayer(Message):
        """Remove hidden layer `index` (1 = the first hidden layer)."""

        index: int

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.net: NetworkConfig | None = None
        self.n_params = 0

    def help_data(self) -> HelpData:
        return HelpData(topic="architecture")

    def show(self, net: NetworkConfig, n_params: int) -> None:
        self.net, self.n_params = net, n_params
        self.relabel()

    def rows(self) -> list[tuple[str, str, str]]:
        net = self.net
        if net is None:
            return []
        acts = net.hidden_activations
        out = [("input", self.tr("app_arch_input"), str(net.layers[0]))]
        for i, (units, act) in enumerate(zip(net.layers[1:-1], acts, strict=True), start=1):
            out.append((f"hidden-{i}", self.tr("app_arch_hidden", i=i), f"{units}  {act}"))
        out.append(("output", self.tr("app_arch_output"), f"{net.layers[-1]}  {net.output}"))
        out.append(("loss", self.tr("app_arch_loss"), net.loss))
        return out

    def relabel(self) -> None:
        net = self.net
        shape = "-".join(map(str, net.layers)) if net else ""
        self.border_title = self.tr("app_arch_title", shape=shape)
        self.border_subtitle = self.tr("app_arch_params", n=f"{self.n_params:,}") if net else ""
        super().relabel()

    def help_key(self, row: str) -> str:
        return "app_arch_hidden_help" if row.startswith("hidden") else f"app_arch_{row}_help"

    @property
    def hidden_index(self) -> int | None:
        """1-based index of the highlighted hidden layer, if a hidden layer is highlighted."""
        row = self.row or ""
        return int(row.split("-")[1]) if row.startswith("hidden-") else None

    def action_add_layer(self) -> None:
        if self.net is None:
            return
        n_hidden = len(self.net.layers) - 2
        i = self.hidden_index
        if i is None:  # on x: add first; on y or E: add last
            i = 0 if self.row == "input" else n_hidden
        # A new layer copies its neighbour, so the network stays plausible (and the student edits).
        like = min(max(i, 1), n_hidden)
        units = self.net.layers[like] if n_hidden else max(self.net.layers[0], 2)
        act = self.net.hidden_activations[like - 1] if n_hidden else "sigmoid"
        self.post_message(self.AddLayer(i + 1, units, act))

    def action_remove_layer(self) -> None:
        i = self.hidden_index
        if i is None:
            self.notify(self.tr("app_arch_remove_which"), severity="warning")
            return
        self.post_message(self.RemoveLayer(i))

    def action_edit_network(self) -> None:
        if self.net is not None:
            self.post_message(self.EditNetwork())
