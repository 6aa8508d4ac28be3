"""Time of one landscape of two parameters, as the training worker computes it.

    python bench/landscape_speed.py [--repeat 20]

circle is a 2-8-2 tanh network over 250 training samples; each row is one pair of parameters
(both in W1: every grid point needs its own pass through both layers; in W2: one layer) over
a 60×40 grid. The issue asks for under 100 ms; this is a measurement, not a test. The ratio
is the median time over that target (below 1 is within it). On a shared machine every number
moves with the load: the last line times one np.log over as many values as the grid has
outputs (60·40·250·2), for scale.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from tui_nn.core import Trainer, load
from tui_nn.core.landscape import Trajectory, landscape, parse_pair

TARGET_MS = 100.0
PAIRS = [("W1[0,1]", "W1[1,3]"), ("W1[0,0]", "b2[1]"), ("W2[3,0]", "W2[3,1]")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    t = Trainer(load("circle"))
    path = Trajectory(t.net.theta.size)
    path.record(0, t.net.theta)
    for _ in range(200):
        t.step()
        path.record(t.step_count, t.net.theta)
    print(f"circle {t.net.cfg.layers}, {t.n_train} training samples, 60×40 grid")
    for first, second in PAIRS:
        pair = parse_pair(first, second, t.net.cfg.layers)
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            landscape(t.net, t.data.x_train, t.data.d_train, pair, path.path(*pair), 200)
            times.append(time.perf_counter() - t0)
        ms = statistics.median(times) * 1000
        print(f"  {first:>8} × {second:<8} {ms:7.1f} ms   ratio to target {ms / TARGET_MS:.2f}")
    values = np.random.default_rng(0).random(60 * 40 * 250 * 2) + 0.5
    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        np.log(values)
        times.append(time.perf_counter() - t0)
    ms = statistics.median(times) * 1000
    print(f"  for scale: one np.log over {values.size:,} values {ms:.1f} ms")


if __name__ == "__main__":
    main()
