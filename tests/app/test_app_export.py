"""The app's export dialog: every kind of file written from mazur-2-2-2 after 3 updates, read
back and checked against Mazur's worked example (E = 0.298371109 before the first update,
0.29102777369359933 after it) and the engine; asking before replacing a file; one clear line
for a folder that cannot be written; the trainer handed over and back as for the stepper.
"""

from __future__ import annotations

import csv
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from textual.widgets import Input, Label, SelectionList, Static

from tui_nn.app import session as cmd
from tui_nn.app.main import make_app
from tui_nn.app.screens.export import KINDS, ExportScreen
from tui_nn.app.stepper.export import ConfirmOverwrite
from tui_nn.core import Trainer, load

from helpers.export import (
    E_AFTER_1,
    E_BEFORE,
    STEPS,
    Host,
    choose,
    error_line,
    mazur,
    notices,
    save,
    set_folder,
)
from helpers.onscreen import assert_on_top, assert_shows, every_size_and_language
from helpers.pilot import aio, loaded, settled, until


def run_script(path: Path) -> list[tuple[int, float]]:
    """The (t, E) lines the generated program prints, run alone in its own folder."""
    done = subprocess.run(
        [sys.executable, path.name], cwd=path.parent, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    lines = re.findall(r"^t =\s*(\d+)\s+E = (\S+)$", done.stdout, re.M)
    return [(int(t), float(e)) for t, e in lines]


# ---- every kind of file -------------------------------------------------------------------


@aio
async def test_every_kind_written_reads_back_as_the_trainer(tmp_path: Path) -> None:
    trainer = mazur()
    app = Host(trainer)
    async with app.run_test(size=(120, 40)) as pilot:
        await choose(pilot, *KINDS)
        await set_folder(pilot, tmp_path)
        await save(pilot)
        assert not isinstance(app.screen, ExportScreen)
        names = sorted(p.name for p in tmp_path.iterdir())
        assert names == [
            "mazur-2-2-2-history.csv",
            "mazur-2-2-2-iteration-4.md",
            "mazur-2-2-2-preset.toml",
            "mazur-2-2-2-trained.toml",
            "mazur-2-2-2-weights.npz",
            "mazur-2-2-2.py",
        ]
        # One notification names every file by its full path.
        (notice,) = notices(app)
        for name in names:
            assert str(tmp_path / name) in notice.splitlines()

    with np.load(tmp_path / "mazur-2-2-2-weights.npz", allow_pickle=False) as f:
        assert sorted(f.files) == ["W1", "W2", "b1", "b2"]
        for name, value in trainer.net.params.items():
            assert np.array_equal(f[name], value)

    with open(tmp_path / "mazur-2-2-2-history.csv", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert rows[0] == [
        "step", "epoch", "lr", "train_loss", "train_accuracy", "test_loss", "test_accuracy",
        "grad_norm_W1", "grad_norm_W2",
    ]  # fmt: skip
    assert [int(r[0]) for r in rows[1:]] == [1, 2, 3]
    assert float(rows[1][3]) == E_AFTER_1  # the worked example's E after 1 update, exactly
    assert rows[1][5] == ""  # no test data: an empty cell, not "nan"
    evals = trainer.evals.rows()
    assert np.array_equal(np.array([[float(v) for v in r[:5]] for r in rows[1:]]), evals[:, :5])

    printed = run_script(tmp_path / "mazur-2-2-2.py")
    assert printed[0][0] == 1 and abs(printed[0][1] - E_BEFORE) < 5e-10
    assert abs(printed[0][1] - trainer.steps.column("loss")[0]) < 1e-12

    # The settings preset trains to the trainer's loss; the trained one starts where it is.
    again = Trainer(load(str(tmp_path / "mazur-2-2-2-preset.toml")))
    for _ in range(STEPS):
        again.step()
    assert abs(again.evaluate()["train_loss"] - trainer.evaluate()["train_loss"]) < 1e-15
    onward = Trainer(load(str(tmp_path / "mazur-2-2-2-trained.toml")))
    for name, value in trainer.net.params.items():
        assert np.array_equal(onward.net.params[name], value)
    assert onward.step().loss == trainer.step().loss

    # The worked iteration is the 4th: E before it is the trainer's E after 3 updates.
    text = (tmp_path / "mazur-2-2-2-iteration-4.md").read_text("utf-8")
    assert f"{again.evaluate()['train_loss']:.9f}" in text and "$$" in text


# ---- replacing a file ---------------------------------------------------------------------


@aio
async def test_an_existing_file_is_replaced_only_after_yes(tmp_path: Path) -> None:
    weights = tmp_path / "mazur-2-2-2-weights.npz"
    weights.write_text("my old weights", "utf-8")
    trainer = mazur()
    app = Host(trainer, folder=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        # n: nothing written, the dialog stays (another folder, perhaps), the file is kept.
        await choose(pilot, "weights")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ConfirmOverwrite))
        assert str(weights) in str(app.screen.query_one("Label").render())
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, ExportScreen))
        await pilot.pause()
        assert weights.read_text("utf-8") == "my old weights" and notices(app) == []

        # n for one of two: the other is written and named, and the dialog is done.
        await choose(pilot, "weights", "history")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ConfirmOverwrite))
        await pilot.press("n")
        await until(pilot, lambda: not isinstance(app.screen, ExportScreen | ConfirmOverwrite))
        assert weights.read_text("utf-8") == "my old weights"
        (notice,) = notices(app)
        assert notice.splitlines()[1:] == [str(tmp_path / "mazur-2-2-2-history.csv")]

        # y: replaced by the trainer's weights.
        await app.push_screen(ExportScreen(trainer, tmp_path))
        await choose(pilot, "weights")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ConfirmOverwrite))
        await pilot.press("y")
        await until(pilot, lambda: not isinstance(app.screen, ExportScreen | ConfirmOverwrite))
        with np.load(weights, allow_pickle=False) as f:
            assert np.array_equal(f["W1"], trainer.net.params["W1"])
        assert notices(app)[-1].splitlines()[1:] == [str(weights)]
    assert len(list(tmp_path.iterdir())) == 2  # no temporary file left behind


