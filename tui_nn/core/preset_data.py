"""The data a preset's `[data]` section describes: its source's data set, then the points the
student added or removed (`points`), checked against the network's inputs and outputs."""

from __future__ import annotations

from typing import Any

from tui_nn.core.data import SOURCES, DataContext, Dataset
from tui_nn.core.errors import ConfigError, config_error
from tui_nn.core.points import apply_edits, split_keys


def load_data(spec: dict[str, Any], ctx: DataContext) -> Dataset:
    """Build the data set a preset's `[data]` section describes."""
    name = spec.get("source", "inline")
    if not isinstance(name, str) or name not in SOURCES:
        raise config_error(
            "err_unknown_source",
            name=repr(name),
            choices=", ".join(sorted(SOURCES)),
            file=ctx.file,
            field="data.source",
        )
    rest, edits = split_keys({k: v for k, v in spec.items() if k != "source"})
    try:
        data = apply_edits(SOURCES[name](rest, ctx), edits)
    except ConfigError as e:
        raise e.located(file=ctx.file) from None
    if len(data.x_train) == 0:  # every source: a step would divide by a batch of 0
        raise config_error("err_no_train_rows", file=ctx.file, field="data")
    if ctx.n_inputs is not None and data.n_inputs != ctx.n_inputs:
        names = ", ".join(data.feature_names[:8]) + (", ..." if data.n_inputs > 8 else "")
        raise config_error(
            "err_input_columns",
            n=data.n_inputs,
            names=names,
            units=ctx.n_inputs,
            file=ctx.file,
            field="data",
        )
    if data.d_train.shape[1] != ctx.n_outputs:
        raise config_error(
            "err_target_columns",
            n=data.d_train.shape[1],
            outputs=ctx.n_outputs,
            file=ctx.file,
            field="data",
        )
    return data
