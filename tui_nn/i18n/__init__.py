"""One catalogue of user-facing text, English and Japanese.

Strings live in the TOML files of this folder (one file per area: app.toml, worked.toml, ...),
each key a table with `en` and `ja`. Code asks `t("key", lang)`; `{name}` placeholders are
filled from keyword arguments.
"""

from __future__ import annotations

import locale
import os
import tomllib
from functools import cache
from importlib import resources

LANGS = ("en", "ja")


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """Every key of every catalogue file, merged; a key defined twice is an error."""
    merged: dict[str, dict[str, str]] = {}
    folder = resources.files(__package__)
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml"):
            continue
        for key, texts in tomllib.loads(entry.read_text("utf-8")).items():
            if key in merged:
                raise KeyError(f"{entry.name}: key {key!r} is defined twice")
            merged[key] = texts
    return merged


def t(key: str, lang: str = "en", /, **values: object) -> str:
    """The text for `key` in `lang`, with {placeholders} filled in."""
    entry = catalogue()[key]
    text = entry.get(lang) or entry["en"]
    return text.format(**values) if values else text


def default_lang() -> str:
    """Japanese when the environment's locale is Japanese, else English."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return "ja" if value.lower().startswith("ja") else "en"
    code = locale.getlocale()[0] or ""
    return "ja" if code.lower().startswith("ja") else "en"
