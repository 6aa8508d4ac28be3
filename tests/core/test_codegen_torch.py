"""`tui-nn code PRESET --torch`: the PyTorch script, run alone in a subprocess, prints the
engine's per-step errors E (to 1e-9 relative in float64) for presets covering every optimizer,
loss/output pairing, hidden activation, batch schedule, lr decay (the textbook momentum written
by hand), weight decay, freezing, Adam with ε inside the square root and the step function.

The runs need PyTorch (`pip install torch==2.13.0`, the CPU build): without it they are
skipped, and CI skips them unless it installs torch. What the script says and refuses is
checked without it.
"""

from __future__ import annotations

import ast
import contextlib
import importlib.util
import json
import re
from pathlib import Path

import numpy as np
import pytest

from tui_nn.cli import main
from tui_nn.core import Trainer, load
from tui_nn.core.codegen import write_code
from tui_nn.core.codegen_torch import generate_torch_code

from helpers.codegen import CASES, engine_run, final_value, preset_text, rows_text, run_scripts

HAS_TORCH = importlib.util.find_spec("torch") is not None
needs_torch = pytest.mark.skipif(not HAS_TORCH, reason="PyTorch is not installed")

X = [[0.1, 0.2], [0.9, 0.1], [0.4, 0.8], [-0.5, 0.3], [-0.2, -0.7], [0.6, -0.4]]
TORCH_CASES = {
    **CASES,
    # Adam's ε inside the square root and a step hidden layer (derivative 0: only W2, b2 learn)
    "adam-eps-in-sqrt-step": preset_text(
        'layers = [2, 3, 2]\nactivation = "step"\noutput = "softmax"\nloss = "cross_entropy"\n'
        "seed = 2\ninit_std = 0.5",
        'optimizer = "adam"\neps_in_sqrt = true\neps = 1e-6\nlr = 0.05\nbatch_size = 2\n'
        "shuffle = true\nseed = 1\nepochs = 6",
        f"x = {rows_text(X)}\nlabels = [0, 1, 1, 0, 0, 1]",
    ),
    # Nesterov under lr decay (by hand), biases drawn at random, squared error with sigmoid
    "nesterov-decay-bias": preset_text(
        'layers = [2, 4, 1]\nactivation = "relu"\noutput = "sigmoid"\nloss = "sum_squared"\n'
        'seed = 6\ninit_std = 0.7\nbias_init = "normal"',
        'optimizer = "nesterov"\nmomentum = 0.7\nlr = 0.4\nbatch_size = 4\nshuffle = true\n'
        "seed = 3\nepochs = 8\nlr_decay_every = 3\nlr_decay_factor = 0.7",
        f"x = {rows_text(X)}\nlabels = [0, 1, 1, 0, 0, 1]",
    ),
}


def trainer_of(tmp_path: Path, case: str) -> Trainer:
    preset_file = tmp_path / f"{case}.toml"
    preset_file.write_text(TORCH_CASES[case], "utf-8")
    return Trainer(load(str(preset_file)))


#: The worked example's network for 40 updates, written through `tui-nn code --torch -o`.
MAZUR_40 = "mazur-40/m.py"
#: A script whose data and initial weights went to its companion .npz (embedding limit 4).
BIG = "big/big.py"


@pytest.fixture(scope="module")
def torch_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple]:
    """Every PyTorch script of this module, written once and run in one interpreter (PyTorch
    takes seconds to import): {case or script name: (steps, E values, output)}."""
    root = tmp_path_factory.mktemp("torch")
    scripts = {}
    for case in TORCH_CASES:
        (root / case).mkdir()
        scripts[case] = root / case / "experiment_torch.py"
        write_code(scripts[case], trainer_of(root / case, case), print_every=1, torch=True)
    scripts[MAZUR_40], scripts[BIG] = write_mazur_40(root / "mazur-40"), write_big(root / "big")
    runs = run_scripts(list(scripts.values()))
    return {name: runs[path] for name, path in scripts.items()}


def write_mazur_40(folder: Path) -> Path:
    folder.mkdir()
    preset = folder / "short.toml"
    text = Path(load("mazur-2-2-2").path).read_text("utf-8")
    preset.write_text(re.sub(r"(?m)^epochs = .*$", "epochs = 40", text), "utf-8")
    with contextlib.chdir(folder):
        assert main(["code", str(preset), "--torch", "-o", "m.py", "--print-every", "1"]) == 0
    return folder / "m.py"


