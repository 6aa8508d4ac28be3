"""Screens that close once: Textual's `dismiss` pops whatever screen is on top, so a second
close of the same dialog (two Enter presses queued before the first one closed it) would pop
the screen below it, and with it the app's main screen."""

from __future__ import annotations

from typing import Any

from textual.await_complete import AwaitComplete


class ClosesOnce:
    """Mixin for a Screen: `dismiss` acts only while the screen is on top of the stack."""

    def dismiss(self, result: Any = None) -> AwaitComplete:
        if self.app.screen is not self:  # closed already, or covered by another dialog
            return AwaitComplete.nothing()
        return super().dismiss(result)  # type: ignore[misc]
