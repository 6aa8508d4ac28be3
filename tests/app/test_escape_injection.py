"""Control characters and markup from a file reach the terminal as visible text, never as
escape sequences (which could clear the screen, fake a message or retitle the window) and
never as Textual markup (a class label `[/]` or `[bold` once crashed the boundary legend):
every message of the command line, and the app's panels, banner and dialogs."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from textual.widgets import Input, Static

from tui_nn.app.main import make_app
from tui_nn.app.screens.presets import PresetPicker
from tui_nn.app.widgets.about import PresetAbout
from tui_nn.app.widgets.boundary import BoundaryView
from tui_nn.cli import main
from tui_nn.core import load
from tui_nn.core.safe_text import visible

from helpers.onscreen import drawn
from helpers.pilot import aio, banner, loaded, until

ESC = "\x1b]0;OWNED\x07\x1b[2J"  # set the window title, clear the screen
BIDI = "\u202e"  # right-to-left override: shows text reversed
SHOWN = visible(ESC)


def hidden(text: str) -> list[str]:
    """The characters in `text` that a terminal would not show as themselves."""
    cats = ("Cc", "Cf", "Zl", "Zp")
    return [c for c in text if unicodedata.category(c) in cats and c != "\n"]


def test_visible() -> None:
    assert visible(ESC) == "\\x1b]0;OWNED\\x07\\x1b[2J"
    assert visible("a\nb\r\tc\x00\x7f\x9b") == "a\\nb\\r\\tc\\x00\\x7f\\x9b"
    assert visible(f"x{BIDI}y\u2028z\U000e0001") == "x\\u202ey\\u2028z\\U000e0001"
    plain = "誤差逆伝播法 η = 0.5, E = ½‖y − d‖²\u3000[bold] \\n"
    assert visible(plain) == plain  # every script, symbol and bracket stays as it is
    assert visible(visible(ESC)) == visible(ESC)


def toml(s: str) -> str:
    return '"' + "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in s) + '"'


def write_csv_preset(folder: Path, **data: str) -> Path:
    """A 2-D classification preset on a CSV whose header cells and labels are hostile."""
    rows = [f"x{ESC},y{BIDI},label"]
    labels = ["[/]", "[bold", f"c{ESC}"]
    rows += [f"{i / 9},{(i * 7 % 9) / 9},{labels[i % 3]}" for i in range(9)]
    (folder / "data.csv").write_text("\n".join(rows) + "\n", "utf-8")
    data = {"source": '"csv"', "path": '"data.csv"', "target": '"label"', **data}
    lines = "".join(f"{k} = {v}\n" for k, v in data.items())
    preset = folder / "hostile.toml"
    preset.write_text(
        f"[preset]\nname = {toml('n' + ESC + '[bold')}\ndescription = {toml('d' + ESC + '[/]')}\n"
        '[network]\nlayers = [2, 4, 3]\noutput = "softmax"\nloss = "cross_entropy"\n'
        f"[data]\ntest_ratio = 0.25\n{lines}"
        "[train]\nepochs = 3\nshuffle = false\n",
        "utf-8",
    )
    return preset


def cli_cases(folder: Path) -> dict[str, list[str]]:
    """One command line per message path; each puts ESC into what the message quotes."""
    preset = write_csv_preset(folder)
    key = folder / "key.toml"
    hostile_key = f"[network]\n{toml('k' + ESC)} = 1\n"
    key.write_text(preset.read_text("utf-8").replace("[network]\n", hostile_key), "utf-8")
    section = folder / "section.toml"
    section.write_text(f"[{toml('s' + ESC)}]\n", "utf-8")
    p = str(preset)
    return {
        "summary": ["train", p],
        "unknown key": ["train", str(key)],
        "unknown section": ["train", str(section)],
        "csv header": ["train", p, "--set", f"data.target={toml('no' + ESC)}"],
        "--set key": ["train", p, "--set", f"train.{ESC}=1"],
        "--set value": ["train", p, "--set", f"train.optimizer={toml(ESC)}"],
        "missing file": ["train", str(folder / f"no{ESC}.toml")],
        "no such preset": ["train", f"no{ESC}"],
        "argparse": ["train", p, f"extra{ESC}"],
        "wrote": ["code", p, "-o", str(folder / f"out{ESC}.py")],
        "exists": ["code", p, "-o", str(folder / f"out{ESC}.py")],
        "gradcheck": ["gradcheck", p],
        "worked": ["worked", p],
        "worked markdown": ["worked", p, "--markdown"],
    }


def test_every_cli_message_shows_control_characters_escaped(tmp_path, capsys) -> None:
    for name, argv in cli_cases(tmp_path).items():
        status = main(argv) if name != "argparse" else _exit_status(argv)
        out, err = capsys.readouterr()
        assert not hidden(out + err), (name, out, err)
        assert status in (0, 2), (name, err)
        if status == 2:
            assert err.count("\n") == 1 or name == "argparse", (name, err)
        if name != "gradcheck":  # its table names only W1, b1, ...: nothing from the file
            assert SHOWN in out + err, (name, out, err)


def _exit_status(argv: list[str]) -> int:
    with pytest.raises(SystemExit) as e:
        main(argv)
    return int(e.value.code)


def assert_all_visible(app) -> str:
    screen = drawn(app.screen)
    assert not hidden(screen), screen
    return screen


@aio
async def test_the_app_starts_on_hostile_labels_and_names(tmp_path) -> None:
    """Class labels `[/]` and `[bold` in the legend as written; ESC in the preset name, the
    description and the column names is drawn as \\x1b."""
    app = make_app(load(str(write_csv_preset(tmp_path))), lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("s")
        view = app.main.query_one(BoundaryView)
        await until(pilot, lambda: view.grid is not None)
        await pilot.pause()
        legend = view.border_subtitle
        assert "■ [/]" in legend.replace("\\[", "[") and "■ [bold" in legend.replace("\\[", "[")
        about = app.main.query_one(PresetAbout).text
        assert f"n{SHOWN}[bold" in about and f"d{SHOWN}[/]" in about
        screen = assert_all_visible(app)
        assert "[/]" in screen and "[bold" in screen


@aio
async def test_a_load_failure_quoting_the_file_is_shown_escaped(tmp_path) -> None:
    preset = load(str(write_csv_preset(tmp_path, target=toml(f"no{ESC}[bold"))))
    app = make_app(preset, lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: banner(app) != "")
        assert f"no{SHOWN}[bold" in banner(app)
        assert f"x{SHOWN}" in banner(app)  # the columns it lists
        assert_all_visible(app)


@aio
async def test_the_picker_shows_a_hostile_path_escaped(tmp_path) -> None:
    app = make_app("mazur-2-2-2", lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("o")
        await until(pilot, lambda: isinstance(app.screen, PresetPicker))
        field = app.screen.query_one("#preset-path", Input)
        field.focus()
        field.value = str(tmp_path / f"[bold]{ESC}[/].toml")
        await pilot.press("enter")
        await pilot.pause()
        error = app.screen.query_one("#error", Static)
        assert f"[bold]{SHOWN}[/].toml" in str(error.render())
        # The message as drawn (the typed field itself shows what was pasted into it).
        assert not hidden(drawn(app.screen, error.region))
