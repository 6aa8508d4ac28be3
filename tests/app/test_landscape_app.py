"""The landscape in the app: g asks for two parameters by name (a dialog, on top and in view
at both sizes and in both languages), the view then shows their names, ranges and the path,
computed on the training worker; a wrong name is one line in the dialog."""

from __future__ import annotations

import threading

import pytest
from textual.widgets import Input, Static

from tui_nn.app import commands as cmd
from tui_nn.app import landscape_work
from tui_nn.app.main import make_app
from tui_nn.app.screens.edit import EditScreen
from tui_nn.app.widgets.hint import HintLine
from tui_nn.app.widgets.landscape import LandscapeView
from tui_nn.app.widgets.network import NetworkView
from tui_nn.core import load
from tui_nn.i18n import t

from helpers.onscreen import assert_on_top, assert_shows, assert_typing_visible, drawn
from helpers.pilot import aio, loaded, settled, until


async def open_dialog(pilot) -> EditScreen:
    await loaded(pilot)
    await pilot.press("g")
    await until(pilot, lambda: isinstance(pilot.app.screen, EditScreen))
    return pilot.app.screen


async def choose(pilot, first: str, second: str) -> None:
    fields = pilot.app.screen.query(Input)
    fields[0].value, fields[1].value = first, second
    fields[1].focus()
    await pilot.press("enter")


