"""The base of the live plots: a plotext chart redrawn from a Snapshot when the screen asks.

The screen calls `draw()` at most a few times a second (a timer while running, at once when
paused); plotext only builds the picture when Textual renders the widget, so a hidden chart
costs nothing. Titles and legends live in the border (Textual handles double-width text there;
plotext does not), and series colours come from the theme.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from textual.color import Color
from textual_plotext import PlotextPlot

from tui_nn.app.lang import Localized
from tui_nn.app.snapshot import ModelInfo, Snapshot

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
    return [float(v) for v in np.arange(first, hi + step * 1e-9, step)]


def tick_label(v: float) -> str:
    if v == int(v) and abs(v) < 1e15:
        return f"{int(v):,}"
    return f"{v:.3g}"


class Chart(Localized, PlotextPlot):
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

    def draw(
        self, snapshot: Snapshot | None, info: ModelInfo | None, options: ChartOptions
    ) -> None:
        """Redraw from new data (called on the UI thread by the screen)."""
        self.snapshot, self.info, self.options = snapshot, info, options
        self.relabel()

    def relabel(self) -> None:
        plt = self.plt
        plt.clear_data()
        self.border_title = self.title_text()
        if self.snapshot is None or self.info is None:
            self.border_subtitle = ""
        else:
            self.plot(self.snapshot, self.info)
        if self.note:
            self.border_subtitle = f"{self.border_subtitle}  {self.note}".strip()
        self.refresh()

    # ---- for subclasses ----

    def title_text(self) -> str:
        raise NotImplementedError

    def plot(self, snap: Snapshot, info: ModelInfo) -> None:
        raise NotImplementedError

    def color(self, i: int) -> tuple[int, int, int]:
        value = self.app.theme_variables.get(PALETTE[i % len(PALETTE)], "#888888")
        return Color.parse(value).rgb

    def lines(self, series: list[Series], *, log: bool = False) -> None:
        """Draw lines (NaN points dropped) and put a coloured legend in the border."""
        plt = self.plt
        drawn = []
        for i, s in enumerate(series):
            keep = np.isfinite(s.y)
            if log:
                keep &= s.y > 0  # log10 of 0 is not a number; such points are off the chart
            if keep.any():
                drawn.append((i, s.label, s.x[keep].tolist(), s.y[keep].tolist()))
        # plotext cannot put log ticks on an empty chart.
        plt.yscale("log" if log and drawn else "linear")
        for i, _, x, y in drawn:
            plt.plot(x, y, color=self.color(i), marker="braille")
        if drawn:
            self.x_ticks(min(min(x) for _, _, x, _ in drawn), max(max(x) for _, _, x, _ in drawn))
        self.border_subtitle = " ".join(
            f"[${PALETTE[i % len(PALETTE)]}]{label}[/]" for i, label, _, _ in drawn
        )

    def x_ticks(self, lo: float, hi: float) -> None:
        ticks = nice_ticks(lo, hi, max(2, self.size.width // 12))
        self.plt.xticks(ticks, [tick_label(v) for v in ticks])

    def x_of(self, snap: Snapshot, which: str) -> np.ndarray:
        return snap.series(which, self.options.x)
