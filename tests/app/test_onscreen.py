"""The on-screen checks themselves: they fail on a field drawn under a docked footer, on a
label cut by the screen's edge, and pass on the same field moved into view."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.widgets import Footer, Input, Label

from helpers.onscreen import assert_shows, assert_typing_visible
from helpers.pilot import aio

LABEL = "Your value of dE/dw5:"


class Prompt(App):
    """A label and an input docked at the bottom, and (when `covered`) a footer docked there
    too, composed after them and so drawn over them: the defect the checks exist for."""

    CSS = """
    #bar { dock: bottom; height: 1; layout: horizontal; }
    #bar > Label { width: auto; }
    #bar > Input { width: 1fr; }
    """

    def __init__(self, covered: bool, label: str = LABEL) -> None:
        super().__init__()
        self.covered, self.label = covered, label

    def compose(self) -> ComposeResult:
        with Horizontal(id="bar"):
            yield Label(self.label)
            yield Input(compact=True)
        if self.covered:
            yield Footer()

    def on_mount(self) -> None:
        self.query_one(Input).focus()


@aio
async def test_a_field_under_the_footer_fails_and_the_same_field_in_view_passes() -> None:
    for covered in (True, False):
        app = Prompt(covered)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press(*"0.0822")
            if covered:
                with pytest.raises(AssertionError, match="is covered at"):
                    await assert_typing_visible(pilot, "0.0822", LABEL)
            else:
                await assert_typing_visible(pilot, "0.0822", LABEL)


@aio
async def test_a_label_cut_by_the_screen_edge_fails() -> None:
    long = "x" * 70 + " the end of the label"
    app = Prompt(False, long)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        with pytest.raises(AssertionError, match="not drawn whole"):
            assert_shows(app.screen, long)
        assert_shows(app.screen, "x" * 70)
