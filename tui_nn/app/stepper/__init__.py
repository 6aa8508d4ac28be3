"""The backprop stepper: one iteration of the live network, number by number.

Open it on a paused trainer: `app.push_screen(StepperScreen(trainer, lang), on_close)`; it is
dismissed with a `StepperResult`, which counts the iterations applied to the trainer.
"""

from tui_nn.app.stepper.result import Place, StepperResult
from tui_nn.app.stepper.screen import StepperScreen

__all__ = ["Place", "StepperResult", "StepperScreen"]
