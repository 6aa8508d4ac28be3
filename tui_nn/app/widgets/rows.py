"""A bordered list of `label  value` rows: arrows move, Enter asks the screen to edit a row.

Labels are padded by terminal cells, not characters, so Japanese labels (two cells a
character) line up with English ones.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui_nn.app.lang import Localized
from tui_nn.app.widgets.options import Options


class RowsPanel(Localized, Options):
    DEFAULT_CSS = """
    RowsPanel {
        border: round $panel-lighten-2;
        border-title-color: $foreground;
        border-subtitle-color: $foreground-muted;
        padding: 0;
        scrollbar-size-vertical: 1;
        &:focus { border: round $primary; }
    }
    """

    @dataclass
    class Edit(Message):
        """The student pressed Enter on a row."""

        panel: RowsPanel
        row: str

    def rows(self) -> list[tuple[str, str, str]]:
        """(row id, label, value) for each row; empty until there is something to show."""
        return []

    def help_key(self, row: str) -> str:
        """The catalogue entry with a one-line help for a row."""
        raise NotImplementedError

    @property
    def row(self) -> str | None:
        """The highlighted row's id."""
        option = self.highlighted_option
        return option.id if option else None

    def relabel(self) -> None:
        rows = self.rows()
        keep = self.highlighted
        width = max((cell_len(label) for _, label, _ in rows), default=0)
        self.set_options(
            Option(f"{label}{' ' * (width - cell_len(label))}  {value}", id=row)
            for row, label, value in rows
        )
        if rows:
            self.highlighted = min(keep or 0, len(rows) - 1)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.Edit(self, event.option.id))
