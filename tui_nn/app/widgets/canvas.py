"""Small charts drawn straight into Textual Strips: braille lines and eighth-block bars.

Each cell of the plot area holds 2×4 braille dots, so a chart of w×h cells has a 2w×4h grid of
dots; lines are rasterised into that grid with NumPy and each cell takes the colour of the last
series that lit a dot in it. Bars use the eighth blocks ▁▂▃▄▅▆▇█, exact to an eighth of a cell.
Tick labels sit left of a vertical axis and under a horizontal one. Nothing here knows about
the app: values, ticks and styles come in, Strips go out (one per row of the widget).

Why not plotext: it builds a matrix of characters in Python and goes through ANSI text that
Rich parses again, ~25 ms a chart, all of it holding the GIL the training thread needs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

#: Bit of each dot of a braille cell, by (dot row, dot column): dots 1-2-3-7 down the left
#: column and 4-5-6-8 down the right one, as Unicode numbers them.
BRAILLE_BITS = np.array([[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]], dtype=np.uint8)
#: The code point for every bit pattern; a cell without dots is a plain space.
BRAILLE = np.array([0x20, *range(0x2801, 0x2900)], dtype=np.uint32)
#: Code points of bar tops in eighths of a cell, from none to full.
EIGHTHS = np.array([ord(c) for c in " ▁▂▃▄▅▆▇█"], dtype=np.uint32)


@dataclass(frozen=True)
class Axis:
    """A data range drawn across the plot, and the ticks to label on it: (value, label)."""

    lo: float
    hi: float
    ticks: Sequence[tuple[float, str]] = ()


@dataclass(frozen=True)
class Styles:
    """Rich styles for the parts of a chart; each includes the widget's background."""

    label: Style
    axis: Style
    series: Sequence[Style]


def to_dots(values: np.ndarray, lo: float, hi: float, n: int) -> np.ndarray:
    """Positions 0..n−1 (floats) of values on a range lo..hi; a range of one value: the middle."""
    values = np.asarray(values, dtype=np.float64)
    if not hi > lo:
        return np.full(values.shape, (n - 1) / 2)
    return (values - lo) * ((n - 1) / (hi - lo))


