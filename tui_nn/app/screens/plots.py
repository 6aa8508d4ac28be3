"""The plot cells of the main screen: which of them show, the options the charts share, and
when they redraw.

A wide screen shows every cell; a compact one shows one at a time and `v` cycles them. Plots
redraw from the screen's timer while training (only as often as the UI thread's FrameBudget
allows) and at once when the run stops or the student changes a view, so a fast run never
waits for the screen.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

from textual.containers import Container, Grid
from textual.screen import Screen
from textual.widget import Widget

from tui_nn.app import commands as cmd
from tui_nn.app.budget import FrameBudget
from tui_nn.app.screens.run_state import RunState
from tui_nn.app.snapshot import Snapshot
from tui_nn.app.widgets.chart import Chart, ChartOptions
from tui_nn.app.widgets.charts import AccuracyChart, GradNormChart, HistogramChart, LossChart
from tui_nn.i18n import t

#: The landscape view lives in the boundary's cell.
LANDSCAPE, CELL_OF = "#boundary-slot LandscapeView", {"landscape": "boundary-slot"}
#: The pictures Tab reaches after the settings panels, in this order, and the cell of each.
PICTURES = (
    ("#network", "network-slot"),
    ("#boundary", "boundary-slot"),
    ("#landscape", "landscape"),
)
#: Redraws a second, at most, of a run standing still (paced frames come at their own rate).
STILL_FPS = 25
#: Share of one core the UI thread may use while training: about what the app costs the trainer.
UI_SHARE = 0.05


class PlotGrid:
    """The `#plots` grid of a screen; `feeds` hand each snapshot to the pictures that are not
    charts (the decision boundary, the network, the landscape) before the charts draw."""

    def __init__(
        self,
        screen: Screen,
        state: RunState,
        send: Callable[[object], None],
        feeds: tuple[Callable[[Snapshot], None], ...],
    ) -> None:
        self.screen, self.state, self.send, self.feeds = screen, state, send, feeds
        self.options = ChartOptions()
        self.view = 0  # which cell shows on a compact screen
        self.dirty = False  # a snapshot arrived that the charts have not drawn
        self.budget = FrameBudget(UI_SHARE)
        self._last_redraw, self._timer = -1e9, None

    def grid(self) -> Grid:
        """The `#plots` grid and its cells, for the screen's compose."""
        return Grid(
            LossChart(id="loss", classes="plot-cell"),
            Container(id="network-slot", classes="plot-cell"),
            Container(id="boundary-slot", classes="plot-cell"),
            AccuracyChart(id="accuracy", classes="plot-cell"),
            GradNormChart(id="gradnorm", classes="plot-cell"),
            HistogramChart(id="histogram", classes="plot-cell"),
            id="plots",
        )

    @property
    def cells(self) -> list[str]:
        """Ids of the plot cells in use, in the order `v` cycles through them; "landscape" is
        the landscape view, in the boundary's cell (under it, or alone on a compact screen)."""
        # A slot shows once something is mounted in it (for data the boundary view can draw).
        boundary = bool(self.screen.query_one("#network-slot").children)
        landscape = bool(self.screen.query(LANDSCAPE))
        return [
            "loss",
            "accuracy",
            *(["network-slot", "boundary-slot"] if boundary else []),  # as Tab goes
            *(["landscape"] if landscape else []),
            "gradnorm",
            "histogram",
        ]

    def layout(self) -> None:
        """Show the cells in use (one on a compact screen), each with its "view i of n" note."""
        cells = self.cells
        self.view %= len(cells)
        compact = self.screen.has_class("-compact")
        plots = self.screen.query_one("#plots")
        plots.set_class("boundary-slot" in cells, "-has-boundary")
        plots.set_class("landscape" in cells and "boundary-slot" not in cells, "-has-landscape")
        now = cells[self.view]
        slot = self.screen.query_one("#boundary-slot")
        slot.set_class(compact and now == "landscape", "-landscape-only")
        slot.set_class(compact and now == "boundary-slot", "-boundary-only")
        lang = self.screen.app.lang  # type: ignore[attr-defined]
        note = t("app_view_hint", lang, i=self.view + 1, n=len(cells)) if compact else ""
        shown = {CELL_OF.get(c, c) for c in cells}
        for cell in self.screen.query(".plot-cell"):
            cell.display = cell.id in shown and (not compact or cell.id == CELL_OF.get(now, now))
            if isinstance(cell, Chart):
                cell.note = note
            else:
                cell.border_subtitle = note
        self.redraw(force=True)

    def show_cell(self, cell: str) -> None:
        """A cell that just appeared becomes the one shown on a compact screen."""
        if cell in self.cells and self.screen.has_class("-compact"):
            self.view = self.cells.index(cell)
        self.layout()

    def pictures(self) -> list[tuple[Widget, str]]:
        """The pictures in use (shown, or a `v` away on a compact screen) and their cells."""
        cells = self.cells
        found = [(self.screen.query(f"#plots {sel}"), cell) for sel, cell in PICTURES]
        return [(query.first(), cell) for query, cell in found if query and cell in cells]

    def tab(self, direction: int) -> Widget | None:
        """Tab, shift+Tab: the settings panels, then the network picture, the boundary, the
        landscape, round again; a compact screen shows the picture Tab reaches (Textual's own
        order skips a picture `v` has hidden, so Tab there never reached the boundary)."""
        screen, pictures = self.screen, self.pictures()
        shown = {widget for widget, _ in pictures}
        stops = [(w, None) for w in screen.focus_chain if w not in shown] + pictures
        if not stops:
            return screen.focused
        widgets = [widget for widget, _ in stops]
        focused = screen.focused
        now = widgets.index(focused) if focused in widgets else -min(direction, 0) - 1
        widget, cell = stops[(now + direction) % len(stops)]
        if cell is not None:
            self.reveal(cell)
        widget.focus()
        return widget

    def reveal(self, cell: str) -> None:
        """On a compact screen, the cell Tab just reached becomes the one shown."""
        if self.screen.has_class("-compact") and self.cells[self.view] != cell:
            self.show_cell(cell)

    def redraw_soon(self) -> None:
        """A redraw now, or once when the current 1/STILL_FPS window ends: for the snapshots
        of a run standing still, as often as a held `s` key sends them."""
        wait = self._last_redraw + 1 / STILL_FPS - time.monotonic()
        if wait <= 0:
            self._timed_redraw()
        elif self._timer is None:
            self._timer = self.screen.set_timer(wait, self._timed_redraw)

    def _timed_redraw(self) -> None:
        self._timer, self._last_redraw = None, time.monotonic()
        self.redraw()

    def redraw_if_dirty(self) -> None:
        """The timer's redraw while training, when the UI thread's budget allows it."""
        if self.dirty and self.budget.allows():
            self.redraw()

    def redraw(self, force: bool = False) -> None:
        """Hand the newest snapshot to the pictures and the visible charts."""
        self.dirty = False
        snapshot, info = self.state.snapshot, self.state.info
        for feed in self.feeds if snapshot is not None else ():
            feed(snapshot)
        for chart in self.screen.query(Chart):
            if chart.display:
                chart.draw(snapshot, info, self.options, force)

    def set_options(self, **changes: object) -> None:
        self.options = replace(self.options, **changes)
        self.redraw()

    # ---- what the plot keys do (x, y, v, w) ------------------------------------------------

    def x_axis(self) -> None:
        self.set_options(x="epoch" if self.options.x == "step" else "step")

    def log_scale(self) -> None:
        self.set_options(log_loss=not self.options.log_loss)

    def next_view(self) -> None:
        """The next cell on a compact screen; the focus follows a picture `v` hides: to the
        picture shown now, or else to the settings (never to nothing, where keys are lost)."""
        pictures = self.pictures()  # the same set before and after: v only changes the view
        had_picture = any(w.has_focus for w, _ in pictures)
        self.view += 1
        self.layout()
        if had_picture and self.screen.has_class("-compact"):
            now = self.cells[self.view]
            shown = [w for w, cell in pictures if cell == now]
            (shown[0] if shown else self.screen.query_one("#hyper")).focus()

    def watch(self) -> None:
        """Histogram of W1, then ∂E/∂W1, then W2, ... round the layers."""
        info, snapshot = self.state.info, self.state.snapshot
        if info is None:
            return
        if not self.options.show_grads:
            self.set_options(show_grads=True)
            return
        layer = snapshot.watched.layer if snapshot else 1
        self.options = ChartOptions(self.options.x, self.options.log_loss, False)
        self.send(cmd.Watch(layer % info.n_weight_layers + 1))
