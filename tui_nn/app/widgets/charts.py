"""The four live plots: loss, accuracy, per-layer gradient norms, and a layer's histogram."""

from __future__ import annotations

import numpy as np

from tui_nn.app.snapshot import ModelInfo, Snapshot
from tui_nn.app.widgets.chart import Chart, Series


class LossChart(Chart):
    """E per step (mini-batch), and on the whole training and test sets at each evaluation."""

    def title_text(self) -> str:
        return self.tr("app_chart_loss_log" if self.options.log_loss else "app_chart_loss")

    def plot(self, snap: Snapshot, info: ModelInfo) -> None:
        evals_x = self.x_of(snap, "evals")
        series = []
        if snap.batch_size < info.n_train:  # with full batches it is the training loss again
            series.append(
                Series(
                    self.tr("app_series_batch"),
                    self.x_of(snap, "steps"),
                    snap.series("steps", "loss"),
                )
            )
        series.append(
            Series(self.tr("app_series_train"), evals_x, snap.series("evals", "train_loss"))
        )
        if info.n_test:
            series.append(
                Series(self.tr("app_series_test"), evals_x, snap.series("evals", "test_loss"))
            )
        self.lines(series, log=self.options.log_loss)


class AccuracyChart(Chart):
    """Share of correctly classified samples, training and test sets."""

    def title_text(self) -> str:
        return self.tr("app_chart_accuracy")

    def plot(self, snap: Snapshot, info: ModelInfo) -> None:
        if not info.is_classification:
            self.border_subtitle = self.tr("app_chart_no_accuracy")
            return
        x = self.x_of(snap, "evals")
        series = [Series(self.tr("app_series_train"), x, snap.series("evals", "train_accuracy"))]
        if info.n_test:
            series.append(
                Series(self.tr("app_series_test"), x, snap.series("evals", "test_accuracy"))
            )
        self.plt.ylim(0, 1)
        self.lines(series)


class GradNormChart(Chart):
    """‖∂E/∂W_l‖ per layer on a log scale: vanishing gradients show as lines far apart."""

    def title_text(self) -> str:
        return self.tr("app_chart_gradnorm")

    def plot(self, snap: Snapshot, info: ModelInfo) -> None:
        x = self.x_of(snap, "steps")
        series = [
            Series(f"W{i}", x, snap.series("steps", f"grad_norm_W{i}"))
            for i in range(1, info.n_weight_layers + 1)
        ]
        self.lines(series, log=True)


class HistogramChart(Chart):
    """How the values of one layer's W (or its last gradient) are spread."""

    BINS = 24

    def title_text(self) -> str:
        layer = self.snapshot.watched.layer if self.snapshot else 1
        key = "app_chart_hist_grads" if self.options.show_grads else "app_chart_hist_weights"
        return self.tr(key, name=f"W{layer}")

    def plot(self, snap: Snapshot, info: ModelInfo) -> None:
        w = snap.watched
        values = w.grads if self.options.show_grads else w.weights
        if values is None or not len(values):
            self.border_subtitle = self.tr("app_chart_hist_empty")
            return
        counts, edges = np.histogram(values[np.isfinite(values)], bins=self.BINS)
        centers = (edges[:-1] + edges[1:]) / 2
        plt = self.plt
        plt.yscale("linear")
        plt.bar(centers.tolist(), counts.tolist(), width=0.8, color=self.color(0), marker="braille")
        self.x_ticks(edges[0], edges[-1])
        self.border_subtitle = self.tr(
            "app_chart_hist_sub",
            n=len(values),
            mean=f"{values.mean():.3g}",
            std=f"{values.std():.3g}",
        )
