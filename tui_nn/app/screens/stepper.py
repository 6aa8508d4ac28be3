"""Placeholder for the backprop stepper (issue 7 replaces this file).

The main screen opens it with the trainer the worker has handed over (paused, `TrainerHeld`);
the UI thread owns that trainer until this screen is dismissed, then the worker takes it back.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Static

from tui_nn.app.lang import Localized, bind
from tui_nn.core import Trainer


class StepperScreen(Localized, Screen):
    BINDINGS = [bind("escape,b", "app.pop_screen", "back")]

    def __init__(self, trainer: Trainer) -> None:
        super().__init__()
        self.trainer = trainer

    def compose(self) -> ComposeResult:
        yield Static(self.tr("app_stepper_placeholder"), id="stepper-placeholder")
        yield Footer()
