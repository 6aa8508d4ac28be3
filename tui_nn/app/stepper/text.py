"""The stepper's catalogue text (tui_nn/i18n/stepper.toml) and key bindings in either language.

A binding's id names its footer text, `stepper_key_<id>`; `localize` rewrites the descriptions
of a node's bindings when the student switches language.
"""

from __future__ import annotations

from dataclasses import replace

from textual.binding import Binding
from textual.dom import DOMNode

from tui_nn.core.worked import Step, label
from tui_nn.i18n import catalogue, t


def key(
    keys: str, action: str, id: str, *, show: bool = True, display: str | None = None
) -> Binding:
    """A binding described by `stepper_key_<id>` (English until `localize` says otherwise)."""
    return Binding(
        keys, action, t(f"stepper_key_{id}", "en"), show=show, id=id, key_display=display
    )


def localize(node: DOMNode, lang: str) -> None:
    """Describe `node`'s bindings in `lang` (the footer and the key panel read this map)."""
    entries = catalogue()

    def localized(b: Binding) -> Binding:
        name = f"stepper_key_{b.id}"
        return replace(b, description=t(name, lang)) if b.id and name in entries else b

    bindings = node._bindings
    bindings.key_to_bindings = {
        k: [localized(b) for b in bs] for k, bs in bindings.key_to_bindings.items()
    }


def step_label(step: Step, lang: str) -> str:
    """The step's label from worked.toml ("Delta of o1"), with the sample for batches."""
    return label(step, lang)


def explanation(step: Step, lang: str) -> str:
    """The one-sentence explanation of the step, or "" when worked.toml has none."""
    return t(step.explain_key, lang) if step.explain_key in catalogue() else ""


def note(name: str, lang: str) -> str:
    k = f"worked_note_{name}"
    return t(k, lang) if k in catalogue() else name
