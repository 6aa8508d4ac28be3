"""Start-up: the import cost of the app and the time to its first frame.

    python bench/startup.py

Runs each measurement in a fresh interpreter (what a student's `tui-nn` pays), five times,
and prints the best. Target: first frame under 1 s.
"""

from __future__ import annotations

import subprocess
import sys

IMPORT = """
import time
t0 = time.perf_counter()
import tui_nn.app.main
print(time.perf_counter() - t0)
"""

FIRST_FRAME = """
import asyncio, time
t0 = time.perf_counter()
from tui_nn.app.main import make_app

async def main():
    app = make_app("mazur-2-2-2", lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        while app.main.state.snapshot is None:
            await pilot.pause(0.005)
        print(time.perf_counter() - t0)

asyncio.run(main())
"""


def best_of(code: str, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        times.append(float(out.stdout.strip().splitlines()[-1]))
    return min(times)


def main() -> None:
    print(f"import tui_nn.app.main      {best_of(IMPORT):.3f} s")
    print(f"first frame with a preset   {best_of(FIRST_FRAME):.3f} s  (target < 1 s)")


if __name__ == "__main__":
    main()
