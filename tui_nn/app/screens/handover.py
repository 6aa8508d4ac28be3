"""Lending the trainer to a screen that needs it paused: the backprop stepper or the export
dialog. The worker holds the trainer (TrainerHeld) while that screen is open and takes it back
when the main screen resumes, however the other screen closed."""

from __future__ import annotations

from collections.abc import Callable

from textual.screen import Screen

from tui_nn.app import commands as cmd
from tui_nn.app.screens.export import ExportScreen
from tui_nn.app.stepper import Place, StepperResult, StepperScreen
from tui_nn.core import Trainer


class Handover:
    def __init__(self, screen: Screen, send: Callable[[object], None]) -> None:
        self.screen, self.send = screen, send
        self.held = False  # a screen has the trainer
        self.asked = False  # Hold was sent and TrainerHeld has not come yet
        self.kind = "stepper"  # what opens when it comes: "stepper" or "export"
        self.place: Place | None = None  # where the stepper was left

    def ask(self, kind: str) -> None:
        """Ask the worker for the trainer, for the stepper or the export dialog."""
        if not (self.held or self.asked):  # a second key before the first one lands
            self.asked, self.kind = True, kind
            self.send(cmd.Hold())

    def lend(self, trainer: Trainer) -> None:
        """The worker has paused and handed `trainer` over: open the screen asked for."""
        self.held, self.asked = True, False
        app = self.screen.app
        if self.kind == "stepper":
            stepper = StepperScreen(trainer, app.lang, resume=self.place)  # type: ignore[attr-defined]
            app.push_screen(stepper, self.stepper_closed)
        else:
            app.push_screen(ExportScreen(trainer))

    def stepper_closed(self, result: StepperResult | None) -> None:
        """The student may have switched language inside the stepper: keep it; and remember
        where they were, for when they come back to the same iteration."""
        if result is None:
            return
        self.place = result.place
        app = self.screen.app
        if result.lang != app.lang:  # type: ignore[attr-defined]
            app.lang = result.lang  # type: ignore[attr-defined]

    def give_back(self) -> None:
        """The main screen is on top again: the worker gets the trainer back."""
        if self.held:
            self.held = False
            self.send(cmd.Release())
