"""What the open preset is about: its name, description, the size of its data, and whether the
network is still the one the description is of."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from tui_nn.app.lang import Localized
from tui_nn.app.snapshot import ModelInfo
from tui_nn.app.widgets.prose import Prose
from tui_nn.core import NetworkConfig
from tui_nn.core.safe_text import visible


class PresetAbout(Prose, Localized, Static):
    DEFAULT_CSS = """
    PresetAbout {
        height: auto;
        max-height: 16;
        padding: 0 1;
        border: round $panel-lighten-2;
        border-title-color: $foreground;
        color: $foreground-muted;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.info: ModelInfo | None = None
        self.steps_per_epoch = 0
        self.text = ""
        # The preset (name and file) whose description is shown, and the network it describes:
        # a rebuilt network keeps the preset's name and file but may no longer be that one.
        self.described: tuple[str, Path | None, NetworkConfig] | None = None

    def show(self, info: ModelInfo | None, steps_per_epoch: int) -> None:
        if info is self.info and steps_per_epoch == self.steps_per_epoch:
            return
        self.info, self.steps_per_epoch = info, steps_per_epoch
        if info is not None:
            p = info.preset
            if self.described is None or self.described[:2] != (p.name, p.path):
                self.described = (p.name, p.path, p.network)
        self.relabel()

    def changed(self) -> str:
        """What the network is now and what the description is of, if they differ."""
        if self.info is None or self.described is None:
            return ""
        now, was = self.info.preset.network, self.described[2]
        if shape(now) == shape(was):
            return ""
        return self.tr("app_about_changed", now=describe(now))

    def relabel(self) -> None:
        self.border_title = self.tr("app_about_title")
        info = self.info
        if info is None:
            self.text = ""
        else:
            p = info.preset
            ja = self.app.lang == "ja"
            name = visible(f"{p.name}  {p.name_ja}" if ja and p.name_ja else p.name)
            about = visible((p.description_ja if ja else "") or p.description)
            data = self.tr(
                "app_about_data",
                train=f"{info.n_train:,}",
                test=f"{info.n_test:,}",
                steps=f"{self.steps_per_epoch:,}",
            )
            parts = (name, about, data, self.changed())
            self.text = "\n".join(part for part in parts if part)
        self.update(self.text)


def shape(net: NetworkConfig) -> tuple:
    """What a preset's description says of its network: layers, activations and loss."""
    return (tuple(net.layers), tuple(net.hidden_activations), net.output, net.loss)


def describe(net: NetworkConfig) -> str:
    """2-8-8-2 (tanh; softmax; cross_entropy): one name when every hidden layer has it."""
    acts = net.hidden_activations
    hidden = acts[0] if len(set(acts)) == 1 else ", ".join(acts)
    parts = [hidden, net.output, net.loss] if acts else [net.output, net.loss]
    return f"{'-'.join(map(str, net.layers))} ({'; '.join(parts)})"
