"""Exports under `tui-nn serve` reach the browser: the export dialog and the stepper's `e`
hand each file to Textual's `deliver_binary` (a download) under the name a terminal user gets,
with the same contents, and leave nothing on the server. Run with the app told it is in a
browser (App.is_web) and deliver_binary recording what it was given."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from textual.app import App

from tui_nn.app.screens.export import ExportScreen

from helpers.export import Host, choose, mazur, save
from helpers.pilot import aio, until
from helpers.stepper import StepperApp


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, bytes]:
    """What reached the browser, by file name; the current folder is an empty one."""
    got: dict[str, bytes] = {}

    def deliver_binary(self: App, f: io.BufferedReader, *, save_filename: str, **_: object) -> str:
        with f:
            got[save_filename] = f.read()
        return "key"

    monkeypatch.setattr(App, "is_web", property(lambda self: True))
    monkeypatch.setattr(App, "deliver_binary", deliver_binary)
    monkeypatch.chdir(tmp_path)
    return got


@aio
async def test_the_export_dialog_sends_downloads(browser: dict[str, bytes], tmp_path: Path) -> None:
    trainer = mazur(steps=3)
    app = Host(trainer)
    async with app.run_test(size=(80, 24)) as pilot:
        assert not app.screen.query_one("#export-folder-row").display  # no server folder
        await choose(pilot, "weights", "worked")
        await save(pilot)
        assert not isinstance(app.screen, ExportScreen)
        (notice,) = [n.message for n in app._notifications]
        assert "mazur-2-2-2-weights.npz" in notice and str(tmp_path) not in notice
    assert sorted(browser) == ["mazur-2-2-2-iteration-4.md", "mazur-2-2-2-weights.npz"]
    with np.load(io.BytesIO(browser["mazur-2-2-2-weights.npz"])) as w:
        for name, value in trainer.net.params.items():
            np.testing.assert_array_equal(w[name], value)
    assert "# " in browser["mazur-2-2-2-iteration-4.md"].decode("utf-8")
    assert list(tmp_path.iterdir()) == []  # nothing written where the server runs


@aio
async def test_the_steppers_markdown_is_a_download(browser: dict[str, bytes], tmp_path) -> None:
    app = StepperApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e")
        await pilot.press("enter")
        await until(pilot, lambda: bool(browser))
    (name,) = browser
    assert name == "mazur-2-2-2-iteration-1.md"
    assert "0.082167041" in browser[name].decode("utf-8")  # the worked example's ∂E/∂w5
    assert list(tmp_path.iterdir()) == []
