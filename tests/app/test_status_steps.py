"""The status line counts a preset's run in its steps when it gives them (the course's
iters_num): "step 120/1,000" and the epoch alone, instead of an epoch total nobody set; and
the hyperparameters panel shows that steps setting in place of the epochs."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tui_nn.app.main import make_app
from tui_nn.app.widgets.hyperparams import HyperPanel
from tui_nn.app.widgets.status import StatusBar
from tui_nn.core import builtin_presets, load
from tui_nn.core.train_config import TrainConfig

from helpers.onscreen import assert_shows
from helpers.pilot import aio, loaded


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


@pytest.mark.parametrize(("lang", "label"), [("en", "steps"), ("ja", "更新回数")])
@aio
async def test_the_hyperparameters_show_the_steps_a_preset_gives(tmp_path, lang, label) -> None:
    """A preset with [train] steps (xor run for 250 steps instead of 2000 epochs) shows a steps
    row instead of an epochs row; the row is live, as the epochs row is."""
    xor = builtin_presets()["xor"].read_text("utf-8")
    assert "\nepochs = 2000\n" in xor
    (tmp_path / "xor.toml").write_text(xor.replace("\nepochs = 2000\n", "\nsteps = 250\n"))
    app = make_app(load(str(tmp_path / "xor.toml")), lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        panel = app.main.query_one(HyperPanel)
        rows = {key: (name, value) for key, name, value in panel.rows()}
        assert "train.epochs" not in rows and rows["train.steps"] == (label, "250")
        assert_shows(app.screen, label)
        app.main.editing.propose({"train.steps": 300})
        await pilot.pause(0.2)
        rows = {key: value for key, _, value in panel.rows()}
        assert rows["train.steps"] == "300" and app.screen is app.main  # no rebuild question
    plain = make_app(load("xor"), lang=lang)
    async with plain.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        keys = [key for key, _, _ in plain.main.query_one(HyperPanel).rows()]
        assert "train.epochs" in keys and "train.steps" not in keys


@pytest.mark.parametrize(
    ("lang", "speed", "shown"),
    [
        ("en", 1.0, "1 step/s"),
        ("en", 0.6, "1 step/s"),  # rounded to one before the noun is chosen
        ("en", 0.4, "0 steps/s"),
        ("en", 2.0, "2 steps/s"),
        ("en", 1234.0, "1,234 steps/s"),
        ("ja", 1.0, "1 ステップ/秒"),
        ("ja", 2.0, "2 ステップ/秒"),
    ],
)
def test_the_speed_is_singular_for_one_step_a_second(lang, speed, shown) -> None:
    assert _Bar(lang).rate(speed) == shown
