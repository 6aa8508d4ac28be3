"""Hostile inputs, one case per way a file or a command line has broken the program: each ends
with exit status 2 and one line naming the file, the field and the reason, never a traceback.
Every case runs `tui-nn` in a child process of its own (forked, see helpers/limited.py) with
memory and CPU limits, so a crash or a runaway case cannot take the test run down with it."""

from __future__ import annotations

import gzip
import io
import struct
import zipfile
from pathlib import Path

import numpy as np
import pytest

from tui_nn.core.limits import DEFAULT_MB

from helpers import ROOT
from helpers.limited import Result, run_cli

MAZUR = (ROOT / "presets" / "mazur-2-2-2.toml").read_text("utf-8")
DEEP = 5000
HUGE = "1" + "0" * 4400  # past Python's 4,300-digit limit for int() of a string
Files = dict[str, str | bytes]


def mazur(**replace: str) -> str:
    """The worked example's preset with lines replaced (a key, or a whole line -> new text)."""
    lines = MAZUR.splitlines()
    for old, new in replace.items():
        hits = [i for i, line in enumerate(lines) if old in (line, line.split(" = ")[0])]
        assert len(hits) == 1, old
        lines[hits[0]] = new
    return "\n".join(lines) + "\n"


def with_data(data: str, network: str = "layers = [2, 3, 2]") -> str:
    return f"[network]\n{network}\n\n[data]\n{data}\n\n[train]\nepochs = 2\n"


def idx(dims: tuple[int, ...], code: int = 0x08, fmt: str = "B", values=()) -> bytes:
    head = bytes([0, 0, code, len(dims)]) + struct.pack(f">{len(dims)}I", *dims)
    return head + struct.pack(f">{len(values)}{fmt}", *values)


def _labels(n: int) -> bytes:
    return gzip.compress(idx((n,), values=[1] * n))


def mnist_files(n_train: int = 2, n_test: int = 1, labels: bytes | None = None) -> Files:
    def images(n: int) -> bytes:
        return gzip.compress(idx((n, 2, 2), values=[7] * (4 * n)))

    return {
        "m/train-images-idx3-ubyte.gz": images(n_train),
        "m/train-labels-idx1-ubyte.gz": labels or _labels(n_train),
        "m/t10k-images-idx3-ubyte.gz": images(n_test),
        "m/t10k-labels-idx1-ubyte.gz": _labels(n_test),
    }


MNIST = 'source = "mnist"\npath = "m"'


