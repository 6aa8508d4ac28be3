"""Presets for generated code: small embedded data sets covering every optimizer, loss/output
pairing, activation and schedule (`CASES`); hostile strings for the code generators
(`PAYLOADS`); running a generated script alone and reading what it prints."""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np

from tui_nn.core import Trainer

LINE = re.compile(r"^t =\s*(\d+)\s+E = (\S+)$")

# Twelve 2-D points of three classes, and four held out: small enough to embed, big enough
# for mini-batches of 5 (the last batch of each epoch then has 2 samples).
X = [
    [0.1, 0.2],
    [0.9, 0.1],
    [0.4, 0.8],
    [-0.5, 0.3],
    [-0.2, -0.7],
    [0.6, -0.4],
    [0.3, 0.3],
    [-0.8, 0.9],
    [0.05, -0.1],
    [0.7, 0.7],
    [-0.3, -0.2],
    [0.2, -0.9],
]
LABELS3 = [0, 1, 2, 2, 0, 1, 0, 2, 0, 1, 0, 1]
X_TEST = [[0.5, 0.5], [-0.6, -0.1], [0.0, 0.4], [0.8, -0.8]]


def rows_text(rows: list[list[float]]) -> str:
    return "[" + ", ".join(str(r) for r in rows) + "]"


def preset_text(network: str, train: str, data: str | None = None) -> str:
    data = data or (
        f"x = {rows_text(X)}\nlabels = {LABELS3}\n"
        f"x_test = {rows_text(X_TEST)}\nlabels_test = [1, 0, 2, 1]"
    )
    return f"[network]\n{network}\n\n[data]\n{data}\n\n[train]\n{train}\n"


CASES = {
    # softmax + cross-entropy (fused δ), relu, mini-batches with shuffling, momentum, lr decay
    "softmax-relu-momentum": preset_text(
        'layers = [2, 4, 3]\nactivation = "relu"\noutput = "softmax"\nloss = "cross_entropy"\n'
        "seed = 3\ninit_std = 0.5",
        'optimizer = "momentum"\nmomentum = 0.8\nlr = 0.3\nbatch_size = 5\nshuffle = true\n'
        "seed = 7\nepochs = 12\nlr_decay_every = 7\nlr_decay_factor = 0.5",
    ),
    # two hidden layers (tanh, leaky relu), Xavier init, adam, weight decay, a frozen bias
    "tanh-leaky-adam": preset_text(
        'layers = [2, 5, 4, 3]\nactivation = ["tanh", "leaky_relu"]\nleaky_slope = 0.1\n'
        'output = "softmax"\nloss = "cross_entropy"\ninit = "xavier"\nseed = 11',
        'optimizer = "adam"\nbeta1 = 0.85\nlr = 0.05\nbatch_size = 4\nshuffle = true\n'
        'seed = 2\nepochs = 10\nweight_decay = 0.01\nfreeze = ["b1"]',
    ),
    # one sigmoid output with binary cross-entropy, He init, rmsprop, online learning
    "sigmoid-bce-rmsprop": preset_text(
        'layers = [2, 3, 1]\nactivation = "sigmoid"\noutput = "sigmoid"\n'
        'loss = "binary_cross_entropy"\ninit = "he"\nseed = 5',
        'optimizer = "rmsprop"\nlr = 0.02\nbatch_size = 1\nshuffle = true\nseed = 4\nepochs = 4',
        f"x = {rows_text(X)}\nlabels = {[c % 2 for c in LABELS3]}",
    ),
    # regression: identity output, mse, truncated normal, nesterov, float32
    "identity-mse-nesterov-f32": preset_text(
        'layers = [2, 3, 2]\nactivation = "tanh"\noutput = "identity"\nloss = "mse"\n'
        'init = "truncated_normal"\ninit_std = 0.4\nseed = 9',
        'optimizer = "nesterov"\nlr = 0.05\nbatch_size = 3\nshuffle = false\nepochs = 8\n'
        'dtype = "float32"',
        f"x = {rows_text(X)}\nd = {rows_text([[a + b, a * b] for a, b in X])}",
    ),
    # softmax with squared error goes through softmax's Jacobian; adagrad; sigmoid hidden
    "softmax-squared-adagrad": preset_text(
        'layers = [2, 3, 3]\nactivation = "sigmoid"\noutput = "softmax"\nloss = "sum_squared"\n'
        "seed = 1\ninit_std = 1.0",
        'optimizer = "adagrad"\nlr = 0.5\nbatch_size = "full"\nshuffle = true\nseed = 8\n'
        "epochs = 15",
    ),
    # sigmoid output with squared error (chain rule through f'), no hidden layer, sgd
    "no-hidden-sgd": preset_text(
        'layers = [2, 2]\noutput = "sigmoid"\nloss = "sum_squared"\nseed = 4\ninit_std = 0.3',
        'optimizer = "sgd"\nlr = 2.0\nbatch_size = 6\nshuffle = false\nepochs = 10',
        f"x = {rows_text(X)}\nd = {rows_text([[float(a > 0), float(b > 0)] for a, b in X])}",
    ),
}


