"""Every broken preset gets one message naming the file, the field and the reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui_nn.core import ConfigError, Trainer, load

GOOD = """
[preset]
name = "tiny"

[network]
layers = [2, 2, 1]
activation = "sigmoid"
output = "sigmoid"
loss = "sum_squared"

[data]
source = "inline"
x = [[0.0, 1.0], [1.0, 0.0]]
d = [[1.0], [0.0]]

[train]
lr = 0.5
"""


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "broken.toml"
    p.write_text(text, encoding="utf-8")
    return p


def error_for(tmp_path: Path, old: str, new: str) -> str:
    assert old in GOOD
    path = write(tmp_path, GOOD.replace(old, new))
    with pytest.raises(ConfigError) as err:
        Trainer(load(str(path)))  # data problems show when the data is built
    msg = err.value.message
    assert msg.startswith(str(path)), msg
    return msg


def test_the_good_preset_loads(tmp_path: Path) -> None:
    preset = load(str(write(tmp_path, GOOD)))
    assert preset.network.layers == [2, 2, 1]
    assert preset.train.lr == 0.5


@pytest.mark.parametrize(
    ("old", "new", "field", "reason"),
    [
        ("lr = 0.5", 'lr = "fast"', "train.lr", "must be a number"),
        ("lr = 0.5", "lr = -1", "train.lr", "must be above 0"),
        ("lr = 0.5", "lr = nan", "train.lr", "finite"),
        ("lr = 0.5", "lrate = 0.5", "train.lrate", "did you mean 'lr'"),
        ("lr = 0.5", "lr = 0.5\nbatch_size = 0", "train.batch_size", "≥ 1"),
        ("lr = 0.5", 'lr = 0.5\noptimizer = "adamw"', "train.optimizer", "did you mean 'adam'"),
        ("lr = 0.5", "lr = 0.5\nbeta1 = 0.9", "train.beta1", "not a constant of sgd"),
        ("lr = 0.5", 'lr = 0.5\nfreeze = ["b3"]', "train.freeze", "has W1, b1, W2, b2"),
        ("layers = [2, 2, 1]", "layers = [2, 0, 1]", "network.layers", "at least 1"),
        ("layers = [2, 2, 1]", "layers = [2, 2, 3]", "data.d", "rows have 1 values but 3"),
        ("layers = [2, 2, 1]", "layers = [3, 2, 1]", "data", "first layer has 3 units"),
        ('output = "sigmoid"', 'output = "softmax"', "network.output", "at least 2 output units"),
        (
            'loss = "sum_squared"',
            'loss = "cross_entropy"',
            "network.loss",
            "needs output = 'softmax'",
        ),
        ('activation = "sigmoid"', 'activation = "swish"', "network.activation", "unknown hidden"),
        (
            'activation = "sigmoid"',
            'activation = ["relu", "tanh"]',
            "network.activation",
            "2 activations for 1 hidden",
        ),
        ("x = [[0.0, 1.0], [1.0, 0.0]]", "x = [[0.0, 1.0], [1.0]]", "data.x", "same length"),
        ("x = [[0.0, 1.0], [1.0, 0.0]]", "x = [[0.0, 1.0]]", "data.d", "has 2 rows but x has 1"),
        ('source = "inline"', 'source = "magic"', "data.source", "unknown source"),
        (
            'loss = "sum_squared"',
            'loss = "sum_squared"\n[network.weights]\nW1 = [[1.0, 2.0]]',
            "network.weights.W1",
            "need (2, 2)",
        ),
        (
            'loss = "sum_squared"',
            'loss = "sum_squared"\n[network.weights]\nW9 = [[1.0]]',
            "network.weights.W9",
            "has no W9",
        ),
    ],
)
def test_each_bad_field_is_named(tmp_path: Path, old: str, new: str, field: str, reason: str):
    msg = error_for(tmp_path, old, new)
    assert f": {field}: " in msg, msg
    assert reason in msg, msg


def test_missing_section(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.split("[train]")[0])
    with pytest.raises(ConfigError, match=r"broken.toml: train: is missing"):
        load(str(path))


def test_invalid_toml_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("lr = 0.5", "lr = "))
    with pytest.raises(ConfigError, match=r"broken.toml: is not valid TOML: .*line"):
        load(str(path))


def test_non_utf8_file(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes(GOOD.replace('"tiny"', '"caf\xe9"').encode("latin-1"))
    with pytest.raises(ConfigError, match="is not UTF-8"):
        load(str(path))


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such file"):
        load(str(tmp_path / "nope.toml"))
    with pytest.raises(ConfigError, match="is a directory"):
        load(str(tmp_path))


def test_unknown_preset_name_suggests_the_closest() -> None:
    with pytest.raises(ConfigError, match="did you mean 'mazur-2-2-2'"):
        load("mazur-2-2")


def test_overrides_are_validated_like_the_file(tmp_path: Path) -> None:
    path = str(write(tmp_path, GOOD))
    assert load(path, ["train.lr=0.25", "train.optimizer=adam"]).train.optimizer == "adam"
    with pytest.raises(ConfigError, match=r"train\.epochs: must be a whole number"):
        load(path, ["train.epochs=1.5"])
    with pytest.raises(ConfigError, match=r"section\.key=value"):
        load(path, ["lr=0.1"])
