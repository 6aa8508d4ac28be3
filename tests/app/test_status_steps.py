"""The status line counts a preset's run in its steps when it gives them (the course's
iters_num): "step 120/1,000" and the epoch alone, instead of an epoch total nobody set."""

from __future__ import annotations

from types import SimpleNamespace

from tui_nn.app.widgets.status import StatusBar
from tui_nn.core.train_config import TrainConfig


class _Bar(StatusBar):
    """The status line in a language, without an app around it."""

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang

    def tr(self, key: str, /, **values: object) -> str:
        from tui_nn.i18n import t

        return t(key, self.lang, **values)


def progress(lang: str, **train: int) -> tuple[str, str]:
    s = SimpleNamespace(step=120, epoch=0.2, train=TrainConfig(**train))
    (step, _), (epoch, _) = _Bar(lang)._progress(s)
    return step, epoch


def test_a_run_of_steps_is_counted_in_steps() -> None:
    assert progress("en", steps=1000) == ("step 120/1,000", "epoch 0.20")
    assert progress("ja", steps=1000) == ("ステップ 120/1,000", "エポック 0.20")


def test_a_run_of_epochs_keeps_its_epoch_total() -> None:
    assert progress("en", epochs=3) == ("step 120", "epoch 0.20/3")
