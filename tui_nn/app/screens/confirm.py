"""Ask before something that throws away the current training (y / Enter, or n / Esc)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from tui_nn.app.dialog import ClosesOnce, FitsShort
from tui_nn.app.lang import Localized, bind
from tui_nn.app.widgets.prose import Prose


class Question(Prose, Static):
    """The question's body, broken between Japanese phrases like the app's other prose."""

    def __init__(self, text: str) -> None:
        super().__init__("", classes="dialog-help", markup=False)
        self.text = text


class ConfirmScreen(FitsShort, ClosesOnce, Localized, ModalScreen[bool]):
    BINDINGS = [
        bind("y,enter", "answer(True)", "confirm_yes"),
        bind("n,escape", "answer(False)", "confirm_no"),
    ]

    def __init__(self, title: str, body: str) -> None:
        super().__init__()
        self.title_text = title
        self.body = body

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self.title_text, classes="dialog-title", markup=False)
            yield Question(self.body)
            yield Label(self.tr("app_confirm_keys"), classes="dialog-keys")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
