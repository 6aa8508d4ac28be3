"""The base of the live plots: a plotext chart redrawn from a Snapshot when the screen asks.

The screen calls `draw()` at most a few times a second (a timer while running, at once when
paused); plotext only builds the picture when Textual renders the widget, so a hidden chart
costs nothing. Titles and legends live in the border (Textual handles double-width text there;
plotext does not), and series colours come from the theme.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from textual.app import RenderResult
from textual.color import Color
from textual_plotext import PlotextPlot

from tui_nn.app.lang import Localized
from tui_nn.app.snapshot import RUNNING, ModelInfo, Snapshot, thin

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
    step = next(m * mag for m in (1, 2, 5, 10) if m * mag >= raw)
    first = np.ceil(lo / step) * step
    ticks = [float(v) for v in np.arange(first, hi + step * 1e-9, step)]
    if not ticks or ticks[0] - lo > 0.4 * step:  # mark where the data starts (step 1, say)
        ticks.insert(0, float(lo))
    return ticks


def tick_label(v: float) -> str:
    if v == int(v) and abs(v) < 1e15:
        return f"{int(v):,}"
    return f"{v:.3g}"


class Chart(Localized, PlotextPlot):
    #: Seconds between redraws while training.
    min_interval = 0.0

    DEFAULT_CSS = """
    Chart {
        border: round $panel-lighten-2;
        border-title-color: $foreground;
        border-subtitle-color: $foreground-muted;
        padding: 0;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.snapshot: Snapshot | None = None
        self.info: ModelInfo | None = None
        self.options = ChartOptions()
        self.note = ""  # e.g. "v: next plot" on a compact screen
        self._key: object = None
        self._drawn_at = 0.0
        self.render_cost = 0.0  # seconds, moving average

    def draw(
        self,
        snapshot: Snapshot | None,
        info: ModelInfo | None,
        options: ChartOptions,
        force: bool = False,
        gap: float = 0.0,
    ) -> None:
        """Show new data (called on the UI thread by the screen). Unless forced, a chart whose
        data did not change, or that redrew less than `gap` (or `min_interval`) seconds ago
        during a run, keeps its picture: every plotext render is time the trainer loses."""
        key = self.data_key(snapshot) if snapshot is not None else None
        running = snapshot is not None and snapshot.state == RUNNING
        now = time.monotonic()
        recent = running and now - self._drawn_at < max(gap, self.min_interval)
        same = not force and options == self.options and info is self.info
        if same and (key == self._key or recent):
            return
        self.snapshot, self.info, self.options = snapshot, info, options
        self._key, self._drawn_at = key, now
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

    def render(self) -> RenderResult:
        # plotext transforms its data in place while building (a log scale would be applied
        # twice on a second render), so the figure is filled afresh for every render.
        plt = self.plt
        plt.clear_data()
        plt.yscale("linear")
        start = time.perf_counter()
        if self.snapshot is not None and self.info is not None:
            self.plot(self.snapshot, self.info)
        picture = super().render()
        # A moving average of what a render costs, for the screen's redraw budget.
        self.render_cost = 0.7 * self.render_cost + 0.3 * (time.perf_counter() - start)
        return picture

    # ---- for subclasses ----

    def title_text(self) -> str:
        raise NotImplementedError

    def subtitle(self, snap: Snapshot, info: ModelInfo) -> str:
        """Legend or summary shown in the bottom border."""
        raise NotImplementedError

    def plot(self, snap: Snapshot, info: ModelInfo) -> None:
        """Fill `self.plt` (called from render)."""
        raise NotImplementedError

    def color(self, i: int) -> tuple[int, int, int]:
        value = self.app.theme_variables.get(PALETTE[i % len(PALETTE)], "#888888")
        return Color.parse(value).rgb

    def x_ticks(self, lo: float, hi: float) -> None:
        ticks = nice_ticks(lo, hi, max(2, self.size.width // 9))
        self.plt.xticks(ticks, [tick_label(v) for v in ticks])

    def x_of(self, snap: Snapshot, which: str) -> np.ndarray:
        return snap.series(which, self.options.x)


class LineChart(Chart):
    """Lines against steps or epochs; NaN points are dropped, and on a log scale so are 0s."""

    log = False

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

    def plot(self, snap: Snapshot, info: ModelInfo) -> None:
        drawn = self.drawable(snap, info)
        if not drawn:
            return
        plt = self.plt
        lo, hi = min(s.y.min() for _, s in drawn), max(s.y.max() for _, s in drawn)
        # plotext's own log scale loses its axis beyond ~1e15 (a diverging loss gets there), so
        # a log chart plots log10(y) on a linear axis with ticks labelled in y.
        log = self.log or (hi > 1e12 and lo > 0)
        if log:
            drawn = [(i, Series(s.label, s.x, np.log10(s.y))) for i, s in drawn]
            lo, hi = np.log10(lo), np.log10(hi)
        if hi - lo <= 1e-12 * max(abs(hi), 1.0):  # one value: give plotext a range around it
            pad = 0.5 if log else abs(hi) / 2 or 1.0
            lo, hi = lo - pad, hi + pad
            plt.ylim(lo, hi)
        # Braille cells hold 2 points across: more points only cost plotext time. Means of
        # runs of points (of log10 y on a log chart) keep per-step noise from hiding the trend.
        most = max(2 * self.size.width, 8)
        for i, s in drawn:
            xy = thin(np.column_stack([s.x, s.y]), most, mean=True)
            plt.plot(xy[:, 0].tolist(), xy[:, 1].tolist(), color=self.color(i), marker="braille")
        self.x_ticks(min(s.x.min() for _, s in drawn), max(s.x.max() for _, s in drawn))
        ticks = nice_ticks(lo, hi, max(2, self.size.height // 4))
        if log and hi - lo >= 2:
            ticks = [t for t in ticks if t == int(t)] or ticks
            plt.yticks(ticks, [f"1e{int(t)}" if t == int(t) else f"{10**t:.2g}" for t in ticks])
        elif log:
            plt.yticks(ticks, [f"{10**t:.3g}" for t in ticks])
        else:
            plt.yticks(ticks, [f"{t:.3g}" for t in ticks])
