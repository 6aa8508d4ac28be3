"""Textual's OptionList with page keys that cannot crash, and its SelectionList with boxes that
look empty when empty.

OptionList pages through the lines it laid out; a PageUp/PageDown that arrives after its
options were replaced and before the next layout (easy while training keeps the UI busy)
finds no line and raises KeyError inside Textual; here such a page key does nothing.
"""

from __future__ import annotations

from contextlib import suppress

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import OptionList, SelectionList


class Options(OptionList):
    def action_page_up(self) -> None:
        with suppress(KeyError):
            super().action_page_up()

    def action_page_down(self) -> None:
        with suppress(KeyError):
            super().action_page_down()


class Checklist(SelectionList):
    """Textual's SelectionList with an empty box for an unchosen item.

    Textual draws an "X" in every box and tells chosen from unchosen by colour alone: with
    NO_COLOR, a monochrome terminal or a weak palette every box looks ticked.
    """

    def render_line(self, y: int) -> Strip:
        line = super().render_line(y)
        index = self.scroll_offset.y + y
        if index >= self.option_count or self.get_option_at_index(index).value in self.selected:
            return line
        left, box, *rest = list(line)
        return Strip([left, Segment(" " * len(box.text), box.style), *rest], line.cell_length)