@aio
async def test_the_dialog_closed_while_it_asks_about_a_file_writes_nothing(tmp_path) -> None:
    """n to the overwrite question, then Escape, in one burst: the dialog was gone when its
    writing went on, which looked for its error line and took the app down (NoMatches)."""
    weights = tmp_path / "mazur-2-2-2-weights.npz"
    weights.write_text("my old weights", "utf-8")
    app = Host(mazur(), folder=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await choose(pilot, "history", "weights")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ConfirmOverwrite))
        export = app.screen_stack[-2]
        app.screen.dismiss(False)
        export.dismiss([])  # before the writing resumes from the question
        await pilot.pause()
        await until(pilot, lambda: not export.is_attached)
        await pilot.pause()
    assert weights.read_text("utf-8") == "my old weights"
    assert sorted(p.name for p in tmp_path.iterdir()) == [weights.name]


# ---- folders that cannot be written -------------------------------------------------------


@pytest.mark.parametrize(
    ("folder", "expected"),
    [
        ("/proc", "mazur-2-2-2-weights.npz: cannot write here"),
        ("{tmp}/notes.txt", "{tmp}/notes.txt: not a folder"),
        ("{tmp}/notes.txt/sub", "{tmp}/notes.txt/sub: no such folder"),
        ("{tmp}/missing", "{tmp}/missing: no such folder"),
    ],
    ids=["proc", "file", "under-a-file", "missing"],
)
@aio
async def test_an_unwritable_folder_gets_one_clear_line(
    tmp_path: Path, folder: str, expected: str
) -> None:
    (tmp_path / "notes.txt").write_text("not a folder", "utf-8")
    app = Host(mazur())
    async with app.run_test(size=(80, 24)) as pilot:
        await set_folder(pilot, folder.format(tmp=tmp_path))
        await save(pilot)
        line = error_line(app.screen)
        assert line.startswith(expected.format(tmp=tmp_path))
        assert "\n" not in line and "Traceback" not in line
        assert isinstance(app.screen, ExportScreen) and notices(app) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


@aio
async def test_special_files_in_the_folder_are_refused_and_the_rest_written(tmp_path) -> None:
    """A FIFO and a symlink where two files would go: never replaced (no question asked),
    one line for each naming the file (the folder is in the field above), and the other files
    are still written."""
    fifo, link = tmp_path / "mazur-2-2-2-weights.npz", tmp_path / "mazur-2-2-2-history.csv"
    os.mkfifo(fifo)
    (tmp_path / "mine.csv").write_text("kept", "utf-8")
    link.symlink_to("mine.csv")
    app = Host(mazur(), folder=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await choose(pilot, "weights", "history", "code")
        await save(pilot)
        lines = error_line(app.screen).splitlines()
        assert lines == [
            f"{p.name} is not a regular file (a device, a FIFO or a symlink): only a "
            "regular file is replaced"
            for p in (fifo, link)
        ]
        assert isinstance(app.screen, ExportScreen)
        assert notices(app)[-1].splitlines()[1:] == [str(tmp_path / "mazur-2-2-2.py")]
    assert stat.S_ISFIFO(fifo.lstat().st_mode) and link.is_symlink()
    assert (tmp_path / "mine.csv").read_text("utf-8") == "kept"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [fifo.name, link.name, "mine.csv", "mazur-2-2-2.py"]
    )


