"""Dialogs on short terminals (80×24): below 30 rows the dialog's screen has the class `-short`,
and app.tcss drops the dialog's blank lines and lets its long list shrink, so that every field,
error and key line stays inside the screen."""

from __future__ import annotations

from typing import ClassVar


class FitsShort:
    """Mixin for a ModalScreen: `-short` below 30 rows, `-roomy` from 30."""

    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-short"), (30, "-roomy")]
