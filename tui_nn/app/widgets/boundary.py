"""The decision-boundary view: the network's output over the input plane, drawn with
half-block characters (▀: foreground = the top pixel, background = the bottom pixel, so each
cell holds two pixels), a colour per class shaded by confidence, and the training (●) and
test (○) points on top in their class's full colour.

The widget only draws. The screen computes grids in the training worker with
`tui_nn.core.boundary` (sized by `pixel_size`) and hands them down with `show()`; whatever the
rate of `show()` calls, the picture is rebuilt at most `max_fps` times a second, newest grid
first. The widget posts `GridWanted` (with the pixel size and z to compute) when its size
changes or, for 3-D data (sphere4), when the keys move the slice.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from rich.color import Color as RichColor
from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.content import Content
from textual.message import Message
from textual.strip import Strip

from tui_nn.app.lang import Localized, bind
from tui_nn.app.theme import theme_color
from tui_nn.app.widgets.boundary_points import POINT_BINDINGS, PointKeys, PointWanted
from tui_nn.app.widgets.paced import RateBound
from tui_nn.app.widgets.plotpanel import PlotPanel
from tui_nn.core.boundary import Grid, Points
from tui_nn.core.safe_text import visible

#: Theme variables for classes 0, 1, 2, ...: class 0 / 1 orange / blue, as in Playground.
CLASS_COLORS = ("warning", "primary", "success", "error", "secondary", "foreground")
#: Low and high ends of the colour ramp for a regression output.
VALUE_COLORS = ("primary", "warning")
#: Below and above the middle of one unit's map: orange and blue, as the network's thumbnails.
UNIT_COLORS = ("warning", "primary")
#: Confidence levels per class; the strongest region shade stays below the points' colour.
LEVELS = 6
ALPHA_LOW, ALPHA_HIGH = 0.08, 0.45
VALUE_LEVELS = 12
TRAIN_GLYPH, TEST_GLYPH = "●", "○"
ASCII_GLYPHS = ("o", "+")


def shade_table(background: Color, bases: list[Color], levels: int) -> list[Color]:
    """Colour of (class k, level l) at index k·levels + l: the class colour over the
    background, stronger with confidence."""
    out = []
    for base in bases:
        for level in range(levels):
            alpha = ALPHA_LOW + (ALPHA_HIGH - ALPHA_LOW) * level / max(levels - 1, 1)
            out.append(background.blend(base, alpha))
    return out


def ramp_table(low: Color, high: Color, levels: int) -> list[Color]:
    return [low.blend(high, i / max(levels - 1, 1)) for i in range(levels)]


def pixel_indices(grid: Grid) -> np.ndarray:
    """Each pixel's index into the colour table (see `shade_table` / `ramp_table`)."""
    if grid.values is not None and grid.centre is not None:  # one unit's map, two-sided
        v = np.nan_to_num(grid.values - grid.centre, nan=0.0, posinf=0.0, neginf=0.0)
        top = float(np.abs(v).max())
        t = v / top if top > 0 else v
        return np.rint((t + 1) / 2 * (2 * VALUE_LEVELS)).astype(np.int32)
    if grid.values is not None:
        v = grid.values
        lo, hi = float(v.min()), float(v.max())
        t = (v - lo) / (hi - lo) if hi > lo else np.zeros_like(v)
        return np.rint(t * (VALUE_LEVELS - 1)).astype(np.int32)
    level = np.rint(grid.confidence * (LEVELS - 1)).astype(np.int32)
    return grid.classes.astype(np.int32) * LEVELS + level


