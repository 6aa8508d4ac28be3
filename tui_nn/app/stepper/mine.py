"""The stepper's "compare with my program": a file of printed numbers, each step marked ✓ or ✗.

The same comparison as `tui-nn compare`, against the iteration on screen (its capture), so the
trainer is left as it is.
"""

from __future__ import annotations

from pathlib import Path

from tui_nn.core.compare import compare_trace_text, step_marks
from tui_nn.core.compare_read import read_printed
from tui_nn.core.trainer import Trainer
from tui_nn.core.worked import Trace
from tui_nn.i18n import t


def compare_file(trainer: Trainer, trace: Trace, path: str, lang: str) -> tuple[dict, str]:
    """(✓/✗ by step id, a one-line summary); raises ConfigError for a file it cannot use."""
    name = str(Path(path.strip()).expanduser())
    text = read_printed(name)
    matches = compare_trace_text(trainer, trace.capture, text, name)
    marks = step_marks([s.id for s in trace.steps], matches, len(trace.layers) - 1)
    known = [m for m in matches if m.quantity is not None]
    bad = sum(not ok for ok in marks.values())
    summary = t(
        "stepper_compare_done",
        lang,
        good=sum(m.ok for m in known),
        n=len(known),
        steps=len(marks),
        bad=bad,
    )
    return marks, summary
