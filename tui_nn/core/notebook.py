"""The experiment as a Jupyter notebook (nbformat 4, written as plain JSON).

The code cells are the lines of the NumPy script (codegen.py), split at its parts; each stage
(data, network and initial weights, forward, loss, backward, update, training loop) gets a
Markdown cell with its formulas in the student's language. Run in order, the cells print the
script's numbers, which are the engine's.
"""

from __future__ import annotations

import html
import json
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

from tui_nn.core.codegen import GeneratedCode, generate_code, write_generated
from tui_nn.core.codegen_lines import rule_text
from tui_nn.core.safe_text import visible
from tui_nn.i18n import t

if TYPE_CHECKING:
    from tui_nn.core.trainer import Trainer

# The loss E over a batch of N samples with K outputs each, as losses.py computes it.
LOSS_FORMULA = {
    "sum_squared": r"E = \frac{1}{N} \sum_{n} \frac{1}{2} \sum_{k} (y_{nk} - d_{nk})^2",
    "mse": r"E = \frac{1}{N} \sum_{n} \frac{1}{K} \sum_{k} (y_{nk} - d_{nk})^2",
    "half_mse": r"E = \frac{1}{N} \sum_{n} \frac{1}{2K} \sum_{k} (y_{nk} - d_{nk})^2",
    "cross_entropy": r"E = -\frac{1}{N} \sum_{n} \sum_{k} d_{nk} \log y_{nk}",
    "binary_cross_entropy": (
        r"E = -\frac{1}{N} \sum_{n} \left( d_n \log y_n + (1 - d_n) \log (1 - y_n) \right)"
    ),
}

# Each stage: its Markdown text, then the parts of the script that make its code cell.
STAGES = (
    ("nb_settings", ("imports", "code_sec_settings")),
    ("nb_data", ("code_sec_data",)),
    ("nb_network", ("code_sec_init", "print_initial", "code_sec_functions")),
    ("nb_forward", ("code_sec_forward",)),
    ("nb_loss", ("loss",)),
    ("nb_backward", ("code_sec_backward",)),
    ("nb_update", ("code_sec_train",)),
    ("nb_loop", ("loop",)),
    ("nb_result", ("code_sec_result",)),
    ("nb_forward_run", ("code_sec_forward_run",)),
)
#: E of a batch as the mean over its N samples; for reduction "sum", their sum.
_MEAN = r"\frac{1}{N} \sum_{n}"

# The script finds its data file next to itself; a notebook runs in its own folder.
_NEXT_TO_SCRIPT = "Path(__file__).with_name("
# How each section of the script starts (codegen's _Writer.section).
_TITLE = "# ---- "


def _markdown_text(text: object) -> str:
    """A preset's text for a Markdown cell: one line, shown as written (never HTML)."""
    return html.escape(visible(text).replace("\n", " "), quote=False)


def _split(code: GeneratedCode) -> dict[str, str]:
    """The script's parts by name, each without its section title (the Markdown cell above
    says it) and without leading and trailing blank lines."""
    bounds = [*code.parts, ("", len(code.source))]
    parts = {}
    for (name, start), (_, end) in pairwise(bounds):
        text = code.source[start:end].replace(_NEXT_TO_SCRIPT, "Path(").strip("\n")
        if text.startswith(_TITLE):
            text = text.partition("\n")[2].strip("\n")
        parts[name] = text
    return parts


def _print_initial(trainer: Trainer, lang: str) -> str:
    """The initial W and b printed as the course's notebooks print arrays (`print_vec`)."""
    lines = [
        "def print_vec(text, vec):",
        '    print("*** " + text + " ***")',
        "    print(vec)",
        '    print("")',
        "",
    ]
    for i in range(1, len(trainer.net.layers) + 1):
        for kind, key in (("W", "nb_label_weight"), ("b", "nb_label_bias")):
            lines.append(f"print_vec({t(key, lang, l=i)!r}, network['{kind}{i}'])")
    return "\n".join(lines)