@pytest.mark.parametrize(
    "lang, size", [("en", (120, 40)), ("ja", (80, 24))], ids=["en-120x40", "ja-80x24"]
)
@aio
async def test_g_opens_the_landscape_of_two_named_parameters_on_the_worker(
    lang: str, size: tuple[int, int], monkeypatch
) -> None:
    threads = []
    real = landscape_work.landscape

    def spy(*args, **kwargs):
        threads.append(threading.current_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(landscape_work, "landscape", spy)
    app = make_app(load("circle"), lang=lang)
    async with app.run_test(size=size) as pilot:
        await open_dialog(pilot)
        await assert_typing_visible(pilot, "W1[0,0]", t("app_landscape_first", lang))
        await choose(pilot, "W1[1,3]", "b2[0]")
        await until(pilot, lambda: app.screen is app.main and app.main.query(LandscapeView))
        view = app.main.query_one(LandscapeView)
        await until(pilot, lambda: view.land is not None and view.land.p.label == "W1[1,3]")
        await pilot.pause(0.1)
        assert_on_top(app.screen, view)
        shown = drawn(app.screen, view.region)
        assert "W1[1,3]" in shown and "b2[0]" in shown and "X" in shown
        assert t("app_landscape_title", lang) in shown
        trainer = app.main.session.trainer
        assert view.land.current == (trainer.net.params["W1"][1, 3], trainer.net.params["b2"][0])
    assert threads and all(th.name != threading.main_thread().name for th in threads)


@aio
async def test_a_run_with_a_large_eta_draws_its_path_and_a_pause_redraws_the_map() -> None:
    app = make_app(load("circle", ["train.lr=5"]), lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_dialog(pilot)
        await choose(pilot, "W2[0,0]", "W2[0,1]")
        await until(pilot, lambda: app.main.query(LandscapeView))
        app.main.session.send(cmd.RunSteps(20))
        await settled(pilot, 20)
        view = app.main.query_one(LandscapeView)
        await until(pilot, lambda: view.land is not None and view.land.step == 20)
        assert view.land.path_steps.tolist() == list(range(21))
        dots = sum(1 for ch in drawn(app.screen, view.region) if 0x2800 < ord(ch) <= 0x28FF)
        assert dots >= 5  # twenty jumps are drawn, not a point


@pytest.mark.parametrize(
    "typed, says",
    [
        ("W9[0,0]", "has no W9; it has W1, b1, W2, b2"),
        ("W1[7,0]", "is outside W1, whose shape is (2, 2)"),
        ("W1[0,0]\x1b[2J\n", "cannot read"),
        ("b1[0,1]", "b1 takes 1 index"),
    ],
)
@aio
async def test_a_wrong_name_is_one_line_in_the_dialog(typed: str, says: str) -> None:
    app = make_app(load("mazur-2-2-2"), lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_dialog(pilot)
        await choose(pilot, typed, "b2[0]")
        await pilot.pause(0.1)
        assert app.screen is dialog  # still open, saying why
        error = str(dialog.query_one("#error", Static).render())
        assert says in error and "\n" not in error and "\x1b" not in error
        assert_shows(app.screen, says)
        assert not app.main.query(LandscapeView)


@aio
async def test_for_data_not_on_a_plane_the_landscape_is_a_column_of_its_own() -> None:
    app = make_app(load("mazur-2-2-2"), lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_dialog(pilot)
        await choose(pilot, "w1[0][0]", "W2[1,1]")
        await until(pilot, lambda: app.main.query(LandscapeView))
        view = app.main.query_one(LandscapeView)
        await until(pilot, lambda: view.land is not None)
        await pilot.pause(0.1)
        assert_on_top(app.screen, view)
        assert view.region.width >= 30 and view.region.height >= 30
        assert "W2[1,1]" in drawn(app.screen, view.region)


@aio
async def test_two_links_picked_in_the_network_picture_open_their_landscape() -> None:
    app = make_app(load("circle"), lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        network = app.main.query_one(NetworkView)
        network.post_message(NetworkView.PickParameter("W1", (0, 1)))
        await until(pilot, lambda: "W1[0,1]" in str(app.main.query_one(HintLine).render()))
        assert not app.main.query(LandscapeView)  # one parameter: the hint asks for another
        network.post_message(NetworkView.PickParameter("W2", (3, 0)))
        await until(pilot, lambda: app.main.query(LandscapeView))
        view = app.main.query_one(LandscapeView)
        await until(pilot, lambda: view.land is not None)
        assert (view.land.p.label, view.land.q.label) == ("W1[0,1]", "W2[3,0]")


@pytest.mark.parametrize(
    "lang, size", [("en", (120, 40)), ("ja", (80, 24))], ids=["en-120x40", "ja-80x24"]
)
@aio
async def test_esc_on_the_focused_landscape_closes_it_and_g_opens_it_again(lang, size) -> None:
    """Its subtitle says Esc closes it; Esc takes the view away, the worker stops computing
    it, and the boundary is back in its place (and focused); g still opens a landscape."""
    app = make_app(load("circle"), lang=lang)
    async with app.run_test(size=size) as pilot:
        await open_dialog(pilot)
        await choose(pilot, "W1[1,3]", "b2[0]")
        await until(pilot, lambda: app.screen is app.main and app.main.query(LandscapeView))
        view = app.main.query_one(LandscapeView)
        await until(pilot, lambda: view.land is not None)
        assert t("app_landscape_close_hint", lang) in str(view.border_subtitle)
        await until(pilot, lambda: app.focused is view)  # opened by the dialog: focused
        await pilot.press("escape")
        await until(pilot, lambda: not app.main.query(LandscapeView))
        assert app.main.landscape.pair is None and "landscape" not in app.main.plots.cells
        boundary = app.main.query_one("#boundary")
        await until(pilot, lambda: boundary.parent.display and app.focused is boundary)
        await open_dialog(pilot)
        await choose(pilot, "W1[0,0]", "b1[0]")
        await until(pilot, lambda: app.main.query(LandscapeView))


@aio
async def test_g_starts_from_the_link_selected_in_the_network_picture() -> None:
    app = make_app(load("circle"), lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        app.main.query_one(NetworkView).select(link=(2, 3, 0))  # as a click on that link
        await open_dialog(pilot)
        assert [f.value for f in app.screen.query(Input)] == ["W2[3,0]", "W1[0,0]"]
