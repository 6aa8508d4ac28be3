"""The base of the live plots: a chart redrawn from a Snapshot when the screen asks.

The screen calls `draw()` at most a few times a second (a timer while running, at once when
paused); the picture is built (tui_nn.app.widgets.canvas) only when Textual renders the widget
after that, once, and kept for every line Textual asks for, so a hidden chart costs nothing.
Titles and legends live in the border (Textual handles double-width text there), and series
colours come from the theme.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from rich.style import Style
from textual.color import Color
from textual.strip import Strip

from tui_nn.app.lang import Localized
from tui_nn.app.snapshot import RUNNING, ModelInfo, Snapshot, thin
from tui_nn.app.theme import theme_color
from tui_nn.app.widgets.canvas import Axis, Styles, line_chart
from tui_nn.app.widgets.plotpanel import PlotPanel

#: Theme variables used for series, in order (train, test, then more layers).
PALETTE = ("primary", "warning", "success", "error", "accent", "secondary", "foreground")


@dataclass(frozen=True)
class ChartOptions:
    """What the student chose to see; the screen owns it and passes it down."""

    x: str = "step"  # or "epoch"
    log_loss: bool = True
    show_grads: bool = False  # histogram of ∂E/∂W instead of W


@dataclass(frozen=True)
class Series:
    label: str
    x: np.ndarray
    y: np.ndarray


def nice_ticks(lo: float, hi: float, n: int = 4) -> list[float]:
    """About n round tick values (1, 2 or 5 times a power of ten apart) covering lo..hi."""
    if not (np.isfinite(lo) and np.isfinite(hi)) or hi <= lo:
        return [float(lo)] if np.isfinite(lo) else []
    raw = (hi - lo) / max(n, 1)
    mag = 10.0 ** np.floor(np.log10(raw))
    nice = [m * mag for m in (0.1, 0.2, 0.5, 1, 2, 5, 10)]
    # The first step that gives at most about n ticks, or a finer one if it leaves fewer than
    # two in the range (two ticks over 1..499.5 would otherwise label only the 1).
    for step in reversed([s for s in nice if s <= min(x for x in nice if x >= raw)]):
        first = np.ceil(lo / step) * step
        ticks = [float(v) for v in np.arange(first, hi + step * 1e-9, step)]
        if len(ticks) >= 2:
            break
    if not ticks or ticks[0] - lo > 0.4 * step:  # mark where the data starts (step 1, say)
        ticks.insert(0, float(lo))
    return ticks


def tick_label(v: float) -> str:
    if v == int(v) and abs(v) < 1e15:
        return f"{int(v):,}"
    return f"{v:.3g}"


class Chart(Localized, PlotPanel):
    """A live plot of one aspect of training; subclasses say what (`plot`) and how it is titled.

    `draw()` takes new data down from the screen; the picture is built on the next render.
    """

    #: Seconds between redraws while training.
    min_interval = 0.0

    DEFAULT_CSS = "Chart { padding: 0; }"

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.snapshot: Snapshot | None = None
        self.info: ModelInfo | None = None
        self.options = ChartOptions()
        self.note = ""  # e.g. "v: next plot" on a compact screen
        self._key: object = None
        self._drawn_at = 0.0
        self._draws = 0  # with the size and theme, what the kept picture was built for
        self._built_for: object = None
        self._strips: list[Strip] = []
        self._styles_for: dict[tuple[str, tuple[int, ...]], Styles] = {}

    def draw(
        self,
        snapshot: Snapshot | None,
        info: ModelInfo | None,
        options: ChartOptions,
        force: bool = False,
    ) -> None:
        """Show new data (called on the UI thread by the screen, whose FrameBudget paces the
        calls while training). Unless forced, a chart whose data did not change, or that redrew
        less than `min_interval` seconds ago during a run, keeps its picture."""
        key = self.data_key(snapshot) if snapshot is not None else None
        running = snapshot is not None and snapshot.state == RUNNING
        now = time.monotonic()
        recent = running and now - self._drawn_at < self.min_interval
        same = not force and options == self.options and info is self.info
        if same and (key == self._key or recent):
            return
        self.snapshot, self.info, self.options = snapshot, info, options
        self._key, self._drawn_at = key, now
        self._draws += 1
        self.relabel()

    def data_key(self, snap: Snapshot) -> object:
        """What the picture depends on; the default changes with every snapshot."""
        return snap.serial

    def relabel(self) -> None:
        self.border_title = self.title_text()
        has_data = self.snapshot is not None and self.info is not None
        subtitle = self.subtitle(self.snapshot, self.info) if has_data else ""
        self.border_subtitle = f"{subtitle}  {self.note}".strip()
        self.refresh()

    def render_line(self, y: int) -> Strip:
        """Row y of the picture, built once per draw, size and theme for all rows."""
        width, height = self.content_size
        wanted = (self._draws, width, height, self.app.theme)
        if wanted != self._built_for:
            self._strips = self.picture(width, height)
            self._built_for = wanted
        if y < len(self._strips):
            return self._strips[y]
        return Strip.blank(width, self.rich_style)

    def picture(self, width: int, height: int) -> list[Strip]:
        """One Strip per row of the chart as it is now (nothing before the first snapshot)."""
        if self.snapshot is None or self.info is None:
            return []
        return self.plot(self.snapshot, self.info, width, height)

    def chart_styles(self, colors: list[int]) -> Styles:
        """Styles for labels, axes and series in the given colours of PALETTE, kept per theme
        (reading the widget's style is a good part of what a small chart costs)."""
        key = (self.app.theme, tuple(colors))
        if key not in self._styles_for:
            base = self.rich_style  # the widget's text colour on its background
            background = self.background_colors[1]
            # Theme colours may be translucent ($foreground-muted is): blend them over the chart.
            muted = theme_color(self.app, "foreground-muted")
            self._styles_for[key] = Styles(
                label=base,
                axis=base + Style(color=(background + muted).rich_color),
                series=[base + Style(color=Color(*self.color(i)).rich_color) for i in colors],
            )
        return self._styles_for[key]

    # ---- for subclasses ----

    def title_text(self) -> str:
        raise NotImplementedError

    def subtitle(self, snap: Snapshot, info: ModelInfo) -> str:
        """Legend or summary shown in the bottom border."""
        raise NotImplementedError

    def plot(self, snap: Snapshot, info: ModelInfo, width: int, height: int) -> list[Strip]:
        """The picture of the data at width×height cells (called when rendering)."""
        raise NotImplementedError

    def color(self, i: int) -> tuple[int, int, int]:
        return theme_color(self.app, PALETTE[i % len(PALETTE)]).rgb

    def x_of(self, snap: Snapshot, which: str) -> np.ndarray:
        return snap.series(which, self.options.x)


class LineChart(Chart):
    """Lines against steps or epochs; NaN points are dropped, and on a log scale so are 0s."""

    log = False
    #: A y range that does not follow the data (accuracy: 0..1).
    fixed_y: tuple[float, float] | None = None

    def series(self, snap: Snapshot, info: ModelInfo) -> list[Series]:
        raise NotImplementedError

    def drawable(self, snap: Snapshot, info: ModelInfo) -> list[tuple[int, Series]]:
        out = []
        for i, s in enumerate(self.series(snap, info)):
            keep = np.isfinite(s.y)
            if self.log:
                keep &= s.y > 0  # log10 of 0 is not a number; such points are off the chart
            if keep.any():
                out.append((i, Series(s.label, s.x[keep], s.y[keep])))
        return out

    def subtitle(self, snap: Snapshot, info: ModelInfo) -> str:
        return " ".join(
            f"[${PALETTE[i % len(PALETTE)]}]{s.label}[/]" for i, s in self.drawable(snap, info)
        )

    def plot(self, snap: Snapshot, info: ModelInfo, width: int, height: int) -> list[Strip]:
        drawn = self.drawable(snap, info)
        styles = self.chart_styles([i for i, _ in drawn])
        if not drawn:
            return line_chart(width, height, [], Axis(0, 1), Axis(0, 1), styles)
        lo, hi = min(s.y.min() for _, s in drawn), max(s.y.max() for _, s in drawn)
        # A diverging loss reaches 1e200: past 1e12 any loss chart is better read in decades.
        log = self.log or (hi > 1e12 and lo > 0)
        if log:
            drawn = [(i, Series(s.label, s.x, np.log10(s.y))) for i, s in drawn]
            lo, hi = np.log10(lo), np.log10(hi)
        # Cells hold 2 dots across: more points only cost time. Means of runs of points (of
        # log10 y on a log chart) keep per-step noise from hiding the trend.
        most = max(2 * width, 8)
        lines = [tuple(thin(np.column_stack([s.x, s.y]), most, mean=True).T) for _, s in drawn]
        x_lo, x_hi = min(s.x.min() for _, s in drawn), max(s.x.max() for _, s in drawn)
        # The thinned points are means of runs of steps; the axis spans the run as recorded
        # (step 1 to the current step), the same on every chart.
        if span := snap.span(self.options.x):
            x_lo, x_hi = min(x_lo, span[0]), max(x_hi, span[1])
        x = self.x_axis(float(x_lo), float(x_hi), width)
        y = self.y_axis(float(lo), float(hi), log, height)
        return line_chart(width, height, lines, x, y, styles)

    def x_axis(self, lo: float, hi: float, width: int) -> Axis:
        ticks = nice_ticks(lo, hi, max(2, width // 9))
        return Axis(lo, hi, [(tick, tick_label(tick)) for tick in ticks])

    def y_axis(self, lo: float, hi: float, log: bool, height: int) -> Axis:
        """The y range and its labelled ticks; on a log chart lo and hi are log10 values."""
        if self.fixed_y is not None:
            lo, hi = self.fixed_y
        elif hi - lo <= 1e-12 * max(abs(hi), 1.0):  # one value: a range around it
            pad = 0.5 if log else abs(hi) / 2 or 1.0
            lo, hi = lo - pad, hi + pad
        ticks = nice_ticks(lo, hi, max(2, height // 4))
        if log and hi - lo >= 2:  # decades only, when there are some
            ticks = [tick for tick in ticks if tick == int(tick)] or ticks
            labels = [
                f"1e{int(tick)}" if tick == int(tick) else f"{10**tick:.2g}" for tick in ticks
            ]
        elif log:
            labels = [f"{10**tick:.3g}" for tick in ticks]
        else:
            labels = [f"{tick:.3g}" for tick in ticks]
        return Axis(float(lo), float(hi), list(zip(ticks, labels, strict=True)))