def run_script(path: Path) -> tuple[np.ndarray, np.ndarray, str]:
    """Run the script alone (fresh interpreter, its own folder): (steps, E values, output)."""
    done = subprocess.run(
        [sys.executable, path.name], cwd=path.parent, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return read_losses(done.stdout)


def read_losses(out: str) -> tuple[np.ndarray, np.ndarray, str]:
    """(steps, E values, output) of what a script printed."""
    pairs = [LINE.match(line).groups() for line in out.splitlines() if LINE.match(line)]
    return np.array([int(s) for s, _ in pairs]), np.array([float(e) for _, e in pairs]), out


#: Runs each script (argv) as __main__ in its own folder with fresh globals, one after the other
#: in one interpreter; prints JSON: each one's output, or the traceback it ended with.
RUNNER = r"""
import contextlib, io, json, os, runpy, sys, traceback
results = {}
for path in sys.argv[1:]:
    os.chdir(os.path.dirname(path))
    sys.argv, out, error = [path], io.StringIO(), None
    with contextlib.redirect_stdout(out):
        try:
            runpy.run_path(path, run_name="__main__")
        except BaseException:
            error = traceback.format_exc()
    results[path] = {"stdout": out.getvalue(), "error": error}
print(json.dumps(results))
"""


def run_scripts(paths: list[Path]) -> dict[Path, tuple[np.ndarray, np.ndarray, str]]:
    """Each script run as `run_script` runs it, but all in one interpreter: PyTorch is imported
    once, not once a script (seconds each). A generated script sets no global state for a later
    one to inherit (default dtype, seed): its weights are written in it, its batches drawn from
    a generator of its own, `np.random.default_rng(seed)`."""
    done = subprocess.run(
        [sys.executable, "-c", RUNNER, *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(done.stdout.splitlines()[-1])
    for path, result in results.items():
        assert result["error"] is None, f"{path}:\n{result['error']}"
    return {Path(p): read_losses(r["stdout"]) for p, r in results.items()}


def final_value(out: str, label: str, what: str) -> float:
    line = next(line for line in out.splitlines() if line.startswith(label))
    return float(re.search(rf"{re.escape(what)} = (\S+)", line).group(1))


def engine_run(trainer: Trainer) -> tuple[np.ndarray, dict]:
    trainer.run(trainer.cfg.epochs * trainer.steps_per_epoch)
    return trainer.steps.column("loss"), trainer.evaluate()


MARK = "PWNED"
RUN = f"__import__('pathlib').Path('{MARK}').touch()"
# Ways out of a docstring, a string literal or a comment, each followed by the payload.
PAYLOADS = {
    "triple-double": f'x"""; {RUN}; """',
    "four-quotes": f'""""; {RUN} #',
    "triple-single": f"x'''; {RUN}; '''",
    "single-quote": f"x'; {RUN}; '",
    "double-quote": f'x"); {RUN}; ("',
    "newline": f"a\n{RUN}\n",
    "carriage-return": f"a\r{RUN}\r",
    "backslash-newline": f"a\\\n{RUN}",
    "trailing-backslash": "a\\",
    "line-separator": f"a\u2028{RUN}\u2029",
    "form-feed-nul": f"a\x0c\x00{RUN}",
    "escape-sequence": f"\x1b]0;title\x07\x1b[2J{RUN}",
    "braces": "{0}{name}%s{{",
    "path": "../../tmp/evil/",
}


def toml_string(s: str) -> str:
    """A TOML basic string holding `s` exactly (every non-printable as a \\u escape)."""
    out = s.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in out) + '"'


def inline_preset(payload: str) -> str:
    s = toml_string(payload)
    s2 = toml_string(payload + "2")
    return (
        f"[preset]\nname = {s}\nname_ja = {s}\ndescription = {s}\ndescription_ja = {s}\n"
        "[network]\nlayers = [2, 3, 1]\nseed = 1\n"
        '[data]\nsource = "inline"\nx = [[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]\n'
        f"d = [[1.0], [0.0], [0.5]]\nfeature_names = [{s}, {s2}]\n"
        "[train]\nepochs = 5\nshuffle = false\n"
    )


def csv_preset(folder: Path, payload: str) -> str:
    """A CSV whose header cells and class labels are the payload (quoted by the csv module)."""
    with open(folder / "data.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow([payload + "1", payload + "2", "label"])
        for i in range(8):
            w.writerow([i / 8, (i % 3) / 3, payload if i % 2 else "b"])
    return (
        f"[preset]\nname = {toml_string(payload)}\n[network]\nlayers = [2, 3, 2]\n"
        'output = "softmax"\nloss = "cross_entropy"\n'
        '[data]\nsource = "csv"\npath = "data.csv"\ntarget = "label"\ntest_ratio = 0.25\n'
        "[train]\nepochs = 4\nshuffle = false\n"
    )
