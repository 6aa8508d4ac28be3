"""Optimizer and its constants, η, batch size, epochs or steps, decay, init, seed, dtype."""

from __future__ import annotations

from tui_nn.app.experiment import LIVE, Experiment
from tui_nn.app.helping import HelpData
from tui_nn.app.widgets.rows import RowsPanel
from tui_nn.core.network import INITS
from tui_nn.core.optimizers import OPTIMIZERS
from tui_nn.core.presets import PACES

#: Fields chosen from a list; the others are typed.
CHOICES: dict[str, tuple[str, ...]] = {
    "train.optimizer": tuple(OPTIMIZERS),
    "network.init": INITS,
    "train.dtype": ("float64", "float32"),
    "view.pace": PACES,
}


#: Settings sharing a help page (app_help_<topic>): the decay pair, optimizer constants, init_std,
#: the run's length in steps.
HELP_TOPIC = {
    "lr_decay_every": "lr_decay",
    "lr_decay_factor": "lr_decay",
    "init_std": "init",
    "steps": "epochs",
    "momentum": "optimizer",
    "rho": "optimizer",
    "eps": "optimizer",
    "beta1": "optimizer",
    "beta2": "optimizer",
}


def field_keys(exp: Experiment) -> list[str]:
    """The rows shown for this experiment: the optimizer's own constants follow it, and the
    std row only shows for the schemes that take one."""
    constants = [f"train.{c}" for c in OPTIMIZERS[exp.preset.train.optimizer].defaults]
    std = ["network.init_std"] if exp.preset.network.init in ("normal", "truncated_normal") else []
    # A run given in updates ([train] steps, the course's iters_num) has no epoch total.
    length = "train.steps" if exp.preset.train.steps else "train.epochs"
    return [
        "train.optimizer",
        *constants,
        "train.lr",
        "train.batch_size",
        length,
        "view.pace",
        "train.lr_decay_every",
        "train.lr_decay_factor",
        "train.weight_decay",
        "network.init",
        *std,
        "seed",
        "train.dtype",
    ]


def short_name(key: str) -> str:
    """`train.lr` -> `lr`: the suffix of the catalogue entries app_field_<name>."""
    return key.rsplit(".", 1)[-1]


class HyperPanel(RowsPanel):
    """Hyperparameters; Enter edits a row (live ones apply from the next step)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.experiment: Experiment | None = None

    def show(self, experiment: Experiment) -> None:
        self.experiment = experiment
        self.relabel()

    def relabel(self) -> None:
        self.border_title = self.tr("app_hyper_title")
        super().relabel()

    def rows(self) -> list[tuple[str, str, str]]:
        exp = self.experiment
        if exp is None:
            return []
        return [
            (k, self.tr(f"app_field_{short_name(k)}"), self.value_text(exp, k))
            for k in field_keys(exp)
        ]

    def value_text(self, exp: Experiment, key: str) -> str:
        if key == "seed":
            return str(exp.preset.network.seed)
        value = exp.value(key)
        if key == "train.batch_size" and value == "full":
            return self.tr("app_value_full")
        if key == "train.lr_decay_every" and not value:
            return self.tr("app_value_off")
        if key == "network.init" and exp.given_weights:
            return self.tr("app_value_given", init=value)
        return f"{value:g}" if isinstance(value, float) else str(value)

    def help_key(self, row: str) -> str:
        return f"app_field_{short_name(row)}_help"

    def help_data(self) -> HelpData | None:
        """F1 on a row opens the help at that setting's page."""
        if not self.row:
            return None
        name = short_name(self.row)
        return HelpData(topic=HELP_TOPIC.get(name, name))

    @staticmethod
    def is_live(key: str) -> bool:
        """True when the running trainer takes the change from its next step."""
        return key in LIVE
