"""Time of one landscape of two parameters, as the training worker computes it.

    PYTHONPATH=. python bench/landscape_speed.py [--repeat 20]

circle is a 2-8-2 tanh network (softmax, cross-entropy) over its 250 training samples, trained
200 steps; each row is one kind of pair over a 60×40 grid:
  ms      median time of `landscape` (the range, the grid, E at every point)
  plain   median time of the straightforward way: set the two values, run the network's own
          forward pass and loss, for each of the 2,400 points
  speed-up  plain / ms
  rel     the largest relative difference between the two over the whole grid
The issue asks for under 100 ms for every kind; the last line says whether the slowest is, and
times one np.log over as many values as the grid has outputs (60·40·250·2), for scale: on a
shared machine every number moves with the load.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np

from tui_nn.core import Trainer, load
from tui_nn.core.boundary import pixel_centres
from tui_nn.core.landscape import Landscape, Trajectory, landscape, parse_pair

TARGET_MS = 100.0
SIZE = (60, 40)
PAIRS = [
    ("W1[0,1]", "W1[1,3]", "W×W one layer"),
    ("W1[0,4]", "W1[1,4]", "W×W one unit"),
    ("W1[0,0]", "W2[3,1]", "W×W two layers"),
    ("W1[1,2]", "b1[2]", "W×b first layer"),
    ("W1[0,0]", "b2[1]", "W×b two layers"),
    ("b1[0]", "b1[7]", "b×b first layer"),
    ("W2[3,0]", "W2[3,1]", "W×W last layer"),
    ("b2[0]", "b2[1]", "b×b last layer"),
]


def median_ms(fn, repeat: int) -> tuple[float, object]:
    """Median milliseconds of `repeat` calls, and what the last call gave."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        got = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000, got


def plain(t: Trainer, got: Landscape) -> np.ndarray:
    """E over the same grid, one forward pass per point."""
    net, x, d = t.net, t.data.x_train, t.data.d_train
    p_values = pixel_centres(*got.p_range, SIZE[0])
    q_values = pixel_centres(*got.q_range, SIZE[1])[::-1]
    keep = net.theta.copy()
    out = np.empty((len(q_values), len(p_values)))
    for r, qv in enumerate(q_values):
        for c, pv in enumerate(p_values):
            net.theta[got.p.flat], net.theta[got.q.flat] = pv, qv
            out[r, c] = net.loss.value(net.forward(x), d)
    np.copyto(net.theta, keep)
    return out


def trained() -> tuple[Trainer, Trajectory]:
    t = Trainer(load("circle"))
    path = Trajectory(t.net.theta.size)
    path.record(0, t.net.theta)
    for _ in range(200):
        t.step()
        path.record(t.step_count, t.net.theta)
    return t, path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    t, path = trained()
    print(f"circle {t.net.cfg.layers}, {t.n_train} training samples, 60×40 grid")
    print(f"load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    print(f"  {'pair':<20} {'kind':<17} {'ms':>7} {'plain':>8} {'speed-up':>9} {'rel':>8}")
    worst = 0.0
    for first, second, kind in PAIRS:
        pair = parse_pair(first, second, t.net.cfg.layers)
        run = lambda pair=pair: landscape(  # noqa: E731
            t.net, t.data.x_train, t.data.d_train, pair, path.path(*pair), 200, SIZE
        )
        ms, got = median_ms(run, args.repeat)
        slow, want = median_ms(lambda got=got: plain(t, got), max(1, args.repeat // 10))
        rel = float(np.max(np.abs(got.E - want) / np.abs(want)))
        worst = max(worst, ms)
        name = f"{first} × {second}"
        print(f"  {name:<20} {kind:<17} {ms:7.1f} {slow:8.0f} {slow / ms:8.1f}× {rel:8.1e}")
    verdict = "within" if worst < TARGET_MS else "over"
    print(f"slowest {worst:.1f} ms: {verdict} the {TARGET_MS:.0f} ms target")
    values = np.random.default_rng(0).random(60 * 40 * 250 * 2) + 0.5
    ms, _ = median_ms(lambda: np.log(values), args.repeat)
    print(f"for scale: one np.log over {values.size:,} values {ms:.1f} ms")
    print(f"load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()
