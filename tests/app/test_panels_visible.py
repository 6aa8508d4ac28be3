"""What the main screen draws: the focused panel stands out by its border and title (no colour
needed), and the status line keeps E and the accuracy at 80×24, in both languages."""

from __future__ import annotations

import pytest

from tui_nn.app.main import make_app
from tui_nn.app.widgets.status import StatusBar

from helpers.onscreen import LANGS, SIZES, drawn
from helpers.pilot import aio, loaded, settled, status

HEAVY, ROUND = "┏", "╭"


def corner(app, widget) -> str:
    return drawn(app.screen, widget.region)[0]


def title_is_reversed(app, widget, title: str) -> bool:
    """Whether the characters of `title` in the widget's top border are drawn in reverse."""
    row = app.screen._compositor.render_strips()[widget.region.y]
    top = row.crop(widget.region.x, widget.region.right)
    return any(title in seg.text and seg.style and seg.style.reverse for seg in top)


@pytest.mark.parametrize("size", SIZES)
@aio
async def test_the_focused_panel_has_a_heavy_border_and_a_reversed_title(size, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app("circle", lang="en")
    async with app.run_test(size=size) as pilot:
        await loaded(pilot)
        assert app.no_color
        panels = [app.main.query_one(f"#{name}") for name in ("arch", "hyper")]
        if size == (120, 40):  # at 80×24 the boundary shares one plot slot with the charts
            panels.append(app.main.query_one("BoundaryView"))
        for focused in panels:
            focused.focus()
            await pilot.pause()
            for panel in panels:
                title = str(panel.border_title).split()[0]
                on = panel is focused
                assert corner(app, panel) == (HEAVY if on else ROUND), (panel, focused)
                assert title_is_reversed(app, panel, title) is on, (panel, focused)


@pytest.mark.parametrize("lang", LANGS)
@aio
async def test_status_line_keeps_e_and_the_accuracy_at_80_columns(lang) -> None:
    app = make_app("circle", lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("e")
        await settled(pilot, 10)
        snap = app.main.state.snapshot
        acc = f"{snap.last(snap.eval_cols, snap.evals, 'train_accuracy'):.1%}"
        test = f"{snap.last(snap.eval_cols, snap.evals, 'test_accuracy'):.1%}"
        loss = snap.last(snap.eval_cols, snap.evals, "train_loss")
        wide, bar = status(app), app.main.query_one(StatusBar)
        assert f"{loss:.6g}" in wide and acc in wide and test in wide and bar.preset_name in wide
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        shown = drawn(app.screen, bar.region)
        assert acc in shown and test in shown
        assert f"{loss:.6g}" in shown or f"{loss:.4g}" in shown
        assert shown.rstrip() == status(app).rstrip().rjust(len(shown.rstrip()))
