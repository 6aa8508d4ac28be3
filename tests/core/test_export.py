"""Exports: weights .npz, preset TOML and the TOML writer, atomic writes that never overwrite
unasked. Round trips are checked number for number."""

from __future__ import annotations

import math
import os
import stat
import tomllib
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui_nn.core import ConfigError, Trainer, load
from tui_nn.core.export import current_preset, toml_value, with_weights, write_preset
from tui_nn.core.files import ExportError, write_atomic
from tui_nn.core.optimizers import OPTIMIZERS
from tui_nn.core.weights import load_weights, save_weights

PRESET = """
[preset]
name = "round-trip"
description = "A \\"quoted\\" description, with a backslash \\\\ and ünïcode"
description_ja = "往復のテスト"

[network]
layers = [2, 4, 3, 3]
activation = ["tanh", "relu"]
output = "softmax"
loss = "cross_entropy"
init = "he"
seed = 4

[data]
x = [[0.1, 0.2], [0.9, 0.1], [0.4, 0.8], [-0.5, 0.3], [-0.2, -0.7], [0.6, -0.4], [0.3, 0.3]]
labels = [0, 1, 2, 2, 0, 1, 0]
x_test = [[0.5, 0.5], [-0.6, -0.1]]
labels_test = [1, 0]

[train]
optimizer = "momentum"
lr = 0.2
batch_size = 2
shuffle = true
seed = 3
epochs = 5
lr_decay_every = 4
lr_decay_factor = 0.7
weight_decay = 0.001
freeze = ["b2"]
"""


@pytest.fixture
def preset_file(tmp_path: Path) -> Path:
    path = tmp_path / "src" / "round-trip.toml"
    path.parent.mkdir()
    path.write_text(PRESET, "utf-8")
    return path


def losses_of(preset, steps: int = 12) -> np.ndarray:
    trainer = Trainer(preset)
    trainer.run(steps)
    return trainer.steps.column("loss")


# ---- weights ----------------------------------------------------------------------------


def test_weights_round_trip_gives_identical_predictions(preset_file: Path, tmp_path: Path):
    trainer = Trainer(load(str(preset_file)))
    trainer.run(9)
    target = save_weights(tmp_path / "trained.npz", trainer.net.params)
    loaded = load_weights(target)
    assert sorted(loaded) == ["W1", "W2", "W3", "b1", "b2", "b3"]
    again = Trainer(with_weights(load(str(preset_file)), loaded))
    x = np.vstack([again.data.x_train, again.data.x_test])
    np.testing.assert_array_equal(again.net.forward(x), trainer.net.forward(x))


def test_weights_file_in_a_preset_is_relative_to_it(preset_file: Path):
    trainer = Trainer(load(str(preset_file)))
    trainer.run(3)
    save_weights(preset_file.parent / "w.npz", trainer.net.params)
    text = PRESET.replace("seed = 4\n", 'seed = 4\nweights_file = "w.npz"\n', 1)
    preset_file.write_text(text, "utf-8")
    again = Trainer(load(str(preset_file)))
    for k, v in trainer.net.params.items():
        np.testing.assert_array_equal(again.initial[k], v)


@pytest.mark.parametrize(
    ("arrays", "raw", "needle"),
    [
        ({"W1": np.array([{}], dtype=object)}, None, "holds Python objects"),
        ({"W1": np.array([np.nan, 1.0])}, None, "W1 must be non-empty and finite"),
        ({"W1": np.array(["a", "b"])}, None, "W1 has dtype <U1, not numbers"),
        ({}, b"not a zip at all", "is not a NumPy .npz file"),
        ({}, None, "no such file"),
    ],
)
def test_bad_weight_files_are_one_clear_error(tmp_path: Path, arrays, raw, needle) -> None:
    path = tmp_path / "w.npz"
    if raw is not None:
        path.write_bytes(raw)
    elif arrays:
        np.savez(path, **arrays)
    with pytest.raises(ConfigError) as e:
        load_weights(path)
    assert needle in e.value.message and str(path) in e.value.message


def test_weights_of_the_wrong_shape_name_the_file_and_parameter(preset_file: Path) -> None:
    np.savez(preset_file.parent / "w.npz", W1=np.zeros((3, 4)))
    text = PRESET.replace("seed = 4\n", 'seed = 4\nweights_file = "w.npz"\n', 1)
    preset_file.write_text(text, "utf-8")
    with pytest.raises(ConfigError) as e:
        load(str(preset_file))
    assert e.value.field == "network.weights_file"
    assert "w.npz: W1 has shape (3, 4), but layers [2, 4, 3, 3] need (2, 4)" in e.value.reason
    with pytest.raises(ConfigError, match="W9"):
        with_weights(load("mazur-2-2-2"), {"W9": np.zeros((2, 2))})


# ---- presets as TOML --------------------------------------------------------------------


