"""Every shipped preset, and one synthetic preset per course convention, as a NumPy script, as a
notebook's code cells and (when PyTorch is installed) as a PyTorch script: each, run alone,
prints the engine's errors E of every update and ends with the engine's weights, to 1e-12
(NumPy) and 1e-9 (PyTorch, float64). A forward-only preset prints the engine's u, z and y.

The programs run in one interpreter per kind (runpy, each in its own folder), to keep the suite
fast; long presets are cut to a few hundred updates with `--set`, which the code honours.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import os
import re
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tui_nn.core import Diverged, Trainer, load
from tui_nn.core.codegen import write_code
from tui_nn.core.compare_read import read_blocks
from tui_nn.core.notebook import write_notebook
from tui_nn.core.presets import builtin_presets

LINE = re.compile(r"^t =\s*(\d+)\s+E = (\S+)$")
EVAL = re.compile(r"^iteration (\d+)\. accuracy \((training|test)\) = (\S+)$")
MAX_STEPS = 200
#: PyTorch takes about 10 ms an update on these small networks: fewer of them.
TORCH_STEPS = 40
HAS_TORCH = importlib.util.find_spec("torch") is not None

X = [[0.1, 0.2], [0.9, 0.1], [0.4, 0.8], [-0.5, 0.3], [-0.2, -0.7], [0.6, -0.4], [0.0, 0.0]]
D = [[a + b, a * b] for a, b in X]
LABELS = [0, 1, 1, 0, 0, 1, 1]


def _preset(network: str, train: str, data: str) -> str:
    return f"[network]\n{network}\n\n[data]\n{data}\n\n[train]\n{train}\n"


REGRESSION = f"x = {X}\nd = {D}"
BINARY = f"x = {X}\nlabels = {LABELS}\nx_test = {X[:3]}\nlabels_test = [1, 0, 1]"
#: One preset per convention of the course (and its combinations with the optimizers).
CONVENTIONS = {
    "sum-replacement-half-mse": _preset(
        'layers = [2, 4, 2]\nactivation = "relu"\noutput = "identity"\nloss = "half_mse"\n'
        'bias_init = "normal"\ninit_std = 0.5\nseed = 2',
        'reduction = "sum"\nsampling = "with_replacement"\nbatch_size = 3\nlr = 0.05\n'
        "epochs = 6\nseed = 4",
        REGRESSION,
    ),
    # u = 0 exactly: W1's first column is 0 and x = (0, 0) is a sample, so f'(0) = 1 matters
    "relu-at-zero-1-output-relu": _preset(
        'layers = [2, 2, 2]\nactivation = "relu"\noutput = "relu"\nloss = "sum_squared"\n'
        "relu_grad_at_zero = 1\n[network.weights]\nW1 = [[0.0, 0.5], [0.0, -0.3]]\n"
        "b1 = [0.0, 0.1]\nW2 = [[0.2, -0.4], [0.6, 0.3]]\nb2 = [0.0, 0.05]",
        'sampling = "in_order"\nbatch_size = 2\nlr = 0.1\nepochs = 5',
        REGRESSION,
    ),
    "adam-eps-in-sqrt-tanh-output": _preset(
        'layers = [2, 3, 1]\nactivation = "sigmoid"\noutput = "tanh"\nloss = "mse"\nseed = 5',
        'optimizer = "adam"\neps_in_sqrt = true\neps = 1e-6\nbatch_size = 2\nlr = 0.02\n'
        "epochs = 5\nseed = 1",
        BINARY,
    ),
    "rmsprop-eps-0-leaky-output": _preset(
        'layers = [2, 3, 2]\nactivation = "tanh"\noutput = "leaky_relu"\nleaky_slope = 0.2\n'
        'loss = "half_mse"\ninit = "he"\nseed = 7',
        'optimizer = "rmsprop"\neps = 0\nbatch_size = 4\nlr = 0.01\nepochs = 6\nseed = 3',
        REGRESSION,
    ),
    "step-output-momentum-steps": _preset(
        'layers = [2, 3, 1]\nactivation = "leaky_relu"\noutput = "step"\nloss = "sum_squared"\n'
        'init = "truncated_normal"\ninit_std = 0.4\nbias_init = "normal"\nseed = 8',
        'optimizer = "momentum"\nbatch_size = 3\nlr = 0.1\nsteps = 7\nseed = 6\n'
        "lr_decay_every = 2\nlr_decay_factor = 0.5",
        BINARY,
    ),
    # ε = 0 and a dead unit (W1's second column gives u < 0 on every sample): 0/0 at step 1
    "adagrad-eps-0-divides-0-by-0": _preset(
        'layers = [2, 2, 1]\nactivation = "relu"\noutput = "sigmoid"\n'
        'loss = "binary_cross_entropy"\n[network.weights]\nW1 = [[0.3, -1.0], [0.2, -1.0]]\n'
        "b1 = [0.1, -5.0]\nW2 = [[0.5], [0.5]]\nb2 = [0.0]",
        'optimizer = "adagrad"\neps = 0\nbatch_size = "full"\nlr = 0.1\nepochs = 3',
        BINARY,
    ),
    "sum-classification-eval-every": _preset(
        'layers = [2, 4, 2]\nactivation = "relu"\noutput = "softmax"\nloss = "cross_entropy"\n'
        "init_std = 0.3\nseed = 1",
        'reduction = "sum"\nsampling = "with_replacement"\nbatch_size = 2\nlr = 0.05\n'
        'steps = 30\neval_every = 5\neval_train = "batch"\nseed = 9',
        BINARY,
    ),
    "forward-only-leaky-tanh": _preset(
        'layers = [2, 3, 2]\nactivation = "leaky_relu"\noutput = "tanh"\nseed = 3',
        "lr = 0.1",
        f"x = {X}",
    ),
}


def write_mnist(folder: Path, n_train: int = 200, n_test: int = 30) -> None:
    """A small stand-in for the four MNIST IDX files (random pixels, labels 0..9 in turn)."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (n_train + n_test, 28, 28), dtype=np.uint8)
    labels = np.arange(n_train + n_test, dtype=np.uint8) % 10
    for part, rows in (("train", slice(0, n_train)), ("t10k", slice(n_train, None))):
        for kind, a in (("images", images[rows]), ("labels", labels[rows])):
            head = bytes([0, 0, 0x08, a.ndim]) + struct.pack(f">{a.ndim}I", *a.shape)
            name = f"{part}-{kind}-idx{a.ndim}-ubyte.gz"
            (folder / name).write_bytes(gzip.compress(head + a.tobytes()))


