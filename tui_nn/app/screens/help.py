"""F1 / ?: what each key does, and a page per setting (what it does, usual range, what happens
when it is too large or too small, the formula). The text lives in the catalogue as Markdown."""

from __future__ import annotations

from dataclasses import replace

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label

from tui_nn.app.dialog import ClosesOnce
from tui_nn.app.lang import Localized, bind
from tui_nn.app.widgets.prose import ProseMarkdown
from tui_nn.i18n import catalogue

#: Help pages in the order shown (each is the catalogue entry app_help_<topic>).
TOPICS = (
    "architecture",
    "optimizer",
    "lr",
    "batch_size",
    "epochs",
    "lr_decay",
    "weight_decay",
    "init",
    "seed",
    "dtype",
    "plots",
    "diverged",
)


def key_table(app: App, bindings: list[Binding]) -> list[tuple[str, str]]:
    """(keys, description) rows, one per action with all its keys: ("n, →, j", "Next")."""
    rows: dict[tuple[str, str], list[str]] = {}
    for b in bindings:
        shown = rows.setdefault((b.action, b.description), [])
        # The footer's short form (key_display) names one key; the table names them all.
        name = app.get_key_display(replace(b, key_display=None))
        if name not in shown:
            shown.append(name)
    return [(", ".join(keys), description) for (_, description), keys in rows.items()]


class HelpScreen(ClosesOnce, Localized, ModalScreen[None]):
    BINDINGS = [bind("escape,f1,question_mark,q", "close", "close")]

    def __init__(
        self,
        keys: list[tuple[str, str]],
        topic: str | None = None,
        pages: tuple[str, ...] | None = None,
    ) -> None:
        """`keys` are (keys, description) rows of the screen the help was opened from;
        `pages` (catalogue keys) replace the app's pages for a screen with its own help."""
        super().__init__()
        self.keys = keys
        self.topic = topic if topic in TOPICS else None
        self.pages = pages

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="-wide -tall"):
            yield Label(self.tr("app_help_title"), classes="dialog-title")
            with VerticalScroll(id="help-body"):
                yield ProseMarkdown(self.markdown())
            yield Label(self.tr("app_help_keys_hint"), classes="dialog-keys")

    def markdown(self) -> str:
        if self.pages is not None:
            return "\n\n".join([*(self.tr(p) for p in self.pages), self.key_section()])
        parts = []
        if self.topic:
            parts.append(self.tr(f"app_help_{self.topic}"))
        parts.append(self.tr("app_hint_first_run_long"))
        parts.append(self.key_section())
        entries = catalogue()
        parts += [
            self.tr(f"app_help_{topic}")
            for topic in TOPICS
            if topic != self.topic and f"app_help_{topic}" in entries
        ]
        return "\n\n".join(parts)

    def key_section(self) -> str:
        rows = "\n".join(f"| `{k}` | {d} |" for k, d in self.keys)
        head = f"| {self.tr('app_help_key')} | {self.tr('app_help_action')} |\n|---|---|"
        palette = f"| `ctrl+p` | {self.tr('app_help_palette')} |"
        return f"## {self.tr('app_help_keys')}\n\n{head}\n{rows}\n{palette}"

    def action_close(self) -> None:
        self.dismiss(None)
