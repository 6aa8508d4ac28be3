"""One loss-chart redraw: tui-nn's own NumPy braille canvas against plotext, in one run.

    python bench/chart_vs_plotext.py [--repeat 50] [--width 60] [--height 18]

Both draw the same two series (train and test E, log scale, two points a cell column: what the
app keeps of a long run after thinning) into a chart of width × height cells, and end with
what Textual paints: Strips. For plotext that means its ANSI text parsed back by Rich, as
textual-plotext does. plotext is optional (`pip install "plotext<6"`, the 5.x API that
textual-plotext uses); without it only our time is printed. A measurement, not a test.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

import numpy as np
from rich.console import Console
from rich.style import Style
from rich.text import Text
from textual.strip import Strip
from timing import median_ms

from tui_nn.app.widgets.canvas import Axis, Styles, line_chart


def curves(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A seeded, noisy pair of falling loss curves: steps, train E, test E."""
    rng = np.random.default_rng(0)
    steps = np.arange(1, n + 1, dtype=np.float64)
    train = 0.7 * np.exp(-steps / 400) + 0.01 + 0.005 * rng.random(n)
    test = train * 1.1 + 0.005 * rng.random(n)
    return steps, train, test


def ours(width: int, height: int) -> Callable[[], list[Strip]]:
    steps, train, test = curves(2 * width)
    styles = Styles(Style(color="white"), Style(color="grey50"), [Style(color="blue"), Style()])
    lo, hi = float(np.log10(train.min())), float(np.log10(test.max()))
    x = Axis(1.0, float(steps[-1]), [(1.0, "1"), (float(steps[-1]), str(len(steps)))])
    y = Axis(lo, hi, [(lo, f"{10**lo:.2g}"), (hi, f"{10**hi:.2g}")])
    lines = [(steps, np.log10(train)), (steps, np.log10(test))]
    return lambda: line_chart(width, height, lines, x, y, styles)


def plotext_chart(width: int, height: int) -> Callable[[], list[Strip]] | None:
    try:
        import plotext as plt
    except ImportError:
        return None
    steps, train, test = curves(2 * width)
    console = Console(width=width, color_system="truecolor", force_terminal=True)

    def draw() -> list[Strip]:
        plt.clf()
        plt.plotsize(width, height)
        plt.yscale("log")
        plt.plot(steps, train, marker="braille", label="train")
        plt.plot(steps, test, marker="braille", label="test")
        text = Text.from_ansi(plt.build())
        return [Strip(line) for line in console.render_lines(text, pad=False)]

    return draw


def warm_median_ms(fn: Callable[[], object], repeat: int) -> float:
    fn()  # the first call pays for imports and caches in both libraries
    return median_ms(fn, repeat)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--width", type=int, default=60)
    parser.add_argument("--height", type=int, default=18)
    args = parser.parse_args()
    cells = f"{args.width}×{args.height} cells, 2 series × {2 * args.width} points"
    print(f"one chart redraw to Strips ({cells}, median of {args.repeat})")
    mine = warm_median_ms(ours(args.width, args.height), args.repeat)
    print(f"  tui-nn canvas  {mine:8.2f} ms")
    other = plotext_chart(args.width, args.height)
    if other is None:
        print('  plotext        not installed (pip install "plotext<6")')
        return
    theirs = warm_median_ms(other, args.repeat)
    print(f"  plotext        {theirs:8.2f} ms")
    print(f"  ratio          {theirs / mine:8.1f}× (plotext / tui-nn)")


if __name__ == "__main__":
    main()
