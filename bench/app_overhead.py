"""What the app costs the trainer: steps per second headless vs inside the running app.

    python bench/app_overhead.py [--seconds 5]

For each preset, trains for the same wall-clock time with the bare Trainer and inside the
Textual app (headless Pilot at 120×40, plots and status live), alternating runs and keeping
the best of each, and prints both rates and the app's cost in percent. Target: under 10%.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from pathlib import Path
from tempfile import TemporaryDirectory

import numpy as np

from tui_nn.app.main import make_app
from tui_nn.core import Trainer, load

#: A 784-256-128-10 net of the engine issue's benchmark, on random inline data.
BIG = """
[preset]
name = "bench-784"
[network]
layers = [784, 256, 128, 10]
activation = "relu"
output = "softmax"
loss = "cross_entropy"
init = "he"
[data]
source = "inline"
x = {x}
labels = {labels}
[train]
optimizer = "sgd"
lr = 0.01
batch_size = 128
epochs = 1000000
dtype = "float32"
"""


def big_preset(folder: Path) -> str:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(1024, 784)).round(3).tolist()
    labels = rng.integers(0, 10, 1024).tolist()
    path = folder / "bench-784.toml"
    path.write_text(BIG.format(x=x, labels=labels), encoding="utf-8")
    return str(path)


def headless_rate(preset: str, seconds: float) -> float:
    trainer = Trainer(load(preset, ["train.epochs=1000000"]))
    trainer.step()
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        trainer.step()
        n += 1
    return n / (time.perf_counter() - start)


async def app_rate(preset: str, seconds: float) -> float:
    app = make_app(load(preset, ["train.epochs=1000000"]), lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        while app.main.snapshot is None:
            await pilot.pause(0.05)
        await pilot.press("space")
        while app.main.session.trainer is None or app.main.session.trainer.step_count == 0:
            await pilot.pause(0.01)
        trainer = app.main.session.trainer
        start_steps, start = trainer.step_count, time.perf_counter()
        await pilot.pause(seconds)
        rate = (trainer.step_count - start_steps) / (time.perf_counter() - start)
        await pilot.press("space")
    return rate


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--repeats", type=int, default=3, help="alternating runs; the best counts")
    args = ap.parse_args()
    with TemporaryDirectory() as tmp:
        presets = ["circle", "iris", "digits", big_preset(Path(tmp))]
        print(f"{'preset':<12} {'headless/s':>11} {'in app/s':>10} {'app cost':>9}")
        for preset in presets:
            # Alternate the two and keep each one's best: a shared machine only ever slows down.
            bare = live = 0.0
            for _ in range(args.repeats):
                bare = max(bare, headless_rate(preset, args.seconds))
                live = max(live, asyncio.run(app_rate(preset, args.seconds)))
            name = Path(preset).stem
            print(f"{name:<12} {bare:>11.0f} {live:>10.0f} {1 - live / bare:>8.1%}")


if __name__ == "__main__":
    main()
