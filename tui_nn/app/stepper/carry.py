"""Error carried forward and classic slips, followed through the whole iteration.

A later answer that is wrong may be exactly what the student's own earlier answer leads to:
the method is right and the earlier value was off. A classic slip (the updated weights used
going back, σ′ taken at out, the ½ of E dropped) changes every value after it; the first
changed step on the way to this one is the step to recheck.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from tui_nn.app.stepper.flow import SLIPS, Run, flow_of
from tui_nn.app.stepper.notation import number
from tui_nn.app.stepper.typed import fits
from tui_nn.core.worked import Names, Step, Trace

#: (status, catalogue key, values for its placeholders, the factor to recheck)
Found = tuple[str, str, dict[str, str], int | None]


def _runs(trace: Trace, **how: object) -> tuple[Run, Run]:
    """The flow on exact numbers and on the numbers as the screen shows them."""
    flow = flow_of(trace)
    return flow.run(**how), flow.run(q=lambda x: float(number(x, trace.digits)), **how)


def carried(
    a: float, typed: int, step: Step, trace: Trace, earlier: Mapping[str, float]
) -> Found | None:
    """`a` is not the value but what the student's own earlier answers (by step id) lead to:
    name those of them this step is computed from."""
    p, mine = trace.digits, {k: v for k, v in earlier.items() if k != step.id}
    if not mine:
        return None
    runs = _runs(trace, given=mine)
    if not any(fits(a, typed, r.values.get(step.id, math.nan), p) for r in runs):
        return None
    used = [k for k in mine if k in runs[0].ancestors(step.id)]
    if not used:
        return None
    names = {s.id: s.symbol for s in trace.steps}
    said = ", ".join(f"{names[k]} = {number(mine[k], p)}" for k in used)
    return "carried", "stepper_check_carried", {"earlier": said}, _factor(runs[0], step, trace)


def classic(a: float, typed: int, step: Step, trace: Trace) -> Found | None:
    """`a` is what a classic slip gives here, followed from where it happens: name the slip
    and the first step it changed on the way here."""
    p, truth = trace.digits, flow_of(trace).run()
    names = {s.id: s.symbol for s in trace.steps}
    for slip in SLIPS:
        runs = _runs(trace, slip=slip)
        here = runs[0].values.get(step.id, math.nan)
        if math.isclose(here, float(step.result), rel_tol=1e-12):
            continue
        if any(fits(a, typed, r.values.get(step.id, math.nan), p) for r in runs):
            first = _first_change(runs[0], truth, step, trace)
            info = {"step": names[first], **_slip_values(slip, first, trace)}
            recheck = _factor(runs[0], step, trace)
            if recheck is None and slip == "new_weights" and step.kind == "path":
                recheck = 1  # the weight itself: ∂net_o1/∂out_h1 is w5, not w5⁺
            return "wrong", f"stepper_classic_{slip}", info, recheck
    return None


def _factor(run: Run, step: Step, trace: Trace) -> int | None:
    """The first factor of `step` whose value `run` changed: the one the panel marks."""
    flow = flow_of(trace)
    for i, f in enumerate(step.factors):
        source = flow.source(step, f.symbol, f.value)
        if source is not None and not math.isclose(run.values[source], f.value, rel_tol=1e-12):
            return i
    return None


def _first_change(run: Run, truth: Run, step: Step, trace: Trace) -> str:
    """The first step, in the order of the walk, that the slip changed on the way to `step`."""
    mine = run.ancestors(step.id) | {step.id}
    return next(
        s.id
        for s in trace.steps
        if s.id in mine and not math.isclose(run.values[s.id], truth.values[s.id], rel_tol=1e-12)
    )


def _slip_values(slip: str, first: str, trace: Trace) -> dict[str, str]:
    """The numbers a slip's message names: the weight before and after the update."""
    if slip != "new_weights":
        return {}
    s = trace.step(first)
    li, j, k = s.layer, s.unit, int(first.split(".")[4])
    name = Names(trace.layers, trace.params, trace.frozen).weight(li + 1, j, k).text
    W, new = trace.params[f"W{li + 1}"], trace.new_params[f"W{li + 1}"]
    p = trace.digits
    return {"weight": name, "old": number(W[j, k], p), "new": number(new[j, k], p)}
