"""What the stepper's widgets are told to show: one immutable snapshot of the screen's state."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from tui_nn.app.stepper.answer import Verdict
from tui_nn.app.stepper.focus import Focus, focus
from tui_nn.app.stepper.notation import number, plain
from tui_nn.core.worked import Step, Trace


@dataclass(frozen=True)
class View:
    """The trace, the steps being walked (the whole iteration or one expanded weight), where
    the student is, and how to write things."""

    trace: Trace
    steps: list[Step]
    pos: int
    lang: str = "en"
    ascii_only: bool = False
    quiz: bool = False  # hide the current step's result until the student checks it
    verdict: Verdict | None = None
    expanded: str | None = None  # the name the steps were expanded for, e.g. "w5"
    solved: frozenset[str] = field(default_factory=frozenset)  # step ids answered right
    marks: dict[str, bool] = field(default_factory=dict)  # step ids against the student's file
    score: tuple[int, int] = (0, 0)  # quiz answers right, and given

    @property
    def step(self) -> Step:
        return self.steps[self.pos]

    @property
    def digits(self) -> int:
        return self.trace.digits

    @cached_property
    def focus(self) -> Focus:
        return focus(self.step, self.trace.layers)

    @cached_property
    def _index(self) -> dict[str, int]:
        return {s.id: i for i, s in enumerate(self.steps)}

    def text(self, s: str) -> str:
        """Formula text in the chosen notation."""
        return plain(s, self.ascii_only)

    def num(self, value: float) -> str:
        return number(value, self.digits)

    def result_hidden(self, step_id: str) -> bool:
        """Quiz mode keeps the current step's result back until it is answered right."""
        return self.quiz and step_id == self.step.id and step_id not in self.solved

    def revealed(self, step_id: str) -> bool:
        """Has the student reached the step computing this value? Values of steps not in the
        walk (another view's ids, an expansion's neighbours) are shown."""
        i = self._index.get(step_id)
        if i is None:
            return True
        return i <= self.pos and not self.result_hidden(step_id)

    @cached_property
    def _param_steps(self) -> dict[tuple[str, str, tuple[int, ...] | None], int]:
        """(phase, param, index or None) -> the last step of that phase about that entry."""
        last: dict[tuple[str, str, tuple[int, ...] | None], int] = {}
        for i, s in enumerate(self.steps):
            if s.param is not None:
                last[(s.phase, s.param, None if s.index is None else tuple(s.index))] = i
        return last

    def param_revealed(self, phase: str, param: str, index: tuple[int, ...] | None) -> bool:
        """Has the walk reached the last `phase` step about W[index] (or all of W)?"""
        last = self._param_steps
        i = last.get((phase, param, index), last.get((phase, param, None)))
        if i is None:
            return True
        return i <= self.pos and not self.result_hidden(self.steps[i].id)

    def verdict_here(self) -> Verdict | None:
        """The last check, if it was about the step on screen."""
        v = self.verdict
        return v if v is not None and v.step_id == self.step.id else None
