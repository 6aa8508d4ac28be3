"""A host app for the stepper screen alone, and reading what its panels show."""

from __future__ import annotations

from textual.app import App

from tui_nn.app.stepper import StepperResult, StepperScreen
from tui_nn.app.stepper.panel import StepPanel
from tui_nn.app.stepper.weights import WeightTable
from tui_nn.core.presets import load
from tui_nn.core.trainer import Trainer


class StepperApp(App):
    """Pushes the stepper on a fresh 2-2-2 trainer and records what it hands back."""

    def __init__(
        self, lang: str = "en", preset: str = "mazur-2-2-2", sample: int | None = None
    ) -> None:
        super().__init__()
        self.trainer = Trainer(load(preset))
        self.start_lang = lang
        self.sample = sample
        self.results: list[StepperResult] = []

    def on_mount(self) -> None:
        screen = StepperScreen(self.trainer, self.start_lang, self.sample)
        self.push_screen(screen, self.results.append)


def panel_text(app: App) -> str:
    return app.screen.query_one(StepPanel).render().plain


def result_line(app: App) -> float:
    """The number on the panel's "    = result" line."""
    lines = [li for li in panel_text(app).splitlines() if li.startswith("    = ")]
    return float(lines[-1].removeprefix("    = "))


def table_text(app: App) -> str:
    return app.screen.query_one(WeightTable).render().plain


async def type_text(pilot, text: str) -> None:
    for ch in text:
        await pilot.press(ch)
