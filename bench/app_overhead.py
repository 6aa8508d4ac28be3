"""What the app costs the trainer: steps per second headless vs inside the running app.

    python bench/app_overhead.py [--seconds 5] [--pairs 12] [--presets circle iris]

First the target case: circle at pace max with the network picture and the decision boundary
showing, in one app that is paused and resumed: each second of training in the app is paired
with a second of the bare Trainer right after it, in the same process (the UI idle meanwhile),
so a load that comes and goes on a shared machine slows both halves of a pair alike. It prints
the median of the pairs' ratios (in app / headless) against the target 0.85, and the load.

For each preset, trains for the same wall-clock time with the bare Trainer and inside the
Textual app (headless Pilot at 120×40, plots and status live), alternating runs, and prints
the best rate of each, the app's cost in percent (best against best, and the median of the
pairs), and the UI thread's own CPU share during the app runs (median): on a small network
the trainer needs the GIL the UI thread holds, so that share is what the UI takes from it.
Target: under 10%.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import threading
import time
from pathlib import Path
from tempfile import TemporaryDirectory

import numpy as np

from tui_nn.app.main import make_app
from tui_nn.app.widgets.boundary import BoundaryView
from tui_nn.app.widgets.network import NetworkView
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


#: Long enough never to finish, at the full speed of pace "max".
FULL_SPEED = ["train.epochs=1000000", 'view.pace="max"']
#: In-app steps per second at pace max with the network picture showing, over headless.
TARGET = 0.85


def headless_rate(preset: str, seconds: float) -> float:
    trainer = Trainer(load(preset, FULL_SPEED))
    trainer.step()
    return burst(trainer, seconds)


def cpu_seconds(thread: threading.Thread) -> float:
    assert thread.ident is not None
    return time.clock_gettime(time.pthread_getcpuclockid(thread.ident))


def burst(trainer: Trainer, seconds: float) -> float:
    """Steps per second of the bare trainer for `seconds`."""
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        trainer.step()
        n += 1
    return n / (time.perf_counter() - start)


async def paired(preset: str, seconds: float, pairs: int) -> tuple[list[float], list[float]]:
    """In-app over headless steps per second for each pair, and the UI thread's CPU share
    during each in-app half; the network picture and the boundary must be showing."""
    app = make_app(load(preset, FULL_SPEED), lang="en")
    bare = Trainer(load(preset, FULL_SPEED))
    bare.step()
    ratios, shares = [], []
    async with app.run_test(size=(120, 40)) as pilot:
        session = app.main.session
        while app.main.state.snapshot is None:
            await pilot.pause(0.05)
        await pilot.pause(0.2)
        for view in (NetworkView, BoundaryView):
            assert app.main.query_one(view).region.area, f"{view.__name__} is not showing"
        for _ in range(pairs):
            await pilot.press("space")
            while session.state != "running":
                await pilot.pause(0.01)
            await pilot.pause(0.3)  # the first snapshot and redraw of the run are not in it
            trainer = session.trainer
            steps, start, cpu = trainer.step_count, time.perf_counter(), time.thread_time()
            await pilot.pause(seconds)
            wall = time.perf_counter() - start
            live = (trainer.step_count - steps) / wall
            shares.append((time.thread_time() - cpu) / wall)
            await pilot.press("space")
            while session.state == "running":
                await pilot.pause(0.01)
            ratios.append(live / burst(bare, seconds))  # the UI is blocked: it idles
    return ratios, shares


def report_target(pairs: int) -> None:
    before = os.getloadavg()[0]
    ratios, shares = asyncio.run(paired("circle", 1.0, pairs))
    median = statistics.median(ratios)
    verdict = "meets" if median >= TARGET else "misses"
    print(
        f"circle, network view, pace max: in app / headless = {median:.2f} (median of"
        f" {pairs} pairs, {min(ratios):.2f}..{max(ratios):.2f}), target {TARGET:.2f}: {verdict};"
        f" UI CPU {statistics.median(shares):.1%}; load {before:.2f} → {os.getloadavg()[0]:.2f}"
    )


async def app_rate(preset: str, seconds: float) -> tuple[float, float]:
    """Steps per second in the app, and the UI (main) thread's CPU share meanwhile."""
    app = make_app(load(preset, FULL_SPEED), lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        while app.main.state.snapshot is None:
            await pilot.pause(0.05)
        if app.main.state.info.plot_dims is not None:
            await pilot.pause(0.2)
            for view in (NetworkView, BoundaryView):
                assert app.main.query_one(view).region.area, f"{view.__name__} is not showing"
        await pilot.press("space")
        while app.main.session.trainer is None or app.main.session.trainer.step_count == 0:
            await pilot.pause(0.01)
        trainer = app.main.session.trainer
        ui = threading.main_thread()
        start_steps, start, start_cpu = trainer.step_count, time.perf_counter(), cpu_seconds(ui)
        await pilot.pause(seconds)
        wall = time.perf_counter() - start
        rate = (trainer.step_count - start_steps) / wall
        share = (cpu_seconds(ui) - start_cpu) / wall
        await pilot.press("space")
    return rate, share


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--repeats", type=int, default=4, help="alternating runs of each")
    ap.add_argument("--pairs", type=int, default=12, help="pairs for the target case (0: skip)")
    ap.add_argument("--presets", nargs="*", default=["circle", "iris", "digits", "big"])
    args = ap.parse_args()
    if args.pairs:
        report_target(args.pairs)
    if not args.presets:
        return
    with TemporaryDirectory() as tmp:
        presets = [big_preset(Path(tmp)) if p == "big" else p for p in args.presets]
        print(
            f"{'preset':<12} {'headless/s':>11} {'in app/s':>10} {'app cost':>9}"
            f" {'median':>7} {'UI CPU':>7} {'app/headless':>13}"
        )
        for preset in presets:
            # Alternate the two: a shared machine only ever slows a run down, so the best of
            # each is the fairest pair, and the median of the pairs shows the spread.
            bare, live, shares = [], [], []
            for _ in range(args.repeats):
                bare.append(headless_rate(preset, args.seconds))
                rate, share = asyncio.run(app_rate(preset, args.seconds))
                live.append(rate)
                shares.append(share)
            best = 1 - max(live) / max(bare)
            median = statistics.median(1 - a / b for a, b in zip(live, bare, strict=True))
            print(
                f"{Path(preset).stem:<12} {max(bare):>11.0f} {max(live):>10.0f} {best:>8.1%}"
                f" {median:>7.1%} {statistics.median(shares):>7.1%} {max(live) / max(bare):>13.2f}"
            )


if __name__ == "__main__":
    main()
