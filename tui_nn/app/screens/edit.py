"""A dialog that edits one or a few settings and refuses what the engine refuses, saying why."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from tui_nn.app.dialog import ClosesOnce, FitsShort
from tui_nn.app.lang import Localized, bind
from tui_nn.app.widgets.options import Options
from tui_nn.core import ConfigError
from tui_nn.core.safe_text import visible


@dataclass(frozen=True)
class EditField:
    """One setting in the dialog: typed text, or one of `choices`."""

    key: str
    label: str
    value: str
    choices: tuple[str, ...] = ()


class EditScreen(FitsShort, ClosesOnce, Localized, ModalScreen[Any]):
    """Enter applies (through `check`, which raises ConfigError for a refused value), Esc cancels.
    Dismisses with whatever `check` returned."""

    BINDINGS = [bind("escape", "cancel", "cancel")]

    def __init__(
        self,
        title: str,
        help_text: str,
        fields: list[EditField],
        check: Callable[[dict[str, str]], Any],
    ) -> None:
        super().__init__()
        self.title_text = title
        self.help_text = help_text
        self.fields = fields
        self.check = check

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self.title_text, classes="dialog-title", markup=False)
            yield Static(self.help_text, classes="dialog-help", markup=False)
            for f in self.fields:
                if len(self.fields) > 1:  # a single field is named by the title already
                    yield Label(f.label, classes="field-label", markup=False)
                if f.choices:
                    options = Options(
                        *(Option(c, id=c) for c in f.choices),
                        id=_wid(f.key),
                        classes="field-choices",
                    )
                    options.highlighted = f.choices.index(f.value) if f.value in f.choices else 0
                    yield options
                else:
                    yield Input(f.value, id=_wid(f.key), select_on_focus=True)
            yield Static("", id="error", markup=False)
            yield Label(self.tr("app_edit_keys"), classes="dialog-keys")

    def on_mount(self) -> None:
        if self.app.is_headless:  # a blinking cursor would make screenshots differ
            for i in self.query(Input):
                i.cursor_blink = False

    def values(self) -> dict[str, str]:
        out = {}
        for f in self.fields:
            widget = self.query_one(f"#{_wid(f.key)}")
            if isinstance(widget, Input):
                out[f.key] = widget.value
            else:
                option = widget.highlighted_option
                out[f.key] = option.id if option and option.id else f.value
        return out

    def submit(self) -> None:
        try:
            result = self.check(self.values())
        except ConfigError as e:
            self.query_one("#error", Static).update(_explain(e, self.app.lang))
            return
        self.dismiss(result)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.submit()

    def action_cancel(self) -> None:
        self.dismiss(None)


def _wid(key: str) -> str:
    return "f-" + key.replace(".", "-")


def _explain(e: ConfigError, lang: str) -> str:
    """The field and the reason in `lang`; the file name is noise inside the app."""
    reason = e.reason_in(lang)
    return visible(f"{e.field}: {reason}" if e.field else reason)
