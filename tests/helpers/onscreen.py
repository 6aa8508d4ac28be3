"""Checks on what is drawn, not on widget state: a field the student types into must be seen.

Widget state can say "focused, value 0.0822" while the field is drawn under the footer and the
student types blind. These helpers read the composited screen (the cells a terminal would show)
and ask the screen which widget is on top at each cell.

Use in every prompt and dialog test, at every size and language::

    @every_size_and_language
    def test_my_prompt(lang, size):
        ...open the prompt, type "0.5"...
        await assert_typing_visible(pilot, "0.5", label=t("my_label", lang))
"""

from __future__ import annotations

import pytest
from textual.errors import NoWidget
from textual.geometry import Region
from textual.pilot import Pilot
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Input

SIZES = ((80, 24), (120, 40))
LANGS = ("en", "ja")

#: Parametrize a test over (lang, size): both languages at 80×24 and 120×40.
every_size_and_language = pytest.mark.parametrize(
    ("lang", "size"),
    [(lang, size) for lang in LANGS for size in SIZES],
    ids=[f"{lang}-{w}x{h}" for lang in LANGS for w, h in SIZES],
)


def drawn(screen: Screen, region: Region | None = None, rows: list[Strip] | None = None) -> str:
    """The characters the terminal shows in `region` (default: the whole screen), one line per
    row. Cells are counted as the terminal counts them (a CJK character takes two). `rows`: the
    screen already rendered, to reuse."""
    region = screen.region if region is None else region.intersection(screen.region)
    rows = screen._compositor.render_strips() if rows is None else rows
    return "\n".join(
        rows[y].crop(region.x, region.right).text for y in range(region.y, region.bottom)
    )


def squeeze(text: str) -> str:
    """`text` without spaces and line breaks: a label wrapped over two lines still matches."""
    return "".join(text.split())


def assert_on_top(screen: Screen, widget: Widget) -> None:
    """`widget` has an area, lies inside the screen, and nothing else (its own scrollbars aside)
    is drawn over any of its cells."""
    region = widget.region
    assert region.area > 0, f"{widget!r} takes no room on screen (hidden or squeezed out)"
    assert screen.region.contains_region(region), (
        f"{widget!r} at {region} is not inside the {screen.size.width}×{screen.size.height} screen"
    )
    covered = []
    for y in range(region.y, region.bottom):
        for x in range(region.x, region.right):
            try:
                top, _ = screen.get_widget_at(x, y)
            except NoWidget:
                top = None
            # Its own scrollbars are part of it.
            if top is not widget and (top is None or widget not in top.ancestors):
                covered.append((x, y, top))
    assert not covered, (
        f"{widget!r} is covered at {len(covered)} of {region.area} cells, first at "
        f"({covered[0][0]}, {covered[0][1]}) by {covered[0][2]!r}"
    )


def holder_of(screen: Screen, text: str) -> Widget | None:
    """The innermost widget whose drawn cells show all of `text` (wrapping allowed)."""
    want, rows = squeeze(text), screen._compositor.render_strips()
    # Inside the border and padding: a bordered widget's "│" would split a wrapped line.
    holders = [
        widget
        for widget in screen.query("*")
        if widget.region.area and want in squeeze(drawn(screen, widget.content_region, rows))
    ]
    return min(holders, key=lambda widget: widget.region.area, default=None)


def assert_shows(screen: Screen, text: str) -> None:
    """`text` is drawn whole, inside the screen, within one widget (not cut, not covered)."""
    assert holder_of(screen, text) is not None, (
        f"{text!r} is not drawn whole on the {screen.size.width}×{screen.size.height} screen:\n"
        + drawn(screen)
    )


async def assert_typing_visible(pilot: Pilot, typed: str, label: str) -> None:
    """The focused widget is an Input holding `typed`, on top over its whole region and inside
    the screen, showing `typed`; and `label` (the words that say what to type) is drawn whole."""
    await pilot.pause()
    screen = pilot.app.screen
    field = screen.focused
    assert isinstance(field, Input), f"the focus is on {field!r}, not on a text field"
    assert field.value == typed
    assert_on_top(screen, field)
    shown = drawn(screen, field.region)
    assert squeeze(typed) in squeeze(shown), f"typed {typed!r}, the field shows {shown!r}"
    assert_shows(screen, label)
