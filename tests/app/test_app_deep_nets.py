"""The main screen's per-layer work is bounded on a very deep network: the gradient-norm chart
draws at most 16 layers (W1, the last, evenly spaced between), each with the engine's own
norm, and a snapshot finds its columns by name without a search per call."""

from __future__ import annotations

import numpy as np

from tui_nn.app.snapshot import PAUSED, ModelInfo, take
from tui_nn.app.widgets.charts import MAX_LAYER_LINES, GradNormChart, short, shown_layers
from tui_nn.core import Trainer, parse


def deep_trainer(n_layers: int) -> Trainer:
    layers = [2] + [3] * (n_layers - 1) + [1]
    doc = {"network": {"layers": layers, "activation": "tanh"}, "data": {"source": "xor"}}
    return Trainer(parse({**doc, "train": {"batch_size": 10}}))


def test_few_layers_are_all_drawn_and_many_are_sampled_evenly() -> None:
    assert shown_layers(7) == list(range(1, 8))
    assert shown_layers(MAX_LAYER_LINES) == list(range(1, MAX_LAYER_LINES + 1))
    layers = shown_layers(10_000)
    assert len(layers) == MAX_LAYER_LINES and layers[0] == 1 and layers[-1] == 10_000
    gaps = np.diff(layers)
    assert gaps.max() - gaps.min() <= 1  # evenly spaced, to the nearest layer


def test_a_deep_networks_legend_shows_the_sampled_layers_norms() -> None:
    trainer = deep_trainer(40)
    trainer.step()
    norms = [float(np.linalg.norm(layer.dW)) for layer in trainer.net.layers]
    snap, info = take(trainer, PAUSED, None, 1, {}), ModelInfo.of(trainer)
    legend = GradNormChart().legend(snap, info)
    want = [f"W{i} {short(norms[i - 1])}" for i in shown_layers(40)]
    assert [text for text, _ in legend] == want
    assert [color for _, color in legend] == list(range(MAX_LAYER_LINES))
    series = GradNormChart().series(snap, info)
    assert [s.label for s in series] == [f"W{i}" for i in shown_layers(40)]
    # Columns by name: the same numbers as the history's own rows.
    column = trainer.steps.columns.index("grad_norm_W40")
    assert (
        snap.last(snap.step_cols, snap.step_ends, "grad_norm_W40")
        == trainer.steps.rows()[-1, column]
    )
