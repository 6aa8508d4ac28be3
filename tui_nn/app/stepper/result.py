"""What the stepper hands back when it closes, and where the student was in the iteration."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Place:
    """Where the student was in an iteration; reopening the same iteration comes back here."""

    preset: str
    iteration: int
    sample: int | None
    step: str  # the step's id
    digits: int
    view: str


@dataclass(frozen=True)
class StepperResult:
    """What the stepper hands back on dismiss: how many iterations it applied to the trainer,
    the language the student chose last (the app may adopt it), and where the student was
    (for the next `StepperScreen(..., resume=place)`)."""

    applied: int
    lang: str
    place: Place | None = field(default=None, compare=False)
