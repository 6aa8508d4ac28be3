"""Time to draw one frame of the network picture, at its size in a 120×40 terminal.

    python bench/network_speed.py [--repeat 50]

Each row gives the median milliseconds of the two parts of one frame:
  worker  unitmaps.picture: copy W, one forward pass over the coarse grid for every unit's map
  draw    NetworkView.build_strips: layout, thumbnails, links and the Strips (UI thread)
  cpu     the same, in this thread's CPU time (what the app's FrameBudget counts; steadier
          than wall time on a loaded machine)
and the UI part as a share of the issue's 5 ms target for 2-8-8-2 (ratio ≤ 1 meets it).
This is a measurement, not a test.
"""

from __future__ import annotations

import time

from timing import Alone, median_ms, run

from tui_nn.app.widgets.network import NetworkView
from tui_nn.core import Trainer, load
from tui_nn.core.unitmaps import picture

#: (preset, overrides): the issue's 2-8-8-2, the shipped 2-D presets, Playground's largest.
CASES = [
    ("circle", ["network.layers=[2,8,8,2]"]),
    ("circle", []),
    ("xor-quadrants", []),
    ("spiral", []),
    ("circle", ["network.layers=[2,8,8,8,8,8,8,2]"]),
]
TARGET_MS = 5.0


async def measure(repeat: int) -> None:
    # The picture's cell in the main screen's grid at 120×40 (see app.tcss).
    app = Alone(NetworkView, "NetworkView { width: 31; height: 38; }")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        view = app.query_one(NetworkView)
        w, h = view.content_size
        print(f"network picture {w}×{h} cells (terminal 120×40); median of {repeat}")
        print(f"{'network':22s} {'worker':>7s} {'draw':>7s} {'cpu':>7s}  cpu/{TARGET_MS:g} ms")
        for name, overrides in CASES:
            trainer = Trainer(load(name, overrides))
            trainer.run(100)
            layers = tuple(trainer.net.cfg.layers)
            view.show(layers, picture(trainer.net, trainer.data))
            worker = median_ms(lambda t=trainer: picture(t.net, t.data), repeat)
            draw = median_ms(view.build_strips, repeat)
            cpu = median_ms(view.build_strips, repeat, time.thread_time)
            label = f"{name} {'-'.join(map(str, layers))}"
            print(f"{label:22s} {worker:7.2f} {draw:7.2f} {cpu:7.2f}  {cpu / TARGET_MS:.2f}")


if __name__ == "__main__":
    run(measure, __doc__)
