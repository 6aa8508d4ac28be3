"""The app driven by keys (Textual Pilot): what the student does, and what the screen and the
trainer show afterwards. Numbers come from Mazur's worked example (E = 0.298371109 before
the first update of the 2-2-2 network, w5 = 0.35891648 and w1 = 0.149780716 after it).
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest
from textual.widgets import Input

from tui_nn.app.experiment import Experiment
from tui_nn.app.main import TuiNN, make_app
from tui_nn.app.screens.confirm import ConfirmScreen
from tui_nn.app.screens.edit import EditScreen
from tui_nn.app.screens.export import ExportScreen
from tui_nn.app.screens.help import HelpScreen
from tui_nn.app.screens.main import MainScreen
from tui_nn.app.screens.presets import PresetPicker
from tui_nn.app.snapshot import DIVERGED, FINISHED, PAUSED, RUNNING
from tui_nn.app.stepper import StepperScreen
from tui_nn.app.widgets.architecture import ArchitecturePanel
from tui_nn.app.widgets.charts import LossChart
from tui_nn.app.widgets.hint import HintLine
from tui_nn.app.widgets.hyperparams import HyperPanel
from tui_nn.core import Trainer, builtin_presets, load
from tui_nn.i18n import t

from helpers.pilot import aio, banner, highlight, loaded, settled, snap, status, until

MAZUR_TOML = builtin_presets()["mazur-2-2-2"].read_text("utf-8")


def endless_mazur(tmp_path: Path, **changes: str) -> Path:
    """The mazur preset file with a huge epoch count (and other [train]/[network] lines)."""
    text = MAZUR_TOML.replace("epochs = 10000", "epochs = 100000000")
    for old, new in changes.items():
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / "mazur-endless.toml"
    path.write_text(text, "utf-8")
    return path


# ---- every shipped preset -----------------------------------------------------------------


@pytest.mark.parametrize("name", list(builtin_presets()))
@aio
async def test_each_shipped_preset_trains_live_and_pauses(name: str) -> None:
    """Load, play, wait for a few steps, pause: the trainer and the widgets agree."""
    app = make_app(name, lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: app.main.state.info is not None or "load" in banner(app))
        if app.main.state.info is None:
            assert name in ("mnist", "course-1_4"), banner(app)  # MNIST files may be missing
            assert "Could not load the preset" in banner(app) and "data" in banner(app)
            pytest.skip("the MNIST files are not on this machine; the app said so, not crashed")
        await loaded(pilot)
        await pilot.press("space")
        if app.main.session.trainer.forward_only:  # inputs and no targets: nothing to train
            await until(pilot, lambda: "forward-propagation" in banner(app))
            assert snap(app).step == 0
            return
        await until(pilot, lambda: snap(app).step >= 5 or snap(app).state == FINISHED)
        if snap(app).state == RUNNING:
            await pilot.press("space")
        await until(pilot, lambda: snap(app).state in (PAUSED, FINISHED))
        trainer = app.main.session.trainer
        assert trainer.step_count == snap(app).step >= 1
        assert f"step {trainer.step_count:,}" in status(app)
        shape = "-".join(map(str, trainer.net.cfg.layers))
        assert shape in str(app.main.query_one(ArchitecturePanel).border_title)
        # A stopped run's charts redraw on the next paced frame, not at once.
        chart = app.main.query_one(LossChart)
        await until(pilot, lambda: "train" in str(chart.border_subtitle), timeout=5)


# ---- numbers ------------------------------------------------------------------------------


@aio
async def test_one_step_reproduces_the_worked_example() -> None:
    app = make_app("mazur-2-2-2", lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("s")
        await settled(pilot, 1)
        t = app.main.session.trainer
        assert t.steps.last()["loss"] == pytest.approx(0.298371109, abs=1e-9)
        assert t.net.params["W2"][0, 0] == pytest.approx(0.35891648, abs=1e-8)
        assert t.net.params["W1"][0, 0] == pytest.approx(0.149780716, abs=1e-9)
        assert "step 1 " in status(app) + " " and "lr 0.5" in status(app)


@aio
async def test_changing_lr_mid_run_applies_from_the_next_step(tmp_path: Path) -> None:
    app = make_app(endless_mazur(tmp_path), lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("space")
        await until(pilot, lambda: snap(app).step > 50)
        # Keys typed while the worker trains are slow under Pilot (it waits for the process to
        # go idle), so the dialog is opened and filled in directly, as Enter and typing would.
        app.main.editing.edit_field("train.lr")
        await until(pilot, lambda: isinstance(app.screen, EditScreen) and app.screen.query(Input))
        app.screen.query_one(Input).value = "0.05"
        app.screen.submit()
        await until(pilot, lambda: snap(app).lr == 0.05)
        await until(pilot, lambda: snap(app).series("steps", "lr")[-1] == 0.05)
        await pilot.press("space")
        await settled(pilot)
        t = app.main.session.trainer
        assert t.cfg.lr == 0.05 and t.lr == 0.05
        lrs = t.steps.column("lr")
        switch = int(np.argmax(lrs == 0.05))
        assert switch > 0 and (lrs[:switch] == 0.5).all() and (lrs[switch:] == 0.05).all()
        assert "0.05" in str(app.main.query_one(HyperPanel).options[1].prompt)
        assert app.main.state.experiment.preset.train.lr == 0.05  # kept for resets and exports


@aio
async def test_reset_restores_the_exact_initial_weights(tmp_path: Path) -> None:
    app = make_app(endless_mazur(tmp_path), lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("space")
        await until(pilot, lambda: snap(app).step > 20)
        await pilot.press("space")
        await settled(pilot)
        await pilot.press("r")
        await settled(pilot, 0)
        t = app.main.session.trainer
        for name, value in t.initial.items():
            assert np.array_equal(t.net.params[name], value)
        assert np.array_equal(t.net.params["W2"], [[0.40, 0.50], [0.45, 0.55]])
        assert "step 0 " in status(app) + " "


@aio
async def test_divergence_pauses_and_says_what_to_try(tmp_path: Path) -> None:
    path = endless_mazur(
        tmp_path,
        **{
            'activation = "sigmoid"': 'activation = "identity"',
            'output = "sigmoid"': 'output = "identity"',
            "lr = 0.5": "lr = 1e5",
        },
    )
    app = make_app(path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("space")
        await settled(pilot, state=DIVERGED)
        t = app.main.session.trainer
        assert t.diverged is not None and t.diverged.step == t.step_count + 1
        assert all(np.isfinite(p).all() for p in t.net.params.values())
        text = banner(app)
        assert f"diverged at step {t.diverged.step}" in text and "learning rate 100000" in text
        assert "diverged" in status(app)
        # What it suggests works: a smaller lr, r, and space trains without diverging.
        await highlight(pilot, "hyper", "train.lr")
        await pilot.press("enter")
        await pilot.press(*"0.01", "enter")
        await until(pilot, lambda: snap(app).lr == 0.01)
        await pilot.press("r")
        await settled(pilot, 0)
        await pilot.press("space")
        await until(pilot, lambda: snap(app).step > 100)
        assert snap(app).state == RUNNING and banner(app) == ""
        await pilot.press("space")


@aio
async def test_quitting_mid_run_is_immediate() -> None:
    """q stops the trainer before the app exits, so the exit waits for no training slice: at
    most the update in flight ends after it. Counted in updates, which a loaded machine slows
    as much as the exit; the wall-clock bound is only there to catch a hang."""
    big = load(
        "digits",
        ["network.layers=[64, 256, 256, 10]", 'train.batch_size="full"', "train.epochs=100000"],
    )
    app = make_app(big, lang="en", autostart=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: snap(app) is not None and snap(app).step > 3)
        assert snap(app).state == RUNNING
        session, trainer = app.main.session, app.main.session.trainer
        at_stop: list[int] = []
        stop = session.stop

        def counted_stop() -> None:
            at_stop.append(trainer.step_count)
            stop()

        session.stop = counted_stop
        start = time.monotonic()
        await pilot.press("q")
    assert session.finished.wait(5.0)
    assert time.monotonic() - start < 5.0
    assert at_stop and trainer.step_count - at_stop[0] <= 1, (at_stop, trainer.step_count)


# ---- language, hints, help, palette -------------------------------------------------------


@aio
async def test_language_toggle_switches_every_label_live() -> None:
    app = make_app("mazur-2-2-2", lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        hyper = app.main.query_one(HyperPanel)
        assert str(hyper.border_title) == "Hyperparameters"
        await pilot.press("l")
        assert app.lang == "ja"
        assert str(hyper.border_title) == "ハイパーパラメータ"
        assert "学習率" in str(hyper.options[1].prompt)
        assert "ステップ 0" in status(app) and "一時停止" in status(app)
        assert app.screen.active_bindings["space"].binding.description == "学習/停止"
        assert app.screen.active_bindings["l"].binding.description == "English"
        await pilot.press("l")
        assert status(app).startswith("paused")
        assert app.screen.active_bindings["space"].binding.description == "Play/Pause"


@aio
async def test_first_run_without_a_preset_says_how_to_start() -> None:
    app = make_app(None, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        welcome = str(app.main.query_one("#welcome").render())
        assert "Press o to load a preset" in welcome and "Press b" in welcome
        assert app.main.query_one(HintLine).text.startswith("o: load a preset")
        assert app.main.check_action("run", ("play_pause",)) is None  # greyed out, nothing to train
        await pilot.press("o")
        assert isinstance(app.screen, PresetPicker)
        ids = [o.id for o in app.screen.query_one("#preset-list").options]
        assert ids == list(builtin_presets())
        app.screen.query_one("#preset-list").highlighted = ids.index("xor")
        await pilot.press("enter")
        await loaded(pilot)
        assert app.main.state.info.preset.name == "xor"
        assert "xor" in status(app)


@aio
async def test_preset_picker_explains_a_bad_path() -> None:
    app = make_app("mazur-2-2-2", lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("o")
        app.screen.query_one("#preset-path").focus()
        await pilot.press(*"nope.toml", "enter")
        assert isinstance(app.screen, PresetPicker)
        assert "no such file" in str(app.screen.query_one("#error").render())


@aio
async def test_help_opens_on_the_highlighted_setting() -> None:
    app = make_app("mazur-2-2-2", lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await highlight(pilot, "hyper", "train.lr")
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        text = app.screen.markdown()
        assert text.startswith("## Learning rate")
        assert "| `space` | Play/Pause |" in text
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


@aio
async def test_f1_opens_help_inside_a_dialog_and_closes_it_again() -> None:
    app = make_app("mazur-2-2-2", lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("o")
        assert isinstance(app.screen, PresetPicker)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        # The keys listed are the dialog's, not the main screen's.
        text = app.screen.markdown()
        assert "| `esc` | Cancel |" in text and "Play/Pause" not in text
        await pilot.press("f1")
        assert isinstance(app.screen, PresetPicker)
        # `?` still reaches a text field: it is typed, not taken as help.
        app.screen.query_one("#preset-path").focus()
        await pilot.press("question_mark")
        assert isinstance(app.screen, PresetPicker)
        assert app.screen.query_one("#preset-path", Input).value == "?"


@aio
async def test_l_switches_language_inside_the_dialogs_but_is_typed_in_text_fields() -> None:
    app = make_app("mazur-2-2-2", lang="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("o")
        picker = app.screen
        title = picker.query_one("#picker-title")
        assert str(title.render()) == "Load a preset"
        presets = picker.query_one("#preset-list")
        presets.highlighted = 3
        await pilot.press("l")  # on the list
        assert app.lang == "ja" and str(title.render()) == t("app_picker_title", "ja")
        assert presets.highlighted == 3  # the place is kept
        picker.query_one("#preset-path").focus()
        await pilot.press("l")
        assert app.lang == "ja" and picker.query_one("#preset-path", Input).value == "l"
        await pilot.press("escape", "f")
        assert isinstance(app.screen, ExportScreen)
        await pilot.press("l")
        assert app.lang == "en"


@aio
async def test_command_palette_lists_every_action() -> None:
    app = make_app("mazur-2-2-2", lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        titles = {c.title for c in app.get_system_commands(app.main)}
        for title in (
            "Play/Pause",
            "Step",
            "Epoch",
            "Reset",
            "Preset",
            "Backprop",
            "New seed",
            "x: step/epoch",
            "Log scale",
            "Next plot",
            "Histogram",
            "Help",
            "日本語",
            "Add layer",
            "Remove layer",
            "Quit",
        ):
            assert title in titles
        add = next(c for c in app.get_system_commands(app.main) if c.title == "Add layer")
        await highlight(pilot, "arch", "hidden-1")
        await add.callback()  # at step 0 with nothing to lose: no question
        await until(pilot, lambda: app.main.state.info.layers == (2, 2, 2, 2))


# ---- editing ------------------------------------------------------------------------------


@aio
async def test_adding_a_layer_asks_first_then_rebuilds() -> None:
    app = make_app("mazur-2-2-2", lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("s")
        await settled(pilot, 1)
        await highlight(pilot, "arch", "hidden-1")
        await pilot.press("a")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await until(pilot, lambda: app.main.state.info.layers == (2, 2, 2, 2))
        await settled(pilot, 0)
        t = app.main.session.trainer
        assert t.net.cfg.layers == [2, 2, 2, 2] and t.net.cfg.hidden_activations == ["sigmoid"] * 2
        assert "2-2-2-2" in str(app.main.query_one(ArchitecturePanel).border_title)
        # ...and d removes it again (at step 0 with nothing to lose: no question).
        await highlight(pilot, "arch", "hidden-2")
        await pilot.press("d")
        await until(pilot, lambda: app.main.state.info.layers == (2, 2, 2))


@aio
async def test_an_impossible_pairing_is_explained_not_fixed() -> None:
    app = make_app("mazur-2-2-2", lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await highlight(pilot, "arch", "output")
        await pilot.press("enter")
        dialog = app.screen
        assert isinstance(dialog, EditScreen)
        losses = dialog.query_one("#f-network-loss")
        losses.focus()
        losses.highlighted = [o.id for o in losses.options].index("cross_entropy")
        await pilot.press("enter")
        assert app.screen is dialog  # refused, still open
        error = str(dialog.query_one("#error").render())
        assert "cross_entropy" in error and "softmax" in error
        outputs = dialog.query_one("#f-network-output")
        outputs.highlighted = [o.id for o in outputs.options].index("softmax")
        await pilot.press("enter")
        await until(pilot, lambda: app.main.state.info.preset.network.output == "softmax")
        assert app.main.session.trainer.net.cfg.loss == "cross_entropy"


@aio
async def test_new_seed_draws_the_same_weights_as_that_seed() -> None:
    app = make_app("circle", lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        before = app.main.session.trainer.initial["W1"].copy()
        await pilot.press("i")
        await until(pilot, lambda: app.main.state.info.preset.network.seed == 1)
        await settled(pilot, 0)
        now = app.main.session.trainer.initial["W1"]
        expected = Trainer(load("circle", ["network.seed=1", "train.seed=1", "data.seed=1"]))
        assert not np.array_equal(now, before)
        assert np.array_equal(now, expected.initial["W1"])


# ---- the stepper slot ---------------------------------------------------------------------


@aio
async def test_backprop_view_gets_the_paused_trainer_and_gives_it_back(tmp_path: Path) -> None:
    app = make_app(endless_mazur(tmp_path), lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("space")
        await until(pilot, lambda: snap(app).step > 10)
        await pilot.press("b")
        await until(pilot, lambda: isinstance(app.screen, StepperScreen))
        stepper = app.screen
        assert stepper.trainer is app.main.session.trainer
        steps = stepper.trainer.step_count
        await pilot.pause(0.05)
        assert stepper.trainer.step_count == steps  # the worker keeps its hands off
        stepper.trainer.step()  # as the stepper does, on the UI thread
        await pilot.press("escape")
        await settled(pilot, steps + 1)
        await pilot.press("s")
        await settled(pilot, steps + 2)


@aio
async def test_keys_are_disabled_while_a_dialog_is_open() -> None:
    """Training keys belong to the main screen: pressed over a dialog (help, which has no
    text field to type them into) they neither train now nor wait to train after it closes."""
    app = make_app("mazur-2-2-2", lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("s", "e", "space", "n")
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
        await pilot.pause(0.2)
        assert app.main.session.trainer.step_count == 0 and snap(app).step == 0
        await pilot.press("s")  # and on the main screen, the same key does train
        await settled(pilot, step=1)


# ---- the catalogue ------------------------------------------------------------------------


def test_every_text_the_app_asks_for_exists_in_both_languages() -> None:
    import re

    import tui_nn.app
    from tui_nn.app.lang import APP_KEYS
    from tui_nn.app.screens.help import TOPICS
    from tui_nn.app.snapshot import IDLE
    from tui_nn.app.widgets.hyperparams import field_keys, short_name
    from tui_nn.core.optimizers import OPTIMIZERS
    from tui_nn.i18n import catalogue

    folder = Path(tui_nn.app.__file__).parent
    source = "\n".join(p.read_text("utf-8") for p in folder.rglob("*.py"))
    keys = set(re.findall(r'"(app_[a-z_]+)"', source)) - {APP_KEYS}  # a prefix, not an entry
    for opt in OPTIMIZERS:  # every row the hyperparameter panel can show, and its help line
        exp = Experiment(load("mazur-2-2-2", [f"train.optimizer={opt}"]))
        for k in field_keys(exp):
            keys |= {f"app_field_{short_name(k)}", f"app_field_{short_name(k)}_help"}
    keys |= {f"app_state_{s}" for s in (IDLE, PAUSED, RUNNING, FINISHED, DIVERGED)}
    keys |= {f"app_help_{t}" for t in TOPICS}
    for screen in (MainScreen, ArchitecturePanel, TuiNN, EditScreen, ConfirmScreen, HelpScreen):
        keys |= {f"app_key_{b.id}" for b in screen.BINDINGS}
    entries = catalogue()
    for key in sorted(keys):
        assert key in entries, key
        assert entries[key].get("en") and entries[key].get("ja"), key
