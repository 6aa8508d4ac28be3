"""The main screen wired to the backprop stepper, the export dialog and the decision boundary."""

from __future__ import annotations

import numpy as np

from tui_nn.app.main import make_app
from tui_nn.app.screens.export import ExportScreen
from tui_nn.app.stepper import StepperScreen
from tui_nn.app.widgets.boundary import BoundaryView

from helpers.pilot import aio, loaded, settled, snap, until


@aio
async def test_b_opens_the_stepper_and_apply_updates_the_live_network() -> None:
    app = make_app("mazur-2-2-2", lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("b")
        await until(pilot, lambda: isinstance(app.screen, StepperScreen))
        await pilot.press("l")  # the student reads it in Japanese ...
        await pilot.press("a")  # ... and applies the update
        await until(pilot, lambda: not isinstance(app.screen, StepperScreen))
        await settled(pilot, step=1)
        W2 = app.main.session.trainer.net.params["W2"]
        np.testing.assert_allclose(
            W2, [[0.35891648, 0.511301270], [0.408666186, 0.561370121]], atol=5e-9
        )
        assert app.lang == "ja"  # the language chosen in the stepper stays
        await pilot.press("s")  # and training goes on from there
        await settled(pilot, step=2)


@aio
async def test_f_opens_the_export_dialog_with_the_held_trainer() -> None:
    app = make_app("mazur-2-2-2", lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("s")
        await settled(pilot, step=1)
        await pilot.press("f")
        await until(pilot, lambda: isinstance(app.screen, ExportScreen))
        assert app.screen.trainer is app.main.session.trainer
        await pilot.press("escape")
        await pilot.press("s")
        await settled(pilot, step=2)


@aio
async def test_two_dimensional_data_gets_a_live_decision_boundary() -> None:
    app = make_app("circle", lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await until(pilot, lambda: bool(app.main.query(BoundaryView)))
        view = app.main.query_one(BoundaryView)
        await until(
            pilot, lambda: view.grid is not None and view.grid.shape == view.pixel_size[::-1]
        )
        before = view.grid.classes.copy()
        await pilot.press("e", "e", "e", "e", "e")
        await settled(pilot, step=50)
        await until(pilot, lambda: not np.array_equal(view.grid.classes, before))
        # after training, most of the plane inside the circle (radius 2.5) is class 1
        (x0, x1), (y0, y1) = view.grid.extent
        cols, rows = view.pixel_size
        xs = np.linspace(x0, x1, cols)
        ys = np.linspace(y1, y0, rows)
        inside = (xs[None, :] ** 2 + ys[:, None] ** 2) < 2.0**2
        assert np.mean(view.grid.classes[inside] == 1) > 0.9
        assert snap(app).extras["boundary"][0] is view.grid


@aio
async def test_data_without_two_dimensional_points_has_no_boundary() -> None:
    app = make_app("iris", lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await settled(pilot)
        assert not app.main.query(BoundaryView)
        assert "boundary" not in snap(app).extras
