"""The four live plots: loss, accuracy, per-layer gradient norms, and a layer's histogram."""

from __future__ import annotations

import numpy as np
from rich.segment import Segment
from textual.color import Color
from textual.strip import Strip

from tui_nn.app.snapshot import ModelInfo, Snapshot
from tui_nn.app.widgets.canvas import Axis, bar_chart
from tui_nn.app.widgets.chart import Chart, LineChart, Series, nice_ticks, tick_label


class LossChart(LineChart):
    """E per step (mini-batch), and on the whole training and test sets at each evaluation."""

    @property
    def log(self) -> bool:  # type: ignore[override]
        return self.options.log_loss

    def title_text(self) -> str:
        return self.tr("app_chart_loss_log" if self.log else "app_chart_loss")

    def series(self, snap: Snapshot, info: ModelInfo) -> list[Series]:
        evals_x = self.x_of(snap, "evals")
        out = []
        if snap.batch_size < info.n_train:  # with full batches it is the training loss again
            out.append(
                Series(
                    self.tr("app_series_batch"),
                    self.x_of(snap, "steps"),
                    snap.series("steps", "loss"),
                )
            )
        out.append(Series(self.tr("app_series_train"), evals_x, snap.series("evals", "train_loss")))
        if info.n_test:
            out.append(
                Series(self.tr("app_series_test"), evals_x, snap.series("evals", "test_loss"))
            )
        return out


class AccuracyChart(LineChart):
    """Share of correctly classified samples, training and test sets."""

    fixed_y = (0.0, 1.0)

    def data_key(self, snap: Snapshot) -> object:
        return len(snap.evals), snap.last(snap.eval_cols, snap.evals, "step")

    def title_text(self) -> str:
        return self.tr("app_chart_accuracy")

    def series(self, snap: Snapshot, info: ModelInfo) -> list[Series]:
        if not info.is_classification:
            return []
        x = self.x_of(snap, "evals")
        out = [Series(self.tr("app_series_train"), x, snap.series("evals", "train_accuracy"))]
        if info.n_test:
            out.append(Series(self.tr("app_series_test"), x, snap.series("evals", "test_accuracy")))
        return out

    def subtitle(self, snap: Snapshot, info: ModelInfo) -> str:
        return (
            super().subtitle(snap, info)
            if info.is_classification
            else self.tr("app_chart_no_accuracy")
        )


#: One colour per layer, W1..W8: eight hues at least 25° apart in CIE LCh (seven colours and a
#: grey), each light enough to read on a dark panel; after the Okabe–Ito palette, with a violet
#: for its second blue and its yellow and orange pulled apart. A ninth layer takes W1's again.
LAYER_COLORS = (
    "#56b4e9",  # sky blue
    "#ee9a00",  # orange
    "#009e73",  # bluish green
    "#dfe655",  # yellow
    "#cc79a7",  # reddish purple
    "#e8474c",  # red
    "#9d7dff",  # violet
    "#999999",  # grey
)


def short(v: float | None) -> str:
    """A gradient norm in a few characters: 0.32, 4.1e-5."""
    return "–" if v is None else f"{v:.2g}".replace("e-0", "e-").replace("e+0", "e")


def wrap_entries(entries: list[tuple[str, int]], width: int) -> list[list[tuple[str, int]]]:
    """Legend entries (text, colour) in lines of at most `width` cells, two spaces apart."""
    lines: list[list[tuple[str, int]]] = [[]]
    used = 0
    for text, color in entries:
        need = len(text) + (2 if lines[-1] else 0)
        if lines[-1] and used + need > width:
            lines.append([])
            used, need = 0, len(text)
        lines[-1].append((text, color))
        used += need
    return lines if lines[0] else []


#: Layers the gradient-norm chart draws at most, evenly spaced from W1 to the last: more lines
#: than colours cannot be told apart, and 10,000 of them took seconds a frame.
MAX_LAYER_LINES = 16


def shown_layers(n: int) -> list[int]:
    """The layers (1-based) whose gradient norms are drawn: all of few, else W1, the last and
    MAX_LAYER_LINES - 2 evenly spaced between."""
    if n <= MAX_LAYER_LINES:
        return list(range(1, n + 1))
    step = (n - 1) / (MAX_LAYER_LINES - 1)
    return sorted({1 + round(k * step) for k in range(MAX_LAYER_LINES)})


