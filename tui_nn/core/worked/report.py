"""What `tui-nn worked` prints: one iteration of a trainer as text, Markdown or JSON."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from tui_nn.core.errors import config_error
from tui_nn.core.worked.build import build_trace
from tui_nn.core.worked.jsondoc import trace_to_dict
from tui_nn.core.worked.markdown import render_markdown
from tui_nn.core.worked.model import Trace
from tui_nn.core.worked.scalar import expand as expand_steps
from tui_nn.core.worked.text import render_text

if TYPE_CHECKING:
    from tui_nn.core.trainer import Trainer


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
        trace.steps, trace.view = expand_steps(trace, target[0], *target[1]), "scalar"
    return _written(trace, output, lang, ascii_only)


def _written(trace: Trace, output: str, lang: str, ascii_only: bool) -> str:
    if output == "json":
        return json.dumps(trace_to_dict(trace, lang), ensure_ascii=False, indent=1) + "\n"
    if output == "markdown":
        return render_markdown(trace, lang)
    return render_text(trace, lang, ascii_only=ascii_only)
