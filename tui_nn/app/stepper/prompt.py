"""A one-line prompt above the footer: the student's answer, or a name to jump to."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Label

from tui_nn.app.lang import STEPPER_KEYS, stepper_bind


class PromptBar(Horizontal):
    """Hidden until `open`; posts `Submitted` on Enter and `Cancelled` on Escape."""

    DEFAULT_CSS = """
    /* In the flow, not docked: a second bottom dock would share the footer's row and be drawn
       under it, and the student would type blind. */
    PromptBar { height: auto; display: none; background: $panel; }
    PromptBar.-active { display: block; }
    PromptBar > Label { width: auto; padding: 0 1; color: $text-accent; }
    PromptBar > Input { width: 1fr; }
    """
    KEY_TEXTS = STEPPER_KEYS
    BINDINGS = [stepper_bind("escape", "cancel", "cancel")]

    @dataclass
    class Submitted(Message):
        """The student pressed Enter; `mode` says what the prompt was for."""

        mode: str
        value: str

    class Cancelled(Message):
        """The student pressed Escape."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.mode = ""

    def compose(self) -> ComposeResult:
        yield Label("")
        yield Input(compact=True)

    @property
    def active(self) -> bool:
        return self.has_class("-active")

    def open(self, mode: str, label: str, placeholder: str) -> None:
        self.mode = mode
        self.query_one(Label).update(label)
        field = self.query_one(Input)
        field.placeholder = placeholder
        field.value = ""
        self.add_class("-active")
        field.focus()

    def close(self) -> None:
        self.remove_class("-active")
        self.screen.set_focus(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        value = event.value
        self.close()
        self.post_message(self.Submitted(self.mode, value))

    def action_cancel(self) -> None:
        self.close()
        self.post_message(self.Cancelled())
