"""Soak: the app trains one preset for a long time; memory must stay flat.

    python bench/soak.py [--minutes 30] [--preset circle] [--every 60]

Drives the real app headless (Pilot at 120×40) with training running the whole time, and
prints the resident memory (RSS), the step count and the history's stored rows every
`--every` seconds, then the growth from the first minute to the end.
"""

from __future__ import annotations

import argparse
import asyncio
import time

from tui_nn.app.main import make_app
from tui_nn.core import load


def rss_mib() -> float:
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


async def soak(preset: str, minutes: float, every: float) -> list[tuple[float, float, int]]:
    app = make_app(load(preset, ["train.epochs=100000000"]), lang="en")
    rows = []
    async with app.run_test(size=(120, 40)) as pilot:
        while app.main.state.snapshot is None:
            await pilot.pause(0.05)
        await pilot.press("space")
        start = time.monotonic()
        print(f"{'minute':>7} {'RSS MiB':>8} {'steps':>10} {'history rows':>13}", flush=True)
        while time.monotonic() - start < minutes * 60:
            await pilot.pause(every)
            elapsed = time.monotonic() - start
            trainer = app.main.session.trainer
            rows.append((elapsed / 60, rss_mib(), trainer.step_count))
            print(
                f"{elapsed / 60:>7.1f} {rows[-1][1]:>8.1f} {trainer.step_count:>10} "
                f"{trainer.steps.n + trainer.evals.n:>13}",
                flush=True,
            )
        await pilot.press("space")
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--minutes", type=float, default=30.0)
    ap.add_argument("--preset", default="circle")
    ap.add_argument("--every", type=float, default=60.0, help="seconds between samples")
    args = ap.parse_args()
    rows = asyncio.run(soak(args.preset, args.minutes, args.every))
    if len(rows) >= 2:
        first, last = rows[0], rows[-1]
        print(
            f"RSS from minute {first[0]:.1f} to {last[0]:.1f}: {first[1]:.1f} -> {last[1]:.1f} "
            f"MiB ({last[1] - first[1]:+.1f} MiB over {last[2] - first[2]} steps)"
        )


if __name__ == "__main__":
    main()
