"""Touching the network picture: picking a node shows its map in the boundary's place and its
u and z; picking a link shows w and ∂E/∂w, and Enter sets w for the next step; clicks and keys
on the plane add and remove training points, which an exported preset carries."""

from __future__ import annotations

import numpy as np
import pytest
from textual.widgets import Input, Static

from tui_nn.app import session as cmd
from tui_nn.app.main import make_app
from tui_nn.app.screens.touch_words import link_name
from tui_nn.app.widgets.boundary import BoundaryView
from tui_nn.app.widgets.network import NetworkView
from tui_nn.core import Trainer, current_preset, load, parse
from tui_nn.core.export import preset_toml
from tui_nn.core.presets import parse_toml
from tui_nn.core.touch import readings
from tui_nn.i18n import t

from helpers.onscreen import assert_on_top, assert_typing_visible, every_size_and_language
from helpers.pilot import aio, loaded, settled, until


async def paused_at(pilot, steps: int) -> None:
    app = pilot.app
    await loaded(pilot)
    app.main.session.send(cmd.RunSteps(steps))
    await settled(pilot, steps)


def info_line(app) -> str:
    return str(app.main.query_one("#network-info", Static).render())


@aio
async def test_picking_a_node_shows_its_map_and_its_u_and_z() -> None:
    """Layer 1 unit 3 of circle: the boundary's place shows that unit's map (values parting
    at 0, equal to an independent forward pass over the grid), and the line under the picture
    its u and z on the first sample of the next mini-batch."""
    app = make_app("circle", lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await paused_at(pilot, 20)
        view = app.main.query_one(NetworkView)
        view.select(node=(1, 2))
        boundary = app.main.query_one(BoundaryView)
        await until(pilot, lambda: boundary.grid is not None and boundary.grid.centre == 0.0)
        await until(pilot, lambda: "u = " in info_line(app))
        trainer = app.main.session.trainer
        x, _, idx = trainer.peek_batch()
        u = x[0] @ trainer.net.params["W1"][:, 2] + trainer.net.params["b1"][2]
        assert f"u = {u:.5g}" in info_line(app) and f"z = f(u) = {np.tanh(u):.5g}" in info_line(app)
        assert f"sample {idx[0]}" in info_line(app)
        g = boundary.grid
        (x_lo, x_hi), (y_lo, y_hi) = g.extent
        rows, cols = g.values.shape
        px = x_lo + (np.arange(cols) + 0.5) * (x_hi - x_lo) / cols
        py = (y_lo + (np.arange(rows) + 0.5) * (y_hi - y_lo) / rows)[::-1]
        gx, gy = np.meshgrid(px, py)
        W, b = trainer.net.params["W1"], trainer.net.params["b1"]
        want = np.tanh(gx * W[0, 2] + gy * W[1, 2] + b[2])
        assert np.allclose(g.values, want, atol=1e-5)
        await until(pilot, lambda: boundary.border_title == "z of layer 1 unit 3")
        view.select()  # nothing picked: the decision boundary again
        await until(pilot, lambda: boundary.grid.centre is None)


@aio
async def test_keys_move_the_cursor_and_go_through_a_nodes_links() -> None:
    app = make_app("circle", lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await paused_at(pilot, 5)
        view = app.main.query_one(NetworkView)
        view.focus()
        await pilot.press("down")  # the first key puts the cursor on the first input
        assert view.marks.node == (0, 0)
        await pilot.press("right", "down", "down")
        assert view.marks.node == (1, 2)
        await pilot.press("right_square_bracket")
        assert view.marks.link == (1, 0, 2)  # into layer 1 unit 3, from x1
        await pilot.press("right_square_bracket")
        assert view.marks.link == (1, 1, 2)
        await pilot.press("right_square_bracket")  # round again
        assert view.marks.link == (1, 0, 2)
        await until(pilot, lambda: "W1[0, 2] (x1 → layer 1 unit 3)" in info_line(app))
        trainer = app.main.session.trainer
        r = readings(trainer, None, (1, 0, 2))
        await until(pilot, lambda: f"∂E/∂w = {r.grad:.5g}" in info_line(app))
        await pilot.press("escape")
        assert view.marks.node is None and view.marks.link is None


@aio
async def test_a_click_on_a_link_picks_it() -> None:
    app = make_app("circle", lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await paused_at(pilot, 5)
        view = app.main.query_one(NetworkView)
        await until(pilot, lambda: bool(view.hits))
        at, hit = next((a, h) for a, h in sorted(view.hits.items()) if h[0] == "link")
        await pilot.click(NetworkView, offset=(at[0] + 1, at[1] + 1))  # + the border
        assert view.marks.link == hit[1:]


async def edit_link(pilot, link, text: str) -> None:
    app = pilot.app
    view = app.main.query_one(NetworkView)
    view.focus()
    view.select(link=link)
    await until(pilot, lambda: app.main.touch.numbers is not None)
    await pilot.press("enter")
    await until(pilot, lambda: bool(app.screen.query(Input)))
    field = app.screen.query_one(Input)
    field.value = text
    await pilot.press("enter")
    await pilot.pause()


@aio
async def test_setting_a_weight_changes_that_parameter_only_from_the_next_step() -> None:
    app = make_app("circle", lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await paused_at(pilot, 7)
        trainer = app.main.session.trainer
        before = {k: v.copy() for k, v in trainer.net.params.items()}
        await edit_link(pilot, (2, 3, 1), "１．２５")  # full-width, as an IME types it
        await until(pilot, lambda: trainer.edits)
        after = trainer.net.params
        for k, v in before.items():
            changed = np.argwhere(v != after[k])
            assert changed.tolist() == ([[3, 1]] if k == "W2" else [])
        assert after["W2"][3, 1] == 1.25
        assert trainer.edits == [(7, "W2", (3, 1), float(before["W2"][3, 1]), 1.25)]
        assert "set by hand" in app.main.query_one("#hint").text
        # The next step starts from exactly that: the same as a headless trainer given it.
        twin = Trainer(load("circle"))
        twin.run(7)
        twin.net.params["W2"][3, 1] = 1.25
        twin.run(1)
        app.main.session.send(cmd.RunSteps(1))
        await settled(pilot, 8)
        for k, v in twin.net.params.items():
            assert np.array_equal(v, trainer.net.params[k])
        app.main.session.send(cmd.Reset())
        await settled(pilot, 0)
        for k, v in trainer.initial.items():
            assert np.array_equal(v, trainer.net.params[k])


HOSTILE = ["abc", "inf", "nan", "-inf", "1" * 5000, "1e999", "", "0x10", "\x1b[31m1"]


@aio
async def test_a_weight_that_is_not_a_number_is_one_line_and_changes_nothing() -> None:
    """Text, inf, nan, 5,000 digits, an escape sequence, typed one after the other into the
    same dialog: it stays, each time with one new line that names the weight; nothing is set."""
    app = make_app("circle", lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await paused_at(pilot, 3)
        trainer = app.main.session.trainer
        before = trainer.net.params["W1"].copy()
        await edit_link(pilot, (1, 0, 0), HOSTILE[0])
        dialog = app.screen
        for text in HOSTILE:
            line = dialog.query_one("#error", Static)
            line.update("")  # the line read below is this text's answer, not the last one's
            dialog.query_one(Input).value = text
            await pilot.press("enter")
            await pilot.pause()
            assert app.screen is dialog, text
            error = str(line.render())
            assert error.startswith("W1[0, 0]: ") and "\n" not in error and len(error) < 140
            assert "\x1b" not in error
        await pilot.press("escape")
        await until(pilot, lambda: not app.screen.query(Input))
        assert np.array_equal(before, trainer.net.params["W1"]) and not trainer.edits


@every_size_and_language
@aio
async def test_the_weight_field_is_visible_and_on_top(lang, size) -> None:
    app = make_app("circle", lang=lang)
    async with app.run_test(size=size) as pilot:
        await paused_at(pilot, 2)
        if app.main.has_class("-compact"):
            while app.main.plots.cells[app.main.plots.view] != "network-slot":
                await pilot.press("v")
        await edit_link(pilot, (1, 1, 0), "")
        field = app.screen.query_one(Input)
        await pilot.press(*"0.75")
        name = link_name((1, 1, 0), (2, 8, 2), ("x1", "x2"), lang)
        await assert_typing_visible(pilot, "0.75", label=t("app_touch_set_title", lang, name=name))
        assert_on_top(app.screen, field)


@aio
async def test_points_added_and_removed_enter_the_training_set_and_the_export() -> None:
    app = make_app("circle", lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await paused_at(pilot, 3)
        trainer = app.main.session.trainer
        n = trainer.n_train
        boundary = app.main.query_one(BoundaryView)
        boundary.focus()
        await pilot.press("0", "enter")  # class 0 at the centre of the plane
        await until(pilot, lambda: trainer.n_train == n + 1)
        assert trainer.data.raw_train[-1].tolist() == pytest.approx([0, 0], abs=0.5)
        assert trainer.data.d_train[-1].tolist() == [1.0, 0.0]
        cols, _ = boundary.picture_cells()
        left, top = boundary.picture_at
        await pilot.click(BoundaryView, offset=(left + 1 + cols - 1, top + 1))  # top right
        await until(pilot, lambda: trainer.n_train == n + 2)
        x, y = trainer.data.raw_train[-1]
        (_, x_hi), (_, y_hi) = boundary.grid.extent
        assert x > x_hi - 1 and y > y_hi - 1 and trainer.data.d_train[-1].tolist() == [1, 0]
        await pilot.press("delete")  # the cursor is where the click was: that point goes
        await until(pilot, lambda: trainer.n_train == n + 1)
        assert app.main.state.experiment.preset.data["added_points"] == [
            trainer.data.raw_train[-1].tolist()
        ]
        app.main.session.send(cmd.RunSteps(1))
        await settled(pilot, 4)
        again = Trainer(parse(parse_toml(preset_toml(current_preset(trainer))), "again"))
        assert np.array_equal(again.data.raw_train, trainer.data.raw_train)
        assert np.array_equal(again.data.d_train, trainer.data.d_train)
