"""Pictures rebuilt at most `max_fps` times a second, however often new data arrives."""

from __future__ import annotations

import time

from textual.timer import Timer


class RateBound:
    """Mixin for a Widget whose picture is costly to build: `draw_soon()` builds it now, or
    once when the current 1/max_fps window ends, from whatever data is newest by then."""

    max_fps: float = 10.0
    #: Pictures built: what the rate bound limits (tests count them).
    draws: int = 0
    _last_draw: float = -1e9
    _timer: Timer | None = None

    def draw_soon(self) -> None:
        wait = self._last_draw + 1.0 / self.max_fps - time.monotonic()
        if wait <= 0:
            self._draw()
        elif self._timer is None:
            self._timer = self.set_timer(wait, self._draw)  # type: ignore[attr-defined]

    def _draw(self) -> None:
        self._timer = None
        self._last_draw = time.monotonic()
        self.draws += 1
        self.redraw()

    def redraw(self) -> None:
        """Build the picture from the data held now."""
        raise NotImplementedError
