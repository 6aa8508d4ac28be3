"""Peak memory and time of loading a big CSV data set, as ratios to the file's size.

    python bench/data_memory.py [--mb 160] [--columns 20] [--wide 100000]

Writes a CSV of about `--mb` megabytes (random numbers with 6 decimals, `--columns` features
and a class label), then builds the Trainer for a preset reading it, in a fresh process, and
prints the peak resident memory (ru_maxrss) over the file's size and over the float64 data's
size. With `--wide N` it also times a CSV of N columns and 20 rows (the column lookup once
took quadratic time: 40,000 columns took 15 s).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

CHILD = """
import resource, sys, time
start = time.perf_counter()
from tui_nn.core import Trainer, load
trainer = Trainer(load(sys.argv[1]))
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(peak, seconds, trainer.data.x_train.shape[0] + trainer.data.x_test.shape[0])
"""

PRESET = """[network]
layers = [{k}, 4, 3]
output = "softmax"
loss = "cross_entropy"
[data]
source = "csv"
path = "{path}"
target = "y"
standardize = true
[train]
batch_size = 100
"""


def write_csv(path: Path, mb: float, columns: int) -> int:
    """About `mb` MB of rows; returns the number of rows."""
    rng = np.random.default_rng(0)
    row_bytes = columns * 9 + 2  # "0.123456," per value, then the label
    rows = int(mb * 1_000_000 / row_bytes)
    with open(path, "w", encoding="utf-8") as f:
        f.write(",".join(f"c{i}" for i in range(columns)) + ",y\n")
        for start in range(0, rows, 50_000):
            n = min(50_000, rows - start)
            block = rng.random((n, columns))
            labels = rng.integers(0, 3, n)
            lines = (
                ",".join(f"{v:.6f}" for v in r) + f",{c}\n"
                for r, c in zip(block, labels, strict=True)
            )
            f.writelines(lines)
    return rows


def baseline() -> int:
    """Peak memory of the same process that loads nothing but the engine."""
    code = "import resource; import tui_nn.core; "
    code += "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)"
    return int(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout)


def measure(folder: Path, columns: int) -> tuple[int, float, int]:
    preset = folder / "p.toml"
    preset.write_text(PRESET.format(k=columns, path="data.csv"), encoding="utf-8")
    base = baseline()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(preset)],
        capture_output=True,
        text=True,
        check=True,
    )
    peak, seconds, rows = done.stdout.split()
    return int(peak) - base, float(seconds), int(rows)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=160)
    ap.add_argument("--columns", type=int, default=20)
    ap.add_argument("--wide", type=int, default=0)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_csv(folder / "data.csv", args.mb, args.columns)
        size = (folder / "data.csv").stat().st_size
        extra, seconds, rows = measure(folder, args.columns)
        data = rows * (args.columns + 1) * 8
        print(f"CSV {size / 1e6:.0f} MB, {rows:,} rows x {args.columns} columns: {seconds:.1f} s")
        print(f"peak memory above the bare engine: {extra / 1e6:.0f} MB")
        print(f"  = {extra / size:.2f} x the file, {extra / data:.2f} x its float64 values")
        if args.wide:
            header = ",".join(f"c{i}" for i in range(args.wide - 1)) + ",y\n"
            row = ",".join(["0.5"] * (args.wide - 1)) + ",1\n"
            (folder / "data.csv").write_text(header + row * 20, encoding="utf-8")
            start = time.perf_counter()
            measure(folder, args.wide - 1)
            print(f"{args.wide:,} columns x 20 rows: {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
