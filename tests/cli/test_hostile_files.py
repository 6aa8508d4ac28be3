"""Hostile files in every place `tui-nn` reads one: the preset, `--weights`, `weights_file`,
a CSV, the MNIST IDX files, plain and gzipped. Special files (/dev/zero, /dev/urandom, a FIFO,
a folder, a symlink to a device), declared sizes far beyond memory (an IDX or .npz header of
2**40, a gzip or zip bomb, a header whose size overflows 64 bits) and generated data too big
to build. Each case runs in a child with memory and time limits (tests/limited.py): it must
end with status 2 and one line, never a traceback, a hang or a change to the files around it.
"""

from __future__ import annotations

import gzip
import io
import os
import struct
import zipfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.limited import DATA_MB, run_cli

NET = "[network]\nlayers = [2, 2]\n[train]\nepochs = 1\n"
CSV = '[data]\nsource = "csv"\npath = "{path}"\ntarget = "y"\n'
MNIST = '[network]\nlayers = [4, 10]\noutput = "softmax"\nloss = "cross_entropy"\n'
MNIST += '[data]\nsource = "mnist"\npath = "mn"\n[train]\nepochs = 1\n'


def npy(shape: tuple[int, ...], body: bytes, descr: str = "<f8") -> bytes:
    buf = io.BytesIO()
    header = {"descr": descr, "fortran_order": False, "shape": shape}
    np.lib.format.write_array_header_1_0(buf, header)
    return buf.getvalue() + body


def zip_of(members: dict[str, bytes], deflate: bool = False) -> bytes:
    buf = io.BytesIO()
    method = zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def zeros_bomb() -> bytes:
    """An .npz of a few hundred kB holding (DATA_MB + 16) MB of zeros."""
    n = (DATA_MB + 16) * 1_000_000 // 8
    return zip_of({"W1.npy": npy((n,), bytes(8 * n))}, deflate=True)


