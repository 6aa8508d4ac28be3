"""What the main screen knows about the run, shared by the screen and its helpers."""

from __future__ import annotations

from dataclasses import dataclass

from tui_nn.app.experiment import Experiment
from tui_nn.app.snapshot import ModelInfo, Snapshot


@dataclass
class RunState:
    """The loaded network, its editable settings and the newest snapshot (None before)."""

    experiment: Experiment | None = None
    info: ModelInfo | None = None
    snapshot: Snapshot | None = None

    def loaded(self, info: ModelInfo) -> None:
        """A new network: its settings start as its preset's, and no snapshot yet."""
        self.info, self.snapshot = info, None
        self.experiment = Experiment(info.preset)

    def title(self, lang: str) -> str:
        """The preset's name in `lang` ("" before a preset is loaded)."""
        p = self.info.preset if self.info else None
        if p is None:
            return ""
        return p.name_ja if lang == "ja" and p.name_ja else p.name
