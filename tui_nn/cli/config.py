"""`tui-nn config`: where the settings file is, and the settings in force as that file."""

from __future__ import annotations

from textual.app import App

import tui_nn.app.main  # noqa: F401  (defines every screen and widget, so all their keys)
from tui_nn.app.prefs import default_keys, load_settings
from tui_nn.core import ConfigError
from tui_nn.core.safe_text import visible
from tui_nn.core.settings import config_path, toml_string
from tui_nn.i18n import default_lang, t


def config_path_line() -> str:
    """The settings file's path, visible-safe (or the reason TUI_NN_CONFIG cannot name one)."""
    try:
        return visible(config_path())
    except ConfigError as e:
        return e.message


def settings_in_force(lang: str) -> tuple[str, list[str]]:
    """The settings the app would start with, as TOML: each one set or its default (in a
    comment), and every key binding; and one line per problem of the file."""
    loaded = load_settings()
    s = loaded.settings
    default = t("cli_config_default", lang)
    lines = [f"# {visible(loaded.path or '-')}"]
    shown = {
        "lang": (s.lang, default_lang()),
        "theme": (s.theme, App().theme),
        "last_preset": (s.last_preset, None),
        "export_folder": (s.export_folder, None),
    }
    for name, (value, fallback) in shown.items():
        if value is not None:
            lines.append(f"{name} = {toml_string(value)}")
        else:
            lines.append(f"# {name} = {toml_string(fallback or '')}  ({default})")
    lines += ["", "[keys]"]
    for binding, keys in sorted(default_keys().items()):
        others = "".join(f", {toml_string(k)}" for k in keys[1:])
        if binding in s.keys:
            lines.append(f"{binding} = {toml_string(s.keys[binding])}")
        else:
            lines.append(f"# {binding} = {toml_string(keys[0])}  ({default}{others})")
    problems = [e.message_in(lang) for e in loaded.problems]
    return "\n".join(lines) + "\n", problems
