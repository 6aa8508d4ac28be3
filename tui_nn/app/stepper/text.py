"""The stepper's catalogue text (tui_nn/i18n/stepper.toml and worked.toml) in either language;
its key bindings are tui_nn.app.lang's, described by the `stepper_key_<id>` entries."""

from __future__ import annotations

from tui_nn.core.worked import Step, label
from tui_nn.i18n import catalogue, t


def step_label(step: Step, lang: str) -> str:
    """The step's label from worked.toml ("Delta of o1"), with the sample for batches."""
    return label(step, lang)


def explanation(step: Step, lang: str) -> str:
    """The one-sentence explanation of the step, or "" when worked.toml has none."""
    return t(step.explain_key, lang) if step.explain_key in catalogue() else ""


def note(name: str, lang: str) -> str:
    k = f"worked_note_{name}"
    return t(k, lang) if k in catalogue() else name
