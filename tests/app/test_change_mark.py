"""At pace "slow" the link marked is the one whose w the last update changed most."""

from __future__ import annotations

import numpy as np

from tui_nn.app.main import make_app
from tui_nn.app.screens.change_mark import ChangeMark, changed_most
from tui_nn.app.widgets.network import NetworkView
from tui_nn.core import Trainer, load

from helpers.pilot import aio, loaded, settled, snap, until


def test_the_largest_change_of_any_layer_is_found() -> None:
    before = (np.zeros((2, 3)), np.zeros((3, 1)))
    after = (np.array([[0.1, -0.4, 0.0], [0.0, 0.2, 0.0]]), np.array([[0.0], [0.5], [0.0]]))
    assert changed_most(before, after) == (2, 1, 0)
    assert changed_most(after, before) == (2, 1, 0)  # a decrease counts as much
    assert changed_most(before, before) is None
    assert changed_most(before, (np.zeros((3, 3)), np.zeros((3, 1)))) is None


def test_an_update_of_circle_marks_what_it_changed_most() -> None:
    t = Trainer(load("circle"))
    weights = [tuple(t.net.params[f"W{i}"].copy() for i in (1, 2))]
    for _ in range(2):
        t.step()
        weights.append(tuple(t.net.params[f"W{i}"].copy() for i in (1, 2)))
    mark = ChangeMark()
    assert mark.see(0, weights[0], slow=True) is None  # nothing to compare with yet
    got = mark.see(1, weights[1], slow=True)
    deltas = [np.abs(b - a) for a, b in zip(weights[0], weights[1], strict=True)]
    layer = int(np.argmax([d.max() for d in deltas]))
    i, j = np.unravel_index(int(np.argmax(deltas[layer])), deltas[layer].shape)
    assert got == (layer + 1, int(i), int(j))
    assert mark.see(1, weights[1], slow=True) == got  # the same frame again: kept
    assert mark.see(2, weights[2], slow=False) is None  # another pace: no mark
    assert mark.see(0, weights[0], slow=True) is None  # after a reset


@aio
async def test_at_pace_slow_the_picture_marks_the_link_the_last_update_moved_most() -> None:
    app = make_app(load("circle", ['view.pace="slow"']), lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("space")
        await until(pilot, lambda: snap(app).step >= 1 and snap(app).paced)
        await pilot.press("space")
        await settled(pilot)
        step, mark = snap(app).step, app.main.query_one(NetworkView).marks.highlight
    t = Trainer(load("circle"))
    t.run(step - 1)
    before = tuple(t.net.params[f"W{i}"].copy() for i in (1, 2))
    t.step()
    assert mark == changed_most(before, tuple(t.net.params[f"W{i}"] for i in (1, 2)))
    assert mark is not None
