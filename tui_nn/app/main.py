"""Entry point of the app (filled in by the app issue)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static


class TuiNN(App):
    TITLE = "tui-nn"

    def __init__(self, preset: str | None = None, lang: str | None = None) -> None:
        super().__init__()
        self.preset_name = preset
        self.lang = lang or "en"

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self.preset_name or "no preset loaded")
        yield Footer()


def run_app(preset: str | None = None, lang: str | None = None) -> None:
    TuiNN(preset, lang).run()
