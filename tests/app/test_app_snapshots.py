"""Screenshots of the main screen at fixed sizes, paused after an exact number of updates, in
English and Japanese. Review a changed snapshot in the report before updating it
(`pytest tests/app/test_app_snapshots.py --snapshot-update`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from textual.pilot import Pilot

from tui_nn.app import session as cmd
from tui_nn.app.main import make_app

from helpers.pilot import settled, until

SIZES = [(80, 24), (120, 40)]


def after_steps(n: int) -> Callable[[Pilot], Awaitable[None]]:
    """Wait for the preset to load, run exactly n updates, and wait for the paused snapshot."""

    async def run_before(pilot: Pilot) -> None:
        app = pilot.app
        await until(pilot, lambda: app.main.state.snapshot is not None)
        app.main.session.send(cmd.RunSteps(n))
        await settled(pilot, n)
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_main_screen_after_200_updates(snap_compare, lang: str, size: tuple[int, int]) -> None:
    """mazur-2-2-2 paused at step 200: the architecture 2-2-2 (12 parameters), the
    hyperparameters (sgd, learning rate 0.5, init from the preset), the falling loss on a log
    scale, and the status line "paused, step 200, epoch 200/10,000, lr 0.5, E 0.0318...".
    At 80×24 one plot shows (v: next plot 1/4) and the footer keeps its main keys; at 120×40
    all four plots and the preset's description show. Japanese labels must not overflow."""
    app = make_app("mazur-2-2-2", lang=lang)
    assert snap_compare(app, terminal_size=size, run_before=after_steps(200))


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_first_run_screen(snap_compare, lang: str) -> None:
    """No preset: the welcome text says how to load a preset (o), train (space) and open the
    backprop stepper (b); the training keys in the footer are greyed out."""
    app = make_app(None, lang=lang)
    assert snap_compare(app, terminal_size=(80, 24))


def test_diverged_screen(snap_compare, tmp_path) -> None:
    """A linear 2-2-2 network at η = 1e5 diverges at step 5: the red banner says where, that the
    weights and the optimizer's state went back to the initial ones (no later weights had a loss
    not above the start), and suggests a smaller learning rate; the status line says diverged
    with E of those weights, and the loss chart shows E climbing to 1e200 before it."""
    text = (
        make_app("mazur-2-2-2")
        .first_preset.path.read_text("utf-8")
        .replace('activation = "sigmoid"', 'activation = "identity"')
        .replace('output = "sigmoid"', 'output = "identity"')
        .replace("lr = 0.5", "lr = 1e5")
    )
    path = tmp_path / "diverge.toml"
    path.write_text(text, "utf-8")

    async def run_before(pilot: Pilot) -> None:
        app = pilot.app
        await until(pilot, lambda: app.main.state.snapshot is not None)
        app.main.session.send(cmd.Play())
        await settled(pilot, 4, state="diverged")
        await pilot.pause()

    assert snap_compare(make_app(path, lang="en"), terminal_size=(80, 24), run_before=run_before)
