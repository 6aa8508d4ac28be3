"""The banner's words for a run that went wrong: a divergence (and the weights it went back
to), a loss that rose well above its start, a run that finished with the loss still high.

Each function gives a catalogue entry (key, values) whose values may themselves be entries, so
that a language switch re-translates the whole banner (tui_nn.app.widgets.banner).
"""

from __future__ import annotations

import re

from tui_nn.app.messages import TrainingDiverged, TrainingFinished
from tui_nn.core.errors import Kept
from tui_nn.core.watch import LossRising

Entry = tuple[str, dict[str, object]]

_WHAT = {
    "the loss": "app_what_loss",
    "the gradient": "app_what_gradient",
    "the update": "app_what_update",
}


def where_entry(where: str) -> Entry | None:
    """The engine's English `where` of a divergence, as a catalogue entry (None: the loss)."""
    if m := re.fullmatch(r"layer (\d+) output", where):
        return ("app_where_output", {"i": m[1]})
    if m := re.fullmatch(r"layer (\d+) \((W\d+)\)", where):
        return ("app_where_layer", {"i": m[1], "name": m[2]})
    return None if where in ("the loss", "the error") else ("app_where_param", {"name": where})


def kept_entry(kept: Kept | None, step: int) -> Entry:
    """Which weights a divergence went back to."""
    if kept is None:
        return ("app_kept_before", {})
    start = f"{kept.start:.4g}"
    if kept.step is None:
        return ("app_kept_none", {"start": start, "step": f"{step:,}"})
    if kept.step == 0:
        return ("app_kept_initial", {"start": start})
    return ("app_kept_step", {"kept": f"{kept.step:,}", "loss": f"{kept.loss:.4g}", "start": start})


def diverged_entry(m: TrainingDiverged) -> Entry:
    what: Entry = (_WHAT.get(m.what, "app_what_loss"), {})
    where = where_entry(m.where)
    cause = ("app_cause_in", {"what": what, "where": where}) if where else what
    values = {"step": f"{m.step:,}", "cause": cause, "lr": f"{m.lr:g}"}
    return ("app_diverged", {**values, "kept": kept_entry(m.kept, m.step)})


def rising_entry(w: LossRising) -> Entry:
    return ("app_loss_rising", _rising_values(w))


def finished_entry(m: TrainingFinished) -> Entry:
    epochs = f"{m.epochs:,}"
    if m.warning is None:
        return ("app_finished", {"epochs": epochs})
    return ("app_finished_rising", {"epochs": epochs, **_rising_values(m.warning)})


def _rising_values(w: LossRising) -> dict[str, object]:
    return {"step": f"{w.step:,}", "start": f"{w.start:.3g}", "lr": f"{w.lr:g}"}
