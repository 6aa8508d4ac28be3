"""The app in front of hostile input: a preset whose split leaves nothing to train on, numbers
and nesting past Python's limits typed into a field, paths no file system takes typed into the
picker. Each ends with one line on the screen, and the app (and its trainer thread) carries on:
the next preset trains."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Static

from tui_nn.app.main import make_app
from tui_nn.app.screens.edit import EditScreen
from tui_nn.app.screens.presets import PresetPicker
from tui_nn.core import load

from helpers.pilot import aio, banner, loaded, snap, until

NO_TRAIN_ROWS = (
    '[network]\nlayers = [2, 3, 1]\n[data]\nsource = "circle"\nn = 3\ntest_ratio = 0.9\n'
    "[train]\nepochs = 2\n"
)


@aio
async def test_a_preset_with_no_training_rows_is_refused_and_the_next_one_trains(
    tmp_path: Path,
) -> None:
    path = tmp_path / "empty-split.toml"
    path.write_text(NO_TRAIN_ROWS, "utf-8")
    app = make_app(load(str(path)), lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: banner(app) != "")
        assert "data.test_ratio" in banner(app) and "none to train on" in banner(app)
        app.main.editing.load(load("xor"))
        await loaded(pilot)
        await pilot.press("s")
        await until(pilot, lambda: snap(app).step == 1)  # the trainer thread is alive
        assert app.main.session.trainer.preset.name == "xor"


HOSTILE_FIELDS = {
    "1" + "0" * 4400: "4,300 digits",
    "[" * 5000 + "1" + "]" * 5000: "levels deep",
    "nan": "finite",
    '"0.1"': "number",
}


@aio
@pytest.mark.parametrize("typed", sorted(HOSTILE_FIELDS))
async def test_a_hostile_value_in_a_field_is_explained(typed: str) -> None:
    app = make_app("mazur-2-2-2", lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        app.main.editing.edit_field("train.lr")
        await until(pilot, lambda: isinstance(app.screen, EditScreen) and app.screen.query(Input))
        app.screen.query_one(Input).value = typed
        app.screen.submit()
        await pilot.pause()
        assert isinstance(app.screen, EditScreen)  # still open, saying why
        error = str(app.screen.query_one("#error", Static).render())
        assert HOSTILE_FIELDS[typed] in error and "\n" not in error.strip()
        await pilot.press("escape")
        await pilot.press("s")
        await until(pilot, lambda: snap(app).step == 1)


PATHS = {
    "nul\0.toml": "NUL",
    "~nosuchuser-x/p.toml": "no such user",
    "p" * 300 + ".toml": "too long",
    "/" + "d/" * 2100 + "p.toml": "too long",
}


@aio
async def test_the_picker_explains_paths_no_file_system_takes() -> None:
    app = make_app("mazur-2-2-2", lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("o")
        await until(pilot, lambda: isinstance(app.screen, PresetPicker))
        field = app.screen.query_one("#preset-path", Input)
        for typed, reason in PATHS.items():
            field.value = typed
            app.screen.choose(typed)
            await pilot.pause()
            assert isinstance(app.screen, PresetPicker)
            assert reason in str(app.screen.query_one("#error", Static).render()), typed
