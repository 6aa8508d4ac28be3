"""What the open preset is about: its name, description, and the size of its data."""

from __future__ import annotations

from textual.widgets import Static

from tui_nn.app.lang import Localized
from tui_nn.app.snapshot import ModelInfo
from tui_nn.app.widgets.prose import Prose
from tui_nn.core.safe_text import visible


class PresetAbout(Prose, Localized, Static):
    DEFAULT_CSS = """
    PresetAbout {
        height: auto;
        max-height: 12;
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

    def show(self, info: ModelInfo | None, steps_per_epoch: int) -> None:
        if info is self.info and steps_per_epoch == self.steps_per_epoch:
            return
        self.info, self.steps_per_epoch = info, steps_per_epoch
        self.relabel()

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
            self.text = "\n".join(part for part in (name, about, data) if part)
        self.update(self.text)