def write_big(folder: Path) -> Path:
    folder.mkdir()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("tui_nn.core.codegen_base.EMBED_LIMIT", 4)
        written = write_code(folder / "big.py", trainer_of(folder, "no-hidden-sgd"), torch=True)
    assert [p.name for p in written] == ["big.py", "big_data.npz"]
    return written[0]


@needs_torch
@pytest.mark.parametrize("case", sorted(TORCH_CASES))
def test_torch_script_prints_the_engines_losses(torch_runs, case: str, tmp_path: Path) -> None:
    steps, losses, out = torch_runs[case]
    expected, final = engine_run(trainer_of(tmp_path, case))
    assert len(expected) > 5
    np.testing.assert_array_equal(steps, np.arange(1, len(expected) + 1))
    # float32: PyTorch's kernels round in another order than NumPy's
    rtol = 1e-5 if "f32" in case else 1e-9
    np.testing.assert_allclose(losses, expected, rtol=rtol, atol=0)
    train_e = final_value(out, "training data", "E")
    assert train_e == pytest.approx(final["train_loss"], rel=rtol)
    if final["test_loss"] is not None:
        assert final_value(out, "test data", "E") == pytest.approx(final["test_loss"], rel=rtol)
        assert final_value(out, "test data", "accuracy") == final["test_accuracy"]


@needs_torch
def test_mazur_torch_script_through_the_cli(torch_runs, tmp_path: Path) -> None:
    """The worked example's network for 40 updates, through `tui-nn code --torch -o`."""
    _steps, losses, _ = torch_runs[MAZUR_40]
    preset = tmp_path / "short.toml"
    text = Path(load("mazur-2-2-2").path).read_text("utf-8")
    preset.write_text(re.sub(r"(?m)^epochs = .*$", "epochs = 40", text), "utf-8")
    expected, _ = engine_run(Trainer(load(str(preset))))
    assert len(losses) == 40
    assert losses[0] == pytest.approx(0.298371109, abs=5e-10)
    np.testing.assert_allclose(losses, expected, rtol=1e-9, atol=0)


def test_what_has_no_pytorch_switch_is_written_by_hand(tmp_path: Path) -> None:
    decayed = generate_torch_code(trainer_of(tmp_path, "softmax-relu-momentum")).source
    assert "torch.optim" not in decayed and "v[name].mul_(momentum).sub_(lr * g)" in decayed
    assert "PyTorch's SGD(momentum=) keeps v without η" in decayed
    sqrt = generate_torch_code(trainer_of(tmp_path, "adam-eps-in-sqrt-step")).source
    assert "p.sub_(lr * m_hat / torch.sqrt(v_hat + eps))" in sqrt and "class Step" in sqrt
    plain = generate_torch_code(trainer_of(tmp_path, "tanh-leaky-adam")).source
    assert "torch.optim.Adam(trainable, lr=learning_rate, betas=(beta1, beta2), eps=eps)" in plain
    assert "p.grad += weight_decay * p" in plain and "frozen = ['b1']" in plain
    tree = ast.parse(plain)
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert imported <= {"math", "numpy", "torch"}


def test_big_data_and_weights_go_to_the_companion(tmp_path: Path) -> None:
    script = write_big(tmp_path / "big")
    with np.load(script.with_name("big_data.npz")) as arrays:
        assert {"x_train", "initial_W1"} <= set(arrays.files)
    assert "np.load(Path(__file__).with_name('big_data.npz'))" in script.read_text("utf-8")


@needs_torch
def test_the_script_with_a_companion_prints_the_engines_losses(torch_runs, tmp_path) -> None:
    steps, losses, _ = torch_runs[BIG]
    expected, _ = engine_run(trainer_of(tmp_path, "no-hidden-sgd"))
    assert len(steps) > 0
    np.testing.assert_allclose(losses, expected[steps - 1], rtol=1e-9, atol=0)


def test_hostile_preset_strings_stay_inert(tmp_path: Path) -> None:
    """Names and descriptions with quotes, newlines and code end up in comments and the
    docstring only: the script parses, and no string from the preset is code."""
    evil = '"""\nimport os; os.system("echo pwned")\n#'
    text = TORCH_CASES["no-hidden-sgd"].replace(
        "[network]",
        f"[preset]\nname = {json.dumps(evil)}\ndescription = {json.dumps(evil)}\n\n[network]",
    )
    preset = tmp_path / "evil.toml"
    preset.write_text(text, "utf-8")
    source = generate_torch_code(Trainer(load(str(preset)))).source
    tree = ast.parse(source)
    calls = {ast.unparse(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    assert not any("system" in c for c in calls)
    assert "import os" not in [ast.unparse(n) for n in tree.body]
