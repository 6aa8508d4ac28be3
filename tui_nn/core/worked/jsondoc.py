"""A trace as a JSON-ready dict: every number a JSON number, labels in the chosen language."""

from __future__ import annotations

import numpy as np

from tui_nn.core.worked.model import Step, Trace
from tui_nn.core.worked.text import label
from tui_nn.i18n import t

SCHEMA = "tui-nn/worked/1"


def _json_value(v: float | np.ndarray | tuple | None):
    """Numbers as JSON numbers (arrays as nested lists); NaN and inf, which JSON lacks, as null."""
    if v is None:
        return None
    if isinstance(v, np.ndarray):
        return [_json_value(x) for x in v] if v.ndim else _json_value(float(v))
    if isinstance(v, tuple):
        return [_json_value(x) for x in v]
    f = float(v)
    return f if np.isfinite(f) else None


def step_to_dict(step: Step, lang: str = "en") -> dict:
    return {
        "id": step.id,
        "phase": step.phase,
        "kind": step.kind,
        "subject": step.subject,
        "label": label(step, lang),
        "explanation": t(step.explain_key, lang),
        "layer": step.layer,
        "unit": step.unit,
        "index": list(step.index) if step.index is not None else None,
        "param": step.param,
        "sample": None if step.sample is None else step.sample + 1,  # from 1, as --sample
        "shape": list(step.shape) if step.shape is not None else None,
        "symbol": step.symbol,
        "formula": step.formula,
        "substituted": step.substituted,
        "latex": {
            "symbol": step.symbol_tex,
            "formula": step.formula_tex,
            "substituted": step.substituted_tex,
        },
        "result": _json_value(step.result),
        "numpy": step.numpy,
        "factors": [
            {"symbol": f.symbol, "latex": f.tex, "value": _json_value(f.value)}
            for f in step.factors
        ],
        "state": {
            k: {"before": _json_value(a), "after": _json_value(b)}
            for k, (a, b) in step.state.items()
        },
        "notes": [{"key": n, "text": t("worked_note_" + n, lang)} for n in step.notes],
    }


def trace_to_dict(trace: Trace, lang: str = "en") -> dict:
    """The whole trace as plain JSON types; every number is a JSON number."""
    return {
        "schema": SCHEMA,
        "preset": trace.preset,
        "iteration": trace.iteration,
        "view": trace.view,
        "sample": None if trace.sample is None else trace.sample + 1,  # from 1, as --sample
        "digits": trace.digits,
        "lang": lang,
        "network": {
            "layers": trace.layers,
            "activations": trace.activations,
            "loss": trace.loss_name,
        },
        "optimizer": {
            "name": trace.optimizer,
            "lr": trace.lr,
            "constants": {k: float(v) for k, v in trace.constants.items()},
            "weight_decay": trace.weight_decay,
            "frozen": trace.frozen,
        },
        "batch": {
            "indices": trace.batch_indices,  # NumPy row indices, from 0
            "rows": [i + 1 for i in trace.batch_indices],  # the same rows counted from 1
            "x": _json_value(trace.x),
            "d": _json_value(trace.d),
        },
        "loss": _json_value(trace.loss),
        "params": {k: _json_value(v) for k, v in trace.params.items()},
        "grads": {k: _json_value(v) for k, v in trace.grads.items()},
        "new_params": {k: _json_value(v) for k, v in trace.new_params.items()},
        "notes": [{"key": n, "text": t("worked_note_" + n, lang)} for n in trace.notes],
        "steps": [step_to_dict(s, lang) for s in trace.steps],
    }