@aio
async def test_nothing_chosen_says_so_and_esc_saves_nothing(tmp_path: Path) -> None:
    app = Host(mazur(), lang="ja", folder=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await choose(pilot)
        await save(pilot)
        assert error_line(app.screen) == "Space で保存するファイルを 1 つ以上選んでください。"
        await choose(pilot, "weights")
        await pilot.press("escape")  # closes without saving
        assert not isinstance(app.screen, ExportScreen)
    assert list(tmp_path.iterdir()) == []


@aio
async def test_language_switch_relabels_and_keeps_the_choice() -> None:
    """The app's relabel_all reaches every screen in the stack (a modal dialog blocks the l key
    itself, so the language is set as the app's action sets it)."""
    app = Host(mazur(), lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await choose(pilot, "history", "worked")
        app.action_toggle_lang()
        await pilot.pause()
        screen = app.screen
        assert str(screen.query_one("#export-title", Static).render()) == "実験の書き出し"
        prompts = [str(o.prompt) for o in screen.query_one(SelectionList).options]
        assert prompts[5].startswith("次の反復の計算過程")
        assert prompts[5].endswith("mazur-2-2-2-iteration-4-ja.md")  # as the stepper names it
        assert sorted(screen.query_one(SelectionList).selected) == ["history", "worked"]


# ---- the hand-over from the main screen ----------------------------------------------------


@aio
async def test_opened_with_the_held_trainer_and_gives_it_back(tmp_path, monkeypatch) -> None:
    """f asks the worker for the trainer and opens the dialog on it: the worker keeps its hands
    off while the dialog is open and trains on once it has closed."""
    monkeypatch.chdir(tmp_path)  # the dialog's folder: the working one on a first run
    app = make_app("mazur-2-2-2", lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        app.main.session.send(cmd.RunSteps(STEPS))
        await settled(pilot, STEPS)
        await pilot.press("f")
        await until(pilot, lambda: isinstance(app.screen, ExportScreen))
        assert app.screen.trainer is app.main.session.trainer
        await choose(pilot, "history")
        await save(pilot)
        rows = (tmp_path / "mazur-2-2-2-history.csv").read_text("utf-8").splitlines()
        assert [r.split(",")[0] for r in rows[1:]] == ["1", "2", "3"]
        await until(pilot, lambda: app.screen is app.main)
        await pilot.press("s")  # back on the main screen, the worker has the trainer again
        await settled(pilot, STEPS + 1)


# ---- how it looks -------------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "size"), [("ja", (80, 24)), ("en", (120, 40))])
def test_export_dialog_snapshot(snap_compare, lang: str, size: tuple[int, int]) -> None:
    """Six kinds with their file names (the first four chosen), the folder, the keys; nothing
    cut off in Japanese at 80×24."""
    app = Host(mazur(), lang=lang, folder="/home/student/nn-report")
    assert snap_compare(app, terminal_size=size)


@every_size_and_language
@aio
async def test_three_long_errors_keep_the_folder_and_keys_on_screen(tmp_path, lang, size) -> None:
    """Three files refused in a folder with a long path: three wrapped error lines, and the
    folder field and the key line still inside the screen and on top."""
    folder = tmp_path / ("a-long-folder-name-" * 4) / ("and-another-one-" * 4)
    folder.mkdir(parents=True)
    for kind in ("weights", "history", "code"):
        os.mkfifo(folder / ExportScreen(mazur(0)).file_name(kind))
    app = Host(mazur(), lang=lang, folder=folder)
    async with app.run_test(size=size) as pilot:
        await choose(pilot, "weights", "history", "code")
        await save(pilot)
        screen = app.screen
        lines = error_line(screen).splitlines()
        assert [line.split()[0] for line in lines] == [
            "mazur-2-2-2-weights.npz",
            "mazur-2-2-2-history.csv",
            "mazur-2-2-2.py",
        ]
        for widget in (screen.query_one(Input), screen.query_one("#export-keys")):
            assert_on_top(screen, widget)
        assert_shows(screen, str(screen.query_one("#export-keys", Label).render()))
