"""What the frame benchmarks share: the median time of a call, and one widget alone in a
120×40 headless app."""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable

from textual.app import App, ComposeResult
from textual.widget import Widget


def median_ms(
    fn: Callable[[], object], repeat: int, clock: Callable[[], float] = time.perf_counter
) -> float:
    """Median milliseconds of `repeat` calls of `fn`, timed by `clock`."""
    times = []
    for _ in range(repeat):
        t0 = clock()
        fn()
        times.append(clock() - t0)
    return statistics.median(times) * 1000


class Alone(App):
    """An app showing one widget (English texts), sized by `css` as the main screen would."""

    lang = "en"

    def __init__(self, make: Callable[[], Widget], css: str = "") -> None:
        self.CSS = css
        super().__init__()
        self.make = make

    def compose(self) -> ComposeResult:
        yield self.make()


def run(measure: Callable[[int], Awaitable[None]], description: str) -> None:
    """`measure(repeat)` with --repeat from the command line (50 by default)."""
    parser = argparse.ArgumentParser(description=description.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50)
    asyncio.run(measure(parser.parse_args().repeat))
