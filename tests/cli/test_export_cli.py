"""`tui-nn train --history`, `--save`, `--weights`: the CSV against the trainer and Mazur's
numbers, refusal to overwrite, --force, and one-line messages when a folder cannot be written."""

from __future__ import annotations

import csv
import os
import tempfile
from pathlib import Path

import numpy as np
import pytest

from tui_nn.cli import main
from tui_nn.core import Trainer, load
from tui_nn.core.export import history_csv

# ∂E/∂w of the first update of the 2-2-2 example, from the worked example's w⁺ = w − 0.5 ∂E/∂w.
SEED_GRAD_W1 = [0.000438568, 0.00087714, 0.00049772, 0.00099542]
SEED_GRAD_W2 = [0.082167041, 0.082667628, -0.02260254, -0.022740242]


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_history_csv_has_the_seed_numbers(tmp_path: Path, capsys) -> None:
    target = tmp_path / "h.csv"
    status, _, err = run(capsys, "train", "mazur-2-2-2", "--steps", "3", "--history", str(target))
    assert status == 0 and f"wrote {target}" in err
    rows = read_csv(target)
    # One sample: every update ends an epoch and is evaluated; the CLI's closing evaluation
    # of step 3 is not written twice.
    assert [r["step"] for r in rows] == ["1", "2", "3"]
    assert list(rows[0]) == [
        "step",
        "epoch",
        "lr",
        "train_loss",
        "train_accuracy",
        "test_loss",
        "test_accuracy",
        "grad_norm_W1",
        "grad_norm_W2",
    ]
    first = rows[0]
    assert float(first["train_loss"]) == 0.29102777369359933
    assert (first["epoch"], first["lr"], first["train_accuracy"]) == ("1.0", "0.5", "1.0")
    assert first["test_loss"] == "" and first["test_accuracy"] == ""
    assert float(first["grad_norm_W1"]) == pytest.approx(np.linalg.norm(SEED_GRAD_W1), abs=2e-8)
    assert float(first["grad_norm_W2"]) == pytest.approx(np.linalg.norm(SEED_GRAD_W2), abs=2e-8)


def test_history_values_are_the_trainers_at_full_precision(tmp_path: Path) -> None:
    preset = load("mazur-2-2-2", ["train.eval_every=2"])
    trainer = Trainer(preset)
    trainer.run(7)
    for per_step, hist in ((False, trainer.evals), (True, trainer.steps)):
        target = tmp_path / f"{per_step}.csv"
        target.write_text(history_csv(trainer, per_step=per_step), "utf-8")
        rows = read_csv(target)
        assert list(rows[0]) == hist.columns
        expected = hist.rows()
        assert len(rows) == len(expected) == (7 if per_step else 3)
        for row, want in zip(rows, expected, strict=True):
            got = [float(v) if v else np.nan for v in row.values()]
            np.testing.assert_array_equal(got, want)
    assert read_csv(tmp_path / "True.csv")[0]["loss"] == repr(
        float(trainer.steps.column("loss")[0])
    )


def test_refuses_to_overwrite_without_force(tmp_path: Path, capsys) -> None:
    target = tmp_path / "h.csv"
    target.write_text("keep me", "utf-8")
    status, out, err = run(capsys, "train", "mazur-2-2-2", "--steps", "2", "--history", str(target))
    assert status == 2 and out == ""
    assert err == f"tui-nn: {target} already exists; add --force to overwrite it\n"
    assert target.read_text("utf-8") == "keep me"
    status, _, err = run(capsys, "--lang", "ja", "train", "mazur-2-2-2", "--save", str(target))
    assert (
        status == 2
        and err == f"tui-nn: {target} はすでに存在します。上書きするには --force を付けてください\n"
    )
    status, _, _ = run(
        capsys, "train", "mazur-2-2-2", "--steps", "2", "--history", str(target), "--force"
    )
    assert status == 0 and [r["step"] for r in read_csv(target)] == ["1", "2"]


def test_saved_weights_continue_training_where_they_stopped(tmp_path: Path, capsys) -> None:
    w = tmp_path / "w.npz"
    assert run(capsys, "train", "mazur-2-2-2", "--steps", "4", "--save", str(w))[0] == 0
    status, out, _ = run(
        capsys, "train", "mazur-2-2-2", "--steps", "6", "--weights", str(w), "--json"
    )
    continued = float(out.split('"train_loss": ')[1].split(",")[0])
    status, out, _ = run(capsys, "train", "mazur-2-2-2", "--steps", "10", "--json")
    assert status == 0 and continued == float(out.split('"train_loss": ')[1].split(",")[0])


