"""The user's settings: one small TOML file in the platform's user config folder.

    lang = "ja"                 # the app's language when --lang is not given
    theme = "textual-light"     # a Textual theme
    last_preset = "mazur-2-2-2" # opened when the app starts without a preset
    export_folder = "~/nn"      # where the export dialog starts
    [keys]                      # binding id = keys, as Textual's App.set_keymap takes them
    play_pause = "p"
    help = "f2,question_mark"

`TUI_NN_CONFIG` names another file. The file is read as hostile: only a regular file of at
most MAX_BYTES, every field checked for its type, size and characters; each problem is one
ConfigError naming the file and field, and that field keeps its default.

A file with any problem is left as it is: the app never rewrites it (the user's change of a
setting then lasts for that run only, and the app says why), so a typo is never "repaired"
away. A good or missing file is rewritten atomically when a setting changes; comments are not
kept.
"""

from __future__ import annotations

import contextlib
import os
import re
import tomllib
from collections.abc import Collection
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import platformdirs

from tui_nn.core.errors import ConfigError, config_error
from tui_nn.core.export import toml_string
from tui_nn.core.files import write_text
from tui_nn.core.limits import file_size, open_regular
from tui_nn.core.paths import path_problem, user_path
from tui_nn.core.presets import parse_toml
from tui_nn.core.safe_text import visible
from tui_nn.i18n import LANGS

ENV = "TUI_NN_CONFIG"
#: Largest settings file read: a few hundred bytes is typical.
MAX_BYTES = 64_000
#: Longest theme name or key list, and most entries in [keys].
MAX_TEXT, MAX_KEYS = 100, 200
#: A binding id, as the app names them (and a TOML bare key).
BINDING_ID = re.compile(r"[a-z][a-z0-9_]{0,49}")
#: One key of a key list: a Textual key name (ctrl+p, f2, question_mark) or one character.
KEY_NAME = re.compile(r"[A-Za-z0-9_+-]{1,32}|[^\s,]")


@dataclass(frozen=True)
class Settings:
    """Each field None (or empty) when not set: the app then uses its default."""

    lang: str | None = None
    theme: str | None = None
    last_preset: str | None = None
    export_folder: str | None = None
    keys: dict[str, str] = field(default_factory=dict)


FIELDS = tuple(f.name for f in fields(Settings))


@dataclass
class Loaded:
    """What a settings file gave: the settings in force, one error per problem, and whether
    the app may rewrite the file (only when it had no problem, or does not exist)."""

    path: Path | None  # None: TUI_NN_CONFIG could not name a file
    settings: Settings
    problems: list[ConfigError]

    @property
    def writable(self) -> bool:
        return not self.problems


def config_path() -> Path:
    """TUI_NN_CONFIG when set, else config.toml in the platform's user config folder.
    Raises ConfigError (file: TUI_NN_CONFIG) when the variable cannot name a file."""
    named = os.environ.get(ENV, "")
    if named:
        try:
            return user_path(named)
        except ConfigError as e:
            raise e.located(file=ENV) from None
    return platformdirs.user_config_path("tui-nn", appauthor=False) / "config.toml"


def read_settings(path: Path, binding_ids: Collection[str] | None = None) -> Loaded:
    """The settings in `path` (a missing file: the defaults, no problem). `binding_ids`, when
    given, are the ids [keys] may name."""
    if not os.path.lexists(path):
        return Loaded(path, Settings(), [])
    try:
        doc = _read_doc(path)
    except ConfigError as e:
        return Loaded(path, Settings(), [e.located(file=str(path))])
    values: dict[str, Any] = {}
    problems: list[ConfigError] = []
    for name, value in doc.items():
        try:
            values[name] = _check(name, value, binding_ids)
        except ConfigError as e:
            problems.append(e.located(file=str(path), field=visible(name)))
    return Loaded(path, Settings(**values), problems)


