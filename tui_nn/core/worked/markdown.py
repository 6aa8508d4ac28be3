"""A trace as a Markdown report with LaTeX (for homework): display equations that break over
lines when long, and the table of every parameter before and after the update.

The LaTeX is kept to what KaTeX and MathJax both render (GitHub, VS Code, Jupyter, Obsidian):
`aligned` for multi-line equations, `\\mathrm` for names, `\\cdot` for products.
"""

from __future__ import annotations

import re

import numpy as np

from tui_nn.core.worked.expr import fmt
from tui_nn.core.worked.model import PHASES, Trace
from tui_nn.core.worked.names import Names, error_symbol
from tui_nn.core.worked.text import first_time, header, label, step_tex_sides
from tui_nn.i18n import t

#: An equation whose rendered width would pass this many characters goes on several lines.
MAX_WIDTH = 56
#: Rows of the parameter table; a bigger network lists the first ones and says how many remain.
MAX_ROWS = 120

#: Commands that draw one symbol; every other command (\mathrm, \left, …) draws none itself.
_SYMBOLS = {"cdot", "partial", "eta", "sum", "dots", "times", "delta", "sigma", "lambda", "mu"}
_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|.", re.S)


def _group(tokens: list[str], i: int) -> tuple[list[str], int]:
    """The tokens of the brace group (or the single token) at i, and the index after it."""
    if i >= len(tokens) or tokens[i] != "{":
        return tokens[i : i + 1], i + 1
    depth, j = 0, i
    while j < len(tokens):
        depth += {"{": 1, "}": -1}.get(tokens[j], 0)
        if depth == 0:
            break
        j += 1
    return tokens[i + 1 : j], j + 1


def rendered_width(tex: str | list[str]) -> float:
    """About how many characters wide `tex` renders: a fraction as wide as its wider part,
    sub- and superscripts at half width, braces and layout commands at none."""
    tokens = _TOKEN.findall(tex) if isinstance(tex, str) else tex
    width, i = 0.0, 0
    while i < len(tokens):
        tok, i = tokens[i], i + 1
        if tok == r"\frac":
            top, i = _group(tokens, i)
            bottom, i = _group(tokens, i)
            width += max(rendered_width(top), rendered_width(bottom))
        elif tok in ("^", "_"):
            script, i = _group(tokens, i)
            width += rendered_width(script) / 2
        elif tok.startswith("\\") and len(tok) > 2:
            width += tok[1:] in _SYMBOLS
        elif tok == " ":
            width += 0.5  # the room around = and +
        elif tok not in "{}":
            width += 1
    return width


def display_math(sides: list[str]) -> list[str]:
    """`a = b = c` as a display equation; past MAX_WIDTH, one `= …` per line, aligned on =."""
    one_line = " = ".join(sides)
    if len(sides) <= 2 or rendered_width(one_line) <= MAX_WIDTH:
        return ["$$", one_line, "$$"]
    rows = [f"{sides[0]} &= {sides[1]}", *(f"&= {side}" for side in sides[2:])]
    body = [*(row + r" \\" for row in rows[:-1]), rows[-1]]
    return ["$$", r"\begin{aligned}", *body, r"\end{aligned}", "$$"]


def _entries(trace: Trace) -> list[tuple[str, tuple[int, ...]]]:
    """Every (parameter, index) in the course's order: w1..wN layer by layer, then the biases."""
    params = trace.capture.params
    order = sorted(params, key=lambda k: (k[0] != "W", int(k[1:])))
    return [(name, index) for name in order for index in _unit_major(params[name].shape)]


def _unit_major(shape: tuple[int, ...]) -> list[tuple[int, ...]]:
    """W_l[i, j] for each unit j, for each of its inputs i (w1, w2 feed h1); b_l[j] by j."""
    if len(shape) != 2:
        return list(np.ndindex(shape))
    return [(i, j) for j in range(shape[1]) for i in range(shape[0])]


def _rows(trace: Trace, names: Names) -> tuple[list[str], int]:
    """Table rows, and how many parameters were left out."""
    cap, digits, seen, rows = trace.capture, trace.digits, set(), []
    for name, index in _entries(trace):
        symbol = names.param_entry(name, index)
        if symbol.tex in seen:  # one shared, frozen bias stands for its whole layer
            continue
        seen.add(symbol.tex)
        grad = "—" if name in trace.frozen else fmt(cap.grads[name][index], digits)
        new = fmt(cap.new_params[name][index], digits)
        rows.append(f"| ${symbol.tex}$ | {fmt(cap.params[name][index], digits)} | {grad} | {new} |")
    return rows[:MAX_ROWS], max(0, len(rows) - MAX_ROWS)


def parameter_table(trace: Trace, lang: str, error_tex: str) -> list[str]:
    """Every weight and bias: its value, the gradient the update used, its new value."""
    names = Names(trace.layers, trace.capture.params, trace.frozen)
    rows, left_out = _rows(trace, names)
    head = (
        f"| {t('worked_table_param', lang)} | {t('worked_table_value', lang)} "
        f"| $\\partial {error_tex} / \\partial w$ | {t('worked_table_new', lang)} |"
    )
    out = [f"## {t('worked_table_title', lang)}", "", head, "|---|---:|---:|---:|", *rows]
    if trace.frozen:
        out += ["", t("worked_table_frozen", lang)]
    if left_out:
        out += ["", t("worked_table_more", lang, n=left_out)]
    return out


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
    error = error_symbol(trace.capture.batch, None).tex
    out += ["", *parameter_table(trace, lang, error)]
    return "\n".join(out) + "\n"
