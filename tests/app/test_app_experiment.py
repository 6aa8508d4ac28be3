"""Editing the experiment in the app: every change goes through the engine's parser; what a
change makes meaningless is dropped and said, never fixed silently."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tui_nn.app.experiment import Experiment, parse_text
from tui_nn.core import ConfigError, Trainer, load


def mazur() -> Experiment:
    return Experiment(load("mazur-2-2-2"))


def test_typed_values_are_read_as_toml() -> None:
    assert parse_text(" 0.05 ") == 0.05
    assert parse_text("32") == 32
    assert parse_text("full") == "full"  # a bare word is text
    assert parse_text("[2, 3]") == [2, 3]


def test_lr_applies_live_and_keeps_everything_else() -> None:
    exp = mazur()
    p = exp.propose({"train.lr": 0.1})
    assert not p.needs_reset and p.notes == []
    assert p.preset.train.lr == 0.1
    np.testing.assert_array_equal(p.preset.network.weights["W1"], [[0.15, 0.25], [0.20, 0.30]])
    assert p.preset.train.freeze == ["b1", "b2"]


def test_a_refused_value_names_the_field() -> None:
    with pytest.raises(ConfigError) as e:
        mazur().propose({"train.lr": -1.0})
    assert e.value.field == "train.lr"
    with pytest.raises(ConfigError) as e:
        mazur().propose({"network.loss": "cross_entropy"})  # with a sigmoid output
    assert "softmax" in e.value.reason


def test_resizing_a_layer_drops_only_the_weights_that_no_longer_fit() -> None:
    p = mazur().propose({"network.layers": [2, 3, 2]})
    assert p.needs_reset
    assert p.notes == [("app_note_weights_dropped", {"names": "W1, W2, b1"})]
    assert sorted(p.preset.network.weights) == ["b2"]
    np.testing.assert_array_equal(p.preset.network.weights["b2"], [0.60, 0.60])


def test_removing_a_layer_unfreezes_what_no_longer_exists() -> None:
    exp = Experiment(load("mazur-2-2-2", ['train.freeze=["b1", "b2"]']))
    p = exp.propose({"network.layers": [2, 2], "network.activation": []})
    assert ("app_note_freeze_dropped", {"names": "b2"}) in p.notes
    assert p.preset.train.freeze == ["b1"]


def test_a_new_init_scheme_replaces_the_given_weights() -> None:
    p = mazur().propose({"network.init": "xavier"})
    assert p.preset.network.weights == {}
    assert p.notes == [("app_note_weights_dropped", {"names": "W1, W2, b1, b2"})]


def test_switching_optimizer_drops_the_old_constants() -> None:
    exp = Experiment(load("mazur-2-2-2", ["train.optimizer=momentum", "train.momentum=0.5"]))
    assert exp.value("train.momentum") == 0.5
    p = exp.propose({"train.optimizer": "adam"})
    assert not p.needs_reset
    assert p.notes == [("app_note_constants_dropped", {"names": "momentum"})]
    assert exp.value("train.lr") == 0.5
    exp.commit(p)
    assert exp.value("train.beta1") == 0.9  # adam's default, shown as such


def test_a_new_seed_reseeds_weights_and_shuffling_and_data() -> None:
    exp = Experiment(load("circle"))
    p = exp.propose({"seed": 7})
    assert p.needs_reset and p.notes == []
    cfg = p.preset
    assert (cfg.network.seed, cfg.train.seed, cfg.data["seed"]) == (7, 7, 7)
    # mazur writes its weights out: the note says the seed cannot change them.
    notes = mazur().propose({"seed": 1}).notes
    assert notes == [("app_note_seed_weights_given", {"names": "W1, W2, b1, b2"})]


def test_weights_from_a_file_are_kept_where_they_still_fit(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    given = {
        "W1": rng.normal(size=(2, 2)),
        "b1": np.zeros(2),
        "W2": rng.normal(size=(2, 2)),
        "b2": np.ones(2),
    }
    np.savez(tmp_path / "w.npz", **given)
    text = Path(load("mazur-2-2-2").path).read_text("utf-8")
    head, tail = text.split("[network.weights]")
    data = "[data]" + tail.split("[data]")[1]
    (tmp_path / "p.toml").write_text(head + 'weights_file = "w.npz"\n\n' + data, "utf-8")
    exp = Experiment(load(str(tmp_path / "p.toml")))
    p = exp.propose({"network.layers": [2, 2, 2, 2], "network.activation": ["sigmoid"] * 2})
    assert p.notes == []  # every given shape still fits a 2-2-2-2 network
    t = Trainer(p.preset)
    np.testing.assert_array_equal(t.initial["W2"], given["W2"])
    np.testing.assert_array_equal(t.initial["b2"], given["b2"])