def npz(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


def npy(a: np.ndarray) -> bytes:
    out = io.BytesIO()
    np.save(out, a)
    return out.getvalue()


DEEP_LIST = "[" * DEEP + "0.5" + "]" * DEEP
CIRCLE3 = with_data('source = "circle"\nn = 3\ntest_ratio = 0.9', "layers = [2, 3, 1]")
CSV = "a,b,label\n0,1,x\n1,0,y\n1,1,x\n"

#: name: (files in the case's folder, command line after `tui-nn`, text the message must hold)
CASES: dict[str, tuple[Files, list[str], str]] = {
    # ---- Python exceptions that escaped ----
    "nested 5000 deep": ({"p.toml": mazur(x=f"x = {DEEP_LIST}")}, ["train", "p.toml"], "p.toml"),
    "nested 5000 deep in --set": (
        {},
        ["train", "mazur-2-2-2", "--set", f"data.x={DEEP_LIST}"],
        "data.x",
    ),
    "5000-digit integer": (
        {"p.toml": mazur(epochs=f"epochs = {HUGE}")},
        ["train", "p.toml"],
        "p.toml",
    ),
    "5000-digit integer in --set": (
        {},
        ["train", "mazur-2-2-2", "--set", f"train.seed={HUGE}"],
        "train.seed",
    ),
    "5000-digit --seed": ({}, ["train", "mazur-2-2-2", "--seed", HUGE], "--seed"),
    "5000-digit integer in weights": (
        {"p.toml": mazur(b1=f"b1 = [{HUGE}, 1]")},
        ["train", "p.toml"],
        "p.toml",
    ),
    **{
        f"no training rows: {cmd}": ({"p.toml": CIRCLE3}, [cmd, "p.toml"], "data.test_ratio")
        for cmd in ("train", "gradcheck", "worked", "code")
    },
    "no training rows: csv": (
        {
            "p.toml": with_data(
                'source = "csv"\npath = "d.csv"\ntarget = "label"\ntest_ratio = 0.9'
            ),
            "d.csv": CSV,
        },
        ["train", "p.toml"],
        "data.test_ratio",
    ),
    "IDX with 0 training images": (
        {"p.toml": with_data(MNIST, "layers = [4, 10]"), **mnist_files(n_train=0)},
        ["train", "p.toml"],
        "train-images",
    ),
    "feature_names = 5": (
        {"p.toml": mazur(x="x = [[0.05, 0.10]]\nfeature_names = 5")},
        ["train", "p.toml"],
        "data.feature_names",
    ),
    "feature_names a date": (
        {"p.toml": mazur(x="x = [[0.05, 0.10]]\nfeature_names = [1979-05-27, 1979-05-28]")},
        ["code", "p.toml", "-o", "-"],
        "data.feature_names",
    ),
    'delimiter ""': (
        {
            "p.toml": with_data('source = "csv"\npath = "d.csv"\ntarget = "label"\ndelimiter = ""'),
            "d.csv": CSV,
        },
        ["train", "p.toml"],
        "data.delimiter",
    ),
    'delimiter "ab"': (
        {
            "p.toml": with_data(
                'source = "csv"\npath = "d.csv"\ntarget = "label"\ndelimiter = "ab"'
            ),
            "d.csv": CSV,
        },
        ["train", "p.toml"],
        "data.delimiter",
    ),
    "data path with NUL": (
        {"p.toml": with_data('source = "csv"\npath = "d\\u0000.csv"\ntarget = "label"')},
        ["train", "p.toml"],
        "data.path",
    ),
    "data path ~nosuchuser": (
        {"p.toml": with_data('source = "csv"\npath = "~nosuchuser-x/d.csv"\ntarget = "label"')},
        ["train", "p.toml"],
        "data.path",
    ),
    "weights_file with NUL": (
        {
            "p.toml": mazur(
                **{
                    "[network.weights]": "",
                    "W1": "",
                    "b1": "",
                    "W2": "",
                    "b2": "",
                    "loss": 'loss = "sum_squared"\nweights_file = "w\\u0000.npz"',
                }
            )
        },
        ["train", "p.toml"],
        "network.weights_file",
    ),
    "weights_file ~nosuchuser": (
        {
            "p.toml": mazur(
                **{
                    "[network.weights]": "",
                    "W1": "",
                    "b1": "",
                    "W2": "",
                    "b2": "",
                    "loss": 'loss = "sum_squared"\nweights_file = "~nosuchuser-x/w.npz"',
                }
            )
        },
        ["train", "p.toml"],
        "network.weights_file",
    ),
    "--weights ~nosuchuser": (
        {},
        ["train", "mazur-2-2-2", "--weights", "~nosuchuser-x/w.npz"],
        "w.npz",
    ),
    "preset ~nosuchuser": ({}, ["train", "~nosuchuser-x/p.toml"], "p.toml"),
    "preset name too long": ({}, ["train", "p" * 300 + ".toml"], "ppp"),
    "preset name too long, no suffix": ({}, ["train", "p" * 300], "ppp"),
    "data path too long": (
        {"p.toml": with_data(f'source = "csv"\npath = "{"d" * 300}.csv"\ntarget = "label"')},
        ["train", "p.toml"],
        "data.path",
    ),
    "-o name too long": ({}, ["code", "mazur-2-2-2", "-o", "c" * 300 + ".py"], "ccc"),
    "--save name too long": ({}, ["train", "mazur-2-2-2", "--save", "s" * 300 + ".npz"], "sss"),
    "zip member not .npy": (
        {"w.npz": npz({"W1.txt": b"hello"})},
        ["train", "mazur-2-2-2", "--weights", "w.npz"],
        "w.npz",
    ),
    "--lang xx before the command": ({}, ["--lang", "xx", "train", "mazur-2-2-2"], "--lang"),
    # ---- values accepted that should not be ----
    'weights as strings "0.6"': (
        {"p.toml": mazur(b1='b1 = ["0.35", "0.35"]')},
        ["train", "p.toml"],
        "network.weights.b1",
    ),
    "weights as booleans": (
        {"p.toml": mazur(b1="b1 = [true, false]")},
        ["train", "p.toml"],
        "network.weights.b1",
    ),
    'feature_names = "abc"': (
        {"p.toml": mazur(x='x = [[0.05, 0.10]]\nfeature_names = "ab"')},
        ["train", "p.toml"],
        "data.feature_names",
    ),
    "feature_names of the wrong length": (
        {"p.toml": mazur(x='x = [[0.05, 0.10]]\nfeature_names = ["a", "b", "c"]')},
        ["train", "p.toml"],
        "data.feature_names",
    ),
    "labels_test without x_test": (
        {"p.toml": mazur(d="d = [[0.01, 0.99]]\nlabels_test = [0]")},
        ["train", "p.toml"],
        "data.labels_test",
    ),
    "d_test without x_test": (
        {"p.toml": mazur(d="d = [[0.01, 0.99]]\nd_test = [[0.0, 1.0]]")},
        ["train", "p.toml"],
        "data.d_test",
    ),
    "IDX labels 0.7 (floats)": (
        {
            "p.toml": with_data(MNIST, "layers = [4, 10]"),
            **mnist_files(labels=gzip.compress(idx((2,), 0x0D, "f", [0.7, 1.0]))),
        },
        ["train", "p.toml"],
        "train-labels",
    ),
    "beta1 = 1": (
        {"p.toml": mazur(optimizer='optimizer = "adam"\nbeta1 = 1')},
        ["train", "p.toml"],
        "train.beta1",
    ),
    "beta2 = 1": (
        {"p.toml": mazur(optimizer='optimizer = "adam"\nbeta2 = 1')},
        ["train", "p.toml"],
        "train.beta2",
    ),
    **{
        f"gradcheck --tolerance {v}": ({}, ["gradcheck", "mazur-2-2-2", "--tolerance", v], "--tol")
        for v in ("nan", "-1", "inf", "0")
    },
    "truncated .npy": (
        {"w.npz": npz({"W1.npy": npy(np.ones((2, 2)))[:-8]})},
        ["train", "mazur-2-2-2", "--weights", "w.npz"],
        "w.npz",
    ),
}


def run_case(folder: Path, files: Files, argv: list[str]) -> Result:
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, "utf-8")
    # The program's own data limit, not the lower one of the files' tests.
    return run_cli(argv, folder, LANG="C.UTF-8", TUI_NN_MAX_MB=str(DEFAULT_MB))


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_hostile_input_gets_one_clear_line(name: str, tmp_path: Path) -> None:
    files, argv, names = CASES[name]
    done = run_case(tmp_path, files, argv)
    err = done.err
    assert "Traceback" not in err, err
    assert done.status == 2, (done.status, err, done.out[-500:])
    # Ours: one line. argparse's: its usage, then one line naming the argument and why.
    lines = [line for line in err.splitlines() if line.startswith("tui-nn")]
    assert len(lines) == 1 and err.endswith(lines[0] + "\n"), err
    assert lines[0].startswith("tui-nn: ") or " error: argument " in lines[0], err
    assert names in lines[0], err


#: Odd but meaningful: no test images (n_test = 0, or an IDX file holding none) trains on.
ACCEPTED: dict[str, tuple[Files, list[str]]] = {
    "n_test = 0": (
        {"p.toml": with_data(MNIST + "\nn_test = 0", "layers = [4, 10]"), **mnist_files()},
        ["train", "p.toml"],
    ),
    "IDX with 0 test images": (
        {"p.toml": with_data(MNIST, "layers = [4, 10]"), **mnist_files(n_test=0)},
        ["train", "p.toml"],
    ),
}


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_an_empty_test_part_is_no_test_part(name: str, tmp_path: Path) -> None:
    files, argv = ACCEPTED[name]
    done = run_case(tmp_path, files, argv)
    assert done.status == 0 and done.err == "", done.err
    assert "train loss" in done.out and "test " not in done.out  # nothing to test on
