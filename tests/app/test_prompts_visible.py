"""Every text field is seen while the student types into it: the stepper's check and go-to
prompts, and each dialog's field, at 80×24 and 120×40, in English and Japanese. The checks read
the drawn screen (tests/onscreen.py), not widget state."""

from __future__ import annotations

from textual.widgets import Input, OptionList

from tui_nn.app.main import make_app
from tui_nn.app.screens.confirm import ConfirmScreen
from tui_nn.app.screens.edit import EditScreen
from tui_nn.app.screens.export import KINDS, ExportScreen
from tui_nn.app.screens.presets import PresetPicker
from tui_nn.app.stepper.export import ConfirmOverwrite, MarkdownName
from tui_nn.i18n import t

from helpers.onscreen import (
    assert_on_top,
    assert_shows,
    assert_typing_visible,
    drawn,
    every_size_and_language,
)
from helpers.pilot import aio, highlight, loaded, settled, until
from helpers.stepper import StepperApp


@every_size_and_language
@aio
async def test_stepper_check_prompt_shows_its_label_and_the_digits_typed(lang, size) -> None:
    app = StepperApp(lang)
    async with app.run_test(size=size) as pilot:
        await pilot.press("c", *"0.0822")
        label = t("stepper_prompt_check", lang, symbol="net_h1")
        await assert_typing_visible(pilot, "0.0822", label)


@every_size_and_language
@aio
async def test_stepper_go_to_prompt_shows_its_label_and_the_name_typed(lang, size) -> None:
    app = StepperApp(lang)
    async with app.run_test(size=size) as pilot:
        await pilot.press("g", *"w5")
        await assert_typing_visible(pilot, "w5", t("stepper_prompt_jump", lang))


@every_size_and_language
@aio
async def test_preset_picker_path_field_error_and_keys_fit_the_screen(lang, size) -> None:
    app = make_app("mazur-2-2-2", lang=lang)
    async with app.run_test(size=size) as pilot:
        await loaded(pilot)
        await pilot.press("o")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, PresetPicker)
        options = picker.query_one("#preset-list", OptionList)
        assert_on_top(picker, options)
        await pilot.press("tab", *"nope.toml")
        await assert_typing_visible(pilot, "nope.toml", t("app_picker_path", lang))
        await pilot.press("enter")
        await pilot.pause()
        error = str(picker.query_one("#error").render())
        assert "nope.toml" in error
        for text in (error, t("app_picker_keys", lang), t("app_picker_title", lang)):
            assert_shows(picker, text)
        await assert_typing_visible(pilot, "nope.toml", t("app_picker_path", lang))
        # The list shrank for the error; the preset it points at is still in view.
        assert_shows(picker, "mazur-2-2-2")


@every_size_and_language
@aio
async def test_export_folder_field_and_its_error_are_drawn(lang, size) -> None:
    app = make_app("mazur-2-2-2", lang=lang)
    async with app.run_test(size=size) as pilot:
        await loaded(pilot)
        await pilot.press("f")  # it opens once the worker has handed over the trainer
        await until(pilot, lambda: isinstance(app.screen, ExportScreen))
        dialog = app.screen
        await pilot.press("tab")
        dialog.query_one("#export-folder", Input).value = ""
        await pilot.press(*"/nonexistent/out")
        await assert_typing_visible(pilot, "/nonexistent/out", t("app_export_folder", lang))
        await pilot.press("enter")
        await until(pilot, lambda: str(dialog.query_one("#error").render()))
        assert_shows(dialog, str(dialog.query_one("#error").render()))
        assert_shows(dialog, t("app_export_keys", lang))
        await assert_typing_visible(pilot, "/nonexistent/out", t("app_export_folder", lang))


@every_size_and_language
@aio
async def test_edit_dialog_of_a_hidden_layer_shows_units_typed_and_the_choices(lang, size):
    app = make_app("mazur-2-2-2", lang=lang)
    async with app.run_test(size=size) as pilot:
        await loaded(pilot)
        await highlight(pilot, "arch", "hidden-1")
        await pilot.press("enter")
        dialog = app.screen
        assert isinstance(dialog, EditScreen)
        await pilot.press("8")
        await assert_typing_visible(pilot, "8", t("app_arch_units", lang))
        assert_on_top(dialog, dialog.query_one("#f-activation"))
        assert_shows(dialog, t("app_edit_keys", lang))
        await pilot.press("x", "enter")  # refused: not a number of units
        assert app.screen is dialog
        assert_shows(dialog, str(dialog.query_one("#error").render()))
        await assert_typing_visible(pilot, "8x", t("app_arch_units", lang))


