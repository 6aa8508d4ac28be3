"""Worked backprop: every number of one iteration, as an ordered list of steps.

`build_trace(trainer)` takes the batch the trainer's next `step()` will use and records, from
the engine itself, each value the iteration computes: forward (net = Σ w·out + b,
out = f(net)), loss terms, backward (chain-rule factors per weight, or δ per layer in the matrix
view) and the update. The result is a `Trace`, plain data; every view of it is a function.

Two views:
- "scalar": one step per unit and per weight, named as Mazur names them (i1, h1, o1, w1..w8);
- "matrix": one step per layer and per quantity (u1 = x·W1 + b1, delta2, grad['W2'] = z1ᵀ·delta2).
"auto" picks the scalar view for small networks and the matrix view past `build.SCALAR_LIMIT`
weights; `expand(trace, "W2", i, j)` then gives the scalar steps of one chosen weight.

This module is the package's whole public API (the app and the CLI import nothing else of it;
an import contract in pyproject.toml checks that). Inside, imports flow one way, from the record
to the reports: `model` (the record), `expr` (formula fragments), `names`, `context`; the step
builders `rules`, `update`, `backward`, `matrix`, `scalar`; `engine` (the numbers of one batch)
and `build` (a trace from a trainer); `text`, `markdown`, `jsondoc`; `report` (what
`tui-nn worked` prints).
"""

from tui_nn.core.worked.build import build_trace
from tui_nn.core.worked.engine import capture
from tui_nn.core.worked.expr import fmt
from tui_nn.core.worked.markdown import render_markdown
from tui_nn.core.worked.model import PHASES, Capture, Factor, Step, Trace
from tui_nn.core.worked.names import Names
from tui_nn.core.worked.report import worked_report
from tui_nn.core.worked.scalar import expand
from tui_nn.core.worked.text import label, render_text, to_ascii

__all__ = [
    "PHASES",
    "Capture",
    "Factor",
    "Names",
    "Step",
    "Trace",
    "build_trace",
    "capture",
    "expand",
    "fmt",
    "label",
    "render_markdown",
    "render_text",
    "to_ascii",
    "worked_report",
]
