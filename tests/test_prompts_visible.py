"""Every text field is seen while the student types into it: the stepper's check and go-to
prompts, and each dialog's field, at 80×24 and 120×40, in English and Japanese. The checks read
the drawn screen (tests/onscreen.py), not widget state."""

from __future__ import annotations

from onscreen import assert_typing_visible, every_size_and_language
from test_app import aio
from test_stepper_app import StepperApp

from tui_nn.i18n import t


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