def polyline(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Integer dots of the line through the points (x, y), consecutive points joined.

    Each segment is walked one dot at a time along its longer side, so the dots of the whole
    line touch (8-connected): a steep drop stays one stroke instead of scattered dots.
    """
    x, y = np.rint(x).astype(np.int64), np.rint(y).astype(np.int64)
    if len(x) < 2:
        return x, y
    dx, dy = np.diff(x), np.diff(y)
    steps = np.maximum(np.abs(dx), np.abs(dy))  # dots per segment, its end excluded
    seg = np.repeat(np.arange(len(dx)), steps)
    k = np.arange(len(seg)) - np.repeat(np.cumsum(steps) - steps, steps)
    t = k / np.maximum(steps[seg], 1)
    xs = np.append(x[seg] + np.rint(t * dx[seg]).astype(np.int64), x[-1])
    ys = np.append(y[seg] + np.rint(t * dy[seg]).astype(np.int64), y[-1])
    return xs, ys


class Braille:
    """A plot area of cols×rows cells of braille dots, remembering which series owns each."""

    def __init__(self, cols: int, rows: int) -> None:
        self.cols, self.rows = cols, rows
        self.bits = np.zeros((rows, cols), dtype=np.uint8)
        self.owner = np.full((rows, cols), -1, dtype=np.int64)

    def line(self, x: np.ndarray, y: np.ndarray, series: int) -> None:
        """Draw the line through points given in dots (x right from 0, y down from 0); dots
        outside the area are dropped, and so are points that are not numbers. The series takes
        every cell it touches."""
        x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
        keep = np.isfinite(x) & np.isfinite(y)
        # A point far off the area would cost a dot per step of the way there: it is moved to a
        # margin around the area (which tilts a segment to it; the charts' ranges cover their
        # data, so this only guards against values beyond a fixed range).
        reach = 4.0 * max(self.cols, self.rows, 1)
        x = np.clip(x[keep], -reach, 2 * self.cols + reach)
        y = np.clip(y[keep], -reach, 4 * self.rows + reach)
        xs, ys = polyline(x, y)
        inside = (xs >= 0) & (xs < 2 * self.cols) & (ys >= 0) & (ys < 4 * self.rows)
        dots = np.zeros((4 * self.rows, 2 * self.cols), dtype=np.uint8)
        dots[ys[inside], xs[inside]] = 1
        # Each cell's bits: its 4×2 block of dots weighted by the braille bit of each position.
        blocks = dots.reshape(self.rows, 4, self.cols, 2) * BRAILLE_BITS[None, :, None, :]
        bits = blocks.sum(axis=(1, 3), dtype=np.uint8)
        self.bits |= bits
        self.owner[bits > 0] = series

    def text(self) -> list[str]:
        """The characters of each row."""
        return row_text(BRAILLE[self.bits])


def bar_levels(counts: np.ndarray, top: float, cols: int, rows: int) -> np.ndarray:
    """Eighths of a cell filled in each (row, col) by bars of counts side by side, a count of
    `top` as tall as the area. Column c shows bin c·bins//cols; when there are fewer columns
    than bins, a column shows the tallest of the bins it covers."""
    counts = np.asarray(counts, dtype=np.float64)
    if not cols or not rows or not len(counts):
        return np.zeros((rows, cols), dtype=np.int64)
    full = rows * 8
    eighths = np.clip(np.rint(counts / top * full), 0, full) if top > 0 else np.zeros(len(counts))
    # A bin with anything in it shows at least ▁, so a lone outlier is not lost.
    eighths = np.where(counts > 0, np.maximum(eighths, 1), 0).astype(np.int64)
    heights = np.maximum.reduceat(eighths, np.arange(cols) * len(counts) // cols)
    from_bottom = np.arange(rows)[::-1, None]
    return np.clip(heights[None, :] - 8 * from_bottom, 0, 8)


def edge_column(edge: float, bins: int, cols: int) -> int:
    """The column where bin `edge` starts (the last column for the right end)."""
    return min(int(np.ceil(edge * cols / bins)), cols - 1)


def value_column(value: float, axis: Axis, cols: int) -> int:
    """The column of the dot nearest to value on an axis across cols cells."""
    return int(np.rint(to_dots(np.array(value), axis.lo, axis.hi, 2 * cols))) // 2


def row_text(codes: np.ndarray) -> list[str]:
    """Each row of a grid of code points as a string (decoded at once, not cell by cell)."""
    rows, cols = codes.shape
    text = codes.astype("<u4").tobytes().decode("utf-32-le")
    return [text[r * cols : (r + 1) * cols] for r in range(rows)]


def runs(text: str, keys: np.ndarray, styles: Sequence[Style], blank: Style) -> list[Segment]:
    """Segments for one row: neighbouring cells with the same key (−1: blank) merged."""
    if not len(keys):
        return []
    cuts = [0, *(np.flatnonzero(keys[1:] != keys[:-1]) + 1).tolist(), len(keys)]
    keys = keys.tolist()
    return [
        Segment(text[a:b], styles[keys[a]] if keys[a] >= 0 else blank) for a, b in pairwise(cuts)
    ]


@dataclass(frozen=True)
class Frame:
    """Where the parts of a chart go in a width×height widget: labels, axes, plot area."""

    width: int
    height: int
    gutter: int  # columns of y labels, left of the vertical axis
    y_axis: bool
    x_axis: bool  # an axis row and a label row under the plot

    @classmethod
    def fit(cls, width: int, height: int, y_labels: Sequence[str]) -> Frame:
        """Axes and labels where there is room for them and for a plot area beside them."""
        gutter = max((len(s) for s in y_labels), default=0)
        y_axis = width >= gutter + 3
        return cls(width, height, gutter if y_axis else 0, y_axis, x_axis=height >= 4)

    @property
    def left(self) -> int:
        return self.gutter + self.y_axis

    @property
    def cols(self) -> int:
        return max(self.width - self.left, 0)

    @property
    def rows(self) -> int:
        return max(self.height - 2 * self.x_axis, 0)


def y_label_rows(axis: Axis, rows: int) -> dict[int, str]:
    """The row of each tick label: the cell row holding the tick's dot. A tick outside the
    range, or on a row already labelled, is skipped."""
    out: dict[int, str] = {}
    slack = 1e-9 * max(abs(axis.lo), abs(axis.hi), 1.0)
    for value, label in axis.ticks:
        if rows and axis.lo - slack <= value <= axis.hi + slack:
            dot = int(np.rint(to_dots(np.array(value), axis.lo, axis.hi, 4 * rows)))
            out.setdefault((4 * rows - 1 - dot) // 4, label)
    return out


def x_label_starts(ticks: Sequence[tuple[int, str]], width: int) -> list[tuple[int, int, str]]:
    """(column, start, label) of the x labels that fit, from (column, label) pairs in order.
    A label is centred on its column, moved inwards at the widget's edges as long as it still
    covers the column; one that would touch the label before it or cannot fit is skipped."""
    out: list[tuple[int, int, str]] = []
    free = 0  # first column the next label may use: one space after the last one
    for col, label in ticks:
        start = min(max(col - len(label) // 2, 0), width - len(label))
        if free <= start <= col < start + len(label):
            out.append((col, start, label))
            free = start + len(label) + 1
    return out


def compose(
    frame: Frame,
    plot: list[list[Segment]],
    x_ticks: Sequence[tuple[int, str]],
    y: Axis,
    styles: Styles,
) -> list[Strip]:
    """The whole picture: each plot row behind its y label and the axis, then the x axis with
    labels at the given plot columns."""
    labels = y_label_rows(y, frame.rows) if frame.gutter else {}
    strips = []
    for r, row in enumerate(plot):
        left = []
        if frame.gutter:
            left.append(Segment(labels.get(r, "").rjust(frame.gutter), styles.label))
        if frame.y_axis:
            left.append(Segment("┤" if r in labels else "│", styles.axis))
        strips.append(Strip([*left, *row], frame.width))
    if frame.x_axis:
        strips.extend(x_axis(frame, x_ticks, styles))
    return strips


def x_axis(frame: Frame, ticks: Sequence[tuple[int, str]], styles: Styles) -> list[Strip]:
    """The axis row (└──┬──) and the label row under it."""
    inside = [(frame.left + c, label) for c, label in ticks if 0 <= c < frame.cols]
    line = [" "] * frame.gutter + ["└"] * frame.y_axis + ["─"] * frame.cols
    text = [" "] * frame.width
    for col, start, label in x_label_starts(inside, frame.width):
        line[col] = "┬"
        text[start : start + len(label)] = label
    return [
        Strip([Segment("".join(line), styles.axis)], frame.width),
        Strip([Segment("".join(text), styles.label)], frame.width),
    ]


def line_chart(
    width: int,
    height: int,
    lines: Sequence[tuple[np.ndarray, np.ndarray]],
    x: Axis,
    y: Axis,
    styles: Styles,
) -> list[Strip]:
    """Lines through (x, y) points on the ranges of the axes, line i in styles.series[i]; a
    line drawn later takes the cells it shares with earlier ones."""
    frame = Frame.fit(width, height, [label for _, label in y.ticks])
    canvas = Braille(frame.cols, frame.rows)
    for i, (xv, yv) in enumerate(lines):
        dots_x = to_dots(xv, x.lo, x.hi, 2 * frame.cols)
        # Rounded before flipping, as the tick rows are, so a value and its label share a row.
        dots_y = 4 * frame.rows - 1 - np.rint(to_dots(yv, y.lo, y.hi, 4 * frame.rows))
        canvas.line(dots_x, dots_y, i)
    text = canvas.text()
    plot = [runs(text[r], canvas.owner[r], styles.series, styles.label) for r in range(frame.rows)]
    x_ticks = [(value_column(v, x, frame.cols), label) for v, label in x.ticks]
    return compose(frame, plot, x_ticks, y, styles)


def bar_chart(
    width: int,
    height: int,
    counts: np.ndarray,
    edges: Sequence[tuple[int, str]],
    y: Axis,
    styles: Styles,
) -> list[Strip]:
    """Bars of counts from 0 up to y.hi in styles.series[0], labelled under some bin edges
    (edge number, label): edge 0 is the left end, edge len(counts) the right one."""
    frame = Frame.fit(width, height, [label for _, label in y.ticks])
    levels = bar_levels(counts, y.hi, frame.cols, frame.rows)
    text = row_text(EIGHTHS[levels])
    keys = np.where(levels > 0, 0, -1)
    plot = [runs(text[r], keys[r], styles.series, styles.label) for r in range(frame.rows)]
    bins = max(len(counts), 1)
    x_ticks = [(edge_column(e, bins, frame.cols), label) for e, label in edges]
    return compose(frame, plot, x_ticks, y, styles)
