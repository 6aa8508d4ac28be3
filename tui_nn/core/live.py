"""The [train] settings a running trainer takes from its next step, and their checks.

Everything else (the seed, the dtype, frozen parameters, the sampling, the reduction) decides
what the trainer was built with: changing it means a new trainer.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from tui_nn.core.conventions import check_train_conventions
from tui_nn.core.errors import ConfigError, config_error
from tui_nn.core.presets import CONSTANTS, SCHEMA
from tui_nn.core.train_config import TrainConfig

#: TrainConfig fields that may change between steps; `constants` are the optimizer's.
LIVE_FIELDS = frozenset(
    {
        "lr",
        "batch_size",
        "epochs",
        "steps",
        "lr_decay_every",
        "lr_decay_factor",
        "weight_decay",
        "eval_every",
        "optimizer",
        "constants",
    }
)


def changed(cfg: TrainConfig, changes: dict[str, Any], file: str) -> TrainConfig:
    """`cfg` with `changes`, each checked as a preset's [train] field is; raises ConfigError
    naming the field for one that is not live (or not a setting at all) or a bad value. The
    names of `constants` are the optimizer's to check (Optimizer refuses one it does not have).
    """
    for name in changes:
        if name not in LIVE_FIELDS:
            live = ", ".join(sorted(LIVE_FIELDS))
            raise config_error("err_not_live", live=live, file=file, field=f"train.{name}")
    checked = {k: _checked(k, v, file) for k, v in changes.items() if k != "constants"}
    if "constants" in changes:
        constants = changes["constants"]
        if not isinstance(constants, dict):
            raise config_error("err_table", section="constants", file=file, field="train")
        checked["constants"] = {
            k: _checked(k, v, file) if k in CONSTANTS else v for k, v in constants.items()
        }
    if checked.get("optimizer", cfg.optimizer) != cfg.optimizer:
        # Another optimizer starts from its own defaults, not the previous one's constants.
        checked.setdefault("constants", {})
    new = replace(cfg, **checked)
    check_train_conventions(new, set(), file)  # no key is given as a preset gives it
    return new


def _checked(name: str, value: Any, file: str) -> Any:
    try:
        return SCHEMA["train"][name](value)
    except ConfigError as e:
        raise e.located(file=file, field=f"train.{name}") from None
