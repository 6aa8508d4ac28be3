"""A message that stays until it is dealt with: why training diverged, a refused setting."""

from __future__ import annotations

from textual.widgets import Static

from tui_nn.app.lang import Localized
from tui_nn.app.widgets.prose import Prose
from tui_nn.core.safe_text import visible


class Banner(Prose, Localized, Static):
    """Hidden when empty; `-error` or `-note` sets its colour."""

    DEFAULT_CSS = """
    Banner {
        display: none;
        height: auto;
        max-height: 6;
        padding: 0 1;
        background: $warning-muted;
        color: $foreground;
    }
    Banner.-error { background: $error-muted; }
    Banner.-shown { display: block; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.key: str | None = None
        self.values: dict[str, object] = {}
        self.text = ""

    def say(self, key: str, *, error: bool = False, **values: object) -> None:
        """Show catalogue entry `key` (kept, so a language switch re-translates it). A value may
        itself be a (key, values) pair, translated the same way."""
        self.key, self.values = key, values
        self.set_class(error, "-error")
        self.relabel()

    def show(self, entry: tuple[str, dict[str, object]], *, error: bool = False) -> None:
        """`say` for a (key, values) pair."""
        key, values = entry
        self.say(key, error=error, **values)

    def clear(self) -> None:
        self.key = None
        self.relabel()

    def relabel(self) -> None:
        self.text = self.resolve((self.key, self.values)) if self.key else ""
        self.set_class(bool(self.key), "-shown")
        self.update(self.text)

    def resolve(self, value: object) -> str:
        if isinstance(value, tuple):
            key, values = value
            return self.tr(key, **{k: self.resolve(v) for k, v in values.items()})
        return visible(value)  # a reason may quote a file's text
