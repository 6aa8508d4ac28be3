"""The worked iteration is bounded: past 100 layers of weights or 1,000,000 parameters it is
refused at once with the reason (a 10,000-layer network made 70,000 steps and froze the app
for most of a minute), in the engine, the CLI, the stepper (`b`) and the export dialog."""

from __future__ import annotations

import pytest

from tui_nn.app.stepper import StepperScreen
from tui_nn.cli import main
from tui_nn.core import ConfigError, Trainer, parse
from tui_nn.core.limits import MAX_WORKED_LAYERS, MAX_WORKED_PARAMS
from tui_nn.core.worked import build_trace

from helpers.export import Host, choose, error_line, save
from helpers.pilot import aio
from helpers.stepper import StepperApp


def deep(n_layers: int, width: int = 2) -> Trainer:
    layers = [2] + [width] * (n_layers - 1) + [1]
    doc = {"preset": {"name": "deep"}, "network": {"layers": layers}}
    doc |= {"data": {"source": "xor", "n": 4}, "train": {}}
    return Trainer(parse(doc, "deep.toml"))


def test_the_limits_are_where_they_are_stated() -> None:
    assert len(build_trace(deep(MAX_WORKED_LAYERS)).steps) > 0  # exactly at the limit: shown
    with pytest.raises(ConfigError) as e:
        build_trace(deep(MAX_WORKED_LAYERS + 1))
    assert e.value.file == "deep.toml" and e.value.field == "network.layers"
    assert "101 layers" in e.value.reason and "at most 100 layers" in e.value.reason
    # 2·1000 + 1000 + 1000·1000 + 1000 + 1000 + 1 = 1,005,001 parameters in two layers.
    with pytest.raises(ConfigError, match="1,005,001 parameters"):
        build_trace(deep(3, width=1000))
    assert MAX_WORKED_PARAMS == 1_000_000


def test_worked_cli_says_so_in_one_line(tmp_path, capsys) -> None:
    layers = ", ".join(["2"] * 150)
    (tmp_path / "deep.toml").write_text(
        f'[network]\nlayers = [{layers}]\n[data]\nsource = "xor"\nn = 4\n[train]\n', "utf-8"
    )
    assert main(["worked", str(tmp_path / "deep.toml"), "--lang", "en"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "network.layers: this network has 149 layers" in err[0]


class DeepStepper(StepperApp):
    def __init__(self) -> None:
        super().__init__()
        self.trainer = deep(MAX_WORKED_LAYERS + 50)


@aio
async def test_b_on_a_too_deep_network_says_why_at_once() -> None:
    app = DeepStepper()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, StepperScreen)
        problem = str(app.screen.query_one("#stepper-problem").render())
        assert "this network has 150 layers of weights" in problem
        await pilot.press("escape")
        await pilot.pause()
    assert app.trainer.step_count == 0


@aio
async def test_the_export_dialog_names_the_reason_and_writes_the_rest(tmp_path) -> None:
    app = Host(deep(MAX_WORKED_LAYERS + 1), folder=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        assert app.screen.file_name("worked") == "deep-iteration-1.md"
        await choose(pilot, "code", "worked")
        await save(pilot)
        (line,) = error_line(app.screen).splitlines()
        # The folder is in the field above, so the line names the file alone.
        assert line.startswith("deep-iteration-1.md: not written: this network has 101 layers")
    assert [p.name for p in tmp_path.iterdir()] == ["deep.py"]
