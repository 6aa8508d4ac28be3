"""Catalogue text for widgets, and key bindings whose descriptions follow the language.

Widgets never hold user-facing literals: they ask `self.tr("app_...")`, and re-render in
`relabel()` when the student switches language. Bindings are declared with `bind()`, whose id
names the catalogue entries `app_key_<id>` (footer text) and `app_key_<id>_tip` (tooltip).
"""

from __future__ import annotations

from dataclasses import replace

from textual.binding import Binding
from textual.dom import DOMNode

from tui_nn.i18n import catalogue, t


class Localized:
    """Mixin for widgets and screens whose text comes from the catalogue."""

    def tr(self, key: str, /, **values: object) -> str:
        return t(key, self.app.lang, **values)  # type: ignore[attr-defined]

    def _on_mount(self) -> None:
        # Textual calls the mount handler of every class in the MRO, so this runs for each
        # localized widget or screen in addition to its own.
        localize_bindings(self, self.app.lang)  # type: ignore[attr-defined, arg-type]

    def relabel(self) -> None:
        """Show the text in the app's current language; the default re-renders."""
        self.refresh()  # type: ignore[attr-defined]


def bind(keys: str, action: str, id: str, *, show: bool = True, priority: bool = False) -> Binding:
    """A binding described by the catalogue entry app_key_<id> (English until localized)."""
    return Binding(
        keys,
        action,
        t(f"app_key_{id}", "en"),
        show=show,
        id=id,
        priority=priority,
        tooltip=t(f"app_key_{id}_tip", "en") if f"app_key_{id}_tip" in catalogue() else "",
    )


def localize_bindings(node: DOMNode, lang: str) -> None:
    """Rewrite the descriptions of `node`'s bindings in `lang`.

    Textual keeps a per-node copy of the bindings (`_bindings`, the map `set_keymap` also
    rewrites); the footer, the help screen and the command palette all read it.
    """
    entries = catalogue()

    def localized(b: Binding) -> Binding:
        if not b.id or f"app_key_{b.id}" not in entries:
            return b
        tip = f"app_key_{b.id}_tip"
        return replace(
            b,
            description=t(f"app_key_{b.id}", lang),
            tooltip=t(tip, lang) if tip in entries else b.tooltip,
        )

    bindings = node._bindings
    bindings.key_to_bindings = {
        k: [localized(b) for b in bs] for k, bs in bindings.key_to_bindings.items()
    }


def show_bindings(node: DOMNode, ids: set[str], show: bool) -> None:
    """Show or hide (in the footer) the bindings of `node` with these ids."""
    bindings = node._bindings
    bindings.key_to_bindings = {
        k: [replace(b, show=show) if b.id in ids else b for b in bs]
        for k, bs in bindings.key_to_bindings.items()
    }
