"""One line of help about what is highlighted, or the first-run hint."""

from __future__ import annotations

from textual.widgets import Static

from tui_nn.app.lang import Localized


class HintLine(Localized, Static):
    DEFAULT_CSS = """
    HintLine {
        height: 1;
        padding: 0 1;
        color: $foreground-muted;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.key = "app_hint_first_run"
        self.values: dict[str, object] = {}
        self.text = ""
        self.rows_seen: dict[str | None, str] = {}  # the row last highlighted in each panel

    def on_mount(self) -> None:
        self.relabel()

    def say(self, key: str, **values: object) -> None:
        self.key, self.values = key, values
        self.relabel()

    def row_moved(self, panel: str | None, row: str, help_key: str) -> None:
        """Help for the row the student moved to in `panel`; not for a panel's first
        highlight, which loading sets, so the first-run hint stays until the student moves."""
        before = self.rows_seen.get(panel)
        self.rows_seen[panel] = row
        if before is not None and before != row:
            self.say(help_key)

    def relabel(self) -> None:
        self.text = self.tr(self.key, **self.values)
        self.update(self.text)
