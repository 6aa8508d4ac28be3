"""A trace as plain text, phase by phase, and the pieces the other reports share.

Text never aligns columns on formula glyphs (∂, Σ, η, · are East-Asian ambiguous width): each
equality goes on its own line with a fixed indent. `ascii_only` swaps those glyphs for ASCII.
"""

from __future__ import annotations

import numpy as np

from tui_nn.core.safe_text import visible
from tui_nn.core.worked.expr import array, fmt, is_small, num, shape_text
from tui_nn.core.worked.model import PHASES, Step, Trace
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
        t("worked_names_deep" if len(trace.layers) > 3 else "worked_names_mazur", lang),
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