def trainer_for(name: str, tmp: Path, max_steps: int = MAX_STEPS) -> Trainer:
    """The preset, its long runs cut to about `max_steps` updates (by epochs, or steps)."""
    if name in CONVENTIONS:
        path = tmp / f"{name}.toml"
        path.write_text(CONVENTIONS[name], "utf-8")
        return Trainer(load(str(path)))
    sets = []
    if load(name).data.get("source") == "mnist":
        write_mnist(tmp / "mnist")
        sets.append(f'data.path="{tmp / "mnist"}"')
    trainer = Trainer(load(name, sets))
    if trainer.total_steps <= max_steps:
        return trainer
    if trainer.cfg.steps:
        return Trainer(load(name, [*sets, f"train.steps={max_steps}"]))
    epochs = max(1, max_steps // trainer.steps_per_epoch)
    return Trainer(load(name, [*sets, f"train.epochs={epochs}"]))


def engine(trainer: Trainer) -> dict:
    """What the engine computes for the run the code writes out."""
    if trainer.forward_only:
        return {"y": trainer.net.forward(trainer.data.x_train), "stopped": None}
    stopped = None
    try:
        trainer.run(trainer.total_steps)
    except Diverged as e:
        stopped = e.step
    net, data = trainer.net, trainer.data
    # E on all the training data, as the code's last lines print it (an evaluation of
    # eval_train = "batch" takes the last mini-batch instead)
    train_loss = net.loss.value(net.forward(data.x_train), data.d_train)
    return {
        "evaluates": bool(trainer.cfg.eval_every) and trainer.is_classification,
        "train_loss": train_loss,
        "losses": trainer.steps.column("loss"),
        "params": {k: v.copy() for k, v in trainer.net.params.items()},
        "evals": trainer.evals.rows(),
        "stopped": stopped,
    }


#: Runs each program (argv) in its folder; prints JSON: stdout, exit message, the final weights
#: (a torch script's Linear weights transposed back to W) and the forward-only u, z, y.
RUNNER = r"""
import contextlib, io, json, os, re, runpy, sys
import numpy as np
results = {}
for path in sys.argv[1:]:
    os.chdir(os.path.dirname(path))
    out, stopped, g = io.StringIO(), None, {}
    with contextlib.redirect_stdout(out):
        try:
            g = runpy.run_path(path, run_name="__main__")
        except SystemExit as e:
            stopped = str(e)
    net = {k: np.asarray(v).tolist() for k, v in g.get("network", {}).items()}
    for k, p in g.get("params", {}).items():
        value = p.detach().numpy()
        net[k] = (value.T if k[0] == "W" else value).tolist()
    y = g.get("y")
    y = y.detach().numpy() if hasattr(y, "detach") else y
    forward = np.asarray(y).tolist() if "forward" not in g and y is not None else None
    results[path] = {"stdout": out.getvalue(), "stopped": stopped, "network": net, "y": forward}
print(json.dumps(results))
"""


def run_all(paths: list[Path]) -> dict[str, dict]:
    # One thread: PyTorch's pool only slows small networks down on a shared machine.
    env = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    done = subprocess.run(
        [sys.executable, "-c", RUNNER, *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.splitlines()[-1])


def notebook_program(path: Path) -> Path:
    """The notebook's code cells, in order, as one program next to it."""
    cells = json.loads(path.read_text("utf-8"))["cells"]
    code = "\n\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    program = path.with_suffix(".cells.py")
    program.write_text(code + "\n", "utf-8")
    return program


NAMES = sorted(builtin_presets()) + sorted(CONVENTIONS)


def check(name: str, result: dict, want: dict, rtol: float) -> None:
    out = result["stdout"]
    if "y" in want:
        np.testing.assert_allclose(result["y"], want["y"], rtol=rtol, atol=0, err_msg=name)
        blocks = {b.label: b for b in read_blocks(out)}
        assert np.all(np.abs(blocks["y"].values - want["y"]) <= blocks["y"].tolerance), name
        return
    pairs = [LINE.match(line).groups() for line in out.splitlines() if LINE.match(line)]
    steps = [int(s) for s, _ in pairs]
    losses = want["losses"]
    assert steps == list(range(1, len(losses) + 1)), name
    np.testing.assert_allclose([float(e) for _, e in pairs], losses, rtol=rtol, err_msg=name)
    if want["stopped"] is not None:  # the engine's divergence, at the same update, naming ε
        assert result["stopped"].startswith(f"t = {want['stopped']}: "), (name, result["stopped"])
        assert "ε = 0" in result["stopped"], name
        return
    assert result["stopped"] is None, (name, result["stopped"])
    for k, v in want["params"].items():
        np.testing.assert_allclose(result["network"][k], v, rtol=rtol, atol=1e-13, err_msg=k)
    train_e = re.search(r"^training data:  E = (\S+)", out, re.M)
    assert float(train_e.group(1)) == pytest.approx(want["train_loss"], rel=rtol)
    check_evals(name, out, want)


def check_evals(name: str, out: str, want: dict) -> None:
    """The accuracies every eval_every updates, as the course's 1_4 prints them."""
    printed = [EVAL.match(line).groups() for line in out.splitlines() if EVAL.match(line)]
    trainer_cols = ["step", "train_accuracy", "test_accuracy"]
    rows = want["evals"]
    if not want["evaluates"] or not len(rows):
        assert not printed, name
        return
    got = {(int(t), part): float(v) for t, part, v in printed}
    for row in rows:
        step, train_acc, test_acc = (row[COLUMNS.index(c)] for c in trainer_cols)
        assert got[(int(step), "training")] == train_acc, (name, step)
        if not np.isnan(test_acc):
            assert got[(int(step), "test")] == test_acc, (name, step)
    assert len(got) == len(rows) * (1 + (not np.isnan(rows[0][COLUMNS.index("test_accuracy")])))


COLUMNS: list[str] = []


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> tuple[dict, dict]:
    """Every preset's engine numbers, and the outputs of its script and notebook cells."""
    tmp = tmp_path_factory.mktemp("every")
    want, programs = {}, []
    for name in NAMES:
        folder = tmp / name
        folder.mkdir()
        trainer = trainer_for(name, folder)
        write_code(folder / "script.py", trainer, print_every=1)
        programs.append(folder / "script.py")
        write_notebook(folder / "nb.ipynb", trainer, print_every=1)
        programs.append(notebook_program(folder / "nb.ipynb"))
        want[name] = engine(trainer)  # writing the code leaves the trainer untouched
        COLUMNS[:] = trainer.evals.columns
    return want, run_all(programs)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("kind", ["script.py", "nb.cells.py"])
def test_the_code_prints_the_engines_numbers(runs, name: str, kind: str) -> None:
    want, results = runs
    result = next(r for p, r in results.items() if Path(p).parent.name == name and p.endswith(kind))
    check(name, result, want[name], rtol=1e-12)


def test_the_conventions_are_what_the_synthetic_presets_exercise(tmp_path: Path) -> None:
    """Each synthetic preset sets the convention its name says (so a test above covers it),
    and the ε = 0 one really divides 0 by 0, where the engine stops."""
    cfgs = {n: trainer_for(n, tmp_path) for n in CONVENTIONS}
    assert cfgs["sum-replacement-half-mse"].cfg.reduction == "sum"
    assert cfgs["sum-replacement-half-mse"].net.cfg.bias_init == "normal"
    assert cfgs["relu-at-zero-1-output-relu"].net.cfg.relu_grad_at_zero == 1
    assert cfgs["adam-eps-in-sqrt-tanh-output"].cfg.constants["eps_in_sqrt"] is True
    assert cfgs["step-output-momentum-steps"].total_steps == 7
    assert cfgs["forward-only-leaky-tanh"].forward_only
    assert engine(cfgs["adagrad-eps-0-divides-0-by-0"])["stopped"] == 1
    assert len(engine(cfgs["sum-classification-eval-every"])["evals"]) == 6
    write_mnist(tmp_path / "mnist")
    course = Trainer(load("course-1_4", [f'data.path="{tmp_path / "mnist"}"']))
    assert course.total_steps == 1000  # the course's iters_num (cut to MAX_STEPS above)
    at_zero = cfgs["relu-at-zero-1-output-relu"]
    at_zero.net.forward(at_zero.data.x_train)
    assert (at_zero.net.layers[0].u == 0).any()  # f'(0) is used


@pytest.mark.skipif(not HAS_TORCH, reason="PyTorch is not installed")
def test_the_torch_scripts_print_the_engines_numbers(tmp_path: Path) -> None:
    want, programs = {}, []
    for name in NAMES:
        folder = tmp_path / name
        folder.mkdir()
        trainer = trainer_for(name, folder, max_steps=TORCH_STEPS)
        if trainer.cfg.dtype != "float64":
            continue
        write_code(folder / "experiment_torch.py", trainer, print_every=1, torch=True)
        programs.append(folder / "experiment_torch.py")
        want[name] = engine(trainer)
        COLUMNS[:] = trainer.evals.columns
    for path, result in run_all(programs).items():
        name = Path(path).parent.name
        check(name, result, want[name], rtol=1e-9)
