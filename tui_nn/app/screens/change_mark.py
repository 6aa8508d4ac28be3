"""At pace "slow" (an update a second) the network picture marks the link whose w changed most
in the update just shown: where the last step of gradient descent went.

The weights come with each snapshot's picture (copied on the worker); the mark is worked out
from two consecutive snapshots, one update apart, on the UI thread (a few small arrays).
"""

from __future__ import annotations

import numpy as np
from textual.screen import Screen

from tui_nn.app.screens.run_state import RunState
from tui_nn.app.snapshot import Snapshot
from tui_nn.app.widgets.network import NetworkView

#: W_l[i, j] as (l, i, j), l = 1 for W1.
Link = tuple[int, int, int]


def changed_most(before: tuple[np.ndarray, ...], after: tuple[np.ndarray, ...]) -> Link | None:
    """The (l, i, j) of the largest |Δw| between two sets of W1, W2, ... (None if none moved
    or the shapes differ)."""
    best, where = 0.0, None
    for layer, (a, b) in enumerate(zip(before, after, strict=False), start=1):
        if a.shape != b.shape or not a.size:
            return None
        change = np.abs(b - a)
        k = int(np.nanargmax(change)) if np.isfinite(change).any() else 0
        if change.flat[k] > best:
            best, where = float(change.flat[k]), (layer, *np.unravel_index(k, a.shape))
    return None if where is None else tuple(int(v) for v in where)


class ChangeMark:
    """The link to mark, snapshot by snapshot, and the network picture told of it."""

    def __init__(self, screen: Screen | None = None, state: RunState | None = None) -> None:
        self.screen, self.state = screen, state
        self._last: tuple[int, tuple[np.ndarray, ...]] | None = None
        self.link: Link | None = None

    def feed(self, snapshot: Snapshot) -> None:
        picture = snapshot.extras.get("network")
        experiment = self.state.experiment if self.state is not None else None
        if picture is None or experiment is None or self.screen is None:
            return
        mark = self.see(snapshot.step, picture.weights, experiment.preset.pace == "slow")
        for view in self.screen.query(NetworkView):
            if view.marks.highlight != mark:
                view.highlight_link(mark)

    def see(self, step: int, weights: tuple[np.ndarray, ...], slow: bool) -> Link | None:
        """The mark after a snapshot at `step` with these weights: the largest change of the
        one update since the last snapshot, at pace "slow"; kept while the step stays."""
        last, self._last = self._last, (step, weights)
        if not slow:
            self.link = None
        elif last is not None and step == last[0] + 1:
            self.link = changed_most(last[1], weights)
        elif last is None or step != last[0]:
            self.link = None
        return self.link
