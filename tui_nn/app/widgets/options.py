"""Textual's OptionList with page keys that cannot crash.

OptionList pages through the lines it laid out; a PageUp/PageDown that arrives after its
options were replaced and before the next layout (easy while training keeps the UI busy)
finds no line and raises KeyError inside Textual. Such a page key now does nothing.
"""

from __future__ import annotations

from contextlib import suppress

from textual.widgets import OptionList


class Options(OptionList):
    def action_page_up(self) -> None:
        with suppress(KeyError):
            super().action_page_up()

    def action_page_down(self) -> None:
        with suppress(KeyError):
            super().action_page_down()
