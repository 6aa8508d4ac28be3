"""In the app: a loss that rises far above its start says so in the banner (and training goes
on to the end); a divergence says which weights it went back to, and a smaller η goes on."""

from __future__ import annotations

import numpy as np
import pytest

from tui_nn.app.main import make_app
from tui_nn.app.messages import TrainingDiverged
from tui_nn.app.run_words import diverged_entry
from tui_nn.app.snapshot import DIVERGED, FINISHED, RUNNING
from tui_nn.app.widgets.banner import Banner
from tui_nn.core import Diverged, load
from tui_nn.i18n import t

from helpers.pilot import FULL_SPEED, aio, banner, highlight, loaded, settled, snap, until


@pytest.mark.parametrize("lang", ["en", "ja"])
@aio
async def test_a_rising_loss_is_in_the_banner_and_stays_after_the_run(lang: str) -> None:
    app = make_app(load("circle", ["train.lr=50", FULL_SPEED]), lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("space")
        await until(pilot, lambda: "η = 50" in banner(app))
        assert not app.main.query_one(Banner).has_class("-error")  # a warning, not an error
        await settled(pilot, state=FINISHED)  # it warns, it does not stop the run
        assert snap(app).step == 500
        w = app.main.session.trainer.warnings[0]
        text = banner(app)
        if lang == "en":
            assert f"from step {w.step} on" in text and "Finished 50 epochs" in text
            assert "Enter on the learning-rate row" in text and "press r" in text
        else:
            assert f"ステップ {w.step} から" in text and "50 エポックの学習が終わりました" in text
        assert "η = 50" in text


@aio
async def test_a_calm_run_finishes_without_a_warning() -> None:
    app = make_app(load("circle", [FULL_SPEED]), lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("space")
        await settled(pilot, state=FINISHED)
        assert banner(app).startswith("Finished 50 epochs.") and "η" not in banner(app)


@aio
async def test_after_a_divergence_a_smaller_eta_goes_on_with_momentum() -> None:
    """regression with momentum at η = 50 diverges; the banner says the weights and the velocity
    went back; η = 0.01 and space then train on (before, the infinite velocity diverged again
    at once)."""
    preset = load("regression", ['train.optimizer="momentum"', "train.lr=50"])
    app = make_app(preset, lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("space")
        await settled(pilot, state=DIVERGED)
        text = banner(app)
        assert "back to the initial ones" in text and "optimizer's state" in text
        trainer = app.main.session.trainer
        np.testing.assert_array_equal(trainer.net.params["W1"], trainer.initial["W1"])
        diverged_at = snap(app).step
        await highlight(pilot, "hyper", "train.lr")
        await pilot.press("enter")
        await pilot.press(*"0.01", "enter")
        await until(pilot, lambda: snap(app).lr == 0.01)
        await pilot.press("space")
        await until(pilot, lambda: snap(app).step > diverged_at)
        await until(pilot, lambda: snap(app).step > diverged_at + 300 or snap(app).state != RUNNING)
        assert snap(app).state in (RUNNING, FINISHED) and snap(app).step > diverged_at + 300
        await settled(pilot, state=FINISHED)
        assert banner(app).startswith("Finished 3 epochs.")  # the loss came down: no warning


@pytest.mark.parametrize(
    ("error", "english", "japanese"),
    [
        (Diverged(3, "loss"), "the loss E became", "誤差 Eが"),
        (
            Diverged(3, "loss", layer=2),
            "the loss E (first at the output of layer 2)",
            "(最初は第2層の出力)",
        ),
        (
            Diverged(3, "gradient", layer=2, param="W2"),
            "the gradient (first at layer 2 (W2))",
            "勾配 (最初は第2層 (W2))",
        ),
        (
            Diverged(3, "update", layer=1, param="b1"),
            "the update (first at b1)",
            "更新量 (最初はb1)",
        ),
    ],
)
def test_the_banner_words_each_divergence_from_its_fields(error, english, japanese) -> None:
    """The banner is built from the error's fields in each language (no English text parsed)."""

    def resolve(value: object, lang: str) -> str:
        if isinstance(value, tuple):
            key, values = value
            return t(key, lang, **{k: resolve(v, lang) for k, v in values.items()})
        return str(value)

    entry = diverged_entry(TrainingDiverged(error, 0.5))
    assert resolve(entry, "en").startswith(f"Training diverged at step 3: {english}")
    assert resolve(entry, "ja").startswith(
        "ステップ 3 で学習が発散しました: "
    ) and japanese in resolve(entry, "ja")
    assert "The learning rate 0.5 is probably too large" in resolve(entry, "en")
