"""[view] pace: the app trains at a pace a student can watch, one epoch or one update per
frame, each frame one snapshot; the CLI checks the key and trains as without it."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from itertools import pairwise

import pytest

from tui_nn.app import session as cmd
from tui_nn.app.main import make_app
from tui_nn.app.session import FRAME_S
from tui_nn.app.snapshot import RUNNING
from tui_nn.app.widgets.hyperparams import HyperPanel
from tui_nn.core import Trainer, load, parse
from tui_nn.core.errors import ConfigError
from tui_nn.core.export import preset_toml
from tui_nn.core.presets import parse_toml

from helpers.pilot import aio, loaded, snap, until
from helpers.worker import Worker


def frames(pace: str, n: int = 8) -> list:
    """The first n snapshots of a paced run of circle (10 updates an epoch)."""
    w = Worker()
    try:
        preset = load("circle", [f'view.pace="{pace}"', "train.epochs=100000"])
        w.send(cmd.Load(preset), cmd.Play())
        w.wait_for(lambda: sum(s.state == RUNNING for s in w.snapshots()) >= n)
        w.send(cmd.Pause())
        return [s for s in w.snapshots() if s.state == RUNNING][:n]
    finally:
        w.close()


@pytest.mark.parametrize("pace, per_frame", [("epoch", 10), ("step", 1)])
def test_each_frame_is_one_epoch_or_one_update(pace: str, per_frame: int) -> None:
    snaps = frames(pace)
    steps = [s.step for s in snaps]
    assert all(s.paced for s in snaps)
    assert all(b - a == per_frame for a, b in pairwise(steps)), steps
    assert all(s % per_frame == 0 for s in steps)


def test_a_command_mid_epoch_never_cuts_a_frame_in_half() -> None:
    # The screen sends commands while a frame trains (a picture asking for its grid, a key);
    # each one interrupts the updates, and the frame must still end on an epoch.
    w = Worker()
    try:
        w.send(cmd.Load(load("circle", ['view.pace="epoch"', "train.epochs=100000"])), cmd.Play())
        w.wait_for(lambda: any(s.state == RUNNING for s in w.snapshots()))
        for _ in range(150):
            w.send(cmd.SetPace("epoch"))
            time.sleep(0.003)
        w.send(cmd.Pause())
        paced = [s.step for s in w.snapshots() if s.paced]
    finally:
        w.close()
    assert len(paced) >= 4 and all(s % 10 == 0 for s in paced), paced


def test_frames_come_at_a_steady_rate_not_as_fast_as_training() -> None:
    snaps = frames("step", 12)
    # 12 one-update frames at 20 a second take about half a second; at full speed circle
    # makes thousands of updates in that time.
    assert snaps[-1].step - snaps[0].step == 11


def test_max_is_the_default_and_unpaced() -> None:
    assert load("xor").pace == load("mazur-2-2-2").pace == "max"  # no [view] section
    snaps = frames("max", 3)
    assert not any(s.paced for s in snaps)


@pytest.mark.parametrize("value", ['"fast"', "1", '"Epoch"', '"max\\n"'])
def test_a_wrong_pace_is_one_line_naming_the_field(value: str) -> None:
    with pytest.raises(ConfigError) as e:
        load("circle", [f"view.pace={value}"])
    assert "view.pace" in str(e.value) and "\n" not in str(e.value)


def test_the_cli_checks_the_pace_and_trains_as_without_it(tmp_path) -> None:
    without = load("circle").path.read_text("utf-8").split("\n[view]")[0]
    (tmp_path / "none.toml").write_text(without, "utf-8")
    text = without + '\n[view]\npace = "slow"\n'
    path = tmp_path / "slow.toml"
    path.write_text(text, "utf-8")

    def final_loss(preset: str) -> tuple[float, float]:
        out = subprocess.run(
            [sys.executable, "-m", "tui_nn", "train", preset, "--steps", "30", "--json"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        got = json.loads(out.strip().splitlines()[-1])
        return got["train_loss"], got["test_loss"]

    assert final_loss(str(path)) == final_loss(str(tmp_path / "none.toml")) == final_loss("circle")
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace('"slow"', '"fast"'), "utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "tui_nn", "train", str(bad), "--steps", "1"],
        capture_output=True,
        text=True,
    )
    assert run.returncode != 0 and "view.pace" in run.stderr


@aio
async def test_the_pace_row_shows_and_a_change_applies_to_the_running_trainer() -> None:
    app = make_app(load("circle", ['view.pace="epoch"', "train.epochs=100000"]), lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        rows = {key: value for key, _, value in app.main.query_one(HyperPanel).rows()}
        assert rows["view.pace"] == "epoch"
        app.main.editing.propose({"view.pace": "step"})  # a live change: no rebuild, no reset
        await pilot.pause(0.2)
        rows = {key: value for key, _, value in app.main.query_one(HyperPanel).rows()}
        assert rows["view.pace"] == "step"
        app.main.session.send(cmd.Play())
        await until(pilot, lambda: snap(app) is not None and snap(app).step >= 5)
        app.main.session.send(cmd.Pause())
        s = snap(app)
        assert s.paced or s.state != RUNNING
        assert s.step < 100  # one update a frame, not the thousands a second of max


def test_an_exported_preset_keeps_its_pace() -> None:
    slow = load("circle", ['view.pace="slow"'])
    again = parse(parse_toml(preset_toml(slow)))
    assert again.pace == "slow"
    assert "[view]" not in preset_toml(load("xor"))  # max: as before, no section


PLAYGROUND = ("circle", "xor-quadrants", "spiral", "gauss", "linear", "vanishing-sigmoid")


@pytest.mark.parametrize("name", PLAYGROUND)
def test_the_playground_presets_ship_a_pace_to_watch(name: str) -> None:
    preset = load(name)
    frames = preset.train.epochs * (10 if preset.pace == "step" else 1)  # 10 updates an epoch
    assert preset.pace in ("epoch", "step") and Trainer(preset).steps_per_epoch == 10
    # 20 frames a second: a run of several seconds, never a blink.
    assert frames * FRAME_S[preset.pace] >= 2.5
    assert load(name, ['view.pace="max"']).pace == "max"
