"""The footer, fitted to the screen's width: keys that do not fit are left out whole, the
screen's spare ones first, instead of the last ones being cut mid-word or hidden under the
palette key (a focused widget's own keys come first and would otherwise push them off)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.widgets import Footer

#: Textual's footer key (not exported): it has key_display, description and action.
FooterKey = Any


def is_key(widget: object) -> bool:
    """Whether `widget` is one of the footer's keys (tests/app/test_footer.py holds Textual
    to the shape and the widths relied on here)."""
    return all(hasattr(widget, a) for a in ("key_display", "description", "action"))


def key_width(key: FooterKey) -> int:
    """Cells a compact footer key takes: its key, a space and its words, and one more (a
    margin after it; for the palette key docked right, a border before it, and Textual leaves
    the footer's last cell empty)."""
    words = 1 + cell_len(key.description) if key.description else 0
    palette = "-command-palette" in key.classes
    return 1 + cell_len(key.key_display) + words + palette


def fitted(keys: list[FooterKey], width: int, spare: Iterable[str]) -> list[FooterKey]:
    """`keys` minus the fewest that make them fit in `width` cells: the spare actions first
    (in their order), then from the right."""
    kept = list(keys)
    order = [*spare, *(k.action for k in reversed(keys))]
    for action in order:
        if sum(map(key_width, kept)) - 1 <= width:  # the last margin may fall off the edge
            break
        kept = [k for k in kept if k.action != action or "-command-palette" in k.classes]
    return kept


class FittedFooter(Footer):
    """A compact footer that never overflows; the screen names its spare keys' actions in
    `FOOTER_SPARE`, least needed first."""

    def __init__(self, **kwargs: bool) -> None:
        super().__init__(compact=True, **kwargs)

    def compose(self) -> ComposeResult:
        keys = list(super().compose())
        footer_keys = [k for k in keys if is_key(k)]
        if len(footer_keys) < len(keys):  # grouped keys: drawn as Textual lays them out
            yield from keys
            return
        spare = getattr(self.screen, "FOOTER_SPARE", ())
        yield from fitted(footer_keys, self.app.size.width, spare)
