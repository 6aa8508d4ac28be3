"""The stepper's help (F1 / ?) and footer in the language chosen inside the stepper, its key
table with each action once and all its keys, and the checking rule said in the help."""

from __future__ import annotations

from tui_nn.app.main import make_app
from tui_nn.app.screens.help import HelpScreen
from tui_nn.app.stepper import StepperScreen

from helpers.onscreen import drawn
from helpers.pilot import aio, loaded, until


async def open_stepper(pilot) -> StepperScreen:
    await loaded(pilot)
    await pilot.press("b")
    await until(pilot, lambda: isinstance(pilot.app.screen, StepperScreen))
    await until(pilot, lambda: footer_line(pilot.app).strip())
    return pilot.app.screen


def footer_line(app) -> str:
    """The bottom row as drawn ("" before the screen's first frame)."""
    rows = drawn(app.screen).splitlines()
    return rows[-1] if rows else ""


@aio
async def test_switching_language_in_the_stepper_relabels_its_footer_and_help() -> None:
    app = make_app("mazur-2-2-2", lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_stepper(pilot)
        assert "f1 Help" in footer_line(app)
        await pilot.press("l")
        await until(pilot, lambda: "次へ" in footer_line(app))
        footer = footer_line(app)
        assert "ヘルプ" in footer and "Help" not in footer and "次へ" in footer
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        text = app.screen.markdown()
        assert text.startswith("## 誤差逆伝播法のステップ表示")
        assert "四捨五入" in text and "切り捨て" in text  # the rule for "right"
        assert "| `n, →, j` | 次へ |" in text and "| `c, =` | 答え合わせ |" in text
        assert "Getting started" not in text and "Next" not in text
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, StepperScreen))
        await pilot.press("l")
        await until(pilot, lambda: "Next" in footer_line(app))
        assert "f1 Help" in footer_line(app) and "n Next" in footer_line(app)


@aio
async def test_the_help_lists_each_action_once_with_all_its_keys() -> None:
    app = make_app("mazur-2-2-2", lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_stepper(pilot)
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        text = app.screen.markdown()
        rows = [line for line in text.splitlines() if line.startswith("| `")]
        actions = [row.rsplit("|", 2)[1].strip() for row in rows]
        assert len(actions) == len(set(actions))  # "n Next" once, not three times
        assert "| `n, →, j` | Next |" in rows and "| `esc, q, b` | Close |" in rows
        assert "*rounded* (half up)" in text and "Truncated, not rounded" in text
        assert "Carried forward" in text and "w⁺" in text


@aio
async def test_the_main_screens_help_groups_keys_too() -> None:
    app = make_app("mazur-2-2-2", lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        text = app.screen.markdown()
        assert "| `s, n` | Step |" in text and text.count("| Step |") == 1
        assert "Getting started" in text  # the app's own pages stay


@aio
async def test_help_stays_in_the_footer_at_80x24_in_both_languages() -> None:
    app = make_app("mazur-2-2-2", lang="ja")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_stepper(pilot)
        assert "f1 ヘルプ" in footer_line(app) and "q 戻る" in footer_line(app)
        await pilot.press("l")
        await until(pilot, lambda: "Next" in footer_line(app))
        assert "f1 Help" in footer_line(app) and "q Close" in footer_line(app)
