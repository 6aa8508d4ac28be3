"""A trace as plain text, as Markdown with LaTeX (for homework), or as a JSON-ready dict.

Text never aligns columns on formula glyphs (∂, Σ, η, · are East-Asian ambiguous width): each
equality goes on its own line with a fixed indent. `ascii_only` swaps those glyphs for ASCII.
"""

from __future__ import annotations

import json

import numpy as np

from tui_nn.core.errors import config_error
from tui_nn.core.safe_text import visible
from tui_nn.core.trainer import Trainer
from tui_nn.core.worked import PHASES, Step, Trace, build_trace
from tui_nn.core.worked_expr import array, fmt, is_small, num, shape_text
from tui_nn.core.worked_markdown import display_math, parameter_table
from tui_nn.i18n import catalogue, t

ASCII = {
    "∂": "d",
    "Σ": "sum",
    "σ": "sigma",
    "η": "eta",
    "·": "*",
    "²": "^2",
    "→": "->",
    "⁺": "+",
    "λ": "lambda",
    "μ": "mu",
    "ρ": "rho",
    "β": "beta",
    "ε": "eps",
    "√": "sqrt",
    "⌊": "floor(",
    "⌋": ")",
    "½": "1/2",
    "ᵀ": ".T",
    "×": "x",
    "≤": "<=",
    "⊙": "*",
    "…": "...",
    "\u0302": "_hat",
}
SCHEMA = "tui-nn/worked/1"


def to_ascii(text: str) -> str:
    return "".join(ASCII.get(ch, ch) for ch in text)


def result_text(value: float | np.ndarray, digits: int, lang: str) -> str:
    """A scalar, a small array in full, or a big array's shape and range."""
    if isinstance(value, np.ndarray):
        if is_small(value):
            return array(value, digits).text
        return t(
            "worked_array_summary",
            lang,
            shape=shape_text(value.shape),
            min=fmt(value.min(), 4),
            max=fmt(value.max(), 4),
            mean=fmt(value.mean(), 4),
        )
    return fmt(value, digits)


def result_tex(value: float | np.ndarray, digits: int) -> str:
    if isinstance(value, np.ndarray):
        return array(value, digits).tex
    return num(value, digits).tex


def chain(parts: list[str]) -> list[str]:
    """The sides of symbol = formula = substituted = result, without repeats."""
    out: list[str] = []
    for p in parts:
        if p and (not out or p != out[-1]):
            out.append(p)
    return out


def label(step: Step, lang: str) -> str:
    text = t(step.label_key, lang, what=step.subject)
    if step.sample is not None and step.id.split(".")[-1].startswith("n"):
        text += f" ({t('worked_sample', lang, n=step.sample + 1)})"
    return text


def render_step(
    step: Step, lang: str = "en", *, ascii_only: bool = False, digits: int = 9, explain: bool = True
) -> str:
    """One step: its label, the equalities line by line, the NumPy line, why, and any pitfall."""
    sides = chain(
        [step.symbol, step.formula, step.substituted, result_text(step.result, digits, lang)]
    )
    lines = [label(step, lang), "  " + " = ".join(sides[:2])]
    lines += [f"    = {s}" for s in sides[2:]]
    lines.append(f"  {t('worked_numpy', lang)}: {step.numpy}")
    if explain:
        lines.append(f"  {t(step.explain_key, lang)}")
    lines += [f"  ! {t('worked_note_' + n, lang)}" for n in step.notes]
    text = "\n".join(lines)
    return to_ascii(text) if ascii_only else text


def term(name: str, lang: str) -> str:
    """The course's name for an activation, loss or optimizer, with its preset key."""
    key = f"term_{name}"
    return t(key, lang) if key in catalogue() else name


def activations_text(names: list[str], lang: str) -> str:
    """Each run of equal layers once: "sigmoid function (sigmoid) ×5 / softmax function (…)"."""
    runs: list[list] = []
    for name in names:
        if runs and runs[-1][0] == name:
            runs[-1][1] += 1
        else:
            runs.append([name, 1])
    return " / ".join(term(n, lang) + (f" ×{k}" if k > 1 else "") for n, k in runs)


def header(trace: Trace, lang: str) -> list[str]:
    rows = trace.batch_indices
    lines = [
        t("worked_title", lang, preset=visible(trace.preset), iteration=trace.iteration),
        t(
            "worked_network",
            lang,
            layers="-".join(map(str, trace.layers)),
            activations=activations_text(trace.activations, lang),
            loss=term(trace.loss_name, lang),
        ),
        t(
            "worked_batch",
            lang,
            n=len(rows),
            rows=", ".join(str(i + 1) for i in rows[:8]) + (", …" if len(rows) > 8 else ""),
        ),
        t(
            "worked_settings",
            lang,
            optimizer=term(trace.optimizer, lang),
            lr=fmt(trace.lr, trace.digits),
        ),
        t("worked_names_deep" if len(trace.layers) > 3 else "worked_names_seed", lang),
    ]
    if trace.sample is not None:
        lines.append(t("worked_only_sample", lang, n=trace.sample + 1))
    if trace.view == "matrix":
        lines.append(t("worked_view_matrix", lang))
    return lines


