"""A host app for the export dialog alone, on a trainer the test owns, and the keys that fill it."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, SelectionList, Static

import tui_nn.app.main
from tui_nn.app.main import TuiNN
from tui_nn.app.screens.export import KINDS, ExportScreen
from tui_nn.core import Trainer, load

from helpers.pilot import until

#: E of Mazur's worked example before the first update (the course prints 9 digits), and after it.
E_BEFORE = 0.298371109
E_AFTER_1 = 0.29102777369359933
STEPS = 3


def mazur(steps: int = STEPS) -> Trainer:
    trainer = Trainer(load("mazur-2-2-2"))
    for _ in range(steps):
        trainer.step()
    return trainer


class Host(TuiNN):
    """The real app (its CSS, language, notifications) with an empty main screen, showing the
    export dialog for a trainer the test owns, as the main screen does for a held one."""

    CSS_PATH = Path(tui_nn.app.main.__file__).with_name(TuiNN.CSS_PATH)  # not next to this file

    def __init__(self, trainer: Trainer, lang: str = "en", folder: Path | str | None = None):
        super().__init__(None, lang)
        self.trainer = trainer
        self.folder = folder

    def get_default_screen(self) -> Screen:
        return Screen()

    def on_mount(self) -> None:
        self.push_screen(ExportScreen(self.trainer, self.folder))


async def set_folder(pilot: Pilot, folder: Path | str) -> None:
    pilot.app.screen.query_one(Input).value = str(folder)
    await pilot.pause()


async def choose(pilot: Pilot, *kinds: str) -> None:
    """Select exactly these kinds, with the keys (↑/↓ and Space)."""
    selection = pilot.app.screen.query_one(SelectionList)
    selection.focus()
    selection.highlighted = 0
    for kind in KINDS:
        if (kind in kinds) != (kind in selection.selected):
            await pilot.press("space")
        await pilot.press("down")
    assert sorted(selection.selected) == sorted(kinds)


async def save(pilot: Pilot) -> None:
    """Enter, then wait until the dialog is gone or waits on a question or shows an error."""
    screen = pilot.app.screen
    await pilot.press("enter")
    await until(pilot, lambda: not screen.is_current or error_line(screen) != "")


def error_line(screen: Screen) -> str:
    return str(screen.query_one("#error", Static).render())


def notices(app: TuiNN) -> list[str]:
    return [n.message for n in app._notifications]
