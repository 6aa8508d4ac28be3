"""The four live plots: loss, accuracy, per-layer gradient norms, and a layer's histogram."""

from __future__ import annotations

import numpy as np
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


class GradNormChart(LineChart):
    """‖∂E/∂W_l‖ per layer on a log scale: vanishing gradients show as lines far apart."""

    log = True

    def title_text(self) -> str:
        return self.tr("app_chart_gradnorm")

    def series(self, snap: Snapshot, info: ModelInfo) -> list[Series]:
        x = self.x_of(snap, "steps")
        return [
            Series(f"W{i}", x, snap.series("steps", f"grad_norm_W{i}"))
            for i in range(1, info.n_weight_layers + 1)
        ]


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
        counts, edges = np.histogram(values, bins=self.BINS)
        picks = [0, self.BINS // 2, self.BINS]
        # Counts are whole numbers: no 0.17 ticks when a layer has four weights.
        top = float(counts.max())
        ticks = [(t, tick_label(t)) for t in nice_ticks(0, top, 4) if t == int(t)]
        edge_labels = [(p, f"{edges[p]:.3g}") for p in picks]
        return bar_chart(width, height, counts, edge_labels, Axis(0, top, ticks), styles)
