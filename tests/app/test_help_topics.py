"""F1 asks the focused widget, then each node around it, for its help (the Helpable protocol)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.widgets import Input

from tui_nn.app.helping import HelpData, help_for
from tui_nn.app.main import make_app
from tui_nn.app.screens.help import HelpScreen
from tui_nn.app.stepper import StepperScreen

from helpers.pilot import aio, highlight, loaded, until


class Panel(Vertical):
    def help_data(self) -> HelpData:
        return HelpData(topic="plots")


class Nested(App):
    def compose(self) -> ComposeResult:
        with Panel():
            yield Input(id="inside")
        yield Input(id="outside")


@aio
async def test_the_nearest_node_with_help_answers_for_the_focused_one() -> None:
    app = Nested()
    async with app.run_test():
        assert help_for(app.query_one("#inside")) == HelpData(topic="plots")
        assert help_for(app.query_one("#outside")) == HelpData()  # nobody offers: the app's
        assert help_for(None) == HelpData()


@aio
async def test_a_setting_with_a_shared_page_opens_that_page_and_the_stepper_its_own() -> None:
    app = make_app("mazur-2-2-2", lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await highlight(pilot, "hyper", "train.lr_decay_every")
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen) and app.screen.topic == "lr_decay"
        await pilot.press("f1", "b")
        await until(pilot, lambda: isinstance(app.screen, StepperScreen))
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen) and app.screen.pages == ("stepper_help",)
