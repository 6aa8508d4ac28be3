"""The landscape of two parameters: E over a grid of their values as a heat map (half-block
pixels, ▀, as the decision boundary; low E in the theme's primary colour, high E in its
warning colour, in bands of equal area), the path training has taken drawn over it in braille dots,
where it started (o) and where it is now (X), and axes naming the two parameters and ranges.

With NO_COLOR the map is one ASCII density glyph per cell (" .:-=+*%#", low to high E), so
the valley still reads. The widget only draws: the screen hands it a `Landscape` computed on
the training worker (tui_nn.app.landscape_work) with `show()`, and it posts `SizeWanted` when
its map area changes size.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rich.cells import cell_len
from rich.color import Color as RichColor
from rich.segment import Segment
from rich.style import Style
from textual.content import Content
from textual.message import Message
from textual.strip import Strip

from tui_nn.app.lang import Localized, bind
from tui_nn.app.theme import theme_color
from tui_nn.app.widgets.boundary import ramp_table, resample
from tui_nn.app.widgets.plotpanel import PlotPanel
from tui_nn.core.landscape import Landscape

LEVELS = 12
LOW, HIGH = "primary", "warning"
DENSITY = " .:-=+*%#"
START, NOW = "o", "X"
#: Largest grid asked of the worker (E over the training set at each point).
MAX_GRID = (96, 64)
#: Braille dot bits of a cell, by (column 0-1, row 0-3).
_DOTS = ((0x01, 0x02, 0x04, 0x40), (0x08, 0x10, 0x20, 0x80))
#: ((p_lo, p_hi), (q_lo, q_hi)): what the map's x and y cover.
Ranges = tuple[tuple[float, float], tuple[float, float]]


def levels(E: np.ndarray, n: int = LEVELS) -> np.ndarray:
    """Each value's colour level 0..n-1: bands of equal area between thresholds of E (each
    band's edge is a contour of E), so the valley shows whatever the scale of E; a region where
    E is not finite takes the top level."""
    finite = np.isfinite(E)
    if not finite.any():
        return np.full(E.shape, n - 1, np.int32)
    edges = np.quantile(E[finite], np.linspace(0, 1, n + 1)[1:-1])
    out = np.searchsorted(edges, np.where(finite, E, np.inf), side="right")
    return np.minimum(out, n - 1).astype(np.int32)


def braille_path(
    path: np.ndarray, ranges: Ranges, cols: int, rows: int
) -> dict[tuple[int, int], int]:
    """(cell row, cell col) → braille dot bits of the path's segments over a cols × rows-cell
    map; x runs over the first range (left to right), y over the second (bottom to top)."""
    (x_lo, x_hi), (y_lo, y_hi) = ranges
    ok = np.isfinite(path).all(axis=1)
    if len(path) == 0 or x_hi <= x_lo or y_hi <= y_lo:
        return {}
    dx = (path[:, 0] - x_lo) / (x_hi - x_lo) * (2 * cols)
    dy = (y_hi - path[:, 1]) / (y_hi - y_lo) * (4 * rows)
    if len(path) == 1:
        xs, ys = dx[ok], dy[ok]
    else:
        a, b = np.arange(len(path) - 1), np.arange(1, len(path))
        keep = ok[a] & ok[b]
        a, b = a[keep], b[keep]
        n = np.clip(
            np.ceil(np.maximum(abs(dx[b] - dx[a]), abs(dy[b] - dy[a]))), 1, 4 * (cols + rows)
        )
        n = n.astype(int)
        seg = np.repeat(np.arange(len(a)), n + 1)
        frac = np.concatenate([np.linspace(0, 1, k + 1) for k in n]) if len(a) else np.empty(0)
        xs = dx[a][seg] + (dx[b][seg] - dx[a][seg]) * frac
        ys = dy[a][seg] + (dy[b][seg] - dy[a][seg]) * frac
    xi, yi = np.floor(xs).astype(int), np.floor(ys).astype(int)
    inside = (xi >= 0) & (xi < 2 * cols) & (yi >= 0) & (yi < 4 * rows)
    cells: dict[tuple[int, int], int] = {}
    for x, y in zip(xi[inside].tolist(), yi[inside].tolist(), strict=True):
        key = (y // 4, x // 2)
        cells[key] = cells.get(key, 0) | _DOTS[x % 2][y % 4]
    return cells


def marker_cell(
    point: tuple[float, float],
    ranges: tuple[tuple[float, float], tuple[float, float]],
    cols: int,
    rows: int,
) -> tuple[int, int] | None:
    """(cell row, cell col) of a point on the map, None when it lies outside."""
    (x_lo, x_hi), (y_lo, y_hi) = ranges
    if not (np.isfinite(point).all() and x_hi > x_lo and y_hi > y_lo):
        return None
    c = int(np.floor((point[0] - x_lo) / (x_hi - x_lo) * cols))
    r = int(np.floor((y_hi - point[1]) / (y_hi - y_lo) * rows))
    return (r, c) if 0 <= r < rows and 0 <= c < cols else None


@dataclass(frozen=True)
class Look:
    """The colours of one theme: the ramp's table and the marks' foreground."""

    table: list[RichColor]
    marks: RichColor
    base: Style
    plain: bool  # NO_COLOR: density glyphs, no colours


class LandscapeView(Localized, PlotPanel, can_focus=True):
    """E over the plane of two parameters, with the path of training on it."""

    BINDINGS = [bind("escape", "close", "landscape_close")]

    class CloseWanted(Message):
        """Esc on the view: the student is done with this landscape."""

    @dataclass
    class SizeWanted(Message):
        """The map area changed size: the screen asks the worker for a grid this size."""

        cols: int
        rows: int

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.land: Landscape | None = None
        self.step: int | None = None  # of the snapshot the path and point come from
        self.running = False
        self._strips: list[Strip] = []
        self._asked: tuple[int, int] | None = None

    # ---- data down ------------------------------------------------------------------------

    def show(self, land: Landscape | None, step: int | None, running: bool) -> None:
        """Take the newest landscape (from a snapshot at `step`) and draw it now."""
        self.land, self.step, self.running = land, step, running
        self._strips = self.build_strips()
        self.relabel()
        # The first landscape comes at the size asked before the view was laid out.
        size = self.grid_size
        if land is not None and self.size.area and size not in (self._asked, land.E.shape[::-1]):
            self._asked = size
            self.post_message(self.SizeWanted(*size))

    @property
    def margin(self) -> int:
        """Columns left of the map, for the second parameter's range."""
        if self.land is None:
            return 0
        lo, hi = self.land.q_range
        return max(len(_num(lo)), len(_num(hi))) + 1

    @property
    def map_cells(self) -> tuple[int, int]:
        """(cols, rows) of cells the map takes: all but the margin, two lines above it (E's
        range, the second parameter's name) and one below (the first's name and range)."""
        w, h = self.content_size
        return max(1, w - self.margin), max(1, h - 3)

    @property
    def grid_size(self) -> tuple[int, int]:
        """The grid to ask for: a point per pixel (two a cell, one above the other), at most
        MAX_GRID."""
        cols, rows = self.map_cells
        return min(cols, MAX_GRID[0]), min(2 * rows, MAX_GRID[1])

    def on_resize(self) -> None:
        self._strips = self.build_strips()
        if self.land is not None and self.grid_size != self._asked:
            self._asked = self.grid_size
            self.post_message(self.SizeWanted(*self.grid_size))

    # ---- drawing --------------------------------------------------------------------------

    def look(self) -> Look:
        low, high = theme_color(self.app, LOW), theme_color(self.app, HIGH)
        table = [RichColor.from_rgb(*c.rgb) for c in ramp_table(low, high, LEVELS)]
        marks = RichColor.from_rgb(*theme_color(self.app, "foreground").rgb)
        return Look(table, marks, self.rich_style, bool(self.app.no_color))

    def build_strips(self) -> list[Strip]:
        land = self.land
        if land is None or not self.is_mounted:
            return []
        cols, rows = self.map_cells
        look = self.look()
        pixels = resample(levels(land.E), 2 * rows, cols)
        ranges = (land.p_range, land.q_range)
        dots = braille_path(land.path, ranges, cols, rows)
        marks = {}
        if len(land.path):
            marks[marker_cell(tuple(land.path[0]), ranges, cols, rows)] = START
        marks[marker_cell(land.current, ranges, cols, rows)] = NOW
        marks.pop(None, None)
        lines = [self._header(look), Strip([Segment(land.q.label, look.base)])]
        for r in range(rows):
            left = self._margin_text(r, rows)
            lines.append(Strip([Segment(left, look.base), *_map_row(pixels, r, dots, marks, look)]))
        lines.append(self._footer(cols))
        return lines

    def _margin_text(self, r: int, rows: int) -> str:
        text = ""
        if r == 0:
            text = _num(self.land.q_range[1])
        elif r == rows - 1:
            text = _num(self.land.q_range[0])
        return text.rjust(self.margin - 1) + " "

    def _header(self, look: Look) -> Strip:
        """E's range, each end beside its colour (its glyph without colour), and the notes."""
        land = self.land
        E = land.E[np.isfinite(land.E)]
        lo, hi = (_num(float(E.min())), _num(float(E.max()))) if len(E) else ("-", "-")
        if look.plain:
            ends = [Segment(DENSITY[1], look.base), Segment(DENSITY[-1], look.base)]
        else:
            ends = [
                Segment("■", look.base + Style(color=c)) for c in (look.table[0], look.table[-1])
            ]
        words = self.tr("app_landscape_range", lo=lo, hi=hi).split("|")
        if sum(map(cell_len, words)) + 2 > self.content_size.width:  # a narrow cell: no words
            words = [f"E {lo} ", "–", f" {hi}"]
        segments = [Segment(words[0], look.base), ends[0], Segment(words[1], look.base)]
        segments += [ends[1], Segment(words[2], look.base)]
        notes = ""
        if land.samples < land.of_samples:
            notes += "  " + self.tr("app_landscape_sampled", n=land.samples, of=land.of_samples)
        if self.running and self.step != land.step:
            notes += "  " + self.tr("app_landscape_stale", step=land.step)
        return Strip([*segments, Segment(notes, look.base)])

    def _footer(self, cols: int) -> Strip:
        land = self.land
        lo, hi, name = _num(land.p_range[0]), _num(land.p_range[1]), land.p.label
        gap = cols - len(lo) - len(hi) - cell_len(name)
        left = max(1, gap // 2)
        right = max(1, gap - left)
        text = " " * self.margin + lo + " " * left + name + " " * right + hi
        return Strip([Segment(text, self.rich_style)])

    def render_line(self, y: int) -> Strip:
        width = self.content_size.width
        if y < len(self._strips):
            return self._strips[y].crop(0, width).extend_cell_length(width, self.rich_style)
        return Strip.blank(width, self.rich_style)

    # ---- text -----------------------------------------------------------------------------

    def relabel(self) -> None:
        self.border_title = self.tr("app_landscape_title")
        self.border_subtitle = self.legend()
        self.refresh()

    def legend(self) -> Content:
        # How to close it first: a narrow cell cuts the end of the subtitle.
        close = self.tr("app_landscape_close_hint")
        if self.land is None:
            return Content(f"{close}  {self.tr('app_landscape_empty')}")
        return Content(f"{close}  ⠤ {self.tr('app_landscape_marks', start=START, now=NOW)}")

    def action_close(self) -> None:
        self.post_message(self.CloseWanted())


def _num(v: float) -> str:
    return f"{v:.3g}"


def _map_row(pixels: np.ndarray, r: int, dots: dict, marks: dict, look: Look) -> list[Segment]:
    """One row of map cells: heat (two pixels a cell), braille path cells, the two marks."""
    top, bottom = pixels[2 * r], pixels[2 * r + 1]
    segments: list[Segment] = []
    for c in range(len(top)):
        mark, bits = marks.get((r, c)), dots.get((r, c))
        if look.plain:
            level = (int(top[c]) + int(bottom[c])) // 2
            glyph = mark or (
                chr(0x2800 + bits) if bits else DENSITY[level * len(DENSITY) // LEVELS]
            )
            segments.append(Segment(glyph, look.base))
            continue
        under = look.table[int(bottom[c])]
        if mark or bits:
            style = Style(color=look.marks, bgcolor=under, bold=True)
            segments.append(Segment(mark or chr(0x2800 + bits), look.base + style))
        else:
            style = Style(color=look.table[int(top[c])], bgcolor=under)
            segments.append(Segment("▀", look.base + style))
    return list(Segment.simplify(segments))
