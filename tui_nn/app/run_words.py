"""The banner's words for a run that went wrong: a divergence (and the weights it went back
to), a loss that rose well above its start, a run that finished with the loss still high.

Each function gives a catalogue entry (key, values) whose values may themselves be entries, so
that a language switch re-translates the whole banner (tui_nn.app.widgets.banner).
"""

from __future__ import annotations

from textual.message import Message
from textual.worker import Worker, WorkerState

from tui_nn.app.messages import (
    CommandFailed,
    LoadFailed,
    TrainingDiverged,
    TrainingFinished,
    TrainingWarned,
)
from tui_nn.core.errors import Diverged, Kept
from tui_nn.core.watch import LossRising

Entry = tuple[str, dict[str, object]]

_WHAT = {"loss": "app_what_loss", "gradient": "app_what_gradient", "update": "app_what_update"}
_PLACE = {"output": "app_where_output", "layer": "app_where_layer", "param": "app_where_param"}


def where_entry(error: Diverged) -> Entry | None:
    """Where a divergence happened, as a catalogue entry (None: in the loss itself)."""
    place = error.place()
    return None if place is None else (_PLACE[place[0]], place[1])


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
    e = m.error
    what: Entry = (_WHAT[e.what], {})
    where = where_entry(e)
    cause = ("app_cause_in", {"what": what, "where": where}) if where else what
    values = {"step": f"{e.step:,}", "cause": cause, "lr": f"{m.lr:g}"}
    return ("app_diverged", {**values, "kept": kept_entry(e.kept, e.step)})


def rising_entry(w: LossRising) -> Entry:
    return ("app_loss_rising", _rising_values(w))


def finished_entry(m: TrainingFinished) -> Entry:
    # A preset that gives its length in steps (the course's iters_num) finishes with them.
    key, values = (
        ("app_finished_steps", {"steps": f"{m.steps:,}"})
        if m.steps
        else (
            "app_finished",
            {"epochs": f"{m.epochs:,}"},
        )
    )
    if m.warning is None:
        return (key, values)
    return (key + "_rising", {**values, **_rising_values(m.warning)})


def _rising_values(w: LossRising) -> dict[str, object]:
    return {"step": f"{w.step:,}", "start": f"{w.start:.3g}", "lr": f"{w.lr:g}"}


def banner_entry(m: Message) -> tuple[Entry, bool] | None:
    """The banner's entry for a message of the run and whether it shows as an error; None for
    a worker state change that is not the trainer's thread dying."""
    if isinstance(m, Worker.StateChanged):
        error = m.worker.error
        if m.worker.name != "trainer" or m.state != WorkerState.ERROR:
            return None
        return ("app_worker_failed", {"reason": f"{type(error).__name__}: {error}"}), True
    if isinstance(m, TrainingDiverged):
        return diverged_entry(m), True
    if isinstance(m, TrainingWarned):
        return rising_entry(m.warning), False
    if isinstance(m, TrainingFinished):
        return finished_entry(m), False
    if isinstance(m, CommandFailed):
        return ("app_command_failed", {"reason": m.reason}), True
    if isinstance(m, LoadFailed):
        return ("app_load_failed", {"reason": m.reason}), True
    raise TypeError(f"no banner for {type(m).__name__}")
