"""A preset with inputs x and no targets d is a forward-propagation exercise: `worked` shows the
forward phase and stops, `train` (and gradcheck, code) refuse in one line, the app's stepper
walks the forward phase and applies nothing.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tui_nn.app.main import make_app
from tui_nn.app.stepper.screen import StepperScreen
from tui_nn.cli import EXIT_BAD_INPUT, main
from tui_nn.core import ConfigError, Trainer, parse
from tui_nn.core.worked import build_trace, render_text

from helpers.pilot import aio, banner, loaded, until

W = {
    "W1": [[0.1, 0.3, 0.5], [0.2, 0.4, 0.6]],
    "b1": [0.1, 0.2, 0.3],
    "W2": [[0.1, 0.4], [0.2, 0.5], [0.3, 0.6]],
    "b2": [0.1, 0.2],
}
PRESET = """[network]
layers = [2, 3, 2]
activation = "relu"
output = "identity"
loss = "half_mse"
[network.weights]
W1 = [[0.1, 0.3, 0.5], [0.2, 0.4, 0.6]]
b1 = [0.1, 0.2, 0.3]
W2 = [[0.1, 0.4], [0.2, 0.5], [0.3, 0.6]]
b2 = [0.1, 0.2]
[data]
x = [[1.0, 2.0], [-1.0, 0.5]]
[train]
lr = 0.01
"""


def forward_only() -> Trainer:
    doc = {
        "network": {
            "layers": [2, 3, 2],
            "activation": "relu",
            "output": "identity",
            "weights": W,
        },
        "data": {"x": [[1.0, 2.0], [-1.0, 0.5]]},
        "train": {"lr": 0.01},
    }
    return Trainer(parse(doc, "fo.toml"))


def numpy_forward(x: np.ndarray) -> tuple[np.ndarray, ...]:
    u1 = x @ np.array(W["W1"]) + np.array(W["b1"])
    z1 = np.maximum(u1, 0)
    u2 = z1 @ np.array(W["W2"]) + np.array(W["b2"])
    return u1, z1, u2


@pytest.mark.parametrize("view", ["scalar", "matrix"])
def test_worked_shows_the_forward_phase_and_stops(view: str) -> None:
    trace = build_trace(forward_only(), view=view)
    assert trace.forward_only and trace.notes == ["forward_only"]
    assert {s.phase for s in trace.steps} == {"forward"}
    u1, z1, u2 = numpy_forward(np.array([[1.0, 2.0], [-1.0, 0.5]]))
    cap = trace.capture
    np.testing.assert_allclose(cap.u[1], u1, rtol=1e-15)
    np.testing.assert_allclose(cap.z[1], z1, rtol=1e-15)
    np.testing.assert_allclose(cap.z[2], u2, rtol=1e-15)
    if view == "scalar":
        assert trace.step("forward.z.2.1.n1").result == pytest.approx(u2[1, 1], rel=1e-15)
    text = render_text(trace)
    assert "Forward propagation only" in text and "Backward" not in text


def test_training_refuses_in_one_line(tmp_path: Path, capsys) -> None:
    trainer = forward_only()
    with pytest.raises(ConfigError) as e:
        trainer.step()
    assert e.value.field == "data.d" and "no targets d" in e.value.reason
    assert trainer.step_count == 0
    assert trainer.evaluate()["train_loss"] is None  # never a loss against made-up targets
    path = tmp_path / "fo.toml"
    path.write_text(PRESET, "utf-8")
    for command in ("train", "gradcheck"):
        assert main([command, str(path)]) == EXIT_BAD_INPUT
        out, err = capsys.readouterr()
        assert out == "" and err.count("\n") == 1, command
        assert err.startswith(f"tui-nn: {path}: data.d: ") and "forward-propagation" in err
    assert main(["worked", str(path)]) == 0
    assert "out_o2" in capsys.readouterr().out
    # The code of a forward-only exercise is its forward propagation, each value printed.
    assert main(["code", str(path), "-o", "-"]) == 0
    assert "print_vec('y', y)" in capsys.readouterr().out


def test_targets_are_still_needed_with_test_data() -> None:
    doc = {
        "network": {"layers": [2, 2]},
        "data": {"x": [[1, 2]], "x_test": [[1, 2]], "d_test": [[0, 1]]},
        "train": {},
    }
    with pytest.raises(ConfigError) as e:
        Trainer(parse(doc, "p.toml"))
    assert e.value.field == "data.d"


@aio
async def test_app_stepper_walks_forward_and_applies_nothing(tmp_path: Path) -> None:
    path = tmp_path / "fo.toml"
    path.write_text(PRESET, "utf-8")
    app = make_app(str(path), lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("space")
        await until(pilot, lambda: "forward-propagation" in banner(app))
        assert app.main.session.trainer.step_count == 0
        await pilot.press("b")
        await until(pilot, lambda: isinstance(app.screen, StepperScreen))
        screen = app.screen
        steps = screen.trace.steps
        assert {s.phase for s in steps} == {"forward"}
        for _ in range(len(steps) + 2):
            await pilot.press("n")
        assert screen.cursor.pos == len(steps) - 1
        await pilot.press("a")
        await pilot.pause()
        assert app.screen is screen and app.main.session.trainer.step_count == 0