def _values(trainer: Trainer) -> dict[str, object]:
    """What the Markdown texts mention: the network's shape, activations, loss and update."""
    net, cfg = trainer.net.cfg, trainer.cfg
    rule = rule_text(cfg.optimizer, cfg.constants)
    loss = LOSS_FORMULA[net.loss]
    if cfg.reduction == "sum":
        loss = loss.replace(_MEAN, r"\sum_{n}")
    return {
        "layers": " → ".join(str(n) for n in net.layers),
        "L": len(net.layers) - 1,
        "activations": ", ".join([*net.hidden_activations, net.output]),
        "loss_formula": loss,
        "loss": net.loss,
        "optimizer": cfg.optimizer,
        "rule": "\n".join(f"- `{part.strip()}`" for part in rule.split(";")),
        "lr": repr(cfg.lr),
        "epochs": -(-trainer.total_steps // trainer.steps_per_epoch),
        "iters": trainer.total_steps,
        "batch": trainer.batch_size,
        "n": trainer.n_train,
    }


def _cell(kind: str, text: str) -> dict[str, object]:
    # nbformat stores a cell's source as its lines, each with its newline but the last.
    lines = text.splitlines(keepends=True)
    cell: dict[str, object] = {"cell_type": kind, "metadata": {}, "source": lines}
    if kind == "code":
        cell.update(execution_count=None, outputs=[])
    return cell


def _title(trainer: Trainer, lang: str) -> str:
    p = trainer.preset
    name = (p.name_ja if lang == "ja" else "") or p.name
    desc = (p.description_ja if lang == "ja" else "") or p.description
    head = f"# {_markdown_text(name)}"
    if desc:
        head += f"\n\n{_markdown_text(desc)}"
    return head + "\n\n" + t("nb_intro", lang)


def notebook_cells(trainer: Trainer, code: GeneratedCode, lang: str) -> list[dict[str, object]]:
    """A Markdown cell per stage, each followed by the script's lines for it (if any)."""
    parts, values = _split(code), _values(trainer)
    if not trainer.forward_only:  # a forward-only run prints its given weights' results
        parts["print_initial"] = _print_initial(trainer, lang)
    draws = "_draws" if trainer.cfg.order == "with_replacement" else ""
    cells = [_cell("markdown", _title(trainer, lang))]
    for key, names in STAGES:
        if not any(n in parts for n in names):  # a forward-only preset trains nothing
            continue
        text_key = key + draws if key in ("nb_settings", "nb_loop") else key
        cells.append(_cell("markdown", t(text_key, lang, **values)))
        source = "\n\n".join(parts[n] for n in names if parts.get(n))
        if source:
            cells.append(_cell("code", source))
    return cells


def notebook_json(cells: list[dict[str, object]]) -> str:
    """The notebook file's text: nbformat 4.5 with a Python 3 kernel."""
    notebook = {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "cells": [{"id": f"cell-{i}", **cell} for i, cell in enumerate(cells)],
    }
    return json.dumps(notebook, ensure_ascii=False, indent=1) + "\n"


def generate_notebook(
    trainer: Trainer, *, lang: str = "en", print_every: int | None = None, file_name: str
) -> GeneratedCode:
    """The notebook's text (and, as for the script, the arrays of its companion .npz)."""
    code = generate_code(trainer, lang=lang, print_every=print_every, file_name=file_name)
    text = notebook_json(notebook_cells(trainer, code, lang))
    return GeneratedCode(text, code.companion, code.arrays)


def write_notebook(
    path: Path | str,
    trainer: Trainer,
    *,
    lang: str = "en",
    print_every: int | None = None,
    overwrite: bool = False,
) -> list[Path]:
    """Write the notebook (and its companion .npz when needed); returns the files written."""
    path = Path(path)
    nb = generate_notebook(trainer, lang=lang, print_every=print_every, file_name=path.name)
    return write_generated(path, nb, overwrite)
