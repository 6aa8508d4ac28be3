"""Settings that persist, in the app (Pilot): the keys of [keys] reach their actions, what the
student changes is written and comes back at the next start, and a broken file starts the app
with the defaults, says so in one line, and is never rewritten.

Each test's settings file is its own (tests/conftest.py points TUI_NN_CONFIG at a fresh path).
"""

from __future__ import annotations

import os
from pathlib import Path

from textual.widgets import Footer, Input

from tui_nn.app.main import make_app
from tui_nn.app.prefs import load_settings
from tui_nn.app.screens.export import ExportScreen
from tui_nn.app.stepper import StepperScreen
from tui_nn.core.settings import read_settings

from helpers.export import save, set_folder
from helpers.pilot import aio, loaded, settled, until


def config() -> Path:
    return Path(os.environ["TUI_NN_CONFIG"])


def write_config(text: str) -> Path:
    path = config()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def notices(app: object) -> list[str]:
    return [n.message for n in app._notifications]  # type: ignore[attr-defined]


def footer_keys(app: object) -> dict[str, str]:
    """Key shown in the footer -> the id of its binding (what [keys] names)."""
    screen = app.screen  # type: ignore[attr-defined]
    screen.query_one(Footer)
    return {key: b.binding.id for key, b in screen.active_bindings.items() if b.binding.show}


@aio
async def test_remapped_keys_reach_their_actions_and_the_old_keys_do_not() -> None:
    write_config('[keys]\nstep = "j"\nbackprop = "ctrl+b,f5"\nhelp = "f2"\n')
    app = make_app("mazur-2-2-2", lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        shown = footer_keys(app)
        assert shown.get("j") == "step" and "s" not in shown and "n" not in shown
        await pilot.press("s", "n")  # the old keys of step now do nothing
        await pilot.pause(0.2)
        assert app.main.session.trainer.step_count == 0
        await pilot.press("j")
        await settled(pilot, 1)
        assert app.main.session.trainer.step_count == 1
        await pilot.press("f5")
        await until(pilot, lambda: isinstance(app.screen, StepperScreen))
    assert notices(app) == []


@aio
async def test_what_the_student_changes_comes_back_at_the_next_start() -> None:
    app = make_app("exercise-2-3-1", lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("l")  # Japanese
        app.theme = "nord"
        await pilot.pause()
    saved = read_settings(config()).settings
    assert (saved.lang, saved.theme, saved.last_preset) == ("ja", "nord", "exercise-2-3-1")
    again = make_app()  # no preset, no language: both from the file
    async with again.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        assert again.lang == "ja" and again.theme == "nord"
        assert again.main.state.info.preset.name == "exercise-2-3-1"


@aio
async def test_a_broken_file_starts_the_defaults_says_one_line_and_is_kept() -> None:
    text = 'lang = "en"\ntheme = "no-such-theme"\n[keys]\nstep = "j"\n'
    path = write_config(text)
    app = make_app("mazur-2-2-2", lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        (line,) = notices(app)
        assert line.startswith(f"{path}: theme: is 'no-such-theme', not a theme of this app")
        assert app.theme == "textual-dark"
        assert footer_keys(app).get("j") == "step"  # the good fields still count
        await pilot.press("l")
        await pilot.pause()
        assert (
            len(notices(app)) == 2 and "設定は保存されませんでした" in notices(app)[1]
        )  # now in ja
        await pilot.press("l")  # said once
        await pilot.pause()
        assert len(notices(app)) == 2
    assert path.read_text("utf-8") == text


@aio
async def test_bad_toml_starts_with_defaults() -> None:
    path = write_config("lang = \n")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        (line,) = notices(app)
        assert line.startswith(f"{path}: is not valid TOML")
        assert app.main.state.info is None  # no preset: the welcome screen
    assert path.read_text("utf-8") == "lang = \n"


@aio
async def test_a_last_preset_that_is_gone_is_one_line_and_the_welcome_screen() -> None:
    path = write_config('last_preset = "/nowhere/gone.toml"\n')
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        (line,) = notices(app)
        assert line.startswith(f"{path}: last_preset: cannot be opened")
        assert "/nowhere/gone.toml" in line
        assert app.main.state.info is None


def test_a_misspelt_theme_gets_the_nearest_name() -> None:
    path = write_config('theme = "nordd"\n')
    loaded = load_settings()
    assert [e.message for e in loaded.problems] == [
        f"{path}: theme: is 'nordd', not a theme of this app; did you mean 'nord'?"
    ]
    assert loaded.settings.theme is None and not loaded.writable


@aio
async def test_the_export_dialog_starts_in_the_folder_last_saved_into(tmp_path: Path) -> None:
    app = make_app("mazur-2-2-2", lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("f")
        await until(pilot, lambda: isinstance(app.screen, ExportScreen))
        assert app.screen.query_one(Input).value == str(Path.cwd())
        await set_folder(pilot, tmp_path)
        await save(pilot)
        assert (tmp_path / "mazur-2-2-2-weights.npz").is_file()
    assert read_settings(config()).settings.export_folder == str(tmp_path)
    again = make_app("mazur-2-2-2", lang="en")
    async with again.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("f")
        await until(pilot, lambda: isinstance(again.screen, ExportScreen))
        assert again.screen.query_one(Input).value == str(tmp_path)


@aio
async def test_a_key_taken_from_another_binding_is_said_once() -> None:
    """r resets; given to step, it steps, and the student is told reset has lost it."""
    path = write_config('[keys]\nstep = "r"\n')
    app = make_app("mazur-2-2-2", lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("r")
        await settled(pilot, 1)
        await pilot.press("r")
        await settled(pilot, 2)  # a step again, not a reset
        clashes = [n for n in notices(app) if "no longer" in n]
        assert clashes == [f"{path}: keys: r now means step, so it no longer does reset"]
