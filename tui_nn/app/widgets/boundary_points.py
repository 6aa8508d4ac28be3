"""Adding training points on the decision boundary's plane (ConvNetJS's click-to-add).

A click adds a point of the chosen class where it lands; with the boundary focused, the arrows
move a cursor (+), Enter adds a point there, Delete or Backspace takes out the training point
nearest to it, and a digit key chooses the class (0, 1, ...). For 2-D classes only: for 3-D
data the arrows keep moving the slice, and a regression has no class to add.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.message import Message
from textual.strip import Strip

from tui_nn.app.lang import bind

#: BoundaryView's keys for points (Textual reads BINDINGS from widget classes only).
POINT_BINDINGS = [
    bind("left", "cursor(-1, 0)", "boundary_left", show=False),
    bind("right", "cursor(1, 0)", "boundary_right", show=False),
    bind("up", "arrow(-1)", "boundary_z_up_arrow", show=False),
    bind("down", "arrow(1)", "boundary_z_down_arrow", show=False),
    bind("enter", "add_point", "boundary_add"),
    bind("delete,backspace", "remove_point", "boundary_remove"),
    *(bind(str(k), f"choose({k})", f"boundary_class_{k}", show=False) for k in range(10)),
]
CURSOR_GLYPH = "+"


@dataclass
class PointWanted(Message):
    """Add a training point at (x, y) of class `cls`, or (cls None) take out the nearest."""

    x: float
    y: float
    cls: int | None


class PointKeys:
    """Mixin for BoundaryView: a cursor over the picture and the class to add."""

    chosen = 1  # the class added: blue, as Playground's first click
    cursor: tuple[int, int] | None = None  # cell (col, row) inside the picture
    picture_at: tuple[int, int] = (0, 0)  # where the letterboxed picture starts

    @property
    def takes_points(self) -> bool:
        g = self.grid
        return g is not None and g.z is None and g.probs is not None and g.centre is None

    def point_of(self, col: int, row: int) -> tuple[float, float]:
        """The data point at the centre of picture cell (col, row)."""
        cols, rows = self.pixel_size
        per_cell = 1 if self.ascii_only else 2
        (x_lo, x_hi), (y_lo, y_hi) = self.grid.extent
        x = x_lo + (col + 0.5) / cols * (x_hi - x_lo)
        y = y_hi - (row + 0.5) * per_cell / rows * (y_hi - y_lo)
        return x, y

    def picture_cells(self) -> tuple[int, int]:
        cols, rows = self.pixel_size
        return cols, rows if self.ascii_only else rows // 2

    def action_arrow(self, dy: int) -> None:
        if self.z is not None:
            self.action_slice(-dy)
        else:
            self.action_cursor(0, dy)

    def action_cursor(self, dx: int, dy: int) -> None:
        if not self.takes_points:
            return
        cols, rows = self.picture_cells()
        x, y = self.cursor or (cols // 2, rows // 2)
        if self.cursor is not None:
            x, y = min(max(x + dx, 0), cols - 1), min(max(y + dy, 0), rows - 1)
        self.cursor = (x, y)
        self.redraw()

    def action_choose(self, k: int) -> None:
        if self.takes_points and k < self.grid.probs.shape[2]:
            self.chosen = k
            self.relabel()

    def action_add_point(self) -> None:
        if self.takes_points:
            self.action_cursor(0, 0) if self.cursor is None else None
            self.post_message(PointWanted(*self.point_of(*self.cursor), self.chosen))

    def action_remove_point(self) -> None:
        if self.takes_points:
            self.action_cursor(0, 0) if self.cursor is None else None
            self.post_message(PointWanted(*self.point_of(*self.cursor), None))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or not self.takes_points:
            return
        col, row = offset.x - self.picture_at[0], offset.y - self.picture_at[1]
        cols, rows = self.picture_cells()
        if 0 <= col < cols and 0 <= row < rows:
            self.cursor = (col, row)
            self.redraw()
            self.post_message(PointWanted(*self.point_of(col, row), self.chosen))

    def with_cursor(self, strips: list[Strip]) -> list[Strip]:
        """The cursor drawn over the picture while the view has focus."""
        if self.cursor is None or not self.has_focus or not self.takes_points:
            return strips
        x, y = self.cursor[0] + self.picture_at[0], self.cursor[1] + self.picture_at[1]
        if not 0 <= y < len(strips) or x >= strips[y].cell_length:
            return strips
        row = strips[y]
        mark = Strip([Segment(CURSOR_GLYPH, Style(bold=True, reverse=True))], 1)
        strips = list(strips)
        strips[y] = Strip.join([row.crop(0, x), mark, row.crop(x + 1, row.cell_length)])
        return strips
