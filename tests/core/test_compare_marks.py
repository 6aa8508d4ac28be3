"""The stepper's "compare with my program" marks ✗ only the steps of the numbers that differ:
one wrong entry of a printed ∂E/∂W1 marks its own step, not the five others of the block."""

from __future__ import annotations

import numpy as np

from tui_nn.core import Trainer, load
from tui_nn.core.compare import compare_trace_text, quantities, step_marks
from tui_nn.core.worked import build_trace, capture


def print_vec(label: str, value: np.ndarray) -> str:
    return f"*** {label} ***\n{np.array2string(np.asarray(value), precision=10)}\n\n"


def marks_for(grad_w1: np.ndarray) -> dict[str, bool]:
    trainer = Trainer(load("course-1_2"))
    trace = build_trace(trainer)
    q = quantities(capture(Trainer(load("course-1_2"))))
    text = print_vec("出力", q["y"]) + print_vec("偏微分_重み1", grad_w1)
    matches = compare_trace_text(trainer, trace.capture, text, "mine.txt")
    return step_marks([s.id for s in trace.steps], matches, len(trace.layers) - 1)


def test_one_wrong_entry_marks_one_step() -> None:
    q = quantities(capture(Trainer(load("course-1_2"))))
    wrong = q["grad W1"].copy()
    wrong[1, 2] += 0.5  # ∂E/∂w6: from i2 to h3
    marks = marks_for(wrong)
    dw1 = {k: v for k, v in marks.items() if k.startswith("backward.dW.1.")}
    assert len(dw1) == 6 and [k for k, ok in dw1.items() if not ok] == ["backward.dW.1.1.2"]
    assert all(v for k, v in marks.items() if k.startswith("forward.z.2."))


def test_a_block_of_another_shape_marks_every_step_of_it() -> None:
    q = quantities(capture(Trainer(load("course-1_2"))))
    flat = (q["grad W1"] + 1.0).reshape(-1)  # printed flat: entries cannot be told apart
    marks = marks_for(flat)
    dw1 = [ok for k, ok in marks.items() if k.startswith("backward.dW.1.")]
    assert dw1 == [False] * 6
