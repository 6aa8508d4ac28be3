"""The whole network typed at once (t on the architecture panel): 2-8-8-8-8-8-2 with one
activation for every hidden layer in one dialog, what is refused and why, and the preset panel
saying when the network is no longer the one its description is of."""

from __future__ import annotations

import pytest
from textual.widgets import Input, OptionList

from tui_nn.app.experiment import parse_layers
from tui_nn.app.main import make_app
from tui_nn.app.screens.confirm import ConfirmScreen
from tui_nn.app.screens.edit import EditScreen
from tui_nn.app.widgets.about import PresetAbout
from tui_nn.core import ConfigError
from tui_nn.i18n import t

from helpers.onscreen import assert_shows, assert_typing_visible, every_size_and_language
from helpers.pilot import aio, highlight, loaded, settled, until


@pytest.mark.parametrize(
    ("text", "layers"),
    [
        ("2-8-8-8-8-8-2", [2, 8, 8, 8, 8, 8, 2]),
        ("2 8 2", [2, 8, 2]),
        ("[2, 8, 2]", [2, 8, 2]),
        ("２－８－２", [2, 8, 2]),  # a Japanese IME's full-width digits and dash
        ("2−16−2", [2, 16, 2]),  # the minus sign
        ("2-2", [2, 2]),
    ],
)
def test_a_layer_spec_is_read_as_the_sizes_it_names(text: str, layers: list[int]) -> None:
    assert parse_layers(text, 2, 2) == layers


@pytest.mark.parametrize("text", ["", "2", "2-x-2", "2-8.5-2", "1e3-2", "2-８-2" + "-8" * 300])
def test_a_spec_that_is_not_sizes_says_how_to_write_one(text: str) -> None:
    with pytest.raises(ConfigError) as e:
        parse_layers(text, 2, 2)
    assert e.value.field == "network.layers" and "2-8-8-2" in e.value.reason


def test_the_data_fixes_the_first_and_last_sizes() -> None:
    with pytest.raises(ConfigError) as e:
        parse_layers("3-8-2", 2, 2)
    assert "start with 2 and end with 2" in e.value.reason
    assert "2 で始めて 2 で終えて" in e.value.reason_in("ja")


async def open_network_dialog(pilot) -> EditScreen:
    await highlight(pilot, "arch", "input")
    await pilot.press("t")
    await until(pilot, lambda: isinstance(pilot.app.screen, EditScreen))
    await pilot.pause()
    return pilot.app.screen


@aio
async def test_five_hidden_sigmoid_layers_in_one_dialog() -> None:
    app = make_app("circle", lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        dialog = await open_network_dialog(pilot)
        assert dialog.query_one(Input).value == "2-8-2"
        await pilot.press(*"2-8-8-8-8-8-2", "tab")
        choices = dialog.query_one(OptionList)
        ids = [o.id for o in choices.options]
        assert ids[1:] == ["step", "identity", "sigmoid", "tanh", "relu", "leaky_relu"]
        choices.highlighted = ids.index("sigmoid")
        await pilot.press("enter")
        await until(pilot, lambda: app.main.state.info.layers == (2, 8, 8, 8, 8, 8, 2))
        net = app.main.session.trainer.net.cfg
        assert net.layers == [2, 8, 8, 8, 8, 8, 2] and net.hidden_activations == ["sigmoid"] * 5
        assert net.output == "softmax"  # the rest of the network as it was

        await settled(pilot, 0)
        about = app.main.query_one(PresetAbout)
        await until(pilot, lambda: "Changed:" in about.text)
        assert about.text.endswith(
            "Changed: not the network described above, now 2-8-8-8-8-8-2 "
            "(sigmoid; softmax; cross_entropy)."
        )
        assert_shows(app.screen, about.text.splitlines()[-1])

        # Back to the preset's own network: the note goes.
        dialog = await open_network_dialog(pilot)
        await pilot.press(*"2-8-2", "tab")
        dialog.query_one(OptionList).highlighted = ids.index("tanh")
        await pilot.press("enter")
        await until(pilot, lambda: app.main.state.info.layers == (2, 8, 2))
        await until(pilot, lambda: "Changed:" not in about.text and "circle" in about.text)


@aio
async def test_keep_each_layers_activation_and_a_refused_spec() -> None:
    app = make_app("mazur-2-2-2", lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        dialog = await open_network_dialog(pilot)
        await pilot.press(*"3-4-2", "enter")
        assert app.screen is dialog
        assert "start with 2 and end with 2" in str(dialog.query_one("#error").render())
        dialog.query_one(Input).value = ""
        await pilot.press(*"2-4-3-2", "tab")
        keep = t("app_arch_keep_each", "en")
        assert dialog.query_one(OptionList).highlighted_option.id == "sigmoid"  # all the same
        dialog.query_one(OptionList).highlighted = 0
        assert dialog.query_one(OptionList).highlighted_option.id == keep
        await pilot.press("enter")
        # The preset gives its weights: the app asks before drawing new ones.
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await until(pilot, lambda: app.main.state.info.layers == (2, 4, 3, 2))
        assert app.main.session.trainer.net.cfg.hidden_activations == ["sigmoid", "sigmoid"]


@every_size_and_language
@aio
async def test_the_network_dialog_is_in_view(lang, size) -> None:
    app = make_app("circle", lang=lang)
    async with app.run_test(size=size) as pilot:
        await loaded(pilot)
        dialog = await open_network_dialog(pilot)
        await pilot.press(*"2-8-8-2")
        await assert_typing_visible(pilot, "2-8-8-2", t("app_arch_layers", lang))
        assert_shows(dialog, t("app_arch_every_hidden", lang))
        assert_shows(dialog, t("app_edit_keys", lang))