def _read_only_dir(tmp_path: Path) -> Path:
    """A folder this process cannot create files in: chmod 555, or /sys when running as root."""
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    for candidate in (folder, Path("/sys")):
        try:
            fd, name = tempfile.mkstemp(dir=candidate)
        except OSError:
            return candidate
        os.close(fd)
        os.unlink(name)
    pytest.skip("no folder here refuses writes")


@pytest.mark.parametrize("command", ["history", "code"])
def test_unwritable_folder_is_one_line(tmp_path: Path, capsys, command: str) -> None:
    folder = _read_only_dir(tmp_path)
    if command == "history":
        argv = ["train", "mazur-2-2-2", "--steps", "1", "--history", str(folder / "h.csv")]
    else:
        argv = ["code", "mazur-2-2-2", "-o", str(folder / "m.py")]
    status, _, err = run(capsys, *argv)
    assert status == 2
    assert err.startswith(f"tui-nn: {folder}/") and "cannot write here (" in err
    assert err.count("\n") == 1 and "Traceback" not in err
    status, _, err = run(capsys, "--lang", "ja", *argv)
    assert "ここには書き込めません" in err and err.count("\n") == 1


def no_training(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any attempt to build a trainer fail the test: the refusal must come first."""

    def trained(args: object) -> None:
        raise AssertionError("the outputs should have been checked before training")

    monkeypatch.setattr("tui_nn.cli.base.load_trainer", trained)


def test_missing_folder_is_refused_before_training(tmp_path: Path, capsys, monkeypatch) -> None:
    no_training(monkeypatch)
    target = tmp_path / "no" / "such" / "h.csv"
    status, _, err = run(capsys, "train", "mazur-2-2-2", "--history", str(target))
    assert status == 2
    assert err == f"tui-nn: {target}: the folder {target.parent} does not exist\n"
    status, _, err = run(capsys, "--lang", "ja", "train", "mazur-2-2-2", "--save", str(target))
    assert err == f"tui-nn: {target}: フォルダ {target.parent} が存在しません\n"


@pytest.mark.parametrize("force", [[], ["--force"]])
def test_a_folder_as_output_is_refused_before_training(
    tmp_path: Path, capsys, monkeypatch, force: list[str]
) -> None:
    no_training(monkeypatch)
    status, _, err = run(capsys, "train", "mazur-2-2-2", "--save", str(tmp_path), *force)
    assert status == 2 and err == f"tui-nn: {tmp_path} is a folder: give a file name\n"
    assert list(tmp_path.iterdir()) == []


def test_save_and_history_naming_one_file_are_refused(tmp_path: Path, capsys, monkeypatch) -> None:
    """Else the weights would be written, then the history refused (or, with --force, written
    over them): either way the run's work is lost."""
    no_training(monkeypatch)
    target = tmp_path / "out"
    other_spelling = tmp_path / "." / "out"
    for force in ([], ["--force"]):
        argv = ["train", "mazur-2-2-2", "--save", str(target), "--history", str(other_spelling)]
        status, out, err = run(capsys, *argv, *force)
        assert status == 2 and out == ""
        assert err == (
            f"tui-nn: --save and --history name the same file {other_spelling}: give each its own\n"
        )
    assert list(tmp_path.iterdir()) == []


def test_history_to_standard_output(capsys, monkeypatch, tmp_path: Path) -> None:
    """`--history -` pipes the CSV; the summary moves to stderr so the pipe stays pure CSV."""
    monkeypatch.chdir(tmp_path)
    status, out, err = run(capsys, "train", "mazur-2-2-2", "--steps", "3", "--history", "-")
    assert status == 0 and list(tmp_path.iterdir()) == []
    rows = list(csv.DictReader(out.splitlines()))
    assert [r["step"] for r in rows] == ["1", "2", "3"]
    assert float(rows[0]["train_loss"]) == 0.29102777369359933  # Mazur's E after 1 update
    assert err.startswith("mazur-2-2-2: 3 steps, 3 epochs in ")
    assert err.splitlines()[1].split() == ["train", "loss", "0.275943", "accuracy", "1"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--save", "-"], "--save: the weights are binary (.npz); give a file name, not -"),
        (
            ["--history", "-", "--json"],
            "--history - and --json both write to standard output: give --history a file name",
        ),
    ],
)
def test_standard_output_refusals(capsys, monkeypatch, argv: list[str], message: str) -> None:
    no_training(monkeypatch)
    status, out, err = run(capsys, "train", "mazur-2-2-2", *argv)
    assert (status, out, err) == (2, "", f"tui-nn: {message}\n")


def test_a_nul_in_an_output_name_is_one_line(capsys, monkeypatch) -> None:
    no_training(monkeypatch)
    status, out, err = run(capsys, "train", "mazur-2-2-2", "--history", "a\0b.csv")
    assert (status, out) == (2, "")
    assert err == "tui-nn: 'a\\x00b.csv' is not a file name: it holds a NUL character\n"
