"""[train] steps (the course's iters_num) and the accuracies every eval_every updates, printed
by `tui-nn train` in the words and format of the generated script."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tui_nn.app.messages import TrainingFinished
from tui_nn.app.run_words import finished_entry
from tui_nn.cli import main
from tui_nn.core import ConfigError, Trainer, load

PRESET = """[network]
layers = [2, 3, 2]
activation = "relu"
output = "softmax"
loss = "cross_entropy"
init_std = 0.5

[data]
x = [[0.1, 0.2], [0.9, 0.1], [0.4, 0.8], [-0.5, 0.3], [-0.2, -0.7], [0.6, -0.4], [0.0, 0.3]]
labels = [0, 1, 1, 0, 0, 1, 1]
x_test = [[0.5, 0.5], [-0.6, -0.1]]
labels_test = [1, 0]

[train]
lr = 0.3
batch_size = 2
sampling = "with_replacement"
steps = 23
eval_every = 5
eval_train = "batch"
"""
LINE = re.compile(r"^iteration (\d+)\. accuracy \((training|test)\) = (\S+)$")


def write(tmp_path: Path, text: str = PRESET) -> Path:
    path = tmp_path / "p.toml"
    path.write_text(text, "utf-8")
    return path


def test_steps_is_the_length_of_the_run(tmp_path: Path) -> None:
    trainer = Trainer(load(str(write(tmp_path))))
    assert trainer.steps_per_epoch == 4 and trainer.total_steps == 23  # not 4 × epochs
    trainer.run(22)
    assert not trainer.finished
    trainer.run(1)
    assert trainer.finished and trainer.step_count == 23
    by_epochs = Trainer(load(str(write(tmp_path, PRESET.replace("steps = 23", "epochs = 2")))))
    assert by_epochs.total_steps == 8 and not by_epochs.finished
    by_epochs.run(8)
    assert by_epochs.finished


def test_steps_and_epochs_together_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as e:
        load(str(write(tmp_path, PRESET.replace("steps = 23", "steps = 23\nepochs = 2"))))
    assert e.value.field == "train.steps" and "not both" in e.value.reason


def test_train_prints_the_accuracies_as_they_come(tmp_path: Path, capsys) -> None:
    path = write(tmp_path)
    assert main(["train", str(path)]) == 0
    out = capsys.readouterr().out
    printed = [LINE.match(line).groups() for line in out.splitlines() if LINE.match(line)]
    engine = Trainer(load(str(path)))
    engine.run(23)
    rows = engine.evals.rows()
    cols = engine.evals.columns
    want = []
    for row in rows:
        step = str(int(row[cols.index("step")]))
        want.append((step, "training", repr(float(row[cols.index("train_accuracy")]))))
        want.append((step, "test", repr(float(row[cols.index("test_accuracy")]))))
    assert printed == want and [w[0] for w in want[::2]] == ["5", "10", "15", "20"]
    assert "23 steps" in out
    # In Japanese with the course's words; never inside --json's one object.
    assert main(["--lang", "ja", "train", str(path)]) == 0
    assert "反復 5. 正答率(トレーニング) = " in capsys.readouterr().out
    assert main(["train", str(path), "--json"]) == 0
    assert capsys.readouterr().out.count("\n") == 1


def test_the_app_says_it_finished_the_presets_steps() -> None:
    key, values = finished_entry(TrainingFinished(100, None, 1000))
    assert key == "app_finished_steps" and values == {"steps": "1,000"}
    assert finished_entry(TrainingFinished(3))[0] == "app_finished"
