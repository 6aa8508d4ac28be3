"""The headless commands: presets, train, gradcheck; and import hygiene."""

from __future__ import annotations

import json
from pathlib import Path
from unittest import mock

import numpy as np
import pytest

from tui_nn.cli import main
from tui_nn.core import Preset, Trainer, load, presets

from helpers import ROOT


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_presets_lists_the_worked_example(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "presets")
    assert status == 0
    assert "mazur-2-2-2" in out and "2-2-2 sigmoid" in out


def test_train_json_has_every_contract_field(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "train", "mazur-2-2-2", "--steps", "10000", "--json")
    assert status == 0
    result = json.loads(out)
    for key in (
        "steps",
        "epochs",
        "train_loss",
        "train_accuracy",
        "test_loss",
        "test_accuracy",
        "seconds",
        "steps_per_second",
    ):
        assert key in result
    assert result["steps"] == 10000
    assert result["train_loss"] == pytest.approx(3.510187782978859e-05, rel=1e-9)
    assert result["test_loss"] is None and result["test_accuracy"] is None


def test_train_epochs_and_set(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(
        capsys, "train", "mazur-2-2-2", "--epochs", "1", "--set", "train.lr=0.5", "--json"
    )
    assert status == 0
    assert json.loads(out)["train_loss"] == pytest.approx(0.29102777369359933, rel=1e-12)


def test_save_writes_parameters_by_name(capsys, tmp_path: Path) -> None:
    target = tmp_path / "w.npz"
    status, _, _ = run(capsys, "train", "mazur-2-2-2", "--steps", "1", "--save", str(target))
    assert status == 0
    with np.load(target, allow_pickle=False) as f:
        assert sorted(f.files) == ["W1", "W2", "b1", "b2"]
        assert f["W2"][0, 0] == pytest.approx(0.35891648, abs=5e-9)


def test_gradcheck_reports_each_parameter(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "gradcheck", "mazur-2-2-2", "--json")
    assert status == 0
    report = json.loads(out)
    assert [p["name"] for p in report["parameters"]] == ["W1", "b1", "W2", "b2"]
    assert report["max_relative_error"] < 1e-7 and report["ok"] is True


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["train", "no-such-preset"], "no preset of that name"),
        (["train", "mazur-2-2-2", "--set", "train.lr=zero"], "train.lr: must be a number"),
        (["train", "mazur-2-2-2", "--steps", "-4"], "--steps: must be 0 or more"),
        (["gradcheck", "mazur-2-2-2", "--samples", "0"], "--samples: must be at least 1"),
        (
            ["train", "mazur-2-2-2", "--save", "/nonexistent-dir/w.npz", "--steps", "1"],
            "w.npz: the folder /nonexistent-dir does not exist",
        ),
    ],
)
def test_bad_input_is_one_line_and_exit_2(capsys, argv: list[str], needle: str) -> None:
    status, _, err = run(capsys, *argv)
    assert status == 2
    assert needle in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_divergence_exits_3_with_the_reason(capsys, tmp_path: Path) -> None:
    preset = ROOT / "presets" / "mazur-2-2-2.toml"
    text = preset.read_text().replace('output = "sigmoid"', 'output = "identity"')
    text = text.replace('activation = "sigmoid"', 'activation = "identity"')
    path = tmp_path / "hot.toml"
    path.write_text(text.replace("lr = 0.5", "lr = 1e154"))
    status, out, err = run(capsys, "train", str(path), "--steps", "100", "--json")
    assert status == 3
    assert "diverged at step" in json.loads(out)["diverged"]
    assert "learning rate" in err


def test_seed_replaces_every_seed_after_the_overrides(capsys) -> None:
    """--seed is one seed for the weights, the shuffling and generated data, and wins over a
    --set of any of them: the run is the one of a preset setting all three seeds to it."""
    preset = load("circle", ["network.seed=5", "data.seed=7"], seed=3)
    assert (preset.network.seed, preset.train.seed, preset.data["seed"]) == (3, 3, 3)
    assert "seed" not in load("mazur-2-2-2", seed=3).data  # inline data takes no seed
    argv = ["train", "circle", "--steps", "3", "--json", "--set", "network.seed=5"]
    assert main([*argv, "--seed", "3"]) == 0
    seeded = json.loads(capsys.readouterr().out)
    trainer = Trainer(load("circle", ["network.seed=3", "train.seed=3", "data.seed=3"]))
    trainer.run(3)
    assert seeded["train_loss"] == trainer.evaluate()["train_loss"]


def test_the_app_opens_on_the_preset_the_command_line_parsed() -> None:
    """The preset is read and checked once, before the screen opens, and that Preset is the
    one the app gets (not its name, to be read again)."""
    with (
        mock.patch("tui_nn.app.main.run_app", return_value=0) as app,
        mock.patch("tui_nn.core.presets.parse", wraps=presets.parse) as parse,
    ):
        assert main(["--lang", "en", "circle"]) == 0
    assert parse.call_count == 1
    preset = app.call_args.kwargs["preset"]
    assert isinstance(preset, Preset) and preset.name == "circle"