def first_time(step: Step, seen: set[str]) -> bool:
    """True the first time a report meets this explanation: it is said once, not per weight."""
    new = step.explain_key not in seen
    seen.add(step.explain_key)
    return new


def render_text(trace: Trace, lang: str = "en", *, ascii_only: bool = False) -> str:
    """The whole iteration, phase by phase."""
    out, seen = header(trace, lang), set()
    if trace.notes:
        out += ["", t("worked_notes", lang) + ":"]
        out += [f"  ! {t('worked_note_' + n, lang)}" for n in trace.notes]
    for i, phase in enumerate(PHASES, start=1):
        steps = trace.phase(phase)
        if not steps:
            continue
        out += ["", f"== {i}. {t('worked_phase_' + phase, lang)} =="]
        for s in steps:
            first = first_time(s, seen)
            out += ["", render_step(s, lang, digits=trace.digits, explain=first)]
    text = "\n".join(out) + "\n"
    return to_ascii(text) if ascii_only else text


def step_tex_sides(step: Step, digits: int) -> list[str]:
    return chain(
        [step.symbol_tex, step.formula_tex, step.substituted_tex, result_tex(step.result, digits)]
    )


def render_markdown(trace: Trace, lang: str = "en") -> str:
    """A report to paste into homework: headings, LaTeX in $$…$$, code."""
    head = header(trace, lang)
    out, seen = [f"# {head[0]}", "", *(f"- {line}" for line in head[1:])], set()
    if trace.notes:
        out += ["", f"**{t('worked_notes', lang)}**", ""]
        out += [f"- {t('worked_note_' + n, lang)}" for n in trace.notes]
    for i, phase in enumerate(PHASES, start=1):
        steps = trace.phase(phase)
        if not steps:
            continue
        out += ["", f"## {i}. {t('worked_phase_' + phase, lang)}"]
        for s in steps:
            why = f" {t(s.explain_key, lang)}" if first_time(s, seen) else ""
            out += [
                "",
                f"**{label(s, lang)}{t('worked_label_end', lang)}**{why}",
                "",
                *display_math(step_tex_sides(s, trace.digits)),
                "",
                f"`{s.numpy}`",
            ]
            out += [
                f"> **{t('worked_note', lang)}:** {t('worked_note_' + n, lang)}" for n in s.notes
            ]
    error = trace.ctx.E(None).tex if trace.ctx is not None else "E"
    out += ["", *parameter_table(trace, lang, error)]
    return "\n".join(out) + "\n"


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


def parse_expand(spec: str) -> tuple[str, tuple[int, ...]]:
    """ "W2:0,1" → ("W2", (0, 1)): a parameter or layer (u2) and its NumPy indices."""
    name, _, rest = spec.partition(":")
    try:
        index = tuple(int(v) for v in rest.split(",")) if rest else ()
    except ValueError:
        index = None
    if not name or not index:
        raise config_error("worked_err_expand", spec=spec, field="--expand")
    return name.strip(), index


def worked_report(
    trainer: Trainer,
    iteration: int = 1,
    sample: int | None = None,
    *,
    view: str = "auto",
    expand: str | None = None,
    digits: int = 9,
    output: str = "text",
    lang: str = "en",
    ascii_only: bool = False,
) -> str:
    """What `tui-nn worked` prints: iteration K (after K−1 updates), sample I counted from 1."""
    if iteration < 1:
        raise config_error("worked_err_iteration", value=iteration, field="--iteration")
    if not 1 <= digits <= 17:
        raise config_error("worked_err_digits", value=digits, field="--digits")
    target = parse_expand(expand) if expand else None
    trainer.run(iteration - 1)
    batch = len(trainer.peek_batch()[2])
    if sample is not None and not 1 <= sample <= batch:
        raise config_error(
            "worked_err_sample", value=sample, iteration=iteration, n=batch, field="--sample"
        )
    trace = build_trace(
        trainer,
        None if sample is None else sample - 1,
        "matrix" if target and view == "auto" else view,
        digits,
    )
    if target:  # the scalar steps of one weight, whatever the size of the network
        trace.steps, trace.view = trace.expand(target[0], *target[1]), "scalar"
    if output == "json":
        return json.dumps(trace_to_dict(trace, lang), ensure_ascii=False, indent=1) + "\n"
    if output == "markdown":
        return render_markdown(trace, lang)
    return render_text(trace, lang, ascii_only=ascii_only)
