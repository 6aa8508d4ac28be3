"""Driving the app with Textual's Pilot: one async style (`@aio`), waiting by polling
(`until`, `loaded`, `settled`), keys at a terminal's pace (`mash`), and what the screen shows."""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Awaitable, Callable

from textual import events
from textual.pilot import Pilot

from tui_nn.app.main import TuiNN
from tui_nn.app.snapshot import PAUSED
from tui_nn.app.widgets.banner import Banner
from tui_nn.app.widgets.status import StatusBar


def aio(test: Callable[..., Awaitable[None]]) -> Callable[..., None]:
    """Run an async test on its own event loop (no pytest plugin needed)."""

    @functools.wraps(test)
    def run(*args: object, **kwargs: object) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


async def until(pilot: Pilot, cond: Callable[[], bool], timeout: float = 20.0) -> None:
    """Let the app and its worker run until `cond` holds (polling, never a fixed sleep)."""
    end = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < end, "timed out waiting for the app"
        await pilot.pause(0.01)


#: The override that trains a preset at full speed, whatever [view] pace it ships with.
FULL_SPEED = 'view.pace="max"'

#: The characters of the key names a student types that are not the character itself.
CHARACTERS = {
    "space": " ",
    "full_stop": ".",
    "minus": "-",
    "plus": "+",
    "equals_sign": "=",
    "slash": "/",
    "question_mark": "?",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
}


async def mash(pilot: Pilot, keys: list[str]) -> None:
    """Keys as fast as a terminal delivers them: each posted to the app as a terminal's key
    event, with no wait in between. (`pilot.press` waits for the process to go idle after
    each key, which it never does while training: up to 2 s a key.)"""
    for key in keys:
        character = CHARACTERS.get(key, key if len(key) == 1 else None)
        pilot.app.post_message(events.Key(key, character))
        await asyncio.sleep(0)
    await pilot.pause(0)


def snap(app: TuiNN):
    return app.main.state.snapshot


async def loaded(pilot: Pilot) -> None:
    app = pilot.app
    await until(pilot, lambda: app.main.state.info is not None and snap(app) is not None)


async def settled(pilot: Pilot, step: int | None = None, state: str = PAUSED) -> None:
    """Wait for the snapshot of a stopped run (at `step`, when given)."""
    app = pilot.app

    def done() -> bool:
        s = snap(app)
        return s is not None and s.state == state and (step is None or s.step == step)

    await until(pilot, done)


def status(app: TuiNN) -> str:
    return app.main.query_one(StatusBar).text


def banner(app: TuiNN) -> str:
    b = app.main.query_one(Banner)
    return b.text if b.has_class("-shown") else ""


async def highlight(pilot: Pilot, panel_id: str, row: str) -> None:
    panel = pilot.app.main.query_one(f"#{panel_id}")
    panel.focus()
    ids = [o.id for o in panel.options]
    panel.highlighted = ids.index(row)
    await pilot.pause()
