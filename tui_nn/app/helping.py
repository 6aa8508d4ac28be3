"""What F1 / ? shows first. A widget or screen with help of its own implements `Helpable`; the
help screen asks the focused widget, then each node around it up to the screen."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from textual.dom import DOMNode


@dataclass(frozen=True)
class HelpData:
    """A node's help: a page of the app's help to show first, or pages instead of them."""

    topic: str | None = None  # the catalogue entry app_help_<topic>
    pages: tuple[str, ...] | None = None  # catalogue entries shown instead of the app's pages


@runtime_checkable
class Helpable(Protocol):
    def help_data(self) -> HelpData | None:
        """The help for this node as it is now (None: the node around it decides)."""


def help_for(node: DOMNode | None) -> HelpData:
    """The help of the nearest node from `node` up that offers one (the app's pages if none)."""
    for each in node.ancestors_with_self if node is not None else ():
        if isinstance(each, Helpable) and (data := each.help_data()) is not None:
            return data
    return HelpData()
