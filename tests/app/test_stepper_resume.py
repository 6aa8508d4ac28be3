"""Escape leaves the stepper; coming back to the same iteration finds the same step, digits
and view, and a new iteration starts at its first step."""

from __future__ import annotations

from tui_nn.app.main import make_app
from tui_nn.app.screens.main import MainScreen
from tui_nn.app.stepper import StepperScreen
from tui_nn.app.stepper.screen import DIGITS

from helpers.pilot import aio, loaded, until


async def open_stepper(pilot) -> StepperScreen:
    await pilot.press("b")
    await until(pilot, lambda: isinstance(pilot.app.screen, StepperScreen))
    await pilot.pause()
    return pilot.app.screen


@aio
async def test_escape_closes_and_the_same_iteration_reopens_where_it_was() -> None:
    app = make_app("mazur-2-2-2", lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        stepper = await open_stepper(pilot)
        assert stepper.cursor.pos == 0 and stepper.digits == DIGITS[0]
        await pilot.press("n", "n", "n", "d")
        left = stepper.cursor.step.id
        assert stepper.cursor.pos == 3 and stepper.digits == DIGITS[1]
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, MainScreen))

        again = await open_stepper(pilot)
        assert again is not stepper
        assert (again.trace.iteration, again.cursor.step.id) == (1, left)
        assert again.digits == DIGITS[1] and again.trace.digits == DIGITS[1]

        await pilot.press("a")  # apply: the next time it is iteration 2, from its start
        await until(pilot, lambda: isinstance(app.screen, MainScreen))
        await until(
            pilot, lambda: app.main.state.snapshot is not None and app.main.state.snapshot.step == 1
        )
        fresh = await open_stepper(pilot)
        assert fresh.trace.iteration == 2 and fresh.cursor.pos == 0
        assert fresh.digits == DIGITS[0]


@aio
async def test_the_matrix_view_is_kept_too() -> None:
    app = make_app("mazur-2-2-2", lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        stepper = await open_stepper(pilot)
        await pilot.press("v", "n", "n")
        view, left = stepper.trace.view, stepper.cursor.step.id
        await pilot.press("q")
        await until(pilot, lambda: isinstance(app.screen, MainScreen))
        again = await open_stepper(pilot)
        assert (again.trace.view, again.cursor.step.id) == (view, left)