def test_tuned_experiment_saves_and_trains_to_the_same_losses(preset_file: Path, tmp_path):
    trainer = Trainer(load(str(preset_file)))
    trainer.run(4)
    trainer.configure(lr=0.07)
    trainer.configure(optimizer="adam", constants={"beta1": 0.8})
    trainer.configure(batch_size=3)
    tuned = current_preset(trainer)
    tuned = replace(tuned, network=replace(tuned.network, layers=[2, 6, 3, 3]))
    (tmp_path / "out").mkdir()
    [written] = write_preset(tmp_path / "out" / "tuned.toml", tuned)
    loaded = load(str(written))
    assert (loaded.train.lr, loaded.train.optimizer, loaded.train.batch_size) == (0.07, "adam", 3)
    assert loaded.train.constants == {**OPTIMIZERS["adam"].defaults, "beta1": 0.8}
    assert loaded.network.layers == [2, 6, 3, 3]
    assert loaded.network.activation == ["tanh", "relu"]
    assert loaded.description == tuned.description and loaded.name_ja == ""
    assert loaded.train.freeze == ["b2"] and loaded.train.weight_decay == 0.001
    expected = losses_of(tuned)
    assert len(expected) == 12
    np.testing.assert_array_equal(losses_of(loaded), expected)


@pytest.mark.parametrize("weights_npz", [False, True])
def test_trained_weights_travel_with_the_preset(preset_file, tmp_path, weights_npz) -> None:
    trainer = Trainer(load(str(preset_file)))
    trainer.run(10)
    written = write_preset(
        tmp_path / "trained.toml",
        current_preset(trainer, trained_weights=True),
        weights_npz=weights_npz,
    )
    assert [p.name for p in written] == ["trained.toml"] + (["trained.npz"] if weights_npz else [])
    text = written[0].read_text("utf-8")
    assert ('weights_file = "trained.npz"' in text) == weights_npz
    assert ("[network.weights]" in text) != weights_npz
    again = Trainer(load(str(written[0])))
    x = again.data.x_train
    np.testing.assert_array_equal(again.net.forward(x), trainer.net.forward(x))


def test_relative_data_paths_follow_the_preset(tmp_path: Path) -> None:
    src = tmp_path / "a"
    src.mkdir()
    rows = "\n".join(f"{i / 10},{(i * 7 % 10) / 10},{i % 2}" for i in range(10))
    (src / "points.csv").write_text("x1,x2,label\n" + rows + "\n", "utf-8")
    (src / "p.toml").write_text(
        '[network]\nlayers = [2, 3, 1]\n\n[data]\nsource = "csv"\npath = "points.csv"\n'
        'target = "label"\ntest_ratio = 0.2\n\n[train]\nepochs = 2\n',
        "utf-8",
    )
    original = Trainer(load(str(src / "p.toml")))
    dest = tmp_path / "b" / "c"
    dest.mkdir(parents=True)
    [written] = write_preset(dest / "copy.toml", load(str(src / "p.toml")))
    assert 'path = "../../a/points.csv"' in written.read_text("utf-8")
    copy = Trainer(load(str(written)))
    np.testing.assert_array_equal(copy.data.x_train, original.data.x_train)


# ---- the TOML writer --------------------------------------------------------------------


@given(st.text(max_size=40))
def test_any_string_reads_back(s: str) -> None:
    assert tomllib.loads(f"v = {toml_value(s)}")["v"] == s


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_any_float_reads_back_exactly(f: float) -> None:
    back = tomllib.loads(f"v = {toml_value(f)}")["v"]
    assert back == f and math.copysign(1, back) == math.copysign(1, f)


def test_nested_lists_and_tables() -> None:
    doc = tomllib.loads(
        f"v = {toml_value([[1.5, -2.0], [3e-20, 4e300]])}\n"
        f"w = {toml_value({'a b': [True, 'x'], 'n': 3})}"
    )
    assert doc == {"v": [[1.5, -2.0], [3e-20, 4e300]], "w": {"a b": [True, "x"], "n": 3}}


# ---- atomic writes ----------------------------------------------------------------------


def test_write_atomic_never_overwrites_unasked(tmp_path: Path) -> None:
    target = tmp_path / "f.txt"
    target.write_text("old", "utf-8")
    with pytest.raises(ExportError) as e:
        write_atomic(target, lambda tmp: tmp.write_text("new", "utf-8"))
    assert e.value.message("en") == f"{target} already exists"
    assert e.value.message("ja") == f"{target} はすでに存在します"
    assert target.read_text("utf-8") == "old"
    write_atomic(target, lambda tmp: tmp.write_text("new", "utf-8"), overwrite=True)
    assert target.read_text("utf-8") == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.txt"]


def test_written_files_get_the_usual_permissions(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        path = save_weights(tmp_path / "w.npz", {"W1": np.ones((1, 1))})
    finally:
        os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644  # not mkstemp's 0o600


def test_a_failed_write_leaves_nothing_behind(tmp_path: Path) -> None:
    def fail(tmp: Path) -> None:
        tmp.write_text("half", "utf-8")
        raise OSError(28, "No space left on device")

    with pytest.raises(ExportError, match="cannot write \\(No space left on device\\)"):
        write_atomic(tmp_path / "f.txt", fail)
    assert list(tmp_path.iterdir()) == []


def test_two_file_writes_check_both_before_writing_either(preset_file: Path, tmp_path) -> None:
    trainer = Trainer(load(str(preset_file)))
    (tmp_path / "p.npz").write_bytes(b"mine")
    with pytest.raises(ExportError, match=r"p\.npz already exists"):
        write_preset(
            tmp_path / "p.toml", current_preset(trainer, trained_weights=True), weights_npz=True
        )
    assert not (tmp_path / "p.toml").exists()
    assert (tmp_path / "p.npz").read_bytes() == b"mine"
