"""Texts and key bindings in the student's language, and the one place that touches Textual's
internals (each is named in TEXTUAL_INTERNALS; tests/app/test_textual_internals.py fails, saying
which, when a Textual release changes one of them).

Widgets never hold user-facing literals: they ask `self.tr("app_...")`, and re-render in
`relabel()` when the student switches language. Bindings are declared with `bind()`; a
binding's id names its catalogue entries `<texts>_<id>` (footer text) and `<texts>_<id>_tip`
(tooltip), where `texts` is the node's KEY_TEXTS: "app_key" for the app, "stepper_key" for the
stepper, whose ids (export, lang, close) mean the same actions with their own words.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import replace

from textual.binding import Binding
from textual.command import CommandPalette
from textual.dom import DOMNode

from tui_nn.app.dialog import ClosesOnce
from tui_nn.i18n import catalogue, t

APP_KEYS = "app_key"
STEPPER_KEYS = "stepper_key"

#: What this module relies on that Textual does not document as public.
TEXTUAL_INTERNALS = (
    "DOMNode._bindings: the per-node BindingsMap that the footer, the help, the palette and "
    "App.set_keymap read, with key_to_bindings: dict[str, list[Binding]]",
    "CommandPalette._action_command_list(action) and CommandPalette._gather_commands(search)",
)


class Localized:
    """Mixin for widgets and screens whose text comes from the catalogue."""

    def tr(self, key: str, /, **values: object) -> str:
        return t(key, self.app.lang, **values)  # type: ignore[attr-defined]

    def on_mount(self) -> None:
        # Textual calls the mount handler of every class in the MRO, so this runs for each
        # localized widget or screen in addition to its own.
        localize_bindings(self, self.app.lang)  # type: ignore[attr-defined, arg-type]

    def relabel(self) -> None:
        """Show the text in the app's current language; the default re-renders."""
        self.refresh()  # type: ignore[attr-defined]


def bind(
    keys: str,
    action: str,
    id: str,
    *,
    show: bool = True,
    priority: bool = False,
    display: str | None = None,
    texts: str = APP_KEYS,
) -> Binding:
    """A binding described by the catalogue entry <texts>_<id> (English until localized)."""
    tip = f"{texts}_{id}_tip"
    return Binding(
        keys,
        action,
        t(f"{texts}_{id}", "en"),
        show=show,
        key_display=display,
        id=id,
        priority=priority,
        tooltip=t(tip, "en") if tip in catalogue() else "",
    )


def stepper_bind(
    keys: str, action: str, id: str, *, show: bool = True, display: str | None = None
) -> Binding:
    """A binding of the stepper's screens, described by stepper_key_<id>; the class that
    declares it says KEY_TEXTS = STEPPER_KEYS."""
    return bind(keys, action, id, show=show, display=display, texts=STEPPER_KEYS)


def localize_bindings(node: DOMNode, lang: str) -> None:
    """Describe `node`'s bindings in `lang`, from the catalogue entries its KEY_TEXTS names."""
    entries = catalogue()
    texts = getattr(node, "KEY_TEXTS", APP_KEYS)

    def localized(b: Binding) -> Binding:
        name = f"{texts}_{b.id}"
        if not b.id or name not in entries:
            return b
        tip = f"{name}_tip"
        return replace(
            b, description=t(name, lang), tooltip=t(tip, lang) if tip in entries else b.tooltip
        )

    _rewrite_bindings(node, localized)


def bindings_of(node: DOMNode) -> Iterator[Binding]:
    """`node`'s own bindings as they are now (localized, remapped by the keymap)."""
    for _key, binding in node._bindings:
        yield binding


def _rewrite_bindings(node: DOMNode, change: Callable[[Binding], Binding]) -> None:
    # Textual keeps a per-node copy of the bindings: the map the footer, the help screen, the
    # palette and `set_keymap` all read. Rewriting it is how a description follows the language.
    bindings = node._bindings
    bindings.key_to_bindings = {
        k: [change(b) for b in bs] for k, bs in bindings.key_to_bindings.items()
    }


class Palette(ClosesOnce, CommandPalette):
    """Textual's command palette (which lists every binding of the screen), minus what goes
    wrong while training keeps the UI busy: Ctrl+P then PageUp before the list is laid out
    raises KeyError inside Textual's OptionList paging (such a page key does nothing here); a
    second Enter or Escape queued before the palette closed would pop the main screen (it
    closes once); typing queued behind Escape would search in a closed palette (it does not
    start)."""

    def _action_command_list(self, action: str) -> None:
        with suppress(KeyError):
            super()._action_command_list(action)

    def _gather_commands(self, search_value: str) -> None:
        # The search's worker would look for the list of a palette that has left the screen.
        if self in self.app.screen_stack:
            super()._gather_commands(search_value)
