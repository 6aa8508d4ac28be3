"""The [train] settings of a preset, as the trainer reads them (checked by `presets.parse`)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class TrainConfig:
    optimizer: str = "sgd"
    constants: dict[str, float] = field(default_factory=dict)
    lr: float = 0.1
    batch_size: int | str = "full"
    epochs: int = 100
    #: The run's length in updates (the course's iters_num), instead of epochs; 0: from epochs.
    steps: int = 0
    shuffle: bool = True
    seed: int = 0
    lr_decay_every: int = 0
    lr_decay_factor: float = 1.0
    weight_decay: float = 0.0
    freeze: list[str] = field(default_factory=list)
    dtype: str = "float64"
    eval_every: int = 0
    reduction: str = "mean"
    #: "shuffle", "in_order" or "with_replacement"; empty: from `shuffle`.
    sampling: str = ""
    #: The training accuracy and loss of an evaluation: on "all" the training data, or on the
    #: "batch" of the last update (as the course's 1_4 prints 正答率(トレーニング)).
    eval_train: str = "all"

    @property
    def order(self) -> str:
        """How each batch is drawn; `shuffle = false` alone means in order."""
        return self.sampling or ("shuffle" if self.shuffle else "in_order")