def _read_doc(path: Path) -> dict[str, Any]:
    with open_regular(path) as f:  # a folder, a device or a FIFO is refused without reading
        size = file_size(f)
        raw = f.read(MAX_BYTES + 1) if size <= MAX_BYTES else b""
    if max(size, len(raw)) > MAX_BYTES:
        raise config_error("err_cfg_too_big", limit=f"{MAX_BYTES:,}")
    try:
        return parse_toml(raw.decode("utf-8"))
    except UnicodeDecodeError as e:
        raise config_error("err_not_utf8", byte=e.start) from None
    except tomllib.TOMLDecodeError as e:
        raise config_error("err_not_toml", detail=e) from None


def _check(name: str, value: Any, binding_ids: Collection[str] | None) -> Any:
    """`value` of the setting `name` when it is usable; ConfigError with the reason if not."""
    if name not in FIELDS:
        raise config_error("err_cfg_unknown", known=", ".join(FIELDS))
    if name == "keys":
        return _check_keys(value, binding_ids)
    _check_type(value, str, "err_cfg_want_text")
    if name == "lang" and value not in LANGS:
        raise config_error("err_cfg_lang", got=repr(value[:MAX_TEXT]), langs=", ".join(LANGS))
    if name in ("last_preset", "export_folder"):
        key = path_problem(value)
        if key:
            raise config_error(key, limit=255, total=4096)
    else:
        _check_text(value)
    return value


def _check_type(value: Any, kind: type, key: str) -> None:
    if not isinstance(value, kind):
        raise config_error(key, got=type(value).__name__)


def _check_text(value: str) -> None:
    if len(value) > MAX_TEXT:
        raise config_error("err_cfg_long", n=f"{len(value):,}", limit=MAX_TEXT)
    if not value.isprintable():
        raise config_error("err_cfg_control", got=visible(repr(value)))


def _check_keys(table: Any, binding_ids: Collection[str] | None) -> dict[str, str]:
    _check_type(table, dict, "err_cfg_want_table")
    if len(table) > MAX_KEYS:
        raise config_error("err_cfg_keys_many", n=f"{len(table):,}", limit=MAX_KEYS)
    keys = {}
    for binding, keys_text in table.items():
        where = f"keys.{visible(binding)}"
        if not BINDING_ID.fullmatch(binding) or (binding_ids and binding not in binding_ids):
            raise config_error("err_cfg_binding", field=where, see="tui-nn config --show")
        try:
            keys[binding] = _check_key_list(keys_text)
        except ConfigError as e:
            raise e.located(field=where) from None
    return keys


def _check_key_list(text: Any) -> str:
    _check_type(text, str, "err_cfg_want_text")
    _check_text(text)
    names = [k.strip() for k in text.split(",")]
    for name in names:
        if not KEY_NAME.fullmatch(name):
            raise config_error("err_cfg_key_name", got=visible(repr(name)))
    return ",".join(names)


# ---- writing ------------------------------------------------------------------------------


def storable(text: str) -> bool:
    """Whether `text` can be written as UTF-8 (a path from the OS may hold lone surrogates)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def settings_toml(settings: Settings) -> str:
    """The settings as the file the app writes (only what is set)."""
    lines = ["# tui-nn settings: written by the app when one changes (comments are not kept)."]
    for name in FIELDS[:-1]:
        value = getattr(settings, name)
        if value is not None:
            lines.append(f"{name} = {toml_string(value)}")
    if settings.keys:
        lines += ["", "[keys]"]
        lines += [f"{binding} = {toml_string(k)}" for binding, k in sorted(settings.keys.items())]
    return "\n".join(lines) + "\n"


def save_settings(path: Path, settings: Settings) -> Path:
    """Write `settings` to `path` atomically (through a symlink, to the file it names), making
    its folder if needed. Raises ExportError when it cannot be written."""
    target = Path(os.path.realpath(path))
    with contextlib.suppress(OSError):  # write_text then names the folder and the reason
        target.parent.mkdir(parents=True, exist_ok=True)
    return write_text(target, settings_toml(settings), overwrite=True)