@every_size_and_language
@aio
async def test_edit_dialog_of_the_learning_rate(lang, size) -> None:
    app = make_app("mazur-2-2-2", lang=lang)
    async with app.run_test(size=size) as pilot:
        await loaded(pilot)
        await highlight(pilot, "hyper", "train.lr")
        await pilot.press("enter", *"0.25")
        assert isinstance(app.screen, EditScreen)
        await assert_typing_visible(pilot, "0.25", t("app_field_lr", lang))
        assert_shows(app.screen, t("app_field_lr_help", lang))


@every_size_and_language
@aio
async def test_rebuild_question_is_drawn_whole(lang, size) -> None:
    app = make_app("mazur-2-2-2", lang=lang)
    async with app.run_test(size=size) as pilot:
        await loaded(pilot)
        await pilot.press("s")
        await settled(pilot, 1)
        await highlight(pilot, "arch", "hidden-1")
        await pilot.press("a")
        dialog = app.screen
        assert isinstance(dialog, ConfirmScreen)
        await pilot.pause()
        for key in ("app_confirm_title", "app_confirm_rebuild", "app_confirm_keys"):
            assert_shows(dialog, t(key, lang))


@every_size_and_language
@aio
async def test_overwrite_question_shows_the_whole_path_and_the_keys(
    lang, size, tmp_path, monkeypatch
) -> None:
    folder = tmp_path / "a-folder-with-a-long-name-as-course-folders-have" / "week-3-backprop"
    folder.mkdir(parents=True)
    monkeypatch.chdir(folder)
    app = StepperApp(lang)
    async with app.run_test(size=size) as pilot:
        await pilot.press("e", "enter")  # the usual name
        await pilot.pause()
        (path,) = folder.iterdir()
        await pilot.press("e", "enter")
        question = app.screen
        assert isinstance(question, ConfirmOverwrite)
        await pilot.pause()
        assert_shows(question, t("stepper_overwrite_question", lang, path=path))
        assert_shows(question, t("stepper_overwrite_keys", lang))


@aio
async def test_export_boxes_are_ticked_only_for_the_files_chosen() -> None:
    """Textual draws an X in every box and greys out the unchosen: no colour, no difference."""
    app = make_app("mazur-2-2-2", lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("f")  # it opens once the worker has handed over the trainer
        await until(pilot, lambda: isinstance(app.screen, ExportScreen))
        await pilot.pause()
        dialog = app.screen
        kinds = dialog.query_one("#export-kinds")

        def boxes() -> dict[str, str]:
            rows = drawn(dialog, kinds.content_region).splitlines()
            return {row.split("▌ ")[1].split("  ")[0]: row.split("▐")[1][0] for row in rows}

        label = {kind: t(f"app_export_kind_{kind}", "en") for kind in KINDS}
        ticked = {"weights", "history", "code", "preset"}
        assert boxes() == {label[k]: "X" if k in ticked else " " for k in KINDS}
        await pilot.press("space")  # the first (highlighted) one off
        assert boxes()[label["weights"]] == " "
        assert kinds.selected == ["history", "code", "preset"]


@every_size_and_language
@aio
async def test_stepper_export_asks_for_a_name_in_view(lang, size, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    app = StepperApp(lang)
    async with app.run_test(size=size) as pilot:
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, MarkdownName)
        app.screen.query_one(Input).value = ""
        await pilot.press(*"my-notes")
        await assert_typing_visible(pilot, "my-notes", t("stepper_export_name", lang))
        assert_shows(app.screen, t("stepper_export_keys", lang))
        await pilot.press("enter")
        assert (tmp_path / "my-notes.md").is_file()


@every_size_and_language
@aio
async def test_command_palette_search_is_in_view(lang, size) -> None:
    app = make_app("mazur-2-2-2", lang=lang)
    async with app.run_test(size=size) as pilot:
        await loaded(pilot)
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen.focused, Input))
        # Its field has no label: what it finds shows it is read ("1" finds 1ステップ).
        typed, found = ("back", "app_key_backprop") if lang == "en" else ("1", "app_key_step")
        await pilot.press(*typed)
        await assert_typing_visible(pilot, typed, t(found, lang))
