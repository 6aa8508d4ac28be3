"""The footer fits the screen: a focused picture's own keys come first, and the keys that no
longer fit are left out whole, spare ones first, never cut mid-word or drawn under the palette
key. Read off the drawn screen, at 80×24 and 120×40, in English and Japanese."""

from __future__ import annotations

from itertools import pairwise

import pytest
from rich.cells import cell_len

from tui_nn.app.main import make_app
from tui_nn.app.screens.main import MainScreen
from tui_nn.app.widgets.footer import FittedFooter, fitted, key_width
from tui_nn.core import load

from helpers.pilot import aio, loaded, until


class Key:
    def __init__(self, key: str, description: str, action: str, palette: bool = False) -> None:
        self.key_display, self.description, self.action = key, description, action
        self.classes = frozenset({"-command-palette"} if palette else ())


def test_the_fewest_keys_go_spare_ones_first_then_from_the_right() -> None:
    palette = Key("^p", "p", "p", palette=True)
    keys = [Key("a", "aaaa", "a"), Key("b", "bb", "b"), Key("c", "cc", "c"), palette]
    widths = [key_width(k) for k in keys]
    assert widths == [7, 5, 5, 6]  # key + 1 + words + 1 (the palette's border: one more)
    assert fitted(keys, 22, ["b"]) == keys  # it fits (its last margin past the edge)
    assert fitted(keys, 21, ["b"]) == [keys[0], keys[2], keys[3]]
    assert fitted(keys, 16, ["b"]) == [keys[0], keys[3]]  # then from the right
    assert fitted(keys, 1, ["b"]) == [keys[3]]  # the palette key stays


def drawn_keys(app) -> list:
    keys = app.screen.query_one(FittedFooter).children
    assert all(hasattr(k, "key_display") and hasattr(k, "action") for k in keys)
    return list(keys)


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
@aio
async def test_every_key_of_a_focused_picture_is_drawn_whole_inside_the_footer(lang, size):
    app = make_app(load("circle"), lang=lang)
    async with app.run_test(size=size) as pilot:
        await loaded(pilot)
        app.main.query_one("#hyper").focus()
        for picture, own in (("network", "]"), ("boundary", "p")):
            await pilot.press("tab")  # as a student reaches it: at 80×24 it becomes the view
            assert app.focused.id == picture
            await until(pilot, lambda: drawn_keys(app) and drawn_keys(app)[0].region.width)
            keys = drawn_keys(app)
            assert keys[0].key_display == own  # the picture's own keys first
            spans = sorted((k.region.x, k.region.right) for k in keys)
            assert spans[-1][1] <= size[0]  # inside the screen
            assert all(a[1] <= b[0] for a, b in pairwise(spans))  # none under another
            for k in keys:  # each drawn as wide as its key and words: none cut
                words = 1 + cell_len(k.description) if k.description else 0
                docked = "-command-palette" in k.classes  # with a border on its left
                assert k.region.width == cell_len(k.key_display) + words + docked
                assert key_width(k) == k.region.width + 1  # and the cell after it


@aio
async def test_a_spare_key_gives_way_before_a_training_key() -> None:
    app = make_app(load("circle"), lang="ja")
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        app.main.query_one("#network").focus()
        await pilot.pause()
        await until(pilot, lambda: any(k.key_display == "]" for k in drawn_keys(app)))
        shown = {k.action for k in drawn_keys(app)}
        assert {"run('play_pause')", "run('step')", "hold('stepper')"} <= shown
        assert "new_seed" not in shown and MainScreen.FOOTER_SPARE[0] == "new_seed"
