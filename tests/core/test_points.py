"""Training points added and removed by hand: the trainer takes them from the next step, and a
preset's [data] added_points / added_labels / removed_points gives back the same training set."""

from __future__ import annotations

import numpy as np
import pytest

from tui_nn.core import ConfigError, Trainer, current_preset, load, parse
from tui_nn.core.export import preset_toml
from tui_nn.core.presets import parse_toml
from tui_nn.core.touch import add_point, remove_nearest, set_weight


def reloaded(t: Trainer) -> Trainer:
    return Trainer(parse(parse_toml(preset_toml(current_preset(t))), "again"))


def test_points_join_the_epoch_and_a_written_preset_loads_the_same_set() -> None:
    """spiral (seven input features): an added point goes through the same features; removing
    a generated and an added point keeps every other row in its place."""
    t = Trainer(load("spiral"))
    t.run(3)  # mid-epoch
    n = t.n_train
    add_point(t, 1.0, 2.0, 1)
    add_point(t, -3.0, 0.5, 0)
    assert t.n_train == n + 2 and sorted(t._order.tolist()) == list(range(n + 2))
    assert t.data.x_train[-2].tolist() == pytest.approx([1, 2, 1, 4, 2, np.sin(1.0), np.sin(2.0)])
    assert remove_nearest(t, 1.05, 2.0) == n  # the first added point
    first = t.data.raw_train[0].copy()
    removed = remove_nearest(t, *first)
    assert removed == 0 and sorted(t._order.tolist()) == list(range(n))
    t.run(t.steps_per_epoch * 2)  # whole epochs over the edited set
    again = reloaded(t)
    assert again.preset.data["removed_points"] == [0]
    assert again.preset.data["added_points"] == [[-3.0, 0.5]]
    for part in ("x_train", "d_train", "raw_train"):
        assert np.array_equal(getattr(again.data, part), getattr(t.data, part))


def test_the_same_edits_give_the_same_run() -> None:
    def run() -> np.ndarray:
        t = Trainer(load("circle"))
        t.run(4)
        add_point(t, 0.5, 0.5, 0)
        remove_nearest(t, 3, 3)
        t.run(30)
        return t.net.theta.copy()

    assert np.array_equal(run(), run())


@pytest.mark.parametrize(
    "edits",
    [
        {"added_points": [[1, 2]]},
        {"added_points": [[1, 2]], "added_labels": [2]},
        {"added_points": [[1, 2]], "added_labels": [True]},
        {"added_points": [[1, float("nan")]], "added_labels": [0]},
        {"added_points": [[1, 10**4000]], "added_labels": [0]},
        {"added_points": [[1, 2, 3]], "added_labels": [0]},
        {"added_points": [["1", 2]], "added_labels": [0]},
        {"added_points": [[0, 0]] * 10_001, "added_labels": [0] * 10_001},
        {"removed_points": [250]},
        {"removed_points": [3, 3]},
        {"removed_points": "all"},
    ],
    ids=range(11),
)
def test_hostile_point_edits_are_one_error_naming_the_field(edits) -> None:
    preset = load("circle")
    doc = {**preset.raw, "data": {**preset.raw["data"], **edits}}
    with pytest.raises(ConfigError) as e:
        Trainer(parse(doc, "hostile"))
    assert e.value.field.startswith("data.") and "\n" not in str(e.value)


def test_points_need_classes_on_a_plane() -> None:
    t = Trainer(load("mazur-2-2-2"))
    with pytest.raises(ConfigError):
        add_point(t, 0.0, 0.0, 0)
    t = Trainer(load("circle"))
    with pytest.raises(ConfigError):
        add_point(t, float("inf"), 0.0, 0)
    with pytest.raises(ConfigError):
        add_point(t, 0.0, 0.0, 2)


@pytest.mark.parametrize("value", [float("inf"), float("nan"), 1e6 + 1, -2e6, True, "1"])
def test_a_weight_set_by_hand_must_be_a_number_within_a_million(value: object) -> None:
    trainer = Trainer(load("circle"))
    before = trainer.net.params["W1"].copy()
    with pytest.raises(ConfigError) as caught:
        set_weight(trainer, "W1", (0, 0), value)
    assert caught.value.key == "err_weight_value" and caught.value.field == "W1[0, 0]"
    assert np.array_equal(trainer.net.params["W1"], before) and trainer.edits == []
    assert set_weight(trainer, "W1", (0, 0), -1e6) == before[0, 0]
    assert trainer.net.params["W1"][0, 0] == -1e6
