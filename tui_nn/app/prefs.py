"""The settings file in the app (tui_nn/core/settings.py reads and writes it).

At start: the language (when --lang is not given), the theme, the keymap ([keys], through
Textual's `App.set_keymap`) and the last preset (when none is given). While the app runs: the
language, the theme, the preset loaded and the export folder are written back when they change,
unless the file had a problem (it is the user's to fix; the app says so once) or the app runs
in a browser under `tui-nn serve` (the file is the server's, not the student's).
"""

from __future__ import annotations

import difflib
import os
from dataclasses import replace
from pathlib import Path
from typing import Any

from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode
from textual.theme import BUILTIN_THEMES

from tui_nn.core import ConfigError, Preset, builtin_presets
from tui_nn.core.errors import config_error
from tui_nn.core.files import ExportError
from tui_nn.core.safe_text import visible
from tui_nn.core.settings import (
    Loaded,
    Settings,
    config_path,
    read_settings,
    save_settings,
    storable,
)
from tui_nn.i18n import t


def _bindings_by_class() -> list[dict[str, list[str]]]:
    """For each of the app's screen and widget classes defined so far (importing
    tui_nn.app.main defines them all): its binding ids and their keys."""
    out = []
    pending = [DOMNode]
    while pending:
        cls = pending.pop(0)
        pending += cls.__subclasses__()
        mine: dict[str, list[str]] = {}
        if cls.__module__.startswith("tui_nn."):
            for b in cls.__dict__.get("BINDINGS", []):
                if isinstance(b, Binding) and b.id:
                    mine.setdefault(b.id, []).extend(k.strip() for k in b.key.split(","))
        if mine:
            out.append(mine)
    return out


def default_keys() -> dict[str, list[str]]:
    """Every binding id of the app's screens and widgets, with its default keys on each class
    that declares it (the same id means the same thing everywhere: `export` is f on the main
    screen and e in the stepper, and a [keys] entry changes both)."""
    found: dict[str, list[str]] = {}
    for mine in _bindings_by_class():
        for binding, keys in mine.items():
            text = ",".join(keys)
            if text not in found.setdefault(binding, []):
                found[binding].append(text)
    return found


def taken_keys(keymap: dict[str, str]) -> list[tuple[str, str, str]]:
    """(key, the binding given it, the binding of the same screen that had it): Textual then
    takes the key from the other binding without a word, so the app says it."""
    taken = []
    for mine in _bindings_by_class():
        owner = {key: binding for binding, keys in mine.items() for key in keys}
        for binding, keys in keymap.items():
            for key in keys.split(",") if binding in mine else []:
                other = owner.get(key)
                if other not in (None, binding) and other not in keymap:
                    taken.append((key, binding, other))
    return list(dict.fromkeys(taken))


def load_settings(path: Path | None = None) -> Loaded:
    """The settings file (TUI_NN_CONFIG or the user config folder), checked as the app uses
    it: [keys] may name only the app's binding ids, the theme only one the app has."""
    try:
        path = path or config_path()
    except ConfigError as e:  # TUI_NN_CONFIG cannot name a file: nothing read, nothing written
        return Loaded(None, Settings(), [e])
    loaded = read_settings(path, default_keys())
    theme = loaded.settings.theme
    if theme is not None and theme not in BUILTIN_THEMES:
        close = difflib.get_close_matches(theme, BUILTIN_THEMES, n=1)
        key, hint = ("app_cfg_theme_hint", repr(close[0])) if close else ("app_cfg_theme", "")
        error = config_error(key, got=repr(visible(theme)), hint=hint)
        loaded.problems.append(error.located(file=str(path), field="theme"))
        loaded.settings = replace(loaded.settings, theme=None)
    return loaded


def preset_source(preset: Preset) -> str | None:
    """How the settings name a preset: a shipped one by name, another by its absolute path."""
    if preset.path is None:
        return None
    path = preset.path.resolve()
    shipped = builtin_presets().get(preset.name)
    if shipped is not None and shipped.resolve() == path:
        return preset.name
    return str(path) if storable(str(path)) else None


def remembered_folder(app: App) -> str:
    """Where the export dialog starts: the folder last saved into, if it is still one."""
    prefs = getattr(app, "prefs", None)
    folder = prefs.settings.export_folder if isinstance(prefs, Preferences) else None
    if folder:
        path = Path(os.path.expanduser(folder))
        if os.path.isdir(path):  # os.path: False for any OSError
            return str(path)
    return str(Path.cwd())


def remember(app: App, **changes: Any) -> None:
    """Keep `changes` in the app's settings (an app without settings keeps nothing)."""
    prefs = getattr(app, "prefs", None)
    if isinstance(prefs, Preferences):
        prefs.remember(app, **changes)


class Preferences:
    """The settings of this run, and writing them back when the student changes one."""

    def __init__(self, loaded: Loaded | None = None) -> None:
        self.loaded = loaded or Loaded(None, Settings(), [])
        self.settings = self.loaded.settings
        self.notes: list[str] = []  # problems found later than reading (a lost last preset)
        self._told = False  # the student has been told once why settings are not saved

    def lines(self, lang: str) -> list[str]:
        """One line per problem of the file, in `lang`."""
        return [e.message_in(lang) for e in self.loaded.problems] + self.notes

    def start(self, app: App) -> None:
        """Apply the theme and the keymap, and say what was wrong with the file."""
        if self.settings.theme:
            app.theme = self.settings.theme
        if self.settings.keys:
            app.set_keymap(self.settings.keys)
        lang = app.lang  # type: ignore[attr-defined]
        for key, binding, other in taken_keys(self.settings.keys):
            where = visible(self.loaded.path)
            self.notes.append(
                t("app_cfg_clash", lang, path=where, key=key, action=binding, other=other)
            )
        for line in self.lines(lang):
            app.notify(line, severity="warning", timeout=15, markup=False)
        app.theme_changed_signal.subscribe(app, lambda theme: self.remember(app, theme=theme.name))

    def remember(self, app: App, quiet: bool = False, **changes: Any) -> None:
        """Keep the changed settings, and write them unless the file is not ours to write (said
        once, unless `quiet`: opening a preset is not asking for a setting)."""
        changes = {k: v for k, v in changes.items() if not isinstance(v, str) or storable(v)}
        new = replace(self.settings, **changes)
        if new == self.settings:
            return
        self.settings = new
        path = self.loaded.path
        if path is None or app.is_web:
            return
        if not self.loaded.writable:
            if not quiet:
                self.tell(app, "app_cfg_not_saved", path=visible(path))
            return
        try:
            save_settings(path, new)
        except ExportError as e:
            self.tell(app, "app_cfg_write_failed", reason=e.message(app.lang))

    def tell(self, app: App, key: str, **values: object) -> None:
        if not self._told:
            self._told = True
            text = t(key, app.lang, **values)  # type: ignore[attr-defined]
            app.notify(text, severity="warning", timeout=15, markup=False)
