"""What the app's dialogs and screens share, for the main screen's and the stepper's alike.

`ClosesOnce`: Textual's `dismiss` pops whatever screen is on top, so a second close of the same
dialog (two Enter presses queued before the first one closed it) would pop the screen below
it, and with it the app's main screen.

`FitsShort`: below 30 rows the dialog's screen has the class `-short`, and app.tcss drops the
dialog's blank lines and lets its long list shrink, so that every field, error and key line
stays inside an 80×24 screen.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual.await_complete import AwaitComplete


class ClosesOnce:
    """Mixin for a Screen: `dismiss` acts only while the screen is on top of the stack."""

    def dismiss(self, result: Any = None) -> AwaitComplete:
        if self.app.screen is not self:  # closed already, or covered by another dialog
            return AwaitComplete.nothing()
        return super().dismiss(result)  # type: ignore[misc]


class FitsShort:
    """Mixin for a ModalScreen: `-short` below 30 rows, `-roomy` from 30."""

    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-short"), (30, "-roomy")]
