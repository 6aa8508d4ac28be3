"""Time to draw the decision boundary once in a 120×40 terminal, per shipped 2-D/3-D preset.

    python bench/boundary_speed.py [--repeat 50]

The widget there is 118×38 cells inside its border: a 118×76-pixel grid (two pixels per cell).
Each row gives the median milliseconds of the three parts of one frame:
  copy   Model.of: copying the parameters (in the training worker, between steps)
  grid   grid_outputs: features + forward pass over every pixel (pure NumPy, any thread)
  draw   BoundaryView.build_strips: colours, points and the Strips Textual paints (UI thread)
The issue asks for well under 20 ms in all; this is a measurement, not a test.
"""

from __future__ import annotations

from timing import Alone, median_ms, run

from tui_nn.app.widgets.boundary import BoundaryView
from tui_nn.core import Trainer, load
from tui_nn.core.boundary import Model, grid_outputs, overlay_points

PRESETS = ["xor", "circle", "spiral", "sphere4", "vanishing-relu", "regression"]


async def measure(repeat: int) -> None:
    app = Alone(BoundaryView)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        view = app.query_one(BoundaryView)
        cols, rows = view.pixel_size
        print(
            f"grid {cols}×{rows} pixels in a {view.content_size.width}×"
            f"{view.content_size.height}-cell widget (terminal 120×40); median of {repeat}"
        )
        print(f"{'preset':16s} {'copy':>7s} {'grid':>7s} {'draw':>7s} {'total':>7s}  points")
        for name in PRESETS:
            trainer = Trainer(load(name))
            trainer.run(200)
            model = Model.of(trainer.net, trainer.data)
            z = 0.0 if model.dims == 3 else None  # 3-D: the points near the slice at z = 0
            points = overlay_points(trainer.data, z)
            grid = grid_outputs(model, cols, rows)
            view.show(grid, points, trainer.data.class_names)
            copy = median_ms(lambda t=trainer: Model.of(t.net, t.data), repeat)
            grid_ms = median_ms(lambda m=model: grid_outputs(m, cols, rows), repeat)
            draw = median_ms(view.build_strips, repeat)
            total = copy + grid_ms + draw
            print(f"{name:16s} {copy:7.2f} {grid_ms:7.2f} {draw:7.2f} {total:7.2f}  {len(points)}")


if __name__ == "__main__":
    run(measure, __doc__)