def resample(indices: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """Nearest-neighbour resize, for a grid computed for another widget size."""
    r = (np.arange(rows) * indices.shape[0] // rows).clip(0, indices.shape[0] - 1)
    c = (np.arange(cols) * indices.shape[1] // cols).clip(0, indices.shape[1] - 1)
    return indices[np.ix_(r, c)]


def point_cells(grid: Grid, points: Points, rows: int, cols: int) -> dict:
    """(cell row, col) → (pixel row, class, is test) of the point drawn in that cell; test
    points are drawn after training points, so they win a shared cell."""
    (x_lo, x_hi), (y_lo, y_hi) = grid.extent
    col = np.floor((points.xy[:, 0] - x_lo) / (x_hi - x_lo) * cols).astype(int)
    prow = np.floor((y_hi - points.xy[:, 1]) / (y_hi - y_lo) * rows).astype(int)
    inside = (col >= 0) & (col < cols) & (prow >= 0) & (prow < rows)
    order = np.argsort(points.test, kind="stable")
    return {
        (int(prow[i]) // 2, int(col[i])): (
            int(prow[i]),
            int(points.classes[i]),
            bool(points.test[i]),
        )
        for i in order
        if inside[i]
    }


class StyleCache:
    """Rich styles built once per (fg, bg) colour pair: a frame reuses a few dozen of them."""

    def __init__(self, table: list[Color], marks: list[Color]) -> None:
        self.table = [RichColor.from_rgb(*c.rgb) for c in table]
        self.marks = [RichColor.from_rgb(*c.rgb) for c in marks]
        self._cells: dict[tuple[int, int], Style] = {}
        self._points: dict[tuple[int, int], Style] = {}

    def cell(self, top: int, bottom: int) -> Style:
        key = (top, bottom)
        style = self._cells.get(key)
        if style is None:
            bg = self.table[bottom] if bottom >= 0 else None
            style = self._cells[key] = Style(color=self.table[top], bgcolor=bg)
        return style

    def point(self, cls: int, under: int) -> Style:
        key = (cls, under)
        style = self._points.get(key)
        if style is None:
            # A value grid (identity output) has no class colours: its points keep the default.
            fg = self.marks[cls % len(self.marks)] if cls >= 0 and self.marks else None
            style = self._points[key] = Style(color=fg, bgcolor=self.table[under], bold=True)
        return style


def letterbox(width: int, height: int, aspect: float) -> tuple[int, int]:
    """The largest (cols, rows) of at most width × height pixels whose cols/rows is `aspect`."""
    if width >= height * aspect:
        return max(1, min(width, round(height * aspect))), height
    return width, max(1, min(height, round(width / aspect)))


def cell_pairs(indices: np.ndarray, ascii_only: bool) -> tuple[np.ndarray, np.ndarray]:
    """(top, bottom) colour index of every cell; bottom −1 where an odd last row has none."""
    if ascii_only:
        return indices, indices
    top = indices[0::2]
    bottom = np.full_like(top, -1)
    bottom[: len(indices[1::2])] = indices[1::2]
    return top, bottom


def render_strips(
    indices: np.ndarray, cells: dict, styles: StyleCache, *, ascii_only: bool = False
) -> list[Strip]:
    """One Strip per cell row: runs of equal cells merged into one segment, points on top.

    With `ascii_only` each cell is one pixel (a space on the pixel's colour): for terminals
    that draw the ambiguous-width ▀ two columns wide.
    """
    top, bottom = cell_pairs(indices, ascii_only)
    n_rows, cols = top.shape
    # One key per cell; a point gets a key of its own so that it ends the run around it.
    keys = (top.astype(np.int64) + 1) * (len(styles.table) + 1) + bottom + 1
    for k, (r, c) in enumerate(cells):
        keys[r, c] = -1 - k
    glyphs = ASCII_GLYPHS if ascii_only else (TRAIN_GLYPH, TEST_GLYPH)
    block = " " if ascii_only else "▀"
    strips = []
    for r in range(n_rows):
        starts = [0, *(np.flatnonzero(keys[r, 1:] != keys[r, :-1]) + 1).tolist(), cols]
        segments = []
        for a, b in pairwise(starts):
            mark = cells.get((r, a)) if keys[r, a] < 0 else None
            if mark is None:
                style = styles.cell(int(top[r, a]), int(bottom[r, a]))
                segments.append(Segment(block * (b - a), style))
            else:
                prow, cls, test = mark
                segments.append(Segment(glyphs[test], styles.point(cls, int(indices[prow, a]))))
        strips.append(Strip(segments, cols))
    return strips


class BoundaryView(PointKeys, RateBound, Localized, PlotPanel, can_focus=True):
    """The decision boundary of the current network over its input plane."""

    BINDINGS = [
        bind("z", "slice(1)", "boundary_z_up"),
        bind("Z,x", "slice(-1)", "boundary_z_down"),
        bind("p", "toggle_points", "boundary_points"),
        *POINT_BINDINGS,
    ]
    #: Slices per z range: one key press moves z by a 24th of it (0.5 for sphere4's −6..6).
    Z_STEPS = 24

    @dataclass
    class GridWanted(Message):
        """The view needs a new grid: its size changed or the student moved the z-slice."""

        cols: int
        rows: int
        z: float | None

    def __init__(
        self,
        *,
        max_fps: float = 10.0,
        ascii_only: bool = False,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.max_fps = max_fps
        self.ascii_only = ascii_only
        self.show_points = True
        self.grid: Grid | None = None
        self.points: Points | None = None
        self.class_names: list[str] = []
        self.z: float | None = None
        self.z_range: tuple[float, float] | None = None
        #: The title while a unit's map is shown in the boundary's place.
        self.map_title = ""
        self._strips: list[Strip] = []

    # ---- data down ------------------------------------------------------------------------

    @property
    def pixel_size(self) -> tuple[int, int]:
        """(cols, rows) of the grid to draw: as large as the widget allows with the data's
        x and y at one scale (a circle stays round), centred, the rest left blank.

        A half-block pixel is square (a cell is twice as tall as wide and holds two pixels);
        in ASCII a pixel is a whole cell, twice as tall as wide, so it takes two columns' worth
        of x for one row of y. Rows stay even so that no cell is left half-drawn."""
        w, h = max(self.content_size.width, 1), max(self.content_size.height, 1)
        if self.ascii_only:
            return letterbox(w, h, 2 * self.aspect)
        cols, rows = letterbox(w, 2 * h, self.aspect)
        return cols, max(2, rows - rows % 2)

    @property
    def aspect(self) -> float:
        """Width over height of the data's x-y extent (1 until a grid says)."""
        if self.grid is None:
            return 1.0
        (x_lo, x_hi), (y_lo, y_hi) = self.grid.extent
        return (x_hi - x_lo) / (y_hi - y_lo) if y_hi > y_lo and x_hi > x_lo else 1.0

    def show(
        self,
        grid: Grid | None,
        points: Points | None = None,
        class_names: list[str] | None = None,
        z_range: tuple[float, float] | None = None,
    ) -> None:
        """Take a new grid (and points) to draw; call on the UI thread. The picture is rebuilt
        now, or when the rate bound allows, from the newest grid given by then."""
        self.grid, self.points = grid, points
        if class_names is not None:
            self.class_names = list(class_names)
        if z_range is not None and z_range != self.z_range:
            self.z_range = z_range
            self.refresh_bindings()  # the slice keys join the footer
        # The slice is the student's: a grid asked for before their last z / Z key may still
        # arrive, and must not move the slice back. Only the first grid sets it.
        if grid is not None and grid.z is not None and self.z is None:
            self.z = grid.z
        self.draw_soon()

    PointWanted = PointWanted

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # The slice keys mean something for 3-D data only; elsewhere they stay off the footer.
        return self.z_range is not None if action == "slice" else True

    def on_focus(self) -> None:
        self.redraw()  # the cursor and the class added show while the view has focus

    def on_blur(self) -> None:
        self.redraw()

    def redraw(self) -> None:
        self._strips = self.build_strips()
        self.relabel()

    def on_resize(self) -> None:
        self._strips = self.build_strips()  # the old grid, resampled, until a new one comes
        if self.grid is not None and self.grid.shape != self.pixel_size[::-1]:
            self.post_message(self.GridWanted(*self.pixel_size, self.z))

    def build_strips(self) -> list[Strip]:
        """The picture for the current grid at the widget's size (no rate bound)."""
        if self.grid is None or not self.is_mounted:
            return []
        cols, rows = self.pixel_size
        indices = resample(pixel_indices(self.grid), rows, cols)
        cells = {}
        if self.points is not None and self.show_points and len(self.points):
            cells = point_cells(self.grid, self.points, rows, cols)
            if self.ascii_only:  # one pixel per cell: the pixel row is the cell row
                cells = {(p, c): (p, k, t) for (_, c), (p, k, t) in cells.items()}
        strips = render_strips(
            indices, cells, self.styles_for(self.grid), ascii_only=self.ascii_only
        )
        return self.centred(strips)

    def centred(self, strips: list[Strip]) -> list[Strip]:
        """The picture in the middle of the widget, blank around it (letterboxed)."""
        w, h = self.content_size
        if not strips:
            return strips
        left = max(0, (w - strips[0].cell_length) // 2)
        top = max(0, (h - len(strips)) // 2)
        self.picture_at = (left, top)
        pad = Strip.blank(left, self.rich_style)
        rows = [Strip.join([pad, strip]) if left else strip for strip in strips]
        return self.with_cursor([Strip.blank(w, self.rich_style)] * top + rows)

    def styles_for(self, grid: Grid) -> StyleCache:
        background = self.background_colors[1]
        if grid.values is not None and grid.centre is not None:  # as the network's thumbnails
            # At most ALPHA_HIGH strong, as the regions of a boundary: the points stay visible.
            neg, pos = (background.blend(theme_color(self.app, c), ALPHA_HIGH) for c in UNIT_COLORS)
            below = ramp_table(neg, background, VALUE_LEVELS + 1)
            k = max(len(self.class_names), 2)
            marks = [theme_color(self.app, CLASS_COLORS[i % len(CLASS_COLORS)]) for i in range(k)]
            return StyleCache(below + ramp_table(background, pos, VALUE_LEVELS + 1)[1:], marks)
        if grid.values is not None:
            low, high = (theme_color(self.app, name) for name in VALUE_COLORS)
            return StyleCache(ramp_table(low, high, VALUE_LEVELS), [])
        k = grid.probs.shape[2]
        bases = [theme_color(self.app, CLASS_COLORS[i % len(CLASS_COLORS)]) for i in range(k)]
        return StyleCache(shade_table(background, bases, LEVELS), bases)

    def render_line(self, y: int) -> Strip:
        width = self.content_size.width
        if y < len(self._strips):
            return self._strips[y].extend_cell_length(width, self.rich_style)
        return Strip.blank(width, self.rich_style)

    # ---- text -----------------------------------------------------------------------------

    def relabel(self) -> None:
        # 3-D data: the slice shown, in a title short enough never to be cut
        z = None if self.z is None else f"{self.z:+.1f}"
        title = (
            self.tr("data_boundary_title") if z is None else self.tr("data_boundary_title_z", z=z)
        )
        if self.map_title and self.grid is not None and self.grid.centre is not None:
            title = self.map_title
            title = title if z is None else self.tr("data_boundary_map_slice", title=title, z=z)
        elif self.has_focus and self.takes_points:
            names = self.class_names or []
            name = names[self.chosen] if self.chosen < len(names) else str(self.chosen)
            title = self.tr("data_boundary_adds", title=title, name=visible(name))
        self.border_title = title
        self.border_subtitle = self.legend()
        self.refresh()

    def legend(self) -> Content:
        """Class colours and names, point glyphs, the slice. Class names come from the data
        file: substituted as text ($name), never read as markup."""
        if self.grid is None:
            return Content(self.tr("data_boundary_empty"))
        parts = []
        if self.grid.values is None and self.grid.probs is not None:
            k = self.grid.probs.shape[2]
            for i, name in enumerate(self.class_names or [str(i) for i in range(k)]):
                color = CLASS_COLORS[i % len(CLASS_COLORS)]
                parts.append(Content.from_markup(f"[${color}]■ $name[/]", name=visible(name)))
        train, test = ASCII_GLYPHS if self.ascii_only else (TRAIN_GLYPH, TEST_GLYPH)
        parts.append(Content(self.tr("data_boundary_points", train=train, test=test)))
        if self.grid.z is not None:
            parts.append(Content(self.tr("data_boundary_slice")))
        return Content("  ").join(parts)

    # ---- keys -----------------------------------------------------------------------------

    def action_slice(self, direction: int) -> None:
        """Move the z-slice one step (3-D data only) and ask the screen for a new grid."""
        if self.z is None or self.z_range is None:
            return
        lo, hi = self.z_range
        z = float(np.clip(self.z + direction * (hi - lo) / self.Z_STEPS, lo, hi))
        if z != self.z:
            self.z = z
            self.relabel()  # the title says the new z at once; the grid follows
            self.post_message(self.GridWanted(*self.pixel_size, z))

    def action_toggle_points(self) -> None:
        self.show_points = not self.show_points
        self._strips = self.build_strips()
        self.refresh()