class GradNormChart(LineChart):
    """‖∂E/∂W_l‖ per layer on a log scale: vanishing gradients show as lines far apart. The
    legend, above the lines, gives each layer's latest norm in the layer's colour."""

    log = True
    #: Rows the lines keep, however many the legend would take.
    MIN_PLOT_ROWS = 3

    def title_text(self) -> str:
        return self.tr("app_chart_gradnorm")

    def color(self, i: int) -> tuple[int, int, int]:
        return Color.parse(LAYER_COLORS[i % len(LAYER_COLORS)]).rgb

    def series(self, snap: Snapshot, info: ModelInfo) -> list[Series]:
        x = self.x_of(snap, "steps")
        return [
            Series(f"W{i}", x, snap.series("steps", f"grad_norm_W{i}"))
            for i in shown_layers(info.n_weight_layers)
        ]

    def subtitle(self, snap: Snapshot, info: ModelInfo) -> str:
        return ""  # the legend is drawn over the lines, where it has room for the numbers

    def legend(self, snap: Snapshot, info: ModelInfo) -> list[tuple[str, int]]:
        """("W1 0.32", 0), ...: each layer's newest ‖∂E/∂W_l‖, as recorded (not thinned)."""
        return [
            (f"W{i} {short(snap.last(snap.step_cols, snap.step_ends, f'grad_norm_W{i}'))}", k)
            for k, i in enumerate(shown_layers(info.n_weight_layers))
        ]

    def plot(self, snap: Snapshot, info: ModelInfo, width: int, height: int) -> list[Strip]:
        lines = wrap_entries(self.legend(snap, info), width)
        lines = lines[: max(0, height - self.MIN_PLOT_ROWS)]
        styles = self.chart_styles(list(range(len(shown_layers(info.n_weight_layers)))))
        top = [
            Strip(
                [
                    seg
                    for k, (text, i) in enumerate(line)
                    for seg in ([Segment("  ", styles.label)] if k else [])
                    + [Segment(text, styles.series[i])]
                ]
            ).extend_cell_length(width, styles.label)
            for line in lines
        ]
        return top + super().plot(snap, info, width, height - len(top))


class HistogramChart(Chart):
    """How the values of one layer's W (or its last gradient) are spread."""

    BINS = 24
    min_interval = 1.0

    def title_text(self) -> str:
        layer = self.snapshot.watched.layer if self.snapshot else 1
        key = "app_chart_hist_grads" if self.options.show_grads else "app_chart_hist_weights"
        return self.tr(key, name=f"W{layer}")

    def values(self, snap: Snapshot) -> np.ndarray | None:
        w = snap.watched
        values = w.grads if self.options.show_grads else w.weights
        if values is None:
            return None
        values = values[np.isfinite(values)]
        return values if len(values) else None

    def subtitle(self, snap: Snapshot, info: ModelInfo) -> str:
        values = self.values(snap)
        if values is None:
            return self.tr("app_chart_hist_empty")
        return self.tr(
            "app_chart_hist_sub",
            n=f"{len(values):,}",
            mean=f"{values.mean():.3g}",
            std=f"{values.std():.3g}",
        )

    def plot(self, snap: Snapshot, info: ModelInfo, width: int, height: int) -> list[Strip]:
        values = self.values(snap)
        styles = self.chart_styles([0])
        if values is None:
            return bar_chart(width, height, np.zeros(0), [], Axis(0, 1), styles)
        counts, edges = histogram(values, self.BINS)
        picks = [0, self.BINS // 2, self.BINS]
        # Counts are whole numbers: no 0.17 ticks when a layer has four weights.
        top = float(counts.max())
        ticks = [(t, tick_label(t)) for t in nice_ticks(0, top, 4) if t == int(t)]
        edge_labels = [(p, f"{edges[p]:.3g}") for p in picks]
        return bar_chart(width, height, counts, edge_labels, Axis(0, top, ticks), styles)


def histogram(values: np.ndarray, bins: int) -> tuple[np.ndarray, np.ndarray]:
    """np.histogram of finite values, also over a span it cannot split into `bins` finite-sized
    bins: values all equal and large (weights of 1e17 given in a preset), or spread wider than
    a float can measure (−1e308 to 1e308). Those are binned scaled to [−1, 1], over at least a
    span the bins can resolve, and the edges scaled back."""
    try:
        with np.errstate(over="ignore", invalid="ignore"):  # a span that overflows: below
            return np.histogram(values, bins=bins)
    except ValueError:
        pass
    scale = float(np.abs(values).max())
    lo, hi = float(values.min()) / scale, float(values.max()) / scale
    widen = max(0.0, 1e-6 - (hi - lo)) / 2
    counts, edges = np.histogram(values / scale, bins=bins, range=(lo - widen, hi + widen))
    return counts, edges * scale
