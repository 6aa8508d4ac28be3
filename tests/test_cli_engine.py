"""The headless commands of issue 4: presets, train, gradcheck; and import hygiene."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tui_nn.cli import main


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
    preset = Path(__file__).parents[1] / "presets" / "mazur-2-2-2.toml"
    text = preset.read_text().replace('output = "sigmoid"', 'output = "identity"')
    text = text.replace('activation = "sigmoid"', 'activation = "identity"')
    path = tmp_path / "hot.toml"
    path.write_text(text.replace("lr = 0.5", "lr = 1e154"))
    status, out, err = run(capsys, "train", str(path), "--steps", "100", "--json")
    assert status == 3
    assert "diverged at step" in json.loads(out)["diverged"]
    assert "learning rate" in err