def idx(dims: tuple[int, ...], body: bytes, code: int = 0x08) -> bytes:
    return bytes([0, 0, code, len(dims)]) + struct.pack(f">{len(dims)}I", *dims) + body


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every hostile file, made once: special files, and files declaring huge sizes."""
    d = tmp_path_factory.mktemp("hostile")
    os.mkfifo(d / "fifo")
    (d / "folder").mkdir()
    (d / "zero-link").symlink_to("/dev/zero")
    with open(d / "sparse", "wb") as f:  # says 100 MB, takes no disk
        f.truncate(100 * 1_000_000)
    (d / "shape.npz").write_bytes(zip_of({"W1.npy": npy((2**40,), bytes(8))}))
    (d / "zeros.npz").write_bytes(zeros_bomb())
    (d / "cut.npz").write_bytes(zip_of({"W1.npy": npy((2, 2), bytes(16))}))
    (d / "negative.npz").write_bytes(zip_of({"W1.npy": npy((-1, -1), bytes(8))}))
    (d / "not-npy.npz").write_bytes(zip_of({"W1.txt": b"1 2 3"}))
    (d / "objects.npz").write_bytes(zip_of({"W1.npy": npy((1,), bytes(8), "|O")}))
    # 2 bytes a value in the file, 8 in memory: 4 MB of "0," is 16 MB of numbers.
    row = ",".join(["0"] * 1000) + "\n"
    (d / "wide.csv").write_text(",".join(f"c{i}" for i in range(999)) + ",y\n" + row * 2000)
    for name, path in {"fifo": "fifo", "zero": "/dev/zero", "dir": "folder"}.items():
        (d / f"csv-{name}.toml").write_text(NET + CSV.format(path=path))
    (d / "csv-wide.toml").write_text(NET + CSV.format(path="wide.csv"))
    return d


def mnist_folder(d: Path, images: bytes) -> Path:
    """A preset whose MNIST folder holds `images` as the training images (gzipped when they
    start with gzip's magic), beside small valid files for the other three."""
    (d / "mn").mkdir()
    gzipped = images[:2] == b"\x1f\x8b"
    (d / "mn" / ("train-images-idx3-ubyte" + ".gz" * gzipped)).write_bytes(images)
    (d / "mn" / "t10k-images-idx3-ubyte").write_bytes(idx((1, 2, 2), bytes(4)))
    for stem in ("train-labels-idx1-ubyte", "t10k-labels-idx1-ubyte"):
        (d / "mn" / stem).write_bytes(idx((1,), bytes(1)))
    (d / "p.toml").write_text(MNIST)
    return d / "p.toml"


def snapshot(d: Path) -> dict[str, tuple[int, int]]:
    return {str(p): (p.lstat().st_size, p.lstat().st_mtime_ns) for p in d.rglob("*")}


def refused(folder: Path, argv: list[str], *words: str, **env: str) -> str:
    before = snapshot(folder)
    r = run_cli(argv, folder, **env)
    assert r.refused(), (argv, r)
    assert snapshot(folder) == before, argv
    line = r.lines[0]
    assert all(w in line for w in words), (line, words)
    return line


SPECIAL = {
    "/dev/zero": "not a regular file",
    "/dev/urandom": "not a regular file",
    "fifo": "not a regular file",
    "zero-link": "not a regular file",
    "folder": "folder",
}


@pytest.mark.parametrize("path", SPECIAL)
def test_special_files_as_preset_weights_and_weights_file(folder: Path, path: str) -> None:
    refused(folder, ["train", path], SPECIAL[path] if path != "folder" else "directory")
    refused(folder, ["train", "xor", "--weights", path], SPECIAL[path])
    (folder / "wf.toml").write_text(
        f'[network]\nlayers = [2, 2]\nweights_file = "{path}"\n[data]\n[train]\n'
    )
    refused(folder, ["train", "wf.toml"], "network.weights_file", SPECIAL[path])


@pytest.mark.parametrize("name", ["fifo", "zero", "dir"])
def test_special_files_as_csv(folder: Path, name: str) -> None:
    words = "folder" if name == "dir" else "not a regular file"
    refused(folder, ["train", f"csv-{name}.toml"], "data.path", words)


@pytest.mark.parametrize(
    ("file", "words"),
    [
        ("shape.npz", ("8,796,094 MB", "TUI_NN_MAX_MB")),
        ("zeros.npz", (f"needs {DATA_MB + 17} MB", f"limit of {DATA_MB} MB")),  # + headers
        ("cut.npz", ("W1", "shape (2, 2)", "cut")),
        ("negative.npz", ("W1", "header is broken")),
        ("not-npy.npz", ("'W1.txt'", "not a .npy")),
        ("objects.npz", ("Python objects",)),
        ("sparse", ("100 MB", f"limit of {DATA_MB} MB")),
    ],
)
def test_weights_that_declare_too_much(folder: Path, file: str, words: tuple[str, ...]) -> None:
    refused(folder, ["train", "xor", "--weights", file], file, *words)


def test_preset_and_csv_over_their_limits(folder: Path) -> None:
    (folder / "big.toml").symlink_to("sparse")
    refused(folder, ["train", "big.toml"], "100 MB", "at most 64 MB", "weights_file")
    refused(folder, ["train", "csv-wide.toml"], "wide.csv", "limit of 8 MB", TUI_NN_MAX_MB="8")


IDX_CASES = {
    "overflows int64 to 0": (lambda: idx((2**31, 2**31, 2**31), b""), "MB", "TUI_NN_MAX_MB"),
    "2**64 bytes": (lambda: idx((65536,) * 4, b"", 0x0C), "MB", "TUI_NN_MAX_MB"),
    "gzip bomb": (lambda: gzip.compress(idx((80, 1000, 1000), bytes(80_000_000)), 1), "80 MB"),
    "gzip longer": (lambda: gzip.compress(idx((1, 2, 2), bytes(10**6))), "more than 4"),
    "broken gzip": (lambda: b"\x1f\x8b not gzip", "broken gzip"),
}


@pytest.mark.parametrize("case", IDX_CASES)
def test_idx_headers_checked_before_reading(tmp_path: Path, case: str) -> None:
    make, *words = IDX_CASES[case]
    mnist_folder(tmp_path, make())
    refused(tmp_path, ["train", "p.toml"], *words)


def test_generated_data_and_forward_pass_over_the_limit(folder: Path) -> None:
    fn = '[network]\nlayers = [{k}, 1]\noutput = "identity"\n[data]\nsource = "function"\n'
    (folder / "wide-fn.toml").write_text(
        fn.format(k=10000) + "inputs = 10000\nn = 1000000\n[train]\n"
    )
    refused(folder, ["train", "wide-fn.toml"], "data.n", "80,000 MB")
    (folder / "index.toml").write_text(fn.format(k=1) + 'formula = "x99999999999"\n[train]\n')
    refused(folder, ["train", "index.toml"], "data.formula", "x0 .. x9999")
    (folder / "units.toml").write_text(
        '[network]\nlayers = [2, 100000, 2]\n[data]\nsource = "circle"\nn = 1000000\n[train]\n'
    )
    refused(folder, ["train", "units.toml"], "network.layers", "500000 samples")


# ---- properties: whatever the bytes, a result or one clear line --------------------------


def settled(r) -> bool:
    return (r.status == 0 and "Traceback" not in r.err) or r.refused()


FAST = settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
DIMS = st.sampled_from([0, 1, 2, 3, 255, 65536, 2**31, 2**32 - 1])


@FAST
@given(
    code=st.sampled_from([0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E, 0x00, 0xFF]),
    dims=st.lists(DIMS, min_size=0, max_size=4),
    body=st.binary(max_size=64),
    gz=st.booleans(),
)
def test_any_idx_header(tmp_path_factory, code: int, dims: list[int], body: bytes, gz: bool):
    raw = idx(tuple(dims), body, code)
    raw = gzip.compress(raw) if gz else raw
    d = tmp_path_factory.mktemp("idx")
    mnist_folder(d, raw)
    assert settled(run_cli(["train", "p.toml", "--steps", "1"], d))


@FAST
@given(
    shape=st.lists(DIMS, max_size=3),
    descr=st.sampled_from(["<f8", ">i4", "|u1", "<f2", "|b1", "<c16", "<U3", "|V8"]),
    extra=st.integers(-8, 8),
    deflate=st.booleans(),
)
def test_any_npz_member(tmp_path_factory, shape, descr: str, extra: int, deflate: bool) -> None:
    d = tmp_path_factory.mktemp("npz")
    body = bytes(max(0, min(64, 8 * int(np.prod(shape, dtype=object) or 0)) + extra))
    (d / "w.npz").write_bytes(zip_of({"W1.npy": npy(tuple(shape), body, descr)}, deflate))
    assert settled(run_cli(["train", "xor", "--steps", "1", "--weights", "w.npz"], d))


CELLS = st.sampled_from(
    [
        "0",
        "1.5",
        "-2e3",
        "",
        " ",
        "nan",
        "inf",
        "1e999",
        "x",
        '"a,b"',
        '"q\n"',
        "9" * 400,
        "0x10",
        "1_0",
        "\x1b[2J",
        "\ufeff",
    ]
)


@FAST
@given(
    header=st.lists(st.sampled_from(["a", "b", "y", "", "a"]), min_size=1, max_size=5),
    rows=st.lists(st.lists(CELLS, min_size=1, max_size=5), max_size=6),
)
def test_any_csv(tmp_path_factory, header: list[str], rows: list[list[str]]) -> None:
    d = tmp_path_factory.mktemp("csv")
    text = "\n".join(",".join(r) for r in [header, *rows])
    (d / "t.csv").write_text(text, encoding="utf-8")
    (d / "p.toml").write_text(NET.replace("[2, 2]", "[1, 2]") + CSV.format(path="t.csv"))
    assert settled(run_cli(["train", "p.toml", "--steps", "1"], d))


@FAST
@given(body=st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_any_preset_bytes(tmp_path_factory, body: bytes) -> None:
    d = tmp_path_factory.mktemp("toml")
    (d / "p.toml").write_bytes(NET.encode() + b'[data]\nsource = "xor"\n' + body)
    assert settled(run_cli(["train", "p.toml", "--steps", "1"], d))
