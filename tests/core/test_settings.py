"""The settings file (tui_nn/core/settings.py): what is written reads back the same, and a
broken or hostile file gives one line naming the file, the field and the reason, with the
defaults for what it broke, and is never rewritten."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tui_nn.core.settings import (
    MAX_BYTES,
    Settings,
    config_path,
    read_settings,
    save_settings,
    settings_toml,
)

IDS = {"play_pause", "step", "help", "lang"}


def test_round_trip_keeps_every_character(tmp_path: Path) -> None:
    """Quotes, backslashes, a newline, DEL, a tab and Japanese in paths come back as written."""
    s = Settings(
        lang="ja",
        theme="textual-light",
        last_preset='/tmp/a "b"\\c\nd\x7fe\tf/日本語.toml',
        export_folder="~/出力",
        keys={"play_pause": "p", "help": "f2,question_mark"},
    )
    path = save_settings(tmp_path / "new" / "config.toml", s)  # the folder is made
    loaded = read_settings(path, IDS)
    assert loaded.problems == []
    assert loaded.settings == s
    assert loaded.writable


def test_missing_file_is_the_defaults_and_writable(tmp_path: Path) -> None:
    loaded = read_settings(tmp_path / "none.toml")
    assert loaded.settings == Settings() and loaded.problems == [] and loaded.writable


def test_only_what_is_set_is_written() -> None:
    assert settings_toml(Settings(lang="en")).splitlines()[1:] == ['lang = "en"']


def test_write_goes_through_a_symlink_to_its_file(tmp_path: Path) -> None:
    real = tmp_path / "dotfiles" / "tui-nn.toml"
    real.parent.mkdir()
    real.write_text('lang = "en"\n', "utf-8")
    link = tmp_path / "config.toml"
    link.symlink_to(real)
    save_settings(link, Settings(lang="ja"))
    assert link.is_symlink()
    assert read_settings(real).settings.lang == "ja"


def problems_of(tmp_path: Path, text: str | bytes) -> tuple[Settings, list[str]]:
    path = tmp_path / "config.toml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, "utf-8")
    loaded = read_settings(path, IDS)
    assert not loaded.writable or not loaded.problems
    return loaded.settings, [e.message for e in loaded.problems]


@pytest.mark.parametrize(
    ("text", "field", "reason"),
    [
        ('lang = "fr"', "lang", "'fr'; the languages are en, ja"),
        ("lang = 3", "lang", "must be a string in quotes, not int"),
        ('colour = "red"', "colour", "is not a setting"),
        ('theme = "a\\u001b[2Jb"', "theme", "control character"),
        (f'theme = "{"x" * 5000}"', "theme", "5,000 characters"),
        ('last_preset = "a\\u0000b"', "last_preset", "NUL"),
        ('keys = "p"', "keys", "must be a table"),
        ('[keys]\nfly = "p"', "keys.fly", "not the id of a key binding"),
        ('[keys]\nstep = "p,,q"', "keys.step", "'' is not a key name"),
        ('[keys]\nstep = "ctrl+p x"', "keys.step", "'ctrl+p x' is not a key name"),
        ("[keys]\nstep = 5", "keys.step", "not int"),
        ("[keys]\n" + "".join(f"k{i} = 'p'\n" for i in range(201)), "keys", "201 entries"),
    ],
)
def test_a_bad_field_is_one_line_and_only_that_field_is_lost(
    tmp_path: Path, text: str, field: str, reason: str
) -> None:
    settings, lines = problems_of(tmp_path, 'export_folder = "/tmp"\n' + text)
    assert len(lines) == 1
    assert lines[0].startswith(f"{tmp_path / 'config.toml'}: {field}: ")
    assert reason in lines[0]
    assert "\x1b" not in lines[0] and "\n" not in lines[0]
    assert settings.export_folder == "/tmp"  # the good field still counts


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("lang = ", "is not valid TOML"),
        (b"lang = '\xff'", "is not UTF-8"),
        ("x = " + "9" * 5000, "digits"),
        ("a = " + "[" * 5000 + "]" * 5000, "deep"),
        ("# " + "x" * MAX_BYTES, "too big for a settings file"),
    ],
)
def test_a_broken_file_is_one_line_and_all_defaults(
    tmp_path: Path, content: str | bytes, reason: str
) -> None:
    settings, lines = problems_of(tmp_path, content)
    assert settings == Settings()
    assert len(lines) == 1 and reason in lines[0]
    assert lines[0].startswith(str(tmp_path / "config.toml"))


def test_special_files_are_refused_without_reading(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    for path, reason in [
        (Path("/dev/zero"), "not a regular file"),
        (fifo, "not a regular file"),
        (tmp_path, "folder"),
    ]:
        loaded = read_settings(path, IDS)
        assert loaded.settings == Settings() and not loaded.writable
        (line,) = [e.message for e in loaded.problems]
        assert line.startswith(str(path)) and reason in line


def test_config_path_follows_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TUI_NN_CONFIG", "/tmp/elsewhere.toml")
    assert config_path() == Path("/tmp/elsewhere.toml")
    monkeypatch.setenv("TUI_NN_CONFIG", "/tmp/" + "x" * 300)  # no file system takes the name
    with pytest.raises(ValueError, match="TUI_NN_CONFIG: "):
        config_path()
    monkeypatch.delenv("TUI_NN_CONFIG")
    assert config_path().name == "config.toml" and "tui-nn" in config_path().parts


def cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui_nn", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=60,
    )


def test_config_command_path_and_show(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    env = {"TUI_NN_CONFIG": str(path)}
    assert cli("config", "--path", env=env).stdout.strip() == str(path)
    path.write_text('theme = "nord"\n[keys]\nplay_pause = "p"\n', "utf-8")
    shown = cli("config", "--show", "--lang", "en", env=env)
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert 'theme = "nord"' in lines and 'play_pause = "p"' in lines
    assert '# step = "s,n"  (default)' in lines  # every binding, the default ones commented
    path.write_text('lang = "xx"\n', "utf-8")
    broken = cli("config", "--show", "--lang", "en", env=env)
    assert broken.returncode == 2
    assert broken.stderr.strip() == f"tui-nn: {path}: lang: is 'xx'; the languages are en, ja"
    assert path.read_text("utf-8") == 'lang = "xx"\n'
