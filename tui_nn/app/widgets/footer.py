"""The footer, fitted to the screen's width: keys that do not fit are left out whole, the
screen's spare ones first, instead of the last ones being cut mid-word or hidden under the
palette key (a focused widget's own keys come first and would otherwise push them off)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.widgets import Footer

#: Textual's footer key (not exported): it has key_display, description, action and classes
#: (tests/app/test_footer.py holds Textual to them and to the widths relied on here).
FooterKey = Any


def is_palette(key: FooterKey) -> bool:
    """The command palette's key, docked right: it stays whatever else is left out."""
    return "-command-palette" in key.classes


def key_width(key: FooterKey) -> int:
    """Cells a compact footer key takes: its key, a space and its words, and one more (a
    margin after it; for the palette key docked right, a border before it, and Textual leaves
    the footer's last cell empty)."""
    words = 1 + cell_len(key.description) if key.description else 0
    return 1 + cell_len(key.key_display) + words + is_palette(key)


def fitted(keys: list[FooterKey], width: int, spare: Iterable[str]) -> list[FooterKey]:
    """`keys` minus the fewest that make them fit in `width` cells: the spare actions first
    (in their order), then from the right."""
    kept = list(keys)
    order = [*spare, *(k.action for k in reversed(keys))]
    for action in order:
        if sum(map(key_width, kept)) - 1 <= width:  # the last margin may fall off the edge
            break
        kept = [k for k in kept if k.action != action or is_palette(k)]
    return kept


class FittedFooter(Footer):
    """A compact footer that never overflows; the screen names its spare keys' actions in
    `FOOTER_SPARE`, least needed first."""

    def __init__(self, **kwargs: bool) -> None:
        super().__init__(compact=True, **kwargs)

    def compose(self) -> ComposeResult:
        # Only keys: the app binds no key groups, which Textual composes as containers.
        spare = getattr(self.screen, "FOOTER_SPARE", ())
        yield from fitted(list(super().compose()), self.app.size.width, spare)
