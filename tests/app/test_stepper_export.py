"""The stepper's `e`: a dialog asks for the file name (the usual name already typed), writes the
Markdown report there and says where; a bad name gets one line in the dialog, never a traceback.
The dialog's field is checked on the drawn screen at both sizes, in both languages."""

from __future__ import annotations

import os
from pathlib import Path

from tui_nn.app.stepper.export import MarkdownName, chosen_path
from tui_nn.i18n import t

from helpers.onscreen import assert_typing_visible, every_size_and_language
from helpers.pilot import aio
from helpers.stepper import StepperApp


def test_chosen_path_fills_in_what_the_student_left_out(tmp_path: Path) -> None:
    home = Path("~").expanduser()
    assert chosen_path("", "a-iteration-1.md", tmp_path) == tmp_path / "a-iteration-1.md"
    assert chosen_path("  hw3  ", "x.md", tmp_path) == tmp_path / "hw3.md"
    assert chosen_path("~/hw.txt", "x.md", tmp_path) == home / "hw.txt"
    assert chosen_path("/abs/r.md", "x.md", tmp_path) == Path("/abs/r.md")
    (tmp_path / "notes").write_text("mine")  # an existing name is taken as typed
    assert chosen_path("notes", "x.md", tmp_path) == tmp_path / "notes"
    assert chosen_path("/dev/null", "x.md", tmp_path) == Path("/dev/null")


@every_size_and_language
@aio
async def test_the_name_field_is_seen_with_the_usual_name_typed(lang, size, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = StepperApp(lang)
    async with app.run_test(size=size) as pilot:
        await pilot.press("e")
        assert isinstance(app.screen, MarkdownName)
        usual = "mazur-2-2-2-iteration-1" + ("-ja" if lang == "ja" else "") + ".md"
        await assert_typing_visible(pilot, usual, t("stepper_export_name", lang))


@aio
async def test_a_typed_name_is_written_and_the_notice_says_where(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    app = StepperApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e")
        field = app.screen.query_one("#name")
        field.value = "report/week3"
        await pilot.press("enter")  # the folder "report" does not exist: said in the dialog
        error = str(app.screen.query_one("#error").render())
        assert isinstance(app.screen, MarkdownName) and "report" in error
        (tmp_path / "report").mkdir()
        await pilot.press("enter")
        await pilot.pause()
        written = tmp_path / "report" / "week3.md"
        assert "0.082167041" in written.read_text("utf-8")
        notices = [n.message for n in app._notifications]
        assert t("stepper_exported", "en", path=written.resolve()) in notices


@aio
async def test_escape_writes_nothing_and_hostile_names_get_one_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "folder.md").mkdir()
    app = StepperApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("e", "escape")
        assert not isinstance(app.screen, MarkdownName) and not any(tmp_path.glob("*iter*"))
        folder, nul = tmp_path / "folder.md", str(tmp_path / "a\0b.md")
        os.mkfifo(tmp_path / "pipe.md")
        (tmp_path / "link.md").symlink_to(tmp_path / "elsewhere.md")
        for name, said in [
            ("folder.md", t("export_is_folder", "en", path=folder)),
            ("a\0b", t("export_bad_name", "en", path=repr(nul))),
            ("pipe.md", t("export_not_regular", "en", path=tmp_path / "pipe.md")),
            ("link.md", t("export_not_regular", "en", path=tmp_path / "link.md")),
            ("/dev/null", t("export_not_regular", "en", path="/dev/null")),
        ]:
            await pilot.press("e")
            app.screen.query_one("#name").value = name
            await pilot.press("enter")
            assert isinstance(app.screen, MarkdownName), name
            assert str(app.screen.query_one("#error").render()) == said
            await pilot.press("escape")
        await pilot.press("e")  # a name longer than any file system takes: one line
        app.screen.query_one("#name").value = "x" * 5000
        await pilot.press("enter")
        assert isinstance(app.screen, MarkdownName)
        assert "\n" not in str(app.screen.query_one("#error").render()).strip()
        await pilot.press("escape")
        assert not (tmp_path / "elsewhere.md").exists() and (tmp_path / "pipe.md").is_fifo()
        # markup in a name is written as it is, not read as style
        await pilot.press("e")
        app.screen.query_one("#name").value = "[red]x[@click=quit].md"
        await pilot.press("enter")
        await pilot.pause()
        assert (tmp_path / "[red]x[@click=quit].md").is_file()
