"""Preset settings that choose between the course's conventions and are valid alone but not in
every combination: how batches are drawn, and ε = 0.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui_nn.core.errors import config_error

if TYPE_CHECKING:
    from tui_nn.core.train_config import TrainConfig

#: How each batch is drawn: a fresh permutation every epoch, the file's order, or (as the
#: course's 1_3 and 1_4 do with np.random.choice) batch_size indices drawn with replacement.
SAMPLINGS = ("shuffle", "in_order", "with_replacement")


def check_train_conventions(tc: TrainConfig, given: set[str], file: str) -> None:
    """Refuse `[train]` settings that contradict each other (`given`: the keys the preset
    sets), naming the field."""
    if tc.steps and "epochs" in given:
        raise config_error("err_steps_epochs", file=file, field="train.steps")
    if tc.sampling and "shuffle" in given and (not tc.shuffle) != (tc.sampling == "in_order"):
        raise config_error(
            "err_sampling_shuffle",
            shuffle=str(tc.shuffle).lower(),
            sampling=repr(tc.sampling),
            file=file,
            field="train.sampling",
        )
    if tc.optimizer == "adam" and tc.constants.get("eps") == 0:
        raise config_error("err_eps_zero_adam", got=0, file=file, field="train.eps")
