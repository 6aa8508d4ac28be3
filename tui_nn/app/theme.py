"""Colours from the app's theme for the pictures we draw ourselves (charts, the boundary).

A theme may hold colours that only Textual's CSS understands (the ANSI themes' muted
foreground is "ansi_default 50%"): those, and any missing name, fall back to a fixed colour
of the same role, so that every theme Textual offers draws.
"""

from __future__ import annotations

from textual.app import App
from textual.color import Color, ColorParseError

FALLBACK = {
    "primary": "#3a86d4",
    "secondary": "#7a5cc2",
    "accent": "#e0a030",
    "warning": "#e6a23c",
    "error": "#d2555a",
    "success": "#55a868",
    "foreground": "#d0d0d0",
    "foreground-muted": "#8a8a8a",
}


def theme_color(app: App, name: str) -> Color:
    """The theme's colour `name` as an opaque or translucent Color, else its fallback."""
    try:
        return Color.parse(app.theme_variables[name])
    except (KeyError, ColorParseError):
        return Color.parse(FALLBACK.get(name, "#888888"))
